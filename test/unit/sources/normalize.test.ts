import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanString,
  cleanStringList,
  gs1CheckDigit,
  isoDate,
  normalizeDi,
  normalizeProductName,
  parseBool,
  parseIntLoose,
  stripHtml,
  toGtin14,
  truncateUtf8,
} from '../../../lib/sources/normalize.js';

describe('toGtin14', () => {
  it('pads GTIN-8/12/13 to 14 digits and keeps valid GTIN-14', () => {
    expect(toGtin14('00191072179593')).toBe('00191072179593');
    expect(toGtin14('7290013030269')).toBe('07290013030269');
    expect(toGtin14('614141999996')).toBe('00614141999996');
    expect(toGtin14('96385074')).toBe('00000096385074');
  });

  it('rejects a wrong check digit, other lengths and non-digits', () => {
    expect(toGtin14('00191072179594')).toBeUndefined();
    expect(toGtin14('1234567890')).toBeUndefined();
    expect(toGtin14('0019107217959A')).toBeUndefined();
    expect(toGtin14('')).toBeUndefined();
  });

  it('accepts exactly the check digit gs1CheckDigit computes (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{13}$/), fc.integer({ min: 0, max: 9 }), (body, digit) => {
        const ok = gs1CheckDigit(body) === digit;
        expect(toGtin14(`${body}${digit}`) !== undefined).toBe(ok);
      }),
    );
  });
});

describe('normalizeDi', () => {
  it('pads GS1 DIs and leaves HIBCC DIs as printed (case-sensitive)', () => {
    expect(normalizeDi(' 7290013030269 ', 'GS1')).toBe('07290013030269');
    expect(normalizeDi('M204518062AB0', 'HIBCC')).toBe('M204518062AB0');
    expect(normalizeDi('h37312bsgtri60p3m', 'HIBCC')).toBe('h37312bsgtri60p3m');
  });
});

describe('isoDate', () => {
  it('reads the upstream date formats', () => {
    expect(isoDate('2015-10-24')).toBe('2015-10-24');
    expect(isoDate('20120815')).toBe('2012-08-15');
    expect(isoDate('2025-01-30T07:00:00.000000Z')).toBe('2025-01-30');
    expect(isoDate('June 28, 2011')).toBe('2011-06-28');
    expect(isoDate('Thu, 30 Jan 2025 00:00:00 GMT')).toBe('2025-01-30');
  });

  it('rejects impossible dates and placeholders', () => {
    expect(isoDate('20230230')).toBeUndefined();
    expect(isoDate('N/A')).toBeUndefined();
    expect(isoDate('')).toBeUndefined();
    expect(isoDate('not a date')).toBeUndefined();
  });
});

describe('scalar cleaners', () => {
  it('drops placeholders and stringifies numbers', () => {
    expect(cleanString('  N/A ')).toBeUndefined();
    expect(cleanString('')).toBeUndefined();
    expect(cleanString({})).toBeUndefined();
    expect(cleanString(4)).toBe('4');
    expect(cleanString(' x ')).toBe('x');
    expect(cleanStringList(['a', '', 'N/A', 'a', 'b'])).toEqual(['a', 'b']);
    expect(cleanStringList('a')).toEqual(['a']);
    expect(cleanStringList({})).toEqual([]);
  });

  it('parses booleans and integers from strings', () => {
    expect(parseBool('true')).toBe(true);
    expect(parseBool('N')).toBe(false);
    expect(parseBool('')).toBeUndefined();
    expect(parseIntLoose('4')).toBe(4);
    expect(parseIntLoose('4.5')).toBeUndefined();
    expect(parseIntLoose('N/A')).toBeUndefined();
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        const s = cleanString(v);
        expect(s === undefined || (typeof s === 'string' && s.length > 0 && s === s.trim())).toBe(true);
        expect(Array.isArray(cleanStringList(v))).toBe(true);
        isoDate(v);
        parseBool(v);
        parseIntLoose(v);
      }),
    );
  });
});

describe('text helpers', () => {
  it('strips HTML and decodes entities', () => {
    expect(stripHtml('<p>A &amp; B<br/>C&#39;s <b>x</b></p>')).toBe("A & B C's x");
  });

  it('truncates by UTF-8 bytes without splitting characters', () => {
    const out = truncateUtf8('é'.repeat(2000), 2048);
    expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(2048);
    expect(out.endsWith('…')).toBe(true);
    expect(truncateUtf8('short', 2048)).toBe('short');
  });

  it('normalises product names', () => {
    expect(normalizeProductName('  CMS8000   Patient\tMonitor ')).toBe('cms8000 patient monitor');
  });
});
