import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BaseItem } from '../../../lib/domain/item.js';
import { mapCsafAdvisories, mapCsafAdvisory, NOTES_SUMMARY_MAX_BYTES, parseSha512File, verifySha512 } from '../../../lib/sources/csaf/index.js';
import { ref } from '../../../lib/store/keys.js';
import { readSampleJson, readSampleText, samplePath } from './helpers.js';

const updateA = readSampleJson('real/cisa/icsma-25-030-01.json');
const initial = readSampleJson('real/cisa/icsma-25-030-01-initial/icsma-25-030-01.json');

describe('CSAF advisory mapping', () => {
  it('initial + Update A → two advisory versions of one id and one latest (the newer)', () => {
    for (const order of [
      [initial, updateA],
      [updateA, initial],
    ]) {
      const items = mapCsafAdvisories(order);
      const versions = items.filter((i) => i.entity === 'advisory');
      expect(versions.map((v) => [v.pk, v.sk, v.version])).toEqual([
        ['ADV#ICSMA-25-030-01', 'V#0001', 1],
        ['ADV#ICSMA-25-030-01', 'V#0002', 2],
      ]);
      const latest = items.filter((i) => i.entity === 'advisory-latest');
      expect(latest).toHaveLength(1);
      expect(latest[0]).toMatchObject({
        ...ref.advisoryLatest('ICSMA-25-030-01'),
        version: 2,
        title: 'Contec Health CMS8000 Patient Monitor (Update A)',
        currentReleaseDate: '2025-02-25T07:00:00.000Z',
      });
      expect(items.find((i) => i.entity === 'advisory-ref' && i.pk === 'VENDOR#contec-health')?.version).toBe(2);
    }
  });

  it('maps CVEs with CVSS, remediations with URLs, products and the version label', () => {
    const items = mapCsafAdvisory(updateA);
    const a = items.find((i) => i.entity === 'advisory') as BaseItem;
    expect(a).toMatchObject({ id: 'ICSMA-25-030-01', version: 2, versionLabel: 'Update A', initialReleaseDate: '2025-01-30T07:00:00.000Z', maxBaseScore: 9.8 });
    const cves = a.cves as { cve: string; cvss: { baseScore: number; vectorString: string }[] }[];
    expect(cves.map((c) => c.cve)).toEqual(['CVE-2024-12248', 'CVE-2025-0626', 'CVE-2025-0683', 'CVE-2025-1204']);
    expect(cves[0]?.cvss[0]).toMatchObject({ version: '3.1', baseScore: 9.8, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });
    const remediations = a.remediations as { url?: string }[];
    expect(remediations.some((r) => r.url?.includes('contec-and-epsimed'))).toBe(true);
    expect(a.products).toContainEqual({ vendor: 'Contec Health', name: 'CMS8000 Patient Monitor', version: 'vers:all/*', productId: 'CSAFPID-0004' });
    expect(Buffer.byteLength(String(a.notesSummary), 'utf8')).toBeLessThanOrEqual(NOTES_SUMMARY_MAX_BYTES);
    expect(String(a.notesSummary)).not.toContain('Legal Notice');
    const initialCves = (mapCsafAdvisory(initial).find((i) => i.entity === 'advisory') as BaseItem).cves as unknown[];
    expect(initialCves).toHaveLength(3);
  });

  it('indexes the advisory under its vendor, each normalised product name and each model token', () => {
    const refs = mapCsafAdvisory(updateA).filter((i) => i.entity === 'advisory-ref');
    expect(refs.map((r) => r.pk)).toEqual(['MODEL#cms8000', 'PRODUCT#cms8000 patient monitor', 'PRODUCT#cms8000 patient monitor firmware', 'VENDOR#contec-health']);
    for (const r of refs) expect(r.sk).toBe(ref.advisoryRefSk('ICSMA-25-030-01'));
  });

  it('maps every other real advisory, and rejects a document without a tracking id', () => {
    for (const id of ['037-01', '037-02', '044-01', '051-01', '058-01']) {
      const items = mapCsafAdvisory(readSampleJson(`real/cisa/other-icsma-2025/icsma-25-${id}.json`));
      expect(items.filter((i) => i.entity === 'advisory')).toHaveLength(1);
    }
    expect(mapCsafAdvisory({ document: { title: 'x' } })).toEqual([]);
    expect(mapCsafAdvisory('not json')).toEqual([]);
  });

  it('RadiAnt (051-01) carries its vendor_fix remediation', () => {
    const a = mapCsafAdvisory(readSampleJson('real/cisa/other-icsma-2025/icsma-25-051-01.json')).find((i) => i.entity === 'advisory') as BaseItem;
    expect((a.remediations as { category?: string }[]).some((r) => r.category === 'vendor_fix')).toBe(true);
  });
});

describe('verifySha512', () => {
  const bytes = readFileSync(samplePath('real/cisa/icsma-25-030-01.json'));
  const published = readSampleText('real/cisa/icsma-25-030-01.json.sha512');

  it('passes on the real file with CISA\'s published digest (hex + file name, no newline)', () => {
    expect(verifySha512(bytes, published)).toBe(true);
    expect(verifySha512(bytes, published.split(/\s+/)[0] as string)).toBe(true);
    const initialBytes = readFileSync(samplePath('real/cisa/icsma-25-030-01-initial/icsma-25-030-01.json'));
    expect(verifySha512(initialBytes, readSampleText('real/cisa/icsma-25-030-01-initial/icsma-25-030-01.json.sha512'))).toBe(true);
  });

  it('fails on a flipped byte, on the other version\'s digest, and on a malformed digest', () => {
    const flipped = Buffer.from(bytes);
    flipped[100] = (flipped[100] as number) ^ 0x01;
    expect(verifySha512(flipped, published)).toBe(false);
    expect(verifySha512(bytes, readSampleText('real/cisa/icsma-25-030-01-initial/icsma-25-030-01.json.sha512'))).toBe(false);
    expect(verifySha512(bytes, 'abc')).toBe(false);
    expect(verifySha512(bytes, '')).toBe(false);
  });

  it('parses sha512sum formats', () => {
    const hex = 'a'.repeat(128);
    expect(parseSha512File(`${hex}  file.json\n`)).toBe(hex);
    expect(parseSha512File(`${hex.toUpperCase()} *file.json`)).toBe(hex);
    expect(parseSha512File(`  ${hex}\n`)).toBe(hex);
    expect(parseSha512File(`${hex}0`)).toBeUndefined();
  });
});
