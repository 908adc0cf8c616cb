import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapOpenFdaRecord } from '../../../lib/sources/openfda/map.js';
import {
  ClearanceRecordSchema,
  OpenFdaEnvelopeSchema,
  RECORD_SCHEMAS,
  RegistrationListingRecordSchema,
  UdiRecordSchema,
  OPENFDA_DATASETS,
} from '../../../lib/sources/openfda/schemas.js';

/** Values openFDA uses for "nothing", plus type confusions seen in the wild. */
const junk = fc.constantFrom<unknown>('', 'N/A', 'n/a', '  ', null, [], {}, 0, '0', 'true', 'false', ['']);

describe('openFDA raw schemas', () => {
  it('parse an empty object for every dataset', () => {
    for (const dataset of OPENFDA_DATASETS) expect(RECORD_SCHEMAS[dataset].safeParse({}).success).toBe(true);
  });

  it('turn "", "N/A", missing keys, [] and {} into undefined / empty lists', () => {
    const r = UdiRecordSchema.parse({
      brand_name: 'N/A',
      company_name: '',
      identifiers: {},
      product_codes: [],
      device_count_in_base_package: 1,
      catalog_number: [],
    });
    expect(r.brand_name).toBeUndefined();
    expect(r.company_name).toBeUndefined();
    expect(r.identifiers).toEqual([]);
    expect(r.product_codes).toEqual([]);
    expect(r.device_count_in_base_package).toBe('1');
    expect(r.catalog_number).toBeUndefined();
    expect(r.premarket_submissions).toEqual([]);
  });

  it('keep unknown keys (passthrough) and nested sub-objects typed', () => {
    const r = ClearanceRecordSchema.parse({ k_number: 'K101692', future_field: 'x', openfda: { regulation_number: ['870.1025'] } });
    expect((r as Record<string, unknown>).future_field).toBe('x');
    expect(r.openfda.regulation_number).toBe('870.1025');
    const l = RegistrationListingRecordSchema.parse({ registration: [], establishment_type: 'Manufacture Medical Device' });
    expect(l.registration.owner_operator.firm_name).toBeUndefined();
    expect(l.establishment_type).toEqual(['Manufacture Medical Device']);
  });

  it('reject only non-objects', () => {
    expect(UdiRecordSchema.safeParse('a string').success).toBe(false);
    expect(UdiRecordSchema.safeParse(null).success).toBe(false);
  });

  it('tolerate any mix of empty values in any field, and mapping never throws (property)', () => {
    for (const dataset of OPENFDA_DATASETS) {
      const schema = RECORD_SCHEMAS[dataset];
      const keys = Object.keys(schema.shape);
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...keys), junk), (record) => {
          expect(schema.safeParse(record).success).toBe(true);
          const items = mapOpenFdaRecord(dataset, record);
          expect(Array.isArray(items)).toBe(true);
        }),
        { numRuns: 200 },
      );
    }
  });

  it('parse the envelope with or without meta/results', () => {
    const e = OpenFdaEnvelopeSchema.parse({ meta: { last_updated: '2026-03-18', results: { skip: '0', limit: 1, total: 'N/A' } }, results: [{ a: 1 }] });
    expect(e.meta.last_updated).toBe('2026-03-18');
    expect(e.meta.results.skip).toBe(0);
    expect(e.meta.results.total).toBeUndefined();
    expect(e.results).toHaveLength(1);
    const bare = OpenFdaEnvelopeSchema.parse({ error: { code: 'NOT_FOUND' } });
    expect(bare.results).toEqual([]);
    expect(bare.meta.synthetic).toBe(false);
  });
});
