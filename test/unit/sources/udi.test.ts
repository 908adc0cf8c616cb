import { describe, expect, it } from 'vitest';
import type { BaseItem } from '../../../lib/domain/item.js';
import { contentHash } from '../../../lib/domain/item.js';
import { GudidDeviceSplitter, mapGudidXml, parseGudidXml } from '../../../lib/sources/gudid/xml.js';
import { mapUdiRecord, normalizeUdiRecord } from '../../../lib/sources/openfda/udi.js';
import { ref } from '../../../lib/store/keys.js';
import { readSampleJson, readSampleText } from './helpers.js';

const coroent = (readSampleJson('real/openfda/udi/udi-site-examples-coroent-00887517567062.json') as { header: unknown }).header;
const xml = readSampleText('real/openfda/udi/gudid-xml-fixture-identifier-variants.xml');

const byPk = (items: BaseItem[], pk: string) => items.find((i) => i.pk === pk);

describe('openFDA /device/udi → device', () => {
  const items = mapUdiRecord(coroent);

  it('maps the CoRoent record under its primary DI with its identifiers', () => {
    expect(items).toHaveLength(1);
    const d = items[0] as BaseItem;
    expect(d).toMatchObject({ ...ref.deviceByDi('00887517567062'), entity: 'device', v: 1, source: 'openfda', sourceDate: '2015-10-24' });
    expect(d.identifiers).toEqual([{ di: '00887517567062', type: 'Primary', issuingAgency: 'GS1' }]);
    expect(d).toMatchObject({
      primaryDi: '00887517567062',
      companyName: 'Nuvasive, Inc.',
      companyNameNorm: 'nuvasive',
      brandName: 'CoRoent',
      versionModelNumber: '5163284',
      deviceCount: 1,
      hasLotOrBatchNumber: true,
      hasSerialNumber: false,
      isRx: true,
      isKit: false,
      recordStatus: 'Published',
      mriSafety: 'Labeling does not contain MRI Safety Information',
    });
    expect(d.productCodes).toEqual([
      { code: 'MAX', name: 'Intervertebral fusion device with bone graft, lumbar', deviceClass: '2' },
      { code: 'MQP', name: 'SPINAL VERTEBRAL BODY REPLACEMENT DEVICE', deviceClass: '2' },
    ]);
    expect(d.gsi2pk).toBe('GCP#0887517');
  });

  it('stores neither GMDN terms nor customer contacts', () => {
    const text = JSON.stringify(items);
    expect(text).not.toContain('gmdn');
    expect(text).not.toContain('fang.wei@fda.hhs.gov');
    expect(text).not.toContain('Metallic spinal fusion cage');
  });

  it('seals items with a content hash that re-mapping reproduces', () => {
    const again = mapUdiRecord(coroent);
    expect(again).toEqual(items);
    expect((items[0] as BaseItem).hash).toBe(contentHash(items[0] as BaseItem));
  });

  it('returns nothing for a record without identifiers', () => {
    expect(mapUdiRecord({ brand_name: 'X', identifiers: [] })).toEqual([]);
    expect(normalizeUdiRecord('nope')).toBeUndefined();
  });

  it('writes device-identifier items with a device copy for package rows (unit_of_use_id = contained DI)', () => {
    const out = mapUdiRecord({
      company_name: 'Acme',
      identifiers: [
        { id: '00614141100019', type: 'Primary', issuing_agency: 'GS1' },
        { id: '10614141100016', type: 'Package', issuing_agency: 'GS1', unit_of_use_id: '00614141100019', quantity_per_package: '2', package_discontinue_date: '20231231' },
      ],
    });
    expect(out.map((i) => i.entity)).toEqual(['device', 'device-identifier']);
    const pkg = out[1] as BaseItem;
    expect(pkg).toMatchObject({ ...ref.deviceByDi('10614141100016'), identifierType: 'Package', primaryDi: '00614141100019' });
    expect(pkg.identifier).toMatchObject({ containsDi: '00614141100019', quantity: 2, packageDiscontinueDate: '2023-12-31' });
    expect((pkg.device as { companyName: string }).companyName).toBe('Acme');
  });
});

describe('GUDID XML → the same device items', () => {
  const items = mapGudidXml(xml);

  it('parses the four <device> elements into the openFDA raw shape', () => {
    const records = parseGudidXml(xml);
    expect(records).toHaveLength(4);
    expect(records[0]?.identifiers).toHaveLength(3);
    expect(records[0]).toMatchObject({ company_name: 'PULMODYNE INC', brand_name: 'Blom', has_lot_or_batch_number: 'true' });
    expect(JSON.stringify(records)).not.toContain('gmdn');
  });

  // Every identifier of the fixture and the primary DI it must resolve to.
  const expected: [di: string, type: string, primaryDi: string][] = [
    ['20841470100661', 'Package', '00841470100667'],
    ['10841470100664', 'Package', '00841470100667'],
    ['20813132023076', 'Package', '00813132023072'],
    ['M204518062AB0', 'Secondary', '00813132023072'],
    ['H37312BSGTRI60P3M', 'Secondary', '00733132620081'],
    ['00733132627080', 'Unit of Use', '00733132620081'],
    ['00813024011538', 'Direct Marking', '00813024011477'],
  ];

  it.each(expected)('%s (%s) resolves to device %s in one read', (di, type, primaryDi) => {
    const item = byPk(items, ref.deviceByDi(di).pk);
    expect(item).toMatchObject({ sk: 'DEVICE', entity: 'device-identifier', identifierType: type, primaryDi, source: 'gudid-xml' });
    expect((item?.device as { primaryDi: string }).primaryDi).toBe(primaryDi);
  });

  it('has a device item under each primary DI, with the package chain Package→Package→Primary', () => {
    for (const p of ['00841470100667', '00813132023072', '00733132620081', '00813024011477']) {
      expect(byPk(items, ref.deviceByDi(p).pk)?.entity).toBe('device');
    }
    const blom = byPk(items, 'DI#00841470100667') as BaseItem;
    const ids = blom.identifiers as { di: string; containsDi?: string; quantity?: number }[];
    expect(ids.find((i) => i.di === '20841470100661')).toMatchObject({ containsDi: '10841470100664', quantity: 100 });
    expect(ids.find((i) => i.di === '10841470100664')).toMatchObject({ containsDi: '00841470100667', quantity: 10 });
    expect(items.filter((i) => i.entity === 'device-identifier')).toHaveLength(expected.length);
  });

  it('keeps entities encoded in names (W. L. Gore & Associates)', () => {
    expect(byPk(items, 'DI#00733132620081')?.companyName).toBe('W. L. Gore & Associates, Inc.');
  });

  it('splits a stream into <device> elements regardless of chunk boundaries', () => {
    for (const size of [7, 64, 1000, xml.length]) {
      const splitter = new GudidDeviceSplitter();
      const elements: string[] = [];
      for (let i = 0; i < xml.length; i += size) elements.push(...splitter.push(xml.slice(i, i + size)));
      expect(elements).toHaveLength(4);
      const streamed = elements.flatMap((e) => mapGudidXml(e));
      expect(streamed).toEqual(items);
    }
  });
});

describe('GudidDeviceSplitter edge cases', () => {
  it('ignores <device> mentioned inside comments, even when a chunk ends inside the comment', () => {
    const doc = '<gudid><!-- a <device> in a comment --><device deviceid="1"><deviceId>1</deviceId></device><!-- tail <device> --></gudid>';
    for (let size = 1; size <= doc.length; size++) {
      const splitter = new GudidDeviceSplitter();
      const out: string[] = [];
      for (let i = 0; i < doc.length; i += size) out.push(...splitter.push(doc.slice(i, i + size)));
      expect(out).toEqual(['<device deviceid="1"><deviceId>1</deviceId></device>']);
    }
  });
});
