/** parseUdi: detects the issuing agency / syntax and dispatches to the format scanners. Never throws. */
import { digitalLinkSchemeEnd, parseDigitalLink } from './digital-link.js';
import { parseBareGtin, parseGs1ElementString, parseGs1Hri } from './gs1.js';
import { parseHibc } from './hibcc.js';
import { parseIccbba } from './iccbba.js';
import { describeChar, err, GS, referenceYear, warn } from './internal.js';
import { UdiErrorCode as E, UdiWarningCode as W } from './types.js';
import type { ParseUdiOptions, ParseUdiResult, Udi, UdiError } from './types.js';

/** Longest accepted input. */
export const MAX_UDI_LENGTH = 1024;

/** AIM symbology identifiers that announce GS1 data (the data is always an element string). */
function isGs1Mode(s: string, i: number): boolean {
  const a = s.charCodeAt(i + 1);
  const b = s.charCodeAt(i + 2);
  // ]C1 GS1-128, ]d2 GS1 DataMatrix, ]Q3 GS1 QR, ]e0 GS1 DataBar, ]J1 GS1 DotCode
  return (a === 67 && b === 49) || (a === 100 && b === 50) || (a === 81 && b === 51) || (a === 101 && b === 48) || (a === 74 && b === 49);
}

/** The GS1 symbology identifier at s[i] (isGs1Mode is true) as a constant string: no allocation. */
function gs1ModeId(s: string, i: number): string {
  switch (s.charCodeAt(i + 1)) {
    case 67:
      return ']C1';
    case 100:
      return ']d2';
    case 81:
      return ']Q3';
    case 101:
      return ']e0';
    default:
      return ']J1';
  }
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function parseInner(input: string, options: ParseUdiOptions | undefined): Udi | UdiError {
  if (typeof input !== 'string') return err(E.UNKNOWN_FORMAT, 'input must be a string');
  const s = input;
  const len = s.length;
  if (len > MAX_UDI_LENGTH) {
    return err(E.TOO_LONG, `input is ${len} characters; the maximum accepted is ${MAX_UDI_LENGTH}`, MAX_UDI_LENGTH);
  }
  let start = 0;
  let end = len;
  // Leading whitespace; trailing CR / LF / TAB (scanner suffixes). Trailing spaces are trimmed later
  // except for HIBC, where a space can be the check character.
  for (;;) {
    const c = s.charCodeAt(start);
    if (start < end && (c === 32 || c === 9 || c === 10 || c === 13)) start++;
    else break;
  }
  for (;;) {
    const c = s.charCodeAt(end - 1);
    if (end > start && (c === 9 || c === 10 || c === 13)) end--;
    else break;
  }
  if (start === end) return err(E.EMPTY, len === 0 ? 'input is empty' : 'input contains only whitespace');

  let sym: string | undefined;
  let gs1Mode = false;
  if (s.charCodeAt(start) === 93) {
    // ']' + code character + modifier (ISO/IEC 15424)
    const m = s.charCodeAt(start + 2);
    if (end - start < 3 || !isLetter(s.charCodeAt(start + 1)) || !((m >= 48 && m <= 57) || isLetter(m))) {
      return err(E.UNKNOWN_FORMAT, `malformed symbology identifier '${s.slice(start, Math.min(end, start + 3))}'`, start);
    }
    gs1Mode = isGs1Mode(s, start);
    sym = gs1Mode ? gs1ModeId(s, start) : s.slice(start, start + 3);
    start += 3;
    if (start === end) return err(E.EMPTY, `input contains only the symbology identifier ${sym}`);
  }

  const refYear = referenceYear(options);
  const c = s.charCodeAt(start);
  let r: Udi | UdiError;
  let hostStart = -1;
  if ((c >= 48 && c <= 57) || c === GS) {
    while (end > start && s.charCodeAt(end - 1) === 32) end--;
    const n = end - start;
    if (!gs1Mode && (n === 8 || n === 12 || n === 13 || n === 14) && isAllDigits(s, start, end)) {
      r = parseBareGtin(s, start, end, refYear, sym);
    } else {
      r = parseGs1ElementString(s, start, end, refYear, sym);
    }
  } else if (c === 40) {
    while (end > start && s.charCodeAt(end - 1) === 32) end--;
    r = parseGs1Hri(s, start, end, refYear, sym);
  } else if (c === 43) {
    r = parseHibc(s, start, end, refYear, sym);
  } else if (c === 42) {
    // Code 39 start/stop characters around HIBC human-readable text.
    let e2 = end;
    while (e2 > start && s.charCodeAt(e2 - 1) === 32) e2--;
    if (s.charCodeAt(start + 1) === 43 && e2 - start > 2 && s.charCodeAt(e2 - 1) === 42) {
      r = parseHibc(s, start + 1, e2 - 1, refYear, sym);
    } else {
      return err(E.UNKNOWN_FORMAT, "'*' is only accepted as a Code 39 start/stop character around HIBC data (*+…*)", start);
    }
  } else if (c === 61 || c === 38) {
    while (end > start && s.charCodeAt(end - 1) === 32) end--;
    r = parseIccbba(s, start, end, sym);
  } else if ((c === 104 || c === 72) && (hostStart = digitalLinkSchemeEnd(s, start)) > 0) {
    while (end > start && s.charCodeAt(end - 1) === 32) end--;
    r = parseDigitalLink(s, start, end, refYear, sym, hostStart);
  } else {
    return err(
      E.UNKNOWN_FORMAT,
      `not a UDI: starts with ${describeChar(s, start)}; expected GS1 ('(' or a digit), a GS1 Digital Link (https://…), HIBCC ('+') or ICCBBA ('=' or '&')`,
      start,
    );
  }
  if ('code' in r) return r;
  if (r.di === undefined) {
    if (options?.requireDi === true) {
      return err(E.MISSING_DI, `${r.issuingAgency} data without a device identifier (${diHint(r)})`);
    }
    warn(r.warnings, W.NO_DI, `no device identifier (${diHint(r)}); this is not a complete UDI`);
  }
  return r;
}

function diHint(r: Udi): string {
  return r.issuingAgency === 'GS1' ? 'no AI (01) GTIN' : r.issuingAgency === 'HIBCC' ? 'no HIBC primary data structure' : 'no =/ PPIC or =) container code';
}

function isAllDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Parse and validate a UDI (GS1 element string / HRI / Digital Link / bare GTIN, HIBCC, ICCBBA).
 * Never throws: every failure is `{ ok: false, error }` with a stable `code`.
 */
export function parseUdi(input: string, options?: ParseUdiOptions): ParseUdiResult {
  let r: Udi | UdiError;
  try {
    r = parseInner(input, options);
  } catch (e) {
    // Defensive: a bug must not turn into an exception for the caller.
    return { ok: false, error: { code: E.UNKNOWN_FORMAT, message: `internal parser error: ${(e as Error)?.message ?? String(e)}` } };
  }
  return 'code' in r ? { ok: false, error: r } : { ok: true, udi: r };
}

const TYPED_GS = /\\u001d|\\x1d|<GS>|\{GS\}|\[GS\]|<FNC1>|\{FNC1\}|\^\]|\u241d/gi;

/**
 * Turn what people type for the GS (FNC1) separator into the real \x1d character:
 * `\u001d`, `\x1d`, `<GS>`, `{GS}`, `[GS]`, `<FNC1>`, `{FNC1}`, `^]` (caret notation) and `␝` (U+241D).
 * Matching is case-insensitive; anything else is left unchanged.
 */
export function decodeTypedSeparators(line: string): string {
  if (typeof line !== 'string') return line;
  return line.replace(TYPED_GS, '\x1d');
}
