// Every verified vector of shared/data/udi-vectors.json (copied unchanged to
// test/fixtures/udi/udi-vectors.json). Its `expected` names differ slightly from ours: lot → lotNumber,
// serial → serialNumber, and a few vector-only names (bestBeforeDate, ai, din, …) are mapped below.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseUdi, UdiErrorCode, type Udi } from '../../../lib/udi/index.js';

interface Vector {
  input: string;
  format: string;
  expected: Record<string, unknown>;
  source: string;
  note: string;
}

const vectors = JSON.parse(
  readFileSync(new URL('../../fixtures/udi/udi-vectors.json', import.meta.url), 'utf8'),
) as Vector[];

/** Error code we return for each invalid vector's described error. */
const ERROR_CODES: Record<string, string> = {
  'non-numeric Application Identifier "AB"': UdiErrorCode.UNKNOWN_AI,
  'AI 10 value is 21 chars; max 20': UdiErrorCode.BAD_LENGTH,
  'AI 01 value longer than 14 digits': UdiErrorCode.BAD_LENGTH,
  '15 is not a valid path qualifier for GTIN (allowed: 22, 10, 21 or 235)': UdiErrorCode.SYNTAX,
  'check character mismatch: expected H, got C': UdiErrorCode.HIBC_CHECK_CHARACTER,
  'compound message declares 5 data structures but contains 4': UdiErrorCode.COMPOUND_COUNT,
  'PPIC FIN(P) contains letter O (not allowed)': UdiErrorCode.BAD_CHARACTER,
};

/** Words of the vector's error description our message must also contain. */
const MESSAGE_PARTS: Record<string, string[]> = {
  'non-numeric Application Identifier "AB"': ['non-numeric', '"AB"'],
  'AI 10 value is 21 chars; max 20': ['(10)', '21', '20'],
  'AI 01 value longer than 14 digits': ['(01)', 'longer than 14 digits'],
  '15 is not a valid path qualifier for GTIN (allowed: 22, 10, 21 or 235)': ['15 is not a valid path qualifier'],
  'check character mismatch: expected H, got C': ['check character mismatch: expected H, got C'],
  'compound message declares 5 data structures but contains 4': ['declares 5 data structures but contains 4'],
  'PPIC FIN(P) contains letter O (not allowed)': ['FIN(P)', 'letter O'],
};

const FIELD_MAP: Record<string, keyof Udi> = {
  lot: 'lotNumber',
  serial: 'serialNumber',
};

const AGENCY: Record<string, string> = { gs1: 'GS1', 'gs1-digital-link': 'GS1', hibcc: 'HIBCC', iccbba: 'ICCBBA' };

const opts = { referenceDate: '2026-01-01' };

describe('shared UDI vectors (test/fixtures/udi/udi-vectors.json)', () => {
  it('has vectors for every format', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(30);
    expect(new Set(vectors.map((v) => v.format))).toEqual(new Set(['gs1', 'gs1-digital-link', 'hibcc', 'iccbba', 'invalid']));
  });

  for (const [i, v] of vectors.entries()) {
    it(`#${i} ${v.format}: ${JSON.stringify(v.input).slice(0, 70)}`, () => {
      const r = parseUdi(v.input, opts);
      if (v.format === 'invalid') {
        const desc = v.expected.error as string;
        expect(r.ok, JSON.stringify(r)).toBe(false);
        if (r.ok) return;
        expect(r.error.code).toBe(ERROR_CODES[desc]);
        for (const part of MESSAGE_PARTS[desc] ?? []) expect(r.error.message).toContain(part);
        return;
      }
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (!r.ok) return;
      const u = r.udi;
      expect(u.issuingAgency).toBe(AGENCY[v.format]);
      expect(u.udi).toBe(v.input);
      for (const [key, want] of Object.entries(v.expected)) {
        switch (key) {
          case 'bestBeforeDate':
            expect(u.elements.find((e) => e.id === '15')?.date).toBe(want);
            break;
          case 'ai':
            for (const [ai, value] of Object.entries(want as Record<string, string>)) {
              expect(u.elements.find((e) => e.id === ai)?.value).toBe(value);
            }
            break;
          default: {
            const field = FIELD_MAP[key] ?? (key as keyof Udi);
            expect(u[field], key).toEqual(want);
          }
        }
      }
      // Fields the vector does not name must be absent (no invented PI).
      for (const f of ['lotNumber', 'serialNumber', 'expirationDate', 'manufacturingDate'] as const) {
        const vkey = f === 'lotNumber' ? 'lot' : f === 'serialNumber' ? 'serial' : f;
        if (!(vkey in v.expected)) expect(u[f], f).toBeUndefined();
      }
    });
  }
});

describe('AccessGUDID documentation examples (§1.3 of the reference)', () => {
  it('parses the corrected ICCBBA parse_udi example like AccessGUDID does', () => {
    const r = parseUdi('=/A9999XYZ100T0944=,000025=A99971312345600=>014032=}013032&,1000000000000XYZ123');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.udi).toMatchObject({
      issuingAgency: 'ICCBBA',
      di: 'A9999XYZ100T0944',
      labelerCode: 'A9999',
      serialNumber: '000025',
      donationId: 'A99971312345600',
      expirationDate: '2014-02-01',
      expirationDateOriginal: '014032',
      expirationDateOriginalFormat: 'YYYJJJ',
      manufacturingDate: '2013-02-01',
      manufacturingDateOriginal: '013032',
      lotNumber: '000000000000XYZ123',
    });
  });

  it('rejects the 14-character "PPIC" that AccessGUDID parses leniently', () => {
    const r = parseUdi('=/08717648200274=,000025=A99971312345600=>014032=}013032&,1000000000000XYZ123');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(UdiErrorCode.BAD_LENGTH);
    expect(r.error.message).toContain('must be 16 characters; found 14');
    expect(r.error.position).toBe(2);
  });

  it('rejects the GS1 example whose GTIN check digit is wrong (AccessGUDID accepts it)', () => {
    const r = parseUdi('(01)00208851107345(17)150331');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(UdiErrorCode.GTIN_CHECK_DIGIT);
    expect(r.error.message).toContain('check digit 5, expected 7');
    expect(parseUdi('(01)00208851107347(17)150331', opts)).toMatchObject({
      ok: true,
      udi: { di: '00208851107347', expirationDate: '2015-03-31', expirationDateOriginal: '150331', expirationDateOriginalFormat: 'YYMMDD' },
    });
  });
});
