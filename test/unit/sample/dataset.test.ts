import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BaseItem } from '../../../lib/domain/item.js';
import { contentHash } from '../../../lib/domain/item.js';
import { DEFAULT_SAMPLE_DIR, loadSampleDataset, mergeItems, readSampleDataset } from '../../../lib/sample/dataset.js';
import { ref } from '../../../lib/store/keys.js';

const AT = '2025-03-01T00:00:00.000Z';
const get = (items: BaseItem[], pk: string, sk: string) => items.find((i) => i.pk === pk && i.sk === sk);

describe('readSampleDataset', () => {
  let items: BaseItem[] = [];
  beforeAll(async () => {
    items = await readSampleDataset(undefined, { ingestedAt: AT });
  });

  it('is deterministic: two reads are equal, sorted by pk then sk, one item per key', async () => {
    const again = await readSampleDataset(DEFAULT_SAMPLE_DIR, { ingestedAt: AT });
    expect(again).toEqual(items);
    const keys = items.map((i) => `${i.pk}\u0000${i.sk}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(keys);
  });

  it('seals every item with a valid hash and an entity version', () => {
    for (const i of items) {
      expect(i.hash).toBe(contentHash(i));
      expect(i.v).toBe(1);
      expect(typeof i.entity).toBe('string');
    }
  });

  it('holds the Contec / Epsimed family under SUB#K101692', () => {
    const family = items.filter((i) => i.pk === ref.submissionPartition('K101692'));
    expect(get(family, 'SUB#K101692', 'CLEARANCE')).toMatchObject({
      applicant: 'Contec Medical Systems Co., Ltd.',
      deviceName: 'PATIENT MONITOR',
      decisionDate: '2011-06-28',
      productCode: 'MHX',
      regulationNumber: '870.1025',
      source: 'synthetic',
    });
    const listings = family.filter((i) => i.entity === 'listing-ref');
    expect(listings.map((l) => [l.firmNameNorm, l.isRelabeler, l.proprietaryNames]).sort()).toEqual([
      ['contec medical systems', false, ['CMS8000']],
      ['epsimed', true, ['MN-120']],
    ]);
    expect(get(family, 'SUB#K101692', ref.recallRefSk('Z-9001-2025'))).toMatchObject({ classification: 'Class II', productCode: 'MHX' });
  });

  it('resolves the synthetic CMS8000 and MN-120 DIs (and a package DI) to their devices', () => {
    expect(get(items, 'DI#00614141100019', 'DEVICE')).toMatchObject({ entity: 'device', brandName: 'CMS8000', companyNameNorm: 'contec medical systems', hasSerialNumber: true, source: 'synthetic' });
    expect(get(items, 'DI#00614141100026', 'DEVICE')).toMatchObject({ entity: 'device', brandName: 'MN-120', companyNameNorm: 'epsimed' });
    expect(get(items, 'DI#10614141100016', 'DEVICE')).toMatchObject({ entity: 'device-identifier', primaryDi: '00614141100019' });
    expect(get(items, 'DI#00614141100019', ref.recallRefSk('Z-9001-2025'))).toMatchObject({ matchedBy: 'di', lots: ['SYN2501A'] });
    expect(get(items, 'DI#00614141100033', 'DEVICE')?.commercialDistributionStatus).toBe('Not in Commercial Distribution');
    expect(get(items, 'DI#00614141100040', 'DEVICE')?.recordStatus).toBe('Deactivated');
  });

  it('includes the real records: CoRoent, GUDID XML identifiers, recall refs, both advisory versions, the safety communication', () => {
    expect(get(items, 'DI#00887517567062', 'DEVICE')?.source).toBe('openfda');
    expect(get(items, 'DI#M204518062AB0', 'DEVICE')).toMatchObject({ source: 'gudid-xml', primaryDi: '00813132023072' });
    expect(get(items, 'DI#00844505000772', 'RECALL#Z-2308-2026')?.entity).toBe('recall-ref');
    expect(get(items, 'DI#00191072179593', 'RECALL#Z-1973-2023')?.entity).toBe('recall-ref');
    expect(get(items, 'ADV#ICSMA-25-030-01', 'V#0001')?.entity).toBe('advisory');
    expect(get(items, 'ADV#ICSMA-25-030-01', 'LATEST')?.version).toBe(2);
    expect(items.filter((i) => i.entity === 'safety-communication')).toHaveLength(1);
  });

  it('finds records inside site-example files and de-duplicates copies (CoRoent is in header and anatomy)', async () => {
    const { skipped, files } = await loadSampleDataset(undefined, { ingestedAt: AT });
    expect(items.filter((i) => i.pk === 'DI#00887517567062')).toHaveLength(1);
    expect(get(items, 'RECALL#Z-0359-2013', 'RECALL')?.productCode).toBe('NKB');
    expect(get(items, 'SUB#K872032', 'CLEARANCE')?.applicant).toBe('VENTREX LABORATORIES, INC.');
    expect(get(items, 'PC#EHE', 'CLASSIFICATION')).toBeDefined();
    expect(items.filter((i) => i.pk === 'EST#9610240' && i.entity === 'listing')).toHaveLength(1);
    // The enforcement site example (Encore Medical) has no recall number: reported, not invented.
    expect(skipped).toEqual([{ file: 'real/openfda/enforcement/enforcement-site-examples-event62561-classII-ongoing.json', reason: 'enforcement record without a natural key' }]);
    expect(files).toContain('real/openfda/udi/gudid-xml-fixture-identifier-variants.xml');
    expect(files.some((f) => f.includes('count'))).toBe(false);
  });

  it('writes one source-status per source with the latest upstream last_updated, synthetic freshness kept apart', () => {
    const status = items.filter((i) => i.entity === 'source-status');
    expect(status.map((s) => s.sk)).toEqual([
      'cisa-csaf',
      'fda-rss',
      'gudid-xml',
      'openfda:510k',
      'openfda:classification',
      'openfda:enforcement',
      'openfda:recall',
      'openfda:registrationlisting',
      'openfda:udi',
    ]);
    for (const s of status) expect(s.ingestedAt).toBe(AT);
    expect(get(items, 'SOURCE', 'openfda:enforcement')).toMatchObject({ lastUpdated: '2026-06-24', syntheticRecords: 1, syntheticLastUpdated: '2025-03-05' });
    expect(get(items, 'SOURCE', 'cisa-csaf')).toMatchObject({ lastUpdated: '2025-02-27T07:00:00.000Z', records: 7 });
  });

  it('never stores GMDN terms or contact e-mails', () => {
    const text = JSON.stringify(items);
    expect(text).not.toContain('gmdn');
    expect(text).not.toContain('fang.wei@fda.hhs.gov');
    expect(text).not.toContain('john.walter@diasorin.com');
  });
});

describe('loadSampleDataset integrity and merging', () => {
  it('throws when a CSAF file does not match its published SHA-512', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'udi-sample-'));
    try {
      await cp(path.join(DEFAULT_SAMPLE_DIR, 'real/cisa/icsma-25-030-01.json'), path.join(dir, 'real/cisa/icsma-25-030-01.json'), { recursive: true });
      await writeFile(path.join(dir, 'real/cisa/icsma-25-030-01.json.sha512'), `${'0'.repeat(128)}  icsma-25-030-01.json`);
      await expect(loadSampleDataset(dir, { ingestedAt: AT })).rejects.toThrow(/SHA-512 mismatch/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('merges conflicting items order-independently', () => {
    const base = { pk: 'DI#1', sk: 'DEVICE', v: 1, source: 'openfda' as const };
    const device = { ...base, entity: 'device', hash: 'b' };
    const identifier = { ...base, entity: 'device-identifier', hash: 'z' };
    expect(mergeItems(device, identifier)).toBe(device);
    expect(mergeItems(identifier, device)).toBe(device);
    const older = { ...base, entity: 'recall', sourceDate: '2020-01-01', hash: 'z' };
    const newer = { ...base, entity: 'recall', sourceDate: '2021-01-01', hash: 'a' };
    expect(mergeItems(older, newer)).toBe(newer);
    expect(mergeItems(newer, older)).toBe(newer);
    const v1 = { ...base, entity: 'advisory-latest', version: 1, hash: 'z' };
    const v2 = { ...base, entity: 'advisory-latest', version: 2, hash: 'a' };
    expect(mergeItems(v2, v1)).toBe(v2);
    expect(mergeItems(v1, v2)).toBe(v2);
  });
});
