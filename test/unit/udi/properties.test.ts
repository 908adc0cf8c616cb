// Property tests (fast-check) plus the public helpers: GTIN functions, formatUdi, decodeTypedSeparators.
// Generated UDIs are constructed by us; no timing assertions (behaviour only).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeTypedSeparators,
  formatUdi,
  gtinCheckDigit,
  HIBC_CHARSET,
  isbtMod37_2,
  isValidGtin,
  normalizeGtin14,
  parseUdi,
  UdiErrorCode as E,
  type FormatUdiInput,
} from '../../../lib/udi/index.js';

const opts = { referenceDate: '2026-01-01' };
const GS = '\x1d';

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const CSET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A valid GTIN-14 (check digit computed by an independent inline implementation). */
const gtin14 = digits(13, 13).map((body) => {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(body[12 - i]) * (i % 2 === 0 ? 3 : 1);
  return body + String((10 - (sum % 10)) % 10);
});

/** ISO dates whose 2-digit year round-trips through the ±50-year window around 2026. */
const isoDate = (minYear: number, maxYear: number) =>
  fc
    .record({ y: fc.integer({ min: minYear, max: maxYear }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
    .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);

const hibcInput = fc.record(
  {
    labelerCode: fc.tuple(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 3, maxLength: 3 })).map(([a, b]) => a + b),
    productCode: fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 1, maxLength: 18 }),
    unitOfMeasure: fc.integer({ min: 0, max: 9 }),
    lotNumber: fc.string({ unit: fc.constantFrom(...ALNUM, '-', '.'), minLength: 1, maxLength: 18 }),
    serialNumber: fc.string({ unit: fc.constantFrom(...ALNUM, '-', '.'), minLength: 1, maxLength: 18 }),
    expirationDate: isoDate(2000, 2075),
    manufacturingDate: isoDate(2000, 2075),
    quantity: fc.integer({ min: 0, max: 99999 }),
  },
  { requiredKeys: ['labelerCode', 'productCode', 'unitOfMeasure'] },
);

/** Characters likely to reach deep parser states. */
const interesting = fc.string({
  unit: fc.constantFrom(...'()0123456789+$/=&,>}%*.-ABCDEFGHIJOSQ ]dC12\x1d?#:%'.split(''), '<GS>', 'https://x/01/', '\u00e9', '\ud83d\ude00'),
  maxLength: 200,
});

describe('parseUdi never throws', () => {
  it('for arbitrary unicode strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), interesting), (s) => {
        const r = parseUdi(s, opts);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) {
          expect(Object.values(E)).toContain(r.error.code);
          expect(r.error.message.length).toBeGreaterThan(5);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('for strings built from well-formed prefixes and random tails', () => {
    const prefixes = ['01095201234567881', '(01)09520123456788(10)', '+A99912345/$$', '+A999123457+$', '=/A9997XYZ100T0479=', 'https://id.gs1.org/01/09520123456788/10/', ']d2010952012345678810'];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), interesting, (p, t) => {
        expect(() => parseUdi(p + t, opts)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('for 100 KB strings (TOO_LONG)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (s) => {
        const big = s + '0'.repeat(100_000);
        const r = parseUdi(big);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.code).toBe(E.TOO_LONG);
      }),
      { numRuns: 20 },
    );
  });
});

describe('adversarial inputs up to the 1024-character limit give the right answer', () => {
  it.each([
    ['many "(" in an HRI value', `(01)09520123456788(10)${'('.repeat(1000)}`, E.BAD_LENGTH],
    ['"(" followed by digits without ")"', '(' + '(10'.repeat(340), E.SYNTAX],
    ['a variable-length value with no GS', '10' + 'A'.repeat(1020), E.BAD_LENGTH],
    ['HIBC slashes', '+A99912345' + '/'.repeat(1000), E.HIBC_CHECK_CHARACTER],
    ['Digital Link with many /01/ segments (the GTIN is "01")', 'https://x.example/' + '01/'.repeat(330), E.BAD_LENGTH],
    ['Digital Link with a long qualifier chain', 'https://x.example/01/09520123456788' + '/10/A'.repeat(190), E.SYNTAX],
    ['ICCBBA identifiers only', '='.repeat(1024), E.UNKNOWN_DATA_STRUCTURE],
  ])('%s', (_name, input, code) => {
    expect(input.length).toBeLessThanOrEqual(1024);
    const r = parseUdi(input, opts);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  it('128 repeated identical date AIs: accepted once-per-AI warning, every element kept', () => {
    const input = '0109520123456788' + '11250101'.repeat(125);
    const r = parseUdi(input, opts);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.udi.elements).toHaveLength(126);
      expect(r.udi.warnings).toHaveLength(124);
    }
  });

  it('a maximal GS-separated string of lots is a DUPLICATE_AI at the second lot', () => {
    const input = '0109520123456788' + Array.from({ length: 100 }, (_, i) => `10L${i}`).join(GS);
    const r = parseUdi(input, opts);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(E.DUPLICATE_AI);
  });
});

describe('formatUdi / parseUdi round trips', () => {
  const gs1Input = fc.record(
    {
      di: gtin14,
      lotNumber: fc.string({ unit: fc.constantFrom(...CSET82), minLength: 1, maxLength: 20 }),
      serialNumber: fc.string({ unit: fc.constantFrom(...CSET82), minLength: 1, maxLength: 20 }),
      expirationDate: isoDate(1977, 2076),
      manufacturingDate: isoDate(1977, 2076),
    },
    { requiredKeys: ['di'] },
  );

  it('GS1 raw element strings (full CSET 82 values)', () => {
    fc.assert(
      fc.property(gs1Input, (x) => {
        const raw = formatUdi({ issuingAgency: 'GS1', ...x }, { style: 'raw' });
        const r = parseUdi(raw, opts);
        expect(r.ok, raw).toBe(true);
        if (!r.ok) return;
        expect(r.udi).toMatchObject({ issuingAgency: 'GS1', ...x });
        // and formatting the parsed result again gives the same string
        expect(formatUdi(r.udi, { style: 'raw' })).toBe(raw);
        expect(parseUdi(formatUdi(r.udi, { style: 'hri' }), opts).ok).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('GS1 HRI (values without "(", which would be ambiguous in HRI)', () => {
    fc.assert(
      fc.property(gs1Input.filter((x) => !`${x.lotNumber ?? ''}${x.serialNumber ?? ''}`.includes('(')), (x) => {
        const hri = formatUdi({ issuingAgency: 'GS1', ...x }, { style: 'hri' });
        const r = parseUdi(hri, opts);
        expect(r.ok, hri).toBe(true);
        if (r.ok) {
          expect(r.udi).toMatchObject(x);
          expect(r.udi.normalized).toBe(hri);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('HIBCC (computed check character)', () => {
    fc.assert(
      fc.property(
        hibcInput.filter((x) => !(x.lotNumber === undefined && x.serialNumber === undefined && x.expirationDate === undefined && (x.manufacturingDate !== undefined || x.quantity !== undefined))),
        (x) => {
          const s = formatUdi({ issuingAgency: 'HIBCC', ...x });
          const r = parseUdi(s, opts);
          expect(r.ok, s).toBe(true);
          if (!r.ok) return;
          expect(r.udi).toMatchObject({ ...x, di: x.labelerCode + x.productCode + x.unitOfMeasure });
          expect(r.udi.checkCharacter).toBe(s.slice(-1));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('ICCBBA structures from fields', () => {
    const u: FormatUdiInput = {
      issuingAgency: 'ICCBBA',
      di: 'A9999XYZ100T0944',
      serialNumber: '000025',
      donationId: 'A99971312345600',
      expirationDate: '2014-02-01',
      manufacturingDate: '2013-02-01',
      lotNumber: '000000000000XYZ123',
    };
    const s = formatUdi(u);
    expect(s).toBe('=/A9999XYZ100T0944=,000025=A99971312345600=>014032=}013032&,1000000000000XYZ123');
    expect(parseUdi(s)).toMatchObject({ ok: true, udi: u });
  });
});

describe('single-character substitutions are caught', () => {
  it('any substituted digit in a GTIN (incl. the check digit)', () => {
    fc.assert(
      fc.property(gtin14, fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 9 }), (g, pos, delta) => {
        const d = String((Number(g[pos]) + delta) % 10);
        const bad = g.slice(0, pos) + d + g.slice(pos + 1);
        for (const input of [`01${bad}`, `(01)${bad}`, `https://id.gs1.org/01/${bad}`, bad]) {
          const r = parseUdi(input, opts);
          expect(r.ok, input).toBe(false);
          if (!r.ok) expect(r.error.code).toBe(E.GTIN_CHECK_DIGIT);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('any other HIBC character in place of the check character', () => {
    fc.assert(
      fc.property(hibcInput.filter((x) => x.lotNumber !== undefined || x.serialNumber !== undefined || x.expirationDate !== undefined || (x.manufacturingDate === undefined && x.quantity === undefined)), fc.integer({ min: 1, max: 42 }), (x, delta) => {
        const s = formatUdi({ issuingAgency: 'HIBCC', ...x });
        const c = HIBC_CHARSET[(HIBC_CHARSET.indexOf(s.slice(-1)) + delta) % 43] as string;
        const r = parseUdi(s.slice(0, -1) + c, opts);
        expect(r.ok, s.slice(0, -1) + c).toBe(false);
        if (!r.ok) expect([E.HIBC_CHECK_CHARACTER, E.SYNTAX, E.BAD_LENGTH]).toContain(r.error.code);
      }),
      { numRuns: 1000 },
    );
  });

  it('any substituted character of a DIN with type-3 (checksum) flags, and any other checksum flag', () => {
    const finChar = fc.constantFrom(...'ABCDEFGHIJKLMNPQRSTUVWXYZ0123456789');
    const din = fc
      .tuple(fc.string({ unit: finChar, minLength: 5, maxLength: 5 }), digits(8, 8))
      .map(([fin, rest]) => fin + rest);
    fc.assert(
      fc.property(din, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 34 }), fc.integer({ min: 1, max: 36 }), (d, pos, delta, fdelta) => {
        const flags = String(60 + isbtMod37_2(d));
        const good = parseUdi(`=${d}${flags}`, opts);
        expect(good).toMatchObject({ ok: true, udi: { din: d, dinFlags: flags, dinChecksumValid: true } });
        const alphabet = pos < 5 ? 'ABCDEFGHIJKLMNPQRSTUVWXYZ0123456789' : '0123456789';
        const i = alphabet.indexOf(d[pos] as string);
        const sub = alphabet[(i + (pos < 5 ? delta : (delta % 9) + 1)) % alphabet.length] as string;
        const bad = d.slice(0, pos) + sub + d.slice(pos + 1);
        const r1 = parseUdi(`=${bad}${flags}`, opts);
        expect(r1.ok, bad).toBe(false);
        if (!r1.ok) expect(r1.error.code).toBe(E.DIN_CHECKSUM);
        const otherFlags = String(60 + ((isbtMod37_2(d) + fdelta) % 37));
        const r2 = parseUdi(`=${d}${otherFlags}`, opts);
        expect(r2.ok).toBe(false);
        if (!r2.ok) expect(r2.error.code).toBe(E.DIN_CHECKSUM);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('GTIN helpers', () => {
  it('gtinCheckDigit / isValidGtin / normalizeGtin14', () => {
    expect(gtinCheckDigit('0952012345678')).toBe(8);
    expect(gtinCheckDigit('0020885110734')).toBe(7);
    expect(gtinCheckDigit('')).toBeUndefined();
    expect(gtinCheckDigit('12a')).toBeUndefined();
    expect(isValidGtin('09520123456788')).toBe(true);
    expect(isValidGtin('9520123456788')).toBe(true);
    expect(isValidGtin('614141123452')).toBe(true);
    expect(isValidGtin('95201238')).toBe(true);
    expect(isValidGtin('09520123456787')).toBe(false);
    expect(isValidGtin('0952012345678')).toBe(false);
    expect(isValidGtin('1234567890')).toBe(false);
    expect(normalizeGtin14('614141123452')).toBe('00614141123452');
    expect(normalizeGtin14('95201238')).toBe('00000095201238');
    expect(normalizeGtin14('09520123456788')).toBe('09520123456788');
    expect(normalizeGtin14('09520123456787')).toBeUndefined();
    expect(normalizeGtin14(' 9520123456788')).toBeUndefined();
  });

  it('normalizeGtin14 agrees with isValidGtin for random digit strings', () => {
    fc.assert(
      fc.property(digits(0, 16), (s) => {
        const n = normalizeGtin14(s);
        expect(n !== undefined).toBe(isValidGtin(s));
        if (n !== undefined) {
          expect(n).toHaveLength(14);
          expect(n.endsWith(s)).toBe(true);
        }
      }),
    );
  });
});

describe('decodeTypedSeparators', () => {
  it.each(['\\u001d', '\\u001D', '\\x1d', '\\x1D', '<GS>', '<gs>', '{GS}', '[GS]', '<FNC1>', '{FNC1}', '^]', '\u241d'])('turns %s into \\x1d', (token) => {
    expect(decodeTypedSeparators(`0109520123456788${'10'}A${token}21B`)).toBe(`0109520123456788${'10'}A${GS}21B`);
  });

  it('leaves other text alone and makes typed input parseable', () => {
    expect(decodeTypedSeparators('(01)09520123456788')).toBe('(01)09520123456788');
    const r = parseUdi(decodeTypedSeparators('0109520123456788' + '10A<GS>21B'), opts);
    expect(r).toMatchObject({ ok: true, udi: { lotNumber: 'A', serialNumber: 'B' } });
  });
});

describe('formatUdi details', () => {
  it('puts GS only after variable-length values that are not last', () => {
    expect(formatUdi({ issuingAgency: 'GS1', di: '09520123456788', expirationDate: '2027-01-31', lotNumber: 'A', serialNumber: 'B' }, { style: 'raw' })).toBe(
      `0109520123456788${'17'}270131${'10'}A${GS}21B`,
    );
    expect(formatUdi({ issuingAgency: 'GS1', di: '09520123456788', lotNumber: 'A' })).toBe('(01)09520123456788(10)A');
  });

  it('keeps the original DD=00 date text of a parsed UDI', () => {
    const r = parseUdi('(01)09520123456788(17)270200', opts);
    expect(r.ok && formatUdi(r.udi)).toBe('(01)09520123456788(17)270200');
  });

  it('computes the HIBC check character', () => {
    expect(formatUdi({ issuingAgency: 'HIBCC', di: 'A99912345' })).toBe('+A999123457');
    expect(formatUdi({ issuingAgency: 'HIBCC', di: 'A99912345', lotNumber: 'LOT1' })).toMatch(/^\+A99912345\/\$\$7LOT1.$/);
  });
});
