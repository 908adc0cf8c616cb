/**
 * GS1 Digital Link URIs: `http(s)://{any domain}/{optional stem}/01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}]`
 * (or `/01/{gtin}/235/{tpx}`), further AIs in the query string (`?17=YYMMDD&3103=000195`).
 */
import { lookupAi, type AiEntry } from './gs1-ai-table.js';
import { Gs1Builder } from './gs1.js';
import { mod10Range } from './gtin.js';
import { allDigits, err, warn } from './internal.js';
import { UdiErrorCode as E, UdiWarningCode as W } from './types.js';
import type { Udi, UdiError } from './types.js';

const AI01 = lookupAi('01') as AiEntry;

/** Path qualifiers allowed after /01/{gtin}, with their required order. */
const QUALIFIER_ORDER: Record<string, number> = { '22': 1, '10': 2, '21': 3, '235': 4 };

function decode(raw: string, pos: number): string | UdiError {
  if (raw.indexOf('%') < 0) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return err(E.BAD_CHARACTER, `invalid percent-encoding in '${raw}' at position ${pos}`, pos);
  }
}

/** True when s (at `start`) begins with http:// or https:// (any case). Returns the index after `//`, or −1. */
export function digitalLinkSchemeEnd(s: string, start: number): number {
  const lower = s.slice(start, start + 8).toLowerCase();
  if (lower.startsWith('https://')) return start + 8;
  if (lower.startsWith('http://')) return start + 7;
  return -1;
}

export function parseDigitalLink(input: string, start: number, end: number, refYear: number, sym: string | undefined): Udi | UdiError {
  const s = input;
  const hostStart = digitalLinkSchemeEnd(s, start);
  if (hostStart < 0) return err(E.SYNTAX, 'a GS1 Digital Link must start with http:// or https://', start);
  let hash = s.indexOf('#', hostStart);
  if (hash < 0 || hash > end) hash = end;
  let q = s.indexOf('?', hostStart);
  if (q < 0 || q > hash) q = hash;
  let pathStart = s.indexOf('/', hostStart);
  if (pathStart < 0 || pathStart > q) pathStart = q;
  if (pathStart === hostStart) return err(E.SYNTAX, 'the Digital Link URI has no domain name', hostStart);
  for (let i = hostStart; i < pathStart; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c >= 127) return err(E.BAD_CHARACTER, `invalid character in the domain name at position ${i}`, i);
  }

  // Path segments with their input positions.
  const segs: string[] = [];
  const segPos: number[] = [];
  let p = pathStart;
  while (p < q) {
    // s[p] === '/'
    let n = s.indexOf('/', p + 1);
    if (n < 0 || n > q) n = q;
    segs.push(s.slice(p + 1, n));
    segPos.push(p + 1);
    p = n;
  }
  if (segs.length > 0 && segs[segs.length - 1] === '') {
    segs.pop();
    segPos.pop();
  }

  let keyAt = -1;
  let oddKey = -1;
  for (let i = 0; i < segs.length; i++) {
    if (segs[i] === '01') {
      if ((segs.length - i) % 2 === 0) {
        keyAt = i;
        break;
      }
      if (oddKey < 0) oddKey = i;
    }
  }
  if (keyAt < 0) {
    if (oddKey >= 0) {
      return err(
        E.SYNTAX,
        'GS1 Digital Link path after /01/ must be pairs of /{AI}/{value}; found an odd number of segments',
        segPos[oddKey],
      );
    }
    return err(E.UNKNOWN_FORMAT, 'URL is not a GS1 Digital Link for a trade item: no /01/{GTIN} in the path', pathStart);
  }

  const b = new Gs1Builder(refYear);
  // Primary key: GTIN-8/12/13/14, zero-padded to 14.
  const gPos = segPos[keyAt + 1] as number;
  const graw = decode(segs[keyAt + 1] as string, gPos);
  if (typeof graw !== 'string') return graw;
  const gl = graw.length;
  if (!allDigits(graw, 0, gl)) {
    return err(E.BAD_CHARACTER, `Digital Link GTIN '${graw}' must contain only digits`, gPos);
  }
  if (gl !== 8 && gl !== 12 && gl !== 13 && gl !== 14) {
    return err(E.BAD_LENGTH, `Digital Link GTIN '${graw}' is ${gl} digits; it must be 8, 12, 13 or 14`, gPos);
  }
  const expected = mod10Range(graw, 0, gl - 1);
  if (expected !== graw.charCodeAt(gl - 1) - 48) {
    return err(E.GTIN_CHECK_DIGIT, `Digital Link GTIN ${graw} has check digit ${graw[gl - 1]}, expected ${expected}`, gPos + gl - 1);
  }
  const gtin14 = gl === 14 ? graw : '0'.repeat(14 - gl) + graw;
  const bad01 = b.add(AI01, gtin14, 0, 14, gPos);
  if (bad01 !== undefined) return bad01;
  if (gl !== 14) warn(b.warnings, W.GTIN_PADDED, `GTIN-${gl} left-padded with zeros to the GTIN-14 ${gtin14}`);

  let lastOrder = 0;
  let lastQ = '01';
  for (let i = keyAt + 2; i < segs.length; i += 2) {
    const qual = segs[i] as string;
    const order = QUALIFIER_ORDER[qual];
    if (order === undefined) {
      return err(
        E.SYNTAX,
        `${qual} is not a valid path qualifier for GTIN (allowed: 22, 10, 21 or 235)`,
        segPos[i],
      );
    }
    if (order <= lastOrder || (order === 4 && lastOrder !== 0) || (lastOrder === 4)) {
      return err(
        E.SYNTAX,
        `path qualifier ${qual} cannot follow ${lastQ}: the order is /01/{gtin}[/22/…][/10/…][/21/…], or /01/{gtin}/235/… alone`,
        segPos[i],
      );
    }
    lastOrder = order;
    lastQ = qual;
    const vPos = segPos[i + 1] as number;
    const v = decode(segs[i + 1] as string, vPos);
    if (typeof v !== 'string') return v;
    const bad = b.add(lookupAi(qual) as AiEntry, v, 0, v.length, vPos);
    if (bad !== undefined) return bad;
  }

  // Query string: AIs as keys; other parameters (linkType, context, …) are ignored with a warning.
  let a = q + 1;
  while (a < hash) {
    let amp = s.indexOf('&', a);
    if (amp < 0 || amp > hash) amp = hash;
    if (amp > a) {
      let eq = s.indexOf('=', a);
      if (eq < 0 || eq > amp) eq = amp;
      const key = decode(s.slice(a, eq), a);
      if (typeof key !== 'string') return key;
      if (allDigits(key, 0, key.length)) {
        const e = key.length >= 2 && key.length <= 4 ? lookupAi(key) : undefined;
        if (e === undefined) return err(E.UNKNOWN_AI, `unknown Application Identifier '${key}' in the Digital Link query at position ${a}`, a);
        const v = decode(s.slice(Math.min(eq + 1, amp), amp), eq + 1);
        if (typeof v !== 'string') return v;
        const bad = b.add(e, v, 0, v.length, eq + 1);
        if (bad !== undefined) return bad;
      } else {
        warn(b.warnings, W.IGNORED_PARAMETER, `query parameter '${key}' is not a GS1 Application Identifier and was ignored`);
      }
    }
    a = amp + 1;
  }
  return b.finish(input, 'gs1-digital-link', sym, undefined);
}
