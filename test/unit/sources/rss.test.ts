import { describe, expect, it } from 'vitest';
import { linkHash, mapSafetyRss, parseRss } from '../../../lib/sources/fda-rss/rss.js';
import { ref } from '../../../lib/store/keys.js';
import { readSampleText } from './helpers.js';

const LINK = 'https://www.fda.gov/medical-devices/safety-communications/cybersecurity-vulnerabilities-certain-patient-monitors-contec-and-epsimed-fda-safety-communication';

describe('FDA safety communication RSS', () => {
  it('maps the sample feed item keyed by a hash of its link', () => {
    const items = mapSafetyRss(readSampleText('synthetic/fda-safety-rss.xml'), { source: 'synthetic' });
    expect(items).toHaveLength(1);
    const id = linkHash(LINK);
    expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(items[0]).toMatchObject({
      ...ref.safetyCommunication(id),
      entity: 'safety-communication',
      source: 'synthetic',
      title: 'Cybersecurity Vulnerabilities with Certain Patient Monitors from Contec and Epsimed: FDA Safety Communication',
      link: LINK,
      publishedDate: '2025-01-30',
      gsi1pk: 'FEED#safety-communication',
    });
    expect(String(items[0]?.description)).not.toMatch(/<[a-z]/i);
    expect(String(items[0]?.description)).toContain('Epsimed MN-120');
  });

  it('handles a single item, entities, HTML in descriptions and items without links', () => {
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
      <item><title>A &amp; B</title><link> https://example.org/a </link><pubDate>Mon, 03 Feb 2025 15:00:00 EST</pubDate>
      <description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;</description></item>
      <item><title>no link</title></item></channel></rss>`;
    const channel = parseRss(xml);
    expect(channel.items).toHaveLength(1);
    expect(channel.items[0]).toMatchObject({ title: 'A & B', link: 'https://example.org/a', publishedDate: '2025-02-03', description: 'Hello world' });
    expect(mapSafetyRss(xml)[0]?.source).toBe('fda-rss');
    expect(linkHash(' https://example.org/a ')).toBe(linkHash('https://example.org/a'));
  });

  it('returns no items for an empty or foreign document', () => {
    expect(mapSafetyRss('<rss><channel></channel></rss>')).toEqual([]);
    expect(mapSafetyRss('<html></html>')).toEqual([]);
  });
});
