// GS1 element strings, HRI, symbology identifiers and the AI table.
// Vectors in this file are constructed by us from the GS1 General Specifications rules (check digits
// computed by hand / by the independent helper in this file), unless a comment names another source.
import { describe, expect, it } from 'vitest';
import { fail, ok } from './helpers.js';
import { AI_ENTRIES, lookupAi, parseUdi, UdiErrorCode as E, UdiWarningCode as W } from '../../../lib/udi/index.js';

const GS = '\x1d';
const opts = { referenceDate: '2026-06-15' };


describe('GS1 raw element strings', () => {
  it('parses fixed-length AIs without separators and variable ones ended by GS', () => {
    const u = ok(parseUdi(`0109520123456788171503311012AB${GS}21SER-9/X`, opts));
    expect(u).toMatchObject({
      issuingAgency: 'GS1',
      syntax: 'gs1-element-string',
      di: '09520123456788',
      expirationDate: '2015-03-31',
      expirationDateOriginal: '150331',
      expirationDateOriginalFormat: 'YYMMDD',
      lotNumber: '12AB',
      serialNumber: 'SER-9/X',
      normalized: '(01)09520123456788(17)150331(10)12AB(21)SER-9/X',
      labelerCode: undefined,
    });
    expect(u.elements.map((e) => e.id)).toEqual(['01', '17', '10', '21']);
    expect(u.elements[1]).toEqual({ id: '17', name: 'USE BY OR EXPIRY', value: '150331', date: '2015-03-31' });
    expect(u.warnings).toEqual([]);
  });

  it('tolerates leading, trailing and doubled GS (FNC1) characters and a superfluous GS after a fixed-length AI', () => {
    const u = ok(parseUdi(`${GS}0109520123456788${GS}10LOT1${GS}${GS}11250101${GS}`, opts));
    expect(u).toMatchObject({ di: '09520123456788', lotNumber: 'LOT1', manufacturingDate: '2025-01-01' });
  });

  it.each([
    [']C1', 'GS1-128'],
    [']d2', 'GS1 DataMatrix'],
    [']Q3', 'GS1 QR Code'],
    [']e0', 'GS1 DataBar'],
    [']J1', 'GS1 DotCode'],
  ])('accepts the symbology identifier %s (%s)', (sym) => {
    const u = ok(parseUdi(`${sym}0109520123456788${GS}10A`, opts));
    expect(u.symbologyIdentifier).toBe(sym);
    expect(u.di).toBe('09520123456788');
    expect(u.lotNumber).toBe('A');
  });

  it('treats a 14-digit string after a GS1 symbology identifier as an element string, not a bare GTIN', () => {
    // ]C1 + 14 digits = AI 01 with only 12 digits: must not silently become a GTIN
    expect(fail(parseUdi(']C10195201234567', opts)).code).toBe(E.BAD_LENGTH);
    expect(parseUdi('0195201234567', opts).ok).toBe(false); // 13 digits: a (bad) bare GTIN-13 without ]C1
  });

  it('strips scanner CR/LF suffixes and leading whitespace', () => {
    expect(ok(parseUdi(`  0109520123456788\r\n`, opts)).di).toBe('09520123456788');
  });

  it('reports a bad GTIN check digit with the expected digit and position', () => {
    const e = fail(parseUdi('0109520123456787', opts));
    expect(e.code).toBe(E.GTIN_CHECK_DIGIT);
    expect(e.message).toBe('AI (01) GTIN: GTIN 09520123456787 has check digit 7, expected 8');
    expect(e.position).toBe(15);
  });

  it('checks the mod-10 check digit of other keys (SSCC) with CHECK_DIGIT', () => {
    // SSCC 106141411234567897 (check 7), constructed
    expect(ok(parseUdi('00106141411234567897', opts)).elements[0]?.id).toBe('00');
    expect(fail(parseUdi('00106141411234567898', opts)).code).toBe(E.CHECK_DIGIT);
  });

  it('rejects a fixed-length value cut short by a GS or the end of data', () => {
    const e1 = fail(parseUdi(`0109520123456788171503${GS}10A`, opts));
    expect(e1.code).toBe(E.BAD_LENGTH);
    expect(e1.message).toContain('AI (17)');
    expect(e1.message).toContain('exactly 6');
    const e2 = fail(parseUdi('010952012345678', opts));
    expect(e2.code).toBe(E.BAD_LENGTH);
  });

  it('rejects a variable-length value longer than its maximum', () => {
    const e = fail(parseUdi(`0109520123456788${'10'}${'A'.repeat(21)}`, opts));
    expect(e.code).toBe(E.BAD_LENGTH);
    expect(e.message).toBe('AI (10) BATCH/LOT: value is 21 characters long; the maximum is 20');
  });

  it('rejects an empty variable-length value', () => {
    expect(fail(parseUdi(`0109520123456788${GS}10${GS}21A`, opts)).code).toBe(E.BAD_LENGTH);
  });

  it('rejects characters outside CSET 82 with their position', () => {
    const e = fail(parseUdi('010952012345678810LOT é', opts));
    expect(e.code).toBe(E.BAD_CHARACTER);
    expect(e.position).toBe(21);
    expect(e.message).toContain("' ' (U+0020)");
    expect(e.message).toContain('CSET 82');
  });

  it('rejects a non-digit in a numeric AI', () => {
    expect(fail(parseUdi('01095201234567A8', opts)).code).toBe(E.BAD_CHARACTER);
    expect(fail(parseUdi('0109520123456788301A', opts)).code).toBe(E.BAD_CHARACTER);
  });

  it('enforces CSET 39 (AI 8010) and CSET 64 (AI 8030)', () => {
    expect(ok(parseUdi(`0109520123456788${'8010'}AB-12#/`, opts)).elements[1]?.value).toBe('AB-12#/');
    expect(fail(parseUdi('01095201234567888010ab', opts)).code).toBe(E.BAD_CHARACTER);
    expect(ok(parseUdi('01095201234567888030AbC-_x==', opts)).elements[1]?.value).toBe('AbC-_x==');
    expect(fail(parseUdi('01095201234567888030Ab=C', opts)).code).toBe(E.BAD_CHARACTER);
    expect(fail(parseUdi('01095201234567888030A+b', opts)).code).toBe(E.BAD_CHARACTER);
  });

  it('rejects unknown and non-numeric AIs', () => {
    const e = fail(parseUdi('010952012345678823A', opts));
    expect(e.code).toBe(E.UNKNOWN_AI);
    expect(e.message).toContain("'23A'");
    expect(fail(parseUdi('0109520123456788X', opts)).code).toBe(E.UNKNOWN_AI);
  });

  it('parses 3- and 4-digit AIs from the full table (240, 3103, 7003, 8006, 253, 391n)', () => {
    // ITIP 8006: GTIN 09520123456788 + piece 01 + total 02; GDTI 253: GLN-13 9520123456788 + serial
    const raw = `01095201234567883103000195${'240'}REF-1${GS}7003250101123${'0'}${GS}8006095201234567880102${GS}2539520123456788ABC${GS}3912978123`;
    const u = ok(parseUdi(raw, opts));
    expect(u.elements.map((e) => [e.id, e.value])).toEqual([
      ['01', '09520123456788'],
      ['3103', '000195'],
      ['240', 'REF-1'],
      ['7003', '2501011230'],
      ['8006', '095201234567880102'],
      ['253', '9520123456788ABC'],
      ['3912', '978123'],
    ]);
    expect(u.elements.find((e) => e.id === '7003')?.date).toBe('2025-01-01');
  });

  it('validates the time part of date-time AIs and optional components', () => {
    expect(fail(parseUdi(`01095201234567887003250101246${'0'}`, opts)).code).toBe(E.INVALID_DATE);
    expect(ok(parseUdi('01095201234567887007250101', opts)).elements[1]?.value).toBe('250101');
    expect(ok(parseUdi('01095201234567887007250101250131', opts)).elements[1]?.value).toBe('250101250131');
    expect(fail(parseUdi('0109520123456788700725010125', opts)).code).toBe(E.BAD_LENGTH);
  });

  it('parses a greedy variable-length value when the GS is missing (biip behaviour)', () => {
    // jodal/biip test_gs1_messages.py: lot swallows the following (15)210526
    expect(ok(parseUdi('010703206980498810032915210526', opts)).lotNumber).toBe('032915210526');
  });
});

describe('GS1 dates', () => {
  it('maps DD = 00 to the last day of the month with a DAY_NOT_SPECIFIED warning', () => {
    const u = ok(parseUdi('010952012345678817240200', opts));
    expect(u.expirationDate).toBe('2024-02-29');
    expect(u.expirationDateOriginal).toBe('240200');
    expect(u.warnings.map((w) => w.code)).toEqual([W.DAY_NOT_SPECIFIED]);
    expect(ok(parseUdi('010952012345678817211200', opts)).expirationDate).toBe('2021-12-31');
    expect(ok(parseUdi('010952012345678817230200', opts)).expirationDate).toBe('2023-02-28');
  });

  it('rejects impossible dates', () => {
    for (const d of ['231301', '230230', '230431', '000000', '239900', '230132']) {
      const e = fail(parseUdi(`0109520123456788${'17'}${d}`, opts));
      expect(e.code, d).toBe(E.INVALID_DATE);
      expect(e.message).toContain('AI (17)');
    }
    // 29 Feb only in leap years
    expect(ok(parseUdi('010952012345678817240229', opts)).expirationDate).toBe('2024-02-29');
    expect(fail(parseUdi('010952012345678817250229', opts)).code).toBe(E.INVALID_DATE);
  });

  it('resolves the century with the GS1 −49/+50-year window relative to the reference date', () => {
    const exp = (yy: string, ref: string) => ok(parseUdi(`0109520123456788${'17'}${yy}0101`, { referenceDate: ref })).expirationDate;
    expect(exp('76', '2026-06-15')).toBe('2076-01-01'); // +50
    expect(exp('77', '2026-06-15')).toBe('1977-01-01'); // −49
    expect(exp('99', '2026-06-15')).toBe('1999-01-01');
    expect(exp('99', '2060-01-01')).toBe('2099-01-01');
    expect(exp('10', '2090-01-01')).toBe('2110-01-01');
    expect(exp('40', '1990-01-01')).toBe('2040-01-01');
    expect(exp('41', '1990-01-01')).toBe('1941-01-01');
    // Date objects and timestamps are accepted too
    expect(ok(parseUdi('010952012345678817990101', { referenceDate: new Date(Date.UTC(2060, 0, 1)) })).expirationDate).toBe('2099-01-01');
    expect(ok(parseUdi('010952012345678817990101', { referenceDate: Date.UTC(2060, 0, 1) })).expirationDate).toBe('2099-01-01');
  });
});

describe('GS1 human-readable (HRI) form', () => {
  it('parses parenthesised AIs, tolerating spaces between elements', () => {
    const u = ok(parseUdi('(01) 09520123456788 (11)250115 (10)A(B)1 (21)X', opts));
    expect(u).toMatchObject({
      syntax: 'gs1-hri',
      di: '09520123456788',
      manufacturingDate: '2025-01-15',
      manufacturingDateOriginal: '250115',
      manufacturingDateOriginalFormat: 'YYMMDD',
      lotNumber: 'A(B)1',
      serialNumber: 'X',
    });
  });

  it('reports a too-long fixed-length value', () => {
    const e = fail(parseUdi('(01)095201234567880(10)A', opts));
    expect(e.code).toBe(E.BAD_LENGTH);
    expect(e.message).toContain('longer than 14 digits');
  });

  it('rejects unknown AIs and malformed parentheses', () => {
    expect(fail(parseUdi('(01)09520123456788(23)A', opts)).code).toBe(E.UNKNOWN_AI);
    expect(fail(parseUdi('(01', opts)).code).toBe(E.SYNTAX);
    expect(fail(parseUdi('(1)2', opts)).code).toBe(E.SYNTAX);
  });
});

describe('duplicates, missing DI, bare GTINs', () => {
  it('rejects the same AI twice with different values (DUPLICATE_AI)', () => {
    const e = fail(parseUdi(`0109520123456788${'10'}A${GS}10B`, opts));
    expect(e.code).toBe(E.DUPLICATE_AI);
    expect(e.message).toContain("AI (10) BATCH/LOT appears twice with different values ('A' and 'B')");
    expect(fail(parseUdi('(01)09520123456788(01)00614141123452', opts)).code).toBe(E.DUPLICATE_AI);
  });

  it('accepts the same AI twice with the same value, with a warning', () => {
    const u = ok(parseUdi('(01)09520123456788(17)250101(17)250101', opts));
    expect(u.warnings.map((w) => w.code)).toEqual([W.DUPLICATE_SAME_VALUE]);
  });

  it('warns about a missing DI by default and fails with requireDi', () => {
    const u = ok(parseUdi('(17)250101(10)A', opts));
    expect(u.di).toBeUndefined();
    expect(u.warnings.map((w) => w.code)).toContain(W.NO_DI);
    const e = fail(parseUdi('(17)250101(10)A', { ...opts, requireDi: true }));
    expect(e.code).toBe(E.MISSING_DI);
  });

  it.each([
    ['95201238', '00000095201238'], // GTIN-8 (check digit computed)
    ['614141123452', '00614141123452'], // GTIN-12
    ['9520123456788', '09520123456788'], // GTIN-13
    ['09520123456788', '09520123456788'],
  ])('parses the bare GTIN %s as DI %s', (input, di) => {
    const u = ok(parseUdi(input, opts));
    expect(u.syntax).toBe('gtin');
    expect(u.di).toBe(di);
    expect(u.warnings.some((w) => w.code === W.GTIN_PADDED)).toBe(input.length !== 14);
  });

  it('checks the bare GTIN check digit', () => {
    expect(fail(parseUdi('614141123453', opts)).code).toBe(E.GTIN_CHECK_DIGIT);
    expect(fail(parseUdi(']E09520123456787', opts)).code).toBe(E.GTIN_CHECK_DIGIT);
  });
});

describe('GS1 AI table', () => {
  it('covers the full AI list, not only the UDI AIs', () => {
    expect(AI_ENTRIES.length).toBeGreaterThan(400);
    for (const ai of ['00', '01', '02', '03', '10', '11', '17', '21', '22', '235', '240', '243', '254', '3103', '3929', '3955', '4300', '4330', '7003', '7040', '715', '7230', '7259', '8003', '8006', '8010', '8014', '8030', '8200', '90', '99']) {
      expect(lookupAi(ai), ai).toBeDefined();
    }
    expect(lookupAi('23')).toBeUndefined();
    expect(lookupAi('3106')).toBeUndefined();
  });

  it('knows which AIs have a predefined length (no FNC1 after them)', () => {
    for (const ai of ['00', '01', '02', '11', '17', '20', '3103', '3650', '410']) expect(lookupAi(ai)?.predefined, ai).toBe(true);
    for (const ai of ['10', '21', '22', '30', '37', '240', '422', '7003', '8006', '8020', '90']) expect(lookupAi(ai)?.predefined, ai).toBe(false);
  });

  it('records lengths and character sets', () => {
    expect(lookupAi('01')).toMatchObject({ minLength: 14, maxLength: 14 });
    expect(lookupAi('10')).toMatchObject({ minLength: 1, maxLength: 20 });
    expect(lookupAi('235')).toMatchObject({ minLength: 1, maxLength: 28 });
    expect(lookupAi('8006')).toMatchObject({ minLength: 18, maxLength: 18 });
    expect(lookupAi('253')).toMatchObject({ minLength: 13, maxLength: 30 });
    expect(lookupAi('8010')?.components[0]?.cset).toBe(2);
    expect(lookupAi('8030')?.components[0]?.cset).toBe(3);
  });
});
