import fc from 'fast-check';
import lucene from 'lucene';
import { describe, expect, it } from 'vitest';
import { and, dateRange, exists, or, phrase, QueryError, sortBy, term } from '../../../lib/sources/openfda/query.js';
import { nextSearchAfter } from '../../../lib/sources/openfda/client.js';

interface TermNode {
  field: string;
  term: string;
  quoted: boolean;
}
const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

/** Parse a search expression as openFDA's Lucene front end would, after the URL round trip. */
function parsedAfterUrl(search: string) {
  const wire = new URLSearchParams({ search }).toString();
  const decoded = new URLSearchParams(wire).get('search') as string;
  expect(decoded).toBe(search);
  return lucene.parse(decoded) as { left: TermNode; operator?: string; right?: unknown };
}

const HOSTILE = ['"', '\\', '" OR company_name:*', 'a+b', 'x && y || !z', '(a) [b TO c] {d}', '^~*?:/', 'AND', 'NOT x', '名前 ünïcödé 🙂', '\\"', 'a" AND _exists_:k_number AND "b'];

describe('openFDA query builder', () => {
  it.each(HOSTILE)('keeps %j a single exact phrase on the intended field', (value) => {
    const ast = parsedAfterUrl(term('udi', 'identifiers.id', value).text);
    expect(ast.operator).toBeUndefined();
    expect(ast.right).toBeUndefined();
    expect(ast.left.field).toBe('identifiers.id');
    expect(ast.left.quoted).toBe(true);
    expect(unescape(ast.left.term)).toBe(value);
  });

  it('for any string, the term is refused or parses to exactly that one phrase', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (value) => {
        let text: string;
        try {
          text = term('recall', 'code_info', value).text;
        } catch (err) {
          expect(err).toBeInstanceOf(QueryError);
          return;
        }
        const ast = parsedAfterUrl(text);
        expect(ast.right).toBeUndefined();
        expect(ast.left.field).toBe('code_info');
        expect(unescape(ast.left.term)).toBe(value);
      }),
      { numRuns: 2_000 },
    );
  });

  it('sends a literal + as %2B, never as a space', () => {
    expect(new URLSearchParams({ search: term('udi', 'identifiers.id', '+H123').text }).toString()).toBe('search=identifiers.id%3A%22%2BH123%22');
  });

  it('refuses fields outside the whitelist, control characters, empty and oversized values', () => {
    expect(() => term('udi', 'company_name OR x', 'a')).toThrow(/not searchable/);
    expect(() => term('udi', 'identifiers.id', 'a\u0000b')).toThrow(/control/);
    expect(() => phrase('  ')).toThrow(/empty/);
    expect(() => phrase('x'.repeat(501))).toThrow(/500/);
    expect(() => sortBy('udi', 'brand_name;drop')).toThrow(QueryError);
  });

  it('validates dates in ranges', () => {
    expect(dateRange('enforcement', 'report_date', '2025-01-01', '2025-12-31').text).toBe('report_date:[20250101 TO 20251231]');
    expect(() => dateRange('enforcement', 'report_date', '2025-02-30', '2025-12-31')).toThrow(/valid date/);
    expect(() => dateRange('enforcement', 'report_date', '2025-01-01] OR x:[a', '2025-12-31')).toThrow(/not a date/);
  });

  it('combines clauses with explicit grouping', () => {
    const q = and(term('registrationlisting', 'k_number', 'K101692'), or(exists('registrationlisting', 'proprietary_name'), term('registrationlisting', 'pma_number', 'P1')));
    expect(q.text).toBe('(k_number:"K101692") AND ((_exists_:proprietary_name) OR (pma_number:"P1"))');
    expect(() => lucene.parse(q.text)).not.toThrow();
  });
});

describe('Link header paging', () => {
  it('takes only the search_after value of the next link', () => {
    const link = '<https://api.fda.gov/device/udi.json?search=x&limit=1000&skip=0&search_after=0%3D1620000000000%3B1%3Dabc>; rel="next"';
    expect(nextSearchAfter(link)).toBe('0=1620000000000;1=abc');
    expect(nextSearchAfter(undefined)).toBeUndefined();
    expect(nextSearchAfter('<https://evil.example/x>; rel="next"')).toBeUndefined();
    expect(nextSearchAfter('<https://api.fda.gov/a?search_after=1>; rel="prev"')).toBeUndefined();
  });
});
