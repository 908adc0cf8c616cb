import { describe, expect, it } from 'vitest';
import type { BaseItem } from '../../../lib/domain/item.js';
import { mapEnforcementRecord, mapRecall, mapRecallRecord, normalizeRecallClass } from '../../../lib/sources/openfda/recall.js';
import { ref, refGsi1 } from '../../../lib/store/keys.js';
import { firstResult, readSampleJson } from './helpers.js';

const enf = (n: string, tail: string) => firstResult(`real/openfda/enforcement/enforcement-${n}-${tail}.response.json`);
const find = (items: BaseItem[], pk: string, sk: string) => items.find((i) => i.pk === pk && i.sk === sk);

describe('enforcement → enforcement + recall-ref items', () => {
  it('Z-2308-2026: the GS1 UDI in code_info yields a DI recall-ref carrying the lot', () => {
    const items = mapEnforcementRecord(enf('Z-2308-2026', 'classII-ongoing'));
    const e = find(items, ...(Object.values(ref.enforcement('Z-2308-2026')) as [string, string]));
    expect(e).toMatchObject({
      entity: 'enforcement',
      classification: 'Class II',
      status: 'Ongoing',
      reportDate: '2026-06-10',
      recallInitiationDate: '2026-04-03',
      centerClassificationDate: '2026-06-04',
      recallingFirm: 'Grace Medical, Inc.',
      recallingFirmNorm: 'grace medical',
      gsi1pk: refGsi1.feed('enforcement'),
      gsi1sk: refGsi1.feedSk('2026-06-10', 'Z-2308-2026'),
    });
    const diRef = find(items, ref.diPartition('00844505000772'), ref.recallRefSk('Z-2308-2026'));
    expect(diRef).toMatchObject({ entity: 'recall-ref', matchedBy: 'di', classification: 'Class II', lots: ['122927'], firmNorm: 'grace medical' });
    expect(find(items, ref.firmPartition('grace-medical'), ref.recallRefSk('Z-2308-2026'))?.matchedBy).toBe('firm');
  });

  it('Z-1973-2023: "UDI/DI: 00191072179593" yields a DI recall-ref (Class III)', () => {
    const items = mapEnforcementRecord(enf('Z-1973-2023', 'classIII-ongoing'));
    expect(find(items, 'DI#00191072179593', 'RECALL#Z-1973-2023')).toMatchObject({ matchedBy: 'di', classification: 'Class III', lots: ['967231'] });
  });

  it('Z-2958-2018: the GTIN in product_description yields a DI recall-ref', () => {
    const items = mapEnforcementRecord(enf('Z-2958-2018', 'classII-ongoing-bis-monitor'));
    expect(find(items, 'DI#10884521130319', 'RECALL#Z-2958-2018')?.entity).toBe('recall-ref');
  });

  it('a record without a DI in its text gets only firm references', () => {
    const items = mapEnforcementRecord(enf('Z-1375-2015', 'classII-terminated'));
    expect(items.filter((i) => i.entity === 'recall-ref').map((i) => i.matchedBy)).toEqual(['firm']);
    expect(find(items, 'RECALL#Z-1375-2015', 'ENFORCEMENT')).toMatchObject({ terminationDate: '2016-02-26', lots: ['5008762'] });
  });

  it('truncates the product description in references to about 300 characters', () => {
    const items = mapEnforcementRecord(enf('Z-0198-2018', 'classIII-terminated'));
    const r = items.find((i) => i.entity === 'recall-ref') as BaseItem;
    expect(String(r.productDescription).length).toBeLessThanOrEqual(300);
    expect(String(r.productDescription).endsWith('…')).toBe(true);
  });
});

describe('recall → recall + recall-ref items', () => {
  it('the site example Z-0053-2020 (anatomy) indexes product code, submission and firm', () => {
    const doc = readSampleJson('real/openfda/recall/recall-site-examples-Z-0359-2013-Z-0053-2020.json') as { anatomy: { results: unknown[] } };
    const items = mapRecallRecord(doc.anatomy.results[0]);
    expect(items.filter((i) => i.entity === 'recall-ref').map((i) => [i.pk, i.matchedBy])).toEqual([
      ['FIRM#arrow-international', 'firm'],
      ['PC#FOZ', 'product-code'],
      ['SUB#K900263', 'submission'],
    ]);
    const r = find(items, 'RECALL#Z-0053-2020', 'RECALL') as BaseItem;
    expect(r).toMatchObject({ entity: 'recall', productCode: 'FOZ', kNumbers: ['K900263'], gsi1pk: 'FEED#recall' });
    expect((r.lots as string[]).length).toBe(9);
  });

  it('"N/A" and numeric product codes do not create product-code partitions', () => {
    const items = mapRecallRecord({ product_res_number: 'Z-0001-2000', product_code: 'N/A', recalling_firm: 'X Inc.' });
    expect(items.some((i) => i.pk.startsWith('PC#'))).toBe(false);
    const old = mapRecallRecord({ product_res_number: 'Z-0002-2000', product_code: '74' });
    expect(old.some((i) => i.pk.startsWith('PC#'))).toBe(false);
  });

  it('PMA supplements are indexed under the full and the base PMA number', () => {
    const items = mapRecallRecord({ product_res_number: 'Z-0003-2020', pma_numbers: ['P960009S007'] });
    expect(items.filter((i) => i.pk.startsWith('SUB#')).map((i) => i.pk)).toEqual(['SUB#P960009', 'SUB#P960009S007']);
  });
});

describe('mapRecall joins both halves', () => {
  const recall = {
    product_res_number: 'Z-9001-2025',
    recalling_firm: 'Contec Medical Systems Co., Ltd.',
    product_code: 'MHX',
    k_numbers: ['K101692'],
    recall_status: 'Open, Classified',
    event_date_posted: '2025-02-28',
  };
  const enforcement = {
    recall_number: 'z-9001-2025',
    classification: 'Class II',
    status: 'Ongoing',
    recalling_firm: 'Contec Medical Systems Co., Ltd.',
    code_info: 'UDI-DI: 00614141100019; Lot Number: SYN2501A',
    report_date: '20250305',
  };

  it('references carry the class from enforcement and the product code from recall', () => {
    const items = mapRecall(recall, enforcement, { source: 'synthetic' });
    const refs = items.filter((i) => i.entity === 'recall-ref');
    expect(refs.map((i) => i.pk).sort()).toEqual(['DI#00614141100019', 'FIRM#contec-medical-systems', 'PC#MHX', 'SUB#K101692']);
    for (const r of refs) {
      expect(r).toMatchObject({ classification: 'Class II', productCode: 'MHX', status: 'Open, Classified', lots: ['SYN2501A'], source: 'synthetic' });
    }
    expect(items.map((i) => i.sk).filter((s) => !s.startsWith('RECALL#'))).toEqual(['RECALL', 'ENFORCEMENT']);
  });

  it('works with either half missing', () => {
    const onlyRecall = mapRecall(recall, undefined);
    expect(onlyRecall.find((i) => i.entity === 'recall-ref')?.classification).toBeUndefined();
    const onlyEnf = mapRecall(undefined, enforcement);
    expect(onlyEnf.some((i) => i.pk === 'PC#MHX')).toBe(false);
    expect(onlyEnf.find((i) => i.entity === 'enforcement')?.pk).toBe('RECALL#Z-9001-2025');
    expect(mapRecall(undefined, undefined)).toEqual([]);
  });

  it('refuses to join two different recalls', () => {
    expect(() => mapRecall(recall, { ...enforcement, recall_number: 'Z-9002-2025' })).toThrow(/different recalls/);
  });
});

describe('normalizeRecallClass', () => {
  it('reads class spellings', () => {
    expect(normalizeRecallClass('Class III')).toBe('Class III');
    expect(normalizeRecallClass('ii')).toBe('Class II');
    expect(normalizeRecallClass('1')).toBe('Class I');
    expect(normalizeRecallClass('Not Yet Classified')).toBeUndefined();
  });
});
