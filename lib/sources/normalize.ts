/**
 * Small, private normalisers shared by the source mappers. Deliberately independent of lib/udi (the full
 * UDI parser lives there); only what the mappers need to build keys and compare values.
 */
import { createHash } from 'node:crypto';

/** Upstream placeholders that mean "no value". Compared case-insensitively after trimming. */
const EMPTY_MARKERS = new Set(['', 'n/a', 'na', 'none', 'null', 'undefined', '-', '--']);

/** A trimmed string, or undefined for `""`, `"N/A"`, null, objects, arrays. Numbers and booleans become strings. */
export function cleanString(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return EMPTY_MARKERS.has(trimmed.toLowerCase()) ? undefined : trimmed;
}

/** A list of clean strings from an array, a single string, or nothing; order kept, duplicates dropped. */
export function cleanStringList(value: unknown): string[] {
  const raw = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const out: string[] = [];
  for (const v of raw) {
    const s = cleanString(v);
    if (s !== undefined && !out.includes(s)) out.push(s);
  }
  return out;
}

/** `"true"`/`"false"`, `"Y"`/`"N"`, booleans, `1`/`0` → boolean; anything else → undefined (unknown). */
export function parseBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  const s = cleanString(value)?.toLowerCase();
  if (s === undefined) return undefined;
  if (s === 'true' || s === 'y' || s === 'yes' || s === '1') return true;
  if (s === 'false' || s === 'n' || s === 'no' || s === '0') return false;
  return undefined;
}

/** An integer from a number or numeric string (`"4"`, `" 10 "`); anything else → undefined. */
export function parseIntLoose(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  const s = cleanString(value);
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

function isoFromParts(y: number, m: number, d: number): string | undefined {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return undefined;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * A calendar date as ISO `YYYY-MM-DD`. Accepts `YYYY-MM-DD`, `YYYYMMDD` (enforcement), ISO timestamps
 * (`2025-01-30T07:00:00Z`, the UTC date is taken), `Month DD, YYYY` and RFC 822 dates (RSS). Impossible
 * dates (2023-02-30) → undefined.
 */
export function isoDate(value: unknown): string | undefined {
  const s = cleanString(value);
  if (s === undefined) return undefined;
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(s);
  if (m) {
    const month = MONTHS[(m[1] as string).toLowerCase()];
    return month === undefined ? undefined : isoFromParts(Number(m[3]), month, Number(m[2]));
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(s) || /^[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}/.test(s) || /^\d{1,2}\s+[A-Za-z]{3}\s+\d{4}/.test(s)) {
    const t = Date.parse(s);
    if (Number.isNaN(t)) return undefined;
    return new Date(t).toISOString().slice(0, 10);
  }
  return undefined;
}

/** A full ISO timestamp (UTC) from any date/time string Date.parse understands, else undefined. */
export function isoTimestamp(value: unknown): string | undefined {
  const s = cleanString(value);
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** GS1 mod-10 check digit of the digits before it (`body` excludes the check digit). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * A GTIN-8/12/13/14 as 14 digits, or undefined if it is not digits only, has another length, or its check
 * digit is wrong. (lib/udi has the full parser; this is the mappers' private copy.)
 */
export function toGtin14(input: string): string | undefined {
  const s = input.trim();
  if (!/^\d+$/.test(s)) return undefined;
  if (s.length !== 8 && s.length !== 12 && s.length !== 13 && s.length !== 14) return undefined;
  const g = s.padStart(14, '0');
  return gs1CheckDigit(g.slice(0, 13)) === Number(g[13]) ? g : undefined;
}

/**
 * The key form of a device identifier: GS1 (or all-digit) DIs as GTIN-14 when valid; HIBCC/ICCBBA DIs as
 * given (trimmed, case kept: GUDID DIs are case-sensitive).
 */
export function normalizeDi(di: string, issuingAgency?: string): string {
  const trimmed = di.trim();
  if (issuingAgency === undefined || /^gs1$/i.test(issuingAgency) || /^\d+$/.test(trimmed)) {
    return toGtin14(trimmed) ?? trimmed;
  }
  return trimmed;
}

/** Lower-case, whitespace collapsed: the key form of a product name (CSAF product index). */
export function normalizeProductName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Cut to at most `max` characters (with an ellipsis when cut). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** Cut to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const ellipsis = '…';
  let budget = maxBytes - Buffer.byteLength(ellipsis, 'utf8');
  let out = '';
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (n > budget) break;
    out += ch;
    budget -= n;
  }
  return `${out.trimEnd()}${ellipsis}`;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Plain text from an HTML fragment: tags dropped, common entities decoded, whitespace collapsed. */
export function stripHtml(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p>|<\/li>|<\/div>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
      if (code.startsWith('#x') || code.startsWith('#X')) return String.fromCodePoint(parseInt(code.slice(2), 16));
      if (code.startsWith('#')) return String.fromCodePoint(parseInt(code.slice(1), 10));
      return ENTITIES[code.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** sha256 → base64url, first `length` characters: short deterministic ids (listing ids, link hashes). */
export function shortHash(text: string, length = 16): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, length);
}

/** Sorted, de-duplicated copy (stable key material). */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Drop keys whose value is undefined (items stay compact; the content hash ignores them anyway). */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as T;
}
