/**
 * GS1 Digital Link URIs: `http(s)://{any domain}/{optional stem}/01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}]`
 * (or `/01/{gtin}/235/{tpx}`), further AIs in the query string (`?17=YYMMDD&3103=000195`).
 *
 * One hand scan over char codes: no `new URL()`, no segment arrays, no substrings for keys. Values
 * without `%` are validated in place (`Gs1Builder.add` on the input range); only values that contain a
 * percent escape are sliced and decoded.
 */
import { AI_BY_2, AI_BY_3, AI_BY_4, lookupAi, type AiEntry } from './gs1-ai-table.js';
import { Gs1Builder } from './gs1.js';
import { mod10Range } from './gtin.js';
import { allDigits, err, warn } from './internal.js';
import { UdiErrorCode as E, UdiWarningCode as W } from './types.js';
import type { Udi, UdiError } from './types.js';

const AI01 = lookupAi('01') as AiEntry;
const AI10 = lookupAi('10') as AiEntry;
const AI21 = lookupAi('21') as AiEntry;
const AI22 = lookupAi('22') as AiEntry;
const AI235 = lookupAi('235') as AiEntry;

const ZEROS = '000000';

/** Slash positions of the path being parsed (+ a sentinel); inputs are at most 1024 characters. */
const SLASH = new Int32Array(1026);

function decodeRaw(raw: string, pos: number): string | UdiError {
  try {
    return decodeURIComponent(raw);
  } catch {
    return err(E.BAD_CHARACTER, `invalid percent-encoding in '${raw}' at position ${pos}`, pos);
  }
}

/** Index of the first `ch` in s[from, to), or `to`. */
function find(s: string, ch: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === ch) return i;
  return to;
}

/**
 * True when s (at `start`) begins with http:// or https:// (any case). Returns the index after `//`, or −1.
 * (Only ASCII letters lower-case to h, t, p, s, so comparing `c | 32` is the same as `toLowerCase()`.)
 */
export function digitalLinkSchemeEnd(s: string, start: number): number {
  if (
    (s.charCodeAt(start) | 32) !== 104 || // h
    (s.charCodeAt(start + 1) | 32) !== 116 || // t
    (s.charCodeAt(start + 2) | 32) !== 116 || // t
    (s.charCodeAt(start + 3) | 32) !== 112 // p
  ) {
    return -1;
  }
  let i = start + 4;
  if ((s.charCodeAt(i) | 32) === 115) i++; // s
  return s.charCodeAt(i) === 58 && s.charCodeAt(i + 1) === 47 && s.charCodeAt(i + 2) === 47 ? i + 3 : -1;
}

/** Path qualifier s[a, b) → its order (22 → 1, 10 → 2, 21 → 3, 235 → 4), or 0 when not a qualifier. */
function qualifierOrder(s: string, a: number, b: number): number {
  const n = b - a;
  if (n !== 2 && n !== 3) return 0;
  const c0 = s.charCodeAt(a);
  const c1 = s.charCodeAt(a + 1);
  if (n === 3) return c0 === 50 && c1 === 51 && s.charCodeAt(a + 2) === 53 ? 4 : 0; // 235
  if (c0 === 50 && c1 === 50) return 1; // 22
  if (c0 === 49 && c1 === 48) return 2; // 10
  if (c0 === 50 && c1 === 49) return 3; // 21
  return 0;
}

const QUALIFIER_AI: readonly AiEntry[] = [AI01, AI22, AI10, AI21, AI235];

/** The AI whose digits are s[a, b) (2–4 ASCII digits, checked by the caller), or undefined. */
function aiAt(s: string, a: number, b: number): AiEntry | undefined {
  const n = b - a;
  let v = 0;
  for (let i = a; i < b; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return n === 2 ? AI_BY_2[v] : n === 3 ? AI_BY_3[v] : n === 4 ? AI_BY_4[v] : undefined;
}

/** `hostStart`: index after `://` (from digitalLinkSchemeEnd). */
export function parseDigitalLink(
  input: string,
  start: number,
  end: number,
  refYear: number,
  sym: string | undefined,
  hostStart: number = digitalLinkSchemeEnd(input, start),
): Udi | UdiError {
  const s = input;
  if (hostStart < 0) return err(E.SYNTAX, 'a GS1 Digital Link must start with http:// or https://', start);
  // One pass over host and path: the host ends at the first '/', '?' or '#'; the path at the first '?' or
  // '#'. Slash positions go to SLASH (reused; parsing is synchronous and not re-entrant).
  let i = hostStart;
  let badHost = -1;
  let c = 0;
  for (; i < end; i++) {
    c = s.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) break;
    if ((c <= 32 || c >= 127) && badHost < 0) badHost = i;
  }
  if (i === hostStart) return err(E.SYNTAX, 'the Digital Link URI has no domain name', hostStart);
  if (badHost >= 0) return err(E.BAD_CHARACTER, `invalid character in the domain name at position ${badHost}`, badHost);
  const pathStart = i;
  let nslash = 0;
  let pct = false;
  if (c === 47) {
    for (; i < end; i++) {
      c = s.charCodeAt(i);
      if (c === 47) SLASH[nslash++] = i;
      else if (c === 63 || c === 35) break;
      else if (c === 37) pct = true;
    }
  }
  const q = i; // '?', '#' or end
  let hash = q;
  if (q < end && c === 63) {
    hash = s.indexOf('#', q);
    if (hash < 0 || hash > end) hash = end;
  }

  // Path segments: each '/' starts one; a trailing empty segment (path ending in '/') is dropped.
  // /01/ is the primary key only where an even number of segments (01, gtin, then qualifier/value
  // pairs) remains.
  let nseg = nslash;
  if (nseg > 0 && (SLASH[nseg - 1] as number) === q - 1) nseg--;
  SLASH[nslash] = q; // sentinel: segment k is (SLASH[k], SLASH[k + 1])
  let keyAt = -1;
  let oddKey = -1;
  for (let k = 0; k < nseg; k++) {
    const a = (SLASH[k] as number) + 1;
    if ((SLASH[k + 1] as number) - a === 2 && s.charCodeAt(a) === 48 && s.charCodeAt(a + 1) === 49) {
      if ((nseg - k) % 2 === 0) {
        keyAt = k;
        break;
      }
      if (oddKey < 0) oddKey = a;
    }
  }
  if (keyAt < 0) {
    if (oddKey >= 0) {
      return err(
        E.SYNTAX,
        'GS1 Digital Link path after /01/ must be pairs of /{AI}/{value}; found an odd number of segments',
        oddKey,
      );
    }
    return err(E.UNKNOWN_FORMAT, 'URL is not a GS1 Digital Link for a trade item: no /01/{GTIN} in the path', pathStart);
  }

  const b = new Gs1Builder(refYear);
  // Primary key: GTIN-8/12/13/14, zero-padded to 14.
  const gPos = (SLASH[keyAt + 1] as number) + 1;
  const gEnd = SLASH[keyAt + 2] as number;
  let graw = s;
  let gFrom = gPos;
  let gTo = gEnd;
  if (pct && find(s, 37, gPos, gEnd) < gEnd) {
    const d = decodeRaw(s.slice(gPos, gEnd), gPos);
    if (typeof d !== 'string') return d;
    graw = d;
    gFrom = 0;
    gTo = d.length;
  }
  const gl = gTo - gFrom;
  // One pass: mod10Range is −1 when the body has a non-digit.
  const expected = gl > 0 ? mod10Range(graw, gFrom, gTo - 1) : -1;
  const actual = graw.charCodeAt(gTo - 1) - 48;
  if (expected < 0 || !(actual >= 0 && actual <= 9)) {
    return err(E.BAD_CHARACTER, `Digital Link GTIN '${graw.slice(gFrom, gTo)}' must contain only digits`, gPos);
  }
  if (gl !== 8 && gl !== 12 && gl !== 13 && gl !== 14) {
    return err(E.BAD_LENGTH, `Digital Link GTIN '${graw.slice(gFrom, gTo)}' is ${gl} digits; it must be 8, 12, 13 or 14`, gPos);
  }
  if (expected !== actual) {
    return err(
      E.GTIN_CHECK_DIGIT,
      `Digital Link GTIN ${graw.slice(gFrom, gTo)} has check digit ${graw.charAt(gTo - 1)}, expected ${expected}`,
      gPos + gl - 1,
    );
  }
  // Digits, length and check digit are verified above (zero padding keeps the mod-10 sum): no re-validation.
  const gtin14 = gl === 14 ? graw.slice(gFrom, gTo) : ZEROS.slice(0, 14 - gl) + graw.slice(gFrom, gTo);
  const bad01 = b.addValidated(AI01, gtin14, gPos);
  if (bad01 !== undefined) return bad01;
  if (gl !== 14) warn(b.warnings, W.GTIN_PADDED, `GTIN-${gl} left-padded with zeros to the GTIN-14 ${gtin14}`);

  // Qualifier / value pairs (the segment count after the key is even).
  let lastOrder = 0;
  let lastQ = '01';
  for (let k = keyAt + 2; k < nseg; k += 2) {
    const qa = (SLASH[k] as number) + 1;
    const qb = SLASH[k + 1] as number;
    const order = qualifierOrder(s, qa, qb);
    if (order === 0) {
      return err(E.SYNTAX, `${s.slice(qa, qb)} is not a valid path qualifier for GTIN (allowed: 22, 10, 21 or 235)`, qa);
    }
    if (order <= lastOrder || (order === 4 && lastOrder !== 0) || lastOrder === 4) {
      return err(
        E.SYNTAX,
        `path qualifier ${s.slice(qa, qb)} cannot follow ${lastQ}: the order is /01/{gtin}[/22/…][/10/…][/21/…], or /01/{gtin}/235/… alone`,
        qa,
      );
    }
    const e = QUALIFIER_AI[order] as AiEntry;
    lastOrder = order;
    lastQ = e.ai;
    const va = qb + 1;
    const vb = SLASH[k + 2] as number;
    const bad = pct ? addValue(b, e, s, va, vb, va) : b.add(e, s, va, vb, va);
    if (bad !== undefined) return bad;
  }

  // Query string: AIs as keys; other parameters (linkType, context, …) are ignored with a warning.
  let a = q + 1;
  while (a < hash) {
    // One pass over the parameter: its '=' (first), whether it has a '%', its end ('&').
    let eq = -1;
    let pctAt = false;
    let amp = a;
    for (; amp < hash; amp++) {
      const ch = s.charCodeAt(amp);
      if (ch === 38) break;
      if (ch === 61) {
        if (eq < 0) eq = amp;
      } else if (ch === 37) pctAt = true;
    }
    if (amp > a) {
      if (eq < 0) eq = amp;
      const bad = pctAt ? queryParamDecoded(b, s, a, eq, amp) : queryParam(b, s, a, eq, amp);
      if (bad !== undefined) return bad;
    }
    a = amp + 1;
  }
  return b.finish(input, 'gs1-digital-link', sym, undefined);
}

/** Validate and record s[from, to) as the value of `e`, percent-decoding it first when it has a `%`. */
function addValue(b: Gs1Builder, e: AiEntry, s: string, from: number, to: number, pos: number): UdiError | undefined {
  if (find(s, 37, from, to) === to) return b.add(e, s, from, to, pos);
  const v = decodeRaw(s.slice(from, to), pos);
  if (typeof v !== 'string') return v;
  return b.add(e, v, 0, v.length, pos);
}

/** Query parameter s[a, amp) without any `%` (key s[a, eq)). */
function queryParam(b: Gs1Builder, s: string, a: number, eq: number, amp: number): UdiError | undefined {
  if (!allDigits(s, a, eq)) {
    warn(b.warnings, W.IGNORED_PARAMETER, `query parameter '${s.slice(a, eq)}' is not a GS1 Application Identifier and was ignored`);
    return undefined;
  }
  const e = aiAt(s, a, eq);
  if (e === undefined) {
    return err(E.UNKNOWN_AI, `unknown Application Identifier '${s.slice(a, eq)}' in the Digital Link query at position ${a}`, a);
  }
  return b.add(e, s, eq < amp ? eq + 1 : amp, amp, eq + 1);
}

/** Query parameter with a `%` somewhere (rare): decode the key and the value as needed. */
function queryParamDecoded(b: Gs1Builder, s: string, a: number, eq: number, amp: number): UdiError | undefined {
  const key = decodeRaw(s.slice(a, eq), a);
  if (typeof key !== 'string') return key;
  if (!allDigits(key, 0, key.length)) {
    warn(b.warnings, W.IGNORED_PARAMETER, `query parameter '${key}' is not a GS1 Application Identifier and was ignored`);
    return undefined;
  }
  const e = key.length >= 2 && key.length <= 4 ? lookupAi(key) : undefined;
  if (e === undefined) return err(E.UNKNOWN_AI, `unknown Application Identifier '${key}' in the Digital Link query at position ${a}`, a);
  return addValue(b, e, s, eq < amp ? eq + 1 : amp, amp, eq + 1);
}
