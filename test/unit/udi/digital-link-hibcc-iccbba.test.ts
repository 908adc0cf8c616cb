// GS1 Digital Link, HIBCC and ICCBBA structures. Vectors here are constructed by us from the standards'
// rules (HIBC mod-43 check characters and ISBT mod 37-2 checksums computed), unless a comment names a source.
import { describe, expect, it } from 'vitest';
import { fail, ok } from './helpers.js';
import { hibcCheckCharacter, isbtMod37_2, parseUdi, UdiErrorCode as E, UdiWarningCode as W } from '../../../lib/udi/index.js';

const opts = { referenceDate: '2026-01-01' };
/** Append the HIBC check character. */
const h = (data: string): string => data + (hibcCheckCharacter(data) as string);

describe('GS1 Digital Link', () => {
  it('parses any domain and path stem, qualifiers 22/10/21 in order, and query AIs', () => {
    const u = ok(parseUdi('https://brand.example.org/a/b/01/09520123456788/22/V1/10/LOT%2F7/21/S%2DN?17=270131&11=250101&linkType=gs1:pip#frag', opts));
    expect(u).toMatchObject({
      syntax: 'gs1-digital-link',
      di: '09520123456788',
      lotNumber: 'LOT/7',
      expirationDate: '2027-01-31',
      manufacturingDate: '2025-01-01',
      normalized: '(01)09520123456788(22)V1(10)LOT/7(21)S-N(17)270131(11)250101',
    });
  });

  it('rejects a space (not CSET 82) in a percent-decoded value', () => {
    expect(fail(parseUdi('https://x.example/01/09520123456788/21/S%20N', opts)).code).toBe(E.BAD_CHARACTER);
  });

  it('pads GTIN-8/12/13 to 14 digits and validates the check digit', () => {
    expect(ok(parseUdi('HTTP://id.gs1.org/01/95201238', opts)).di).toBe('00000095201238');
    expect(ok(parseUdi('https://id.gs1.org/01/9520123456788', opts)).di).toBe('09520123456788');
    expect(fail(parseUdi('https://id.gs1.org/01/9520123456787', opts)).code).toBe(E.GTIN_CHECK_DIGIT);
    expect(fail(parseUdi('https://id.gs1.org/01/952012345678', opts)).code).toBe(E.GTIN_CHECK_DIGIT);
    expect(fail(parseUdi('https://id.gs1.org/01/95201234567', opts)).code).toBe(E.BAD_LENGTH);
    expect(fail(parseUdi('https://id.gs1.org/01/9520123456A88', opts)).code).toBe(E.BAD_CHARACTER);
  });

  it('rejects qualifiers out of order, unknown qualifiers and odd segment counts', () => {
    const e = fail(parseUdi('https://id.gs1.org/01/09520123456788/21/S1/10/L1', opts));
    expect(e.code).toBe(E.SYNTAX);
    expect(e.message).toContain('path qualifier 10 cannot follow 21');
    expect(fail(parseUdi('https://id.gs1.org/01/09520123456788/235/T/21/S', opts)).code).toBe(E.SYNTAX);
    expect(fail(parseUdi('https://id.gs1.org/01/09520123456788/10', opts)).code).toBe(E.SYNTAX);
    expect(ok(parseUdi('https://id.gs1.org/01/09520123456788/235/TPX-1', opts)).elements[1]).toMatchObject({ id: '235', value: 'TPX-1' });
  });

  it('validates query AIs (impossible dates, unknown AIs, duplicates with the path)', () => {
    expect(fail(parseUdi('https://id.gs1.org/01/09520123456788?17=251341', opts)).code).toBe(E.INVALID_DATE);
    expect(fail(parseUdi('https://id.gs1.org/01/09520123456788?23=1', opts)).code).toBe(E.UNKNOWN_AI);
    expect(fail(parseUdi('https://id.gs1.org/01/09520123456788/10/A?10=B', opts)).code).toBe(E.DUPLICATE_AI);
    expect(fail(parseUdi('https://id.gs1.org/01/09520123456788?17=25%ZZ', opts)).code).toBe(E.BAD_CHARACTER);
    const u = ok(parseUdi('https://id.gs1.org/01/09520123456788?foo=bar', opts));
    expect(u.warnings.map((w) => w.code)).toEqual([W.IGNORED_PARAMETER]);
  });

  it('rejects URLs that are not Digital Links for a trade item', () => {
    expect(fail(parseUdi('https://example.com/products/123', opts)).code).toBe(E.UNKNOWN_FORMAT);
    expect(fail(parseUdi('https:///01/09520123456788', opts)).code).toBe(E.SYNTAX);
    expect(fail(parseUdi('ftp://id.gs1.org/01/09520123456788', opts)).code).toBe(E.UNKNOWN_FORMAT);
  });
});

describe('HIBCC', () => {
  it('parses a primary data structure alone (LIC, PCN, U, check character)', () => {
    // +A99912345 → check 7 (mod 43), constructed
    const u = ok(parseUdi('+A999123457', opts));
    expect(u).toMatchObject({ issuingAgency: 'HIBCC', di: 'A99912345', labelerCode: 'A999', productCode: '1234', unitOfMeasure: 5, checkCharacter: '7' });
    expect(u.elements.map((e) => e.id)).toEqual(['LIC', 'PCN', 'U', 'CHECK']);
    expect(fail(parseUdi('+A999123458', opts)).code).toBe(E.HIBC_CHECK_CHARACTER);
  });

  it('handles non-alphanumeric check characters (space, $, /, +, %, -, .)', () => {
    for (const x of ['+B1234991 ', '+B1235991$', '+B1236991/', '+B1237991+', '+B1238991%', '+B1232991-', '+B1233991.']) {
      expect(ok(parseUdi(x, opts)).di, JSON.stringify(x)).toBe(x.slice(1, -1));
    }
  });

  it('parses $ (lot), $+ (serial), $$ and $$+ with every date flag', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['+A99912345/$+SER123', { serialNumber: 'SER123', lotNumber: undefined }],
      ['+A99912345/$$+3260831SER123', { serialNumber: 'SER123', expirationDate: '2026-08-31', expirationDateOriginalFormat: 'YYMMDD' }],
      ['+A99912345/$$0526LOT1', { lotNumber: 'LOT1', expirationDate: '2026-05-31', expirationDateOriginal: '0526', expirationDateOriginalFormat: 'MMYY' }],
      ['+A99912345/$$2083126LOT1', { lotNumber: 'LOT1', expirationDate: '2026-08-31', expirationDateOriginalFormat: 'MMDDYY' }],
      ['+A99912345/$$426083114LOT1', { lotNumber: 'LOT1', expirationDate: '2026-08-31', expirationDateOriginalFormat: 'YYMMDDHH' }],
      ['+A99912345/$$52436623LOT1', { lotNumber: '23LOT1', expirationDate: '2024-12-31', expirationDateOriginalFormat: 'YYJJJ' }],
      ['+A99912345/$$62436623LOT1', { lotNumber: 'LOT1', expirationDate: '2024-12-31', expirationDateOriginalFormat: 'YYJJJHH' }],
      ['+A99912345/$$7LOT1', { lotNumber: 'LOT1', expirationDate: undefined }],
      ['+A99912345/$$8053260831LOT1', { lotNumber: 'LOT1', quantity: 5, expirationDate: '2026-08-31' }],
      ['+A99912345/$$+9001007SER1', { serialNumber: 'SER1', quantity: 100 }],
      ['+A99912345/$LOT1/Q25', { lotNumber: 'LOT1', quantity: 25 }],
      ['+A99912345/$$7LOT1/S77/16D20250102/14D20270203', { lotNumber: 'LOT1', serialNumber: '77', manufacturingDate: '2025-01-02', expirationDate: '2027-02-03' }],
    ];
    for (const [data, want] of cases) {
      expect(ok(parseUdi(h(data), opts)), data).toMatchObject({ di: 'A99912345', ...want });
    }
    expect(ok(parseUdi(h('+A99912345/$$0526LOT1'), opts)).warnings.map((w) => w.code)).toEqual([W.MONTH_ONLY_DATE]);
  });

  it('parses the two-symbol form and checks the link character', () => {
    // primary +A999123457 (check 7); secondary +$$3260831LOT1 + link 7 + check
    const sec = h('+$$3260831LOT17');
    for (const sep of ['', '\n', '\r\n', ' ']) {
      const u = ok(parseUdi('+A999123457' + sep + sec, opts));
      expect(u).toMatchObject({ di: 'A99912345', lotNumber: 'LOT1', expirationDate: '2026-08-31', linkCharacter: '7' });
    }
    const bad = fail(parseUdi('+A999123457' + h('+$$3260831LOT1Z'), opts));
    expect(bad.code).toBe(E.HIBC_LINK_MISMATCH);
    expect(bad.message).toContain("link character 'Z' does not match the primary's check character '7'");
  });

  it('accepts a secondary symbol alone with warnings (no DI, link not verified)', () => {
    const u = ok(parseUdi(h('+$$3260831LOT17'), opts));
    expect(u.di).toBeUndefined();
    expect(u.warnings.map((w) => w.code)).toEqual([W.LINK_NOT_VERIFIED, W.NO_DI]);
    expect(fail(parseUdi(h('+$$3260831LOT17'), { ...opts, requireDi: true })).code).toBe(E.MISSING_DI);
  });

  it('parses the superseded Julian secondary (5-digit YYJJJ)', () => {
    // day 330 of 2025 = 2025-11-26
    const u = ok(parseUdi(h('+A99912345/25330LOT1'), opts));
    expect(u).toMatchObject({ lotNumber: 'LOT1', expirationDate: '2025-11-26', expirationDateOriginalFormat: 'YYJJJ' });
    expect(u.warnings.map((w) => w.code)).toEqual([W.SUPERSEDED_FORMAT]);
    expect(ok(parseUdi('+A999123457' + h('+25330BC345677'), opts)).lotNumber).toBe('BC34567');
  });

  it('tolerates Code 39 asterisks and symbology identifiers', () => {
    expect(ok(parseUdi('*+A999123457*', opts)).di).toBe('A99912345');
    expect(ok(parseUdi(']d1+A999123457', opts)).symbologyIdentifier).toBe(']d1');
    expect(ok(parseUdi(']A0+A999123457', opts)).di).toBe('A99912345');
  });

  it('rejects provider-application codes, bad structures, dates and lengths', () => {
    const p = fail(parseUdi('+/PATIENT123X', opts));
    expect(p.code).toBe(E.HIBC_PROVIDER_CODE);
    expect(p.message).toContain('Provider Applications');
    expect(fail(parseUdi(h('+A99912345/$$3260230LOT1'), opts)).code).toBe(E.INVALID_DATE);
    expect(fail(parseUdi(h('+A99912345/$$1326LOT1'), opts)).code).toBe(E.INVALID_DATE);
    expect(fail(parseUdi(h('+A99912345/$$5253661'), opts)).code).toBe(E.INVALID_DATE);
    expect(fail(parseUdi(h('+A99912345/$' + 'L'.repeat(19)), opts)).code).toBe(E.BAD_LENGTH);
    expect(fail(parseUdi(h('+A99912345/$$7'), opts)).code).toBe(E.BAD_LENGTH);
    expect(fail(parseUdi(h('+A99912345/$LOT/X1'), opts)).code).toBe(E.SYNTAX);
    expect(fail(parseUdi(h('+A999/$LOT'), opts)).code).toBe(E.BAD_LENGTH);
    expect(fail(parseUdi(h('+A9991234X/$LOT'), opts)).code).toBe(E.BAD_CHARACTER);
    expect(fail(parseUdi('+a999123457', opts)).code).toBe(E.SYNTAX);
    expect(fail(parseUdi('+A99912345/$lot!', opts)).code).toBe(E.BAD_CHARACTER);
  });
});

describe('ICCBBA ISBT 128', () => {
  it('computes the ISO 7064 mod 37-2 checksum (ST-001 example G123417654321 → 10)', () => {
    expect(isbtMod37_2('G123417654321')).toBe(10);
  });

  it('validates type-3 DIN flag checksums', () => {
    const u = ok(parseUdi('=G12341765432170', opts));
    expect(u).toMatchObject({ donationId: 'G12341765432170', din: 'G123417654321', dinFlags: '70', dinChecksumValid: true });
    const e = fail(parseUdi('=G12341765432171', opts));
    expect(e.code).toBe(E.DIN_CHECKSUM);
    expect(e.message).toContain('mod 37-2 gives 10');
    // flags 00 (no checksum): accepted, not verified
    expect(ok(parseUdi('=G12341765432100', opts)).dinChecksumValid).toBeUndefined();
  });

  it('parses date-time structures and rejects impossible days of year', () => {
    const u = ok(parseUdi('=/A9997XYZ100T0479&>0253651230', opts));
    expect(u.elements[1]).toMatchObject({ id: '&>', value: '0253651230', date: '2025-12-31' });
    expect(fail(parseUdi('=/A9997XYZ100T0479=>025366', opts)).code).toBe(E.INVALID_DATE);
    expect(ok(parseUdi('=/A9997XYZ100T0479=>024366', opts)).expirationDate).toBe('2024-12-31');
    expect(fail(parseUdi('=/A9997XYZ100T0479=>024000', opts)).code).toBe(E.INVALID_DATE);
  });

  it('rejects unknown data identifiers, bad characters, duplicates and misplaced compound headers', () => {
    expect(fail(parseUdi('=/A9997XYZ100T0479=#12', opts)).code).toBe(E.UNKNOWN_DATA_STRUCTURE);
    expect(fail(parseUdi('=/A9997XYZ100T04a9', opts)).code).toBe(E.BAD_CHARACTER);
    expect(fail(parseUdi('=/A9997XYZ100T0479=/A9997XYZ100T0480', opts)).code).toBe(E.DUPLICATE_AI);
    expect(fail(parseUdi('=/A9997XYZ100T0479=+01000', opts)).code).toBe(E.SYNTAX);
    expect(fail(parseUdi('=,00001', opts)).code).toBe(E.BAD_LENGTH);
  });
});

describe('format detection', () => {
  it.each([
    ['', E.EMPTY],
    ['   \r\n', E.EMPTY],
    [']d2', E.EMPTY],
    ['x'.repeat(1025), E.TOO_LONG],
    ['hello', E.UNKNOWN_FORMAT],
    [']x', E.UNKNOWN_FORMAT],
    ['*A99*', E.UNKNOWN_FORMAT],
  ])('%j → %s', (input, code) => {
    expect(fail(parseUdi(input)).code).toBe(code);
  });

  it('never throws for non-string input either', () => {
    expect(fail(parseUdi(undefined as unknown as string)).code).toBe(E.UNKNOWN_FORMAT);
    expect(fail(parseUdi(42 as unknown as string)).code).toBe(E.UNKNOWN_FORMAT);
  });
});
