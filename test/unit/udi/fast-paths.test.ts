// The scanners' fast paths (element strings parsed in one pass, Digital Link scanned without URL parsing)
// hand anything unusual to the general path; these cases sit on that boundary. Vectors constructed by us.
import { describe, expect, it } from 'vitest';
import { fail, ok } from './helpers.js';
import { AI_ENTRIES, parseUdi, UdiErrorCode as E, UdiWarningCode as W } from '../../../lib/udi/index.js';

const GS = '\x1d';
const opts = { referenceDate: '2026-01-01' };

/** 70 distinct predefined-length N6 measure AIs (31nn…36nn). */
const MEASURES = AI_ENTRIES.filter((e) => e.predefined && e.ai.length === 4 && e.minLength === 6 && e.maxLength === 6)
  .slice(0, 70)
  .map((e) => e.ai);

describe('element-string fast path boundaries', () => {
  it('more than four elements keep input order, the HRI and the mapped fields', () => {
    const u = ok(parseUdi(`0109520123456788${'11'}250101${'17'}270131${'10'}L1${GS}3103000195${'21'}S1`, opts));
    expect(u.elements.map((e) => e.id)).toEqual(['01', '11', '17', '10', '3103', '21']);
    expect(u).toMatchObject({ di: '09520123456788', lotNumber: 'L1', serialNumber: 'S1', manufacturingDate: '2025-01-01', expirationDate: '2027-01-31' });
    expect(u.normalized).toBe('(01)09520123456788(11)250101(17)270131(10)L1(3103)000195(21)S1');
    expect(u.warnings).toEqual([]);
  });

  it('more AIs than the duplicate-check buffer holds: all kept, and a late duplicate is still caught', () => {
    const data = MEASURES.map((ai) => ai + '000100').join('');
    const u = ok(parseUdi(data, opts));
    expect(u.elements).toHaveLength(70);
    expect(MEASURES).toHaveLength(70);
    expect(u.elements.map((e) => e.id)).toEqual(MEASURES);
    expect(u.elements[69]).toMatchObject({ value: '000100', date: undefined });
    expect(fail(parseUdi(`${data}${MEASURES[0] as string}000200`, opts)).code).toBe(E.DUPLICATE_AI);
    expect(ok(parseUdi(`${data}${MEASURES[0] as string}000100`, opts)).warnings.map((w) => w.code)).toEqual([W.DUPLICATE_SAME_VALUE, W.NO_DI]);
  });

  it('cases the fast path declines give the general path’s result', () => {
    // duplicate with the same value: warning
    expect(ok(parseUdi(`0109520123456788${'10'}A${GS}10A`, opts)).warnings.map((w) => w.code)).toContain(W.DUPLICATE_SAME_VALUE);
    // DD = 00: last day of the month, with a warning
    const u = ok(parseUdi(`0109520123456788${'17'}270200`, opts));
    expect(u.expirationDate).toBe('2027-02-28');
    expect(u.warnings.map((w) => w.code)).toEqual([W.DAY_NOT_SPECIFIED]);
    // multi-component AI (253 GDTI) and CSET 64 (8030)
    expect(ok(parseUdi(`0109520123456788253${'9520123456788'}X1${GS}8030AB-c_=`, opts)).elements.map((e) => e.id)).toEqual(['01', '253', '8030']);
    // CSET 64 padding followed by data
    expect(fail(parseUdi('8030AB=c', opts)).code).toBe(E.BAD_CHARACTER);
  });
});

describe('Digital Link scanner edge cases', () => {
  it('rejects object-prototype names as path qualifiers with SYNTAX (not an internal error)', () => {
    for (const q of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const e = fail(parseUdi(`https://id.gs1.org/01/09520123456788/${q}/x`, opts));
      expect(e.code, q).toBe(E.SYNTAX);
      expect(e.position).toBe(37);
    }
  });

  it('scheme in any case, trailing slash, percent-encoded GTIN and query key, empty parameters', () => {
    const u = ok(parseUdi('HTTPS://ID.GS1.ORG/01/%30%39520123456788/10/A/?%31%37=270131&&=x&17=270131#f?10=B', opts));
    expect(u).toMatchObject({ di: '09520123456788', lotNumber: 'A', expirationDate: '2027-01-31' });
    expect(u.warnings.map((w) => w.code)).toEqual([W.IGNORED_PARAMETER, W.DUPLICATE_SAME_VALUE]);
  });

  it('reports the first invalid domain character, and a GTIN with a non-digit before its length', () => {
    expect(fail(parseUdi('https://a b/01/09520123456788', opts))).toMatchObject({ code: E.BAD_CHARACTER, position: 9 });
    expect(fail(parseUdi('https://x/01/0952012345678A', opts))).toMatchObject({ code: E.BAD_CHARACTER, position: 13 });
    expect(fail(parseUdi('https://x/01/A', opts))).toMatchObject({ code: E.BAD_CHARACTER, position: 13 });
  });
});
