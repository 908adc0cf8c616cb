/**
 * GS1 element strings: raw (FNC1 / GS separated), human-readable `(AI)value`, bare GTINs.
 * Hand-written scanner over char codes; every value is checked against the AI table.
 */
import { AI_BY_2, AI_BY_3, AI_BY_4, Cset, Lint, lookupAi, type AiComponent, type AiEntry } from './gs1-ai-table.js';
import { mod10Range } from './gtin.js';
import {
  daysInMonth,
  describeChar,
  err,
  GS,
  isoDate,
  num2,
  numN,
  resolveYear2,
  warn,
} from './internal.js';
import { UdiErrorCode as E, UdiWarningCode as W } from './types.js';
import type { Udi, UdiElement, UdiError, UdiSyntax, UdiWarning } from './types.js';

// Character classes, one bit per GS1 character set.
const BIT_N = 1;
const BIT_X = 2;
const BIT_Y = 4;
const BIT_Z = 8;
const CLASS = new Uint8Array(128);
{
  const cset82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
  const cset39 = '#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const cset64 = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz=';
  for (let c = 48; c <= 57; c++) CLASS[c] = (CLASS[c] as number) | BIT_N;
  for (const ch of cset82) CLASS[ch.charCodeAt(0)] = (CLASS[ch.charCodeAt(0)] as number) | BIT_X;
  for (const ch of cset39) CLASS[ch.charCodeAt(0)] = (CLASS[ch.charCodeAt(0)] as number) | BIT_Y;
  for (const ch of cset64) CLASS[ch.charCodeAt(0)] = (CLASS[ch.charCodeAt(0)] as number) | BIT_Z;
}
const CSET_BIT = [BIT_N, BIT_X, BIT_Y, BIT_Z] as const;
const CSET_NAME = ['numeric (0-9)', 'GS1 CSET 82', 'GS1 CSET 39', 'GS1 CSET 64'] as const;

const AI01 = lookupAi('01') as AiEntry;
const AI10 = lookupAi('10') as AiEntry;
const AI11 = lookupAi('11') as AiEntry;
const AI17 = lookupAi('17') as AiEntry;
const AI21 = lookupAi('21') as AiEntry;

function label(e: AiEntry): string {
  return `AI (${e.ai}) ${e.title}`;
}

function unitWord(e: AiEntry): string {
  return e.simple !== undefined && e.simple.cset === Cset.N ? 'digits' : 'characters';
}

function slice(s: string, from: number, to: number): string {
  return from === 0 && to === s.length ? s : s.slice(from, to);
}

/** GS1 YYMMDD at s[from…] with DD 01…31 as an ISO date, or undefined (not six digits, not a date, DD = 00). */
function fastYymmdd(s: string, from: number, refYear: number): string | undefined {
  const yy = num2(s, from);
  const m = num2(s, from + 2);
  const d = num2(s, from + 4);
  if (yy < 0 || m < 1 || m > 12 || d < 1) return undefined;
  const y = resolveYear2(yy, refYear);
  return d <= daysInMonth(y, m) ? isoDate(y, m, d) : undefined;
}

/** s[from, to) are all digits and the last one is the GS1 mod-10 check digit of the others. */
function checkMod10(s: string, from: number, to: number): boolean {
  let sum = 0;
  let w3 = true;
  for (let i = to - 2; i >= from; i--) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return false;
    sum += w3 ? d * 3 : d;
    w3 = !w3;
  }
  return s.charCodeAt(to - 1) - 48 === (10 - (sum % 10)) % 10;
}

/** Every character of s[from, to) has `bit` in CLASS (digits: BIT_N). */
function allInClass(s: string, from: number, to: number, bit: number): boolean {
  for (let i = from; i < to; i++) {
    const ch = s.charCodeAt(i);
    if (ch >= 128 || ((CLASS[ch] as number) & bit) === 0) return false;
  }
  return true;
}

/**
 * Accumulates validated GS1 elements and the UDI fields they map to. One instance per parse.
 */
export class Gs1Builder {
  // Fields are `declare`d and assigned in the constructor: plain assignments are faster to construct
  // than [[Define]]-semantics class fields.
  // Fresh objects per parse (not a shared builder): young objects stored into an old-generation object
  // would pay the write barrier on every store.
  declare readonly elements: UdiElement[];
  declare readonly warnings: UdiWarning[];
  declare di: string | undefined;
  declare lot: string | undefined;
  declare serial: string | undefined;
  declare exp: string | undefined;
  declare expOrig: string | undefined;
  declare mfg: string | undefined;
  declare mfgOrig: string | undefined;
  /** Canonical HRI, built as elements are added. */
  declare hri: string;
  /** Date produced by the last validated date component (side channel to avoid allocations). */
  declare private date: string | undefined;
  declare private readonly refYear: number;

  constructor(refYear: number) {
    this.elements = [];
    this.warnings = [];
    this.di = undefined;
    this.lot = undefined;
    this.serial = undefined;
    this.exp = undefined;
    this.expOrig = undefined;
    this.mfg = undefined;
    this.mfgOrig = undefined;
    this.hri = '';
    this.date = undefined;
    this.refYear = refYear;
  }

  /**
   * Validate `s[from, to)` as the value of AI `e` and record it. `pos` is the input index of `s[from]`
   * (for error positions). Returns an error or undefined.
   */
  add(e: AiEntry, s: string, from: number, to: number, pos: number): UdiError | undefined {
    // Fast paths for the common single-component AIs: they accept only fully valid values (any problem
    // falls through to validate(), which finds the exact error) and read each character once.
    const c = e.simple;
    const n = to - from;
    if (c !== undefined && n >= e.minLength && n <= e.maxLength) {
      const lint = c.lint;
      if (lint === Lint.Csum) {
        if (c.cset === Cset.N && checkMod10(s, from, to)) return this.put(e, slice(s, from, to), undefined, pos);
      } else if (lint === Lint.Yymmd0) {
        const date = fastYymmdd(s, from, this.refYear);
        if (date !== undefined) return this.put(e, slice(s, from, to), date, pos);
      } else if (lint === Lint.None && c.cset !== Cset.Z && allInClass(s, from, to, CSET_BIT[c.cset])) {
        return this.put(e, slice(s, from, to), undefined, pos);
      }
    }
    const bad = this.validate(e, s, from, to, pos);
    if (bad !== undefined) return bad;
    return this.record(e, slice(s, from, to), pos);
  }

  /** Record a value the caller has fully validated (no date component). */
  addValidated(e: AiEntry, value: string, pos: number): UdiError | undefined {
    return this.put(e, value, undefined, pos);
  }

  /** Record a value validated by validate() (which leaves a date component's date in `date`). */
  private record(e: AiEntry, value: string, pos: number): UdiError | undefined {
    return this.put(e, value, this.date, pos);
  }

  /** Duplicate check, then append the element and map it to the UDI fields. */
  put(e: AiEntry, value: string, date: string | undefined, pos: number): UdiError | undefined {
    const els = this.elements;
    for (let k = 0; k < els.length; k++) {
      const prev = els[k] as UdiElement;
      if (prev.id === e.ai) {
        if (prev.value !== value) {
          return err(
            E.DUPLICATE_AI,
            `${label(e)} appears twice with different values ('${prev.value}' and '${value}')`,
            pos,
          );
        }
        warn(this.warnings, W.DUPLICATE_SAME_VALUE, `${label(e)} appears twice with the same value '${value}'`);
        break;
      }
    }
    els.push({ id: e.ai, name: e.title, value, date });
    this.hri = this.hri + e.hri + value;
    if (e === AI01) this.di ??= value;
    else if (e === AI17) {
      if (this.exp === undefined) {
        this.exp = date;
        this.expOrig = value;
      }
    } else if (e === AI10) this.lot ??= value;
    else if (e === AI21) this.serial ??= value;
    else if (e === AI11) {
      if (this.mfg === undefined) {
        this.mfg = date;
        this.mfgOrig = value;
      }
    }
    return undefined;
  }

  private validate(e: AiEntry, s: string, from: number, to: number, pos: number): UdiError | undefined {
    this.date = undefined;
    const n = to - from;
    if (n < e.minLength || n > e.maxLength) return lengthError(e, s, from, to, pos);
    const simple = e.simple;
    if (simple !== undefined) return this.checkComponent(e, simple, s, from, to, pos);
    let p = from;
    for (const c of e.components) {
      if (p === to && c.optional) break;
      let len: number;
      if (c.min === c.max) {
        len = c.max;
        if (to - p < len) return lengthError(e, s, from, to, pos);
      } else {
        len = Math.min(to - p, c.max);
      }
      const bad = this.checkComponent(e, c, s, p, p + len, pos + (p - from));
      if (bad !== undefined) return bad;
      p += len;
    }
    if (p !== to) return lengthError(e, s, from, to, pos);
    return undefined;
  }

  private checkComponent(e: AiEntry, c: AiComponent, s: string, from: number, to: number, pos: number): UdiError | undefined {
    if (c.cset === Cset.N && c.lint === Lint.Csum) {
      // Digits and GS1 mod-10 in one pass (the hot path for AI 01).
      let sum = 0;
      let w3 = true;
      for (let i = to - 2; i >= from; i--) {
        const d = s.charCodeAt(i) - 48;
        if (!(d >= 0 && d <= 9)) return charError(e, c, s, i, from, to, pos);
        sum += w3 ? d * 3 : d;
        w3 = !w3;
      }
      const actual = s.charCodeAt(to - 1) - 48;
      if (!(actual >= 0 && actual <= 9)) return charError(e, c, s, to - 1, from, to, pos);
      const expected = (10 - (sum % 10)) % 10;
      if (expected === actual) return undefined;
      const isGtin = e.ai === '01' || e.ai === '02' || e.ai === '03';
      return err(
        isGtin ? E.GTIN_CHECK_DIGIT : E.CHECK_DIGIT,
        `${label(e)}: ${isGtin ? 'GTIN' : e.title} ${s.slice(from, to)} has check digit ${actual}, expected ${expected}`,
        pos + (to - 1 - from),
      );
    }
    if (c.cset === Cset.N) {
      for (let i = from; i < to; i++) {
        const ch = s.charCodeAt(i);
        if (!(ch >= 48 && ch <= 57)) return charError(e, c, s, i, from, to, pos);
      }
    } else {
      const bit = CSET_BIT[c.cset];
      for (let i = from; i < to; i++) {
        const ch = s.charCodeAt(i);
        if (ch >= 128 || ((CLASS[ch] as number) & bit) === 0) return charError(e, c, s, i, from, to, pos);
      }
    }
    if (c.cset === Cset.Z) {
      // '=' is base64 padding: only allowed at the end.
      const eq = s.indexOf('=', from);
      if (eq >= 0 && eq < to) {
        for (let i = eq; i < to; i++) {
          if (s.charCodeAt(i) !== 61) {
            return err(E.BAD_CHARACTER, `${label(e)}: '=' padding at position ${pos + (eq - from)} is followed by data`, pos + (eq - from));
          }
        }
      }
    }
    switch (c.lint) {
      case Lint.None:
        return undefined;
      case Lint.Csum: {
        const expected = mod10Range(s, from, to - 1);
        const actual = s.charCodeAt(to - 1) - 48;
        if (expected !== actual) {
          const what = e.ai === '01' || e.ai === '02' || e.ai === '03' ? 'GTIN' : e.title;
          return err(
            e.ai === '01' || e.ai === '02' || e.ai === '03' ? E.GTIN_CHECK_DIGIT : E.CHECK_DIGIT,
            `${label(e)}: ${what} ${s.slice(from, to)} has check digit ${actual}, expected ${expected}`,
            pos + (to - 1 - from),
          );
        }
        return undefined;
      }
      case Lint.Yymmd0:
      case Lint.Yymmdd:
      case Lint.Yymmddhh:
      case Lint.Yymmddhhmm:
        return this.checkYymmdd(e, c.lint, s, from, pos);
      case Lint.Hhmm:
        return checkTime(e, s, from, pos, 4);
      case Lint.Yyyymmdd:
      case Lint.Yyyymmddhhmm: {
        const y = numN(s, from, 4);
        const m = num2(s, from + 4);
        const d = num2(s, from + 6);
        if (m < 1 || m > 12) return err(E.INVALID_DATE, `${label(e)}: month ${pad(s, from + 4)} does not exist`, pos + 4);
        if (d < 1 || d > daysInMonth(y, m)) {
          return err(E.INVALID_DATE, `${label(e)}: day ${pad(s, from + 6)} does not exist in ${y}-${pad(s, from + 4)}`, pos + 6);
        }
        if (this.date === undefined) this.date = isoDate(y, m, d);
        return c.lint === Lint.Yyyymmddhhmm ? checkTime(e, s, from + 8, pos + 8, 4) : undefined;
      }
    }
    return undefined;
  }

  private checkYymmdd(e: AiEntry, lint: Lint, s: string, from: number, pos: number): UdiError | undefined {
    const yy = num2(s, from);
    const m = num2(s, from + 2);
    const d = num2(s, from + 4);
    if (m < 1 || m > 12) {
      return err(E.INVALID_DATE, `${label(e)}: '${s.slice(from, from + 6)}' is not a date (YYMMDD): month ${pad(s, from + 2)} does not exist`, pos + 2);
    }
    const y = resolveYear2(yy, this.refYear);
    const dim = daysInMonth(y, m);
    let day = d;
    if (d === 0 && lint === Lint.Yymmd0) {
      day = dim;
      warn(
        this.warnings,
        W.DAY_NOT_SPECIFIED,
        `${label(e)}: day 00 means "day not specified"; using the last day of the month, ${isoDate(y, m, day)}`,
      );
    } else if (d < 1 || d > dim) {
      return err(
        E.INVALID_DATE,
        `${label(e)}: '${s.slice(from, from + 6)}' is not a date (YYMMDD): day ${pad(s, from + 4)} does not exist in ${y}-${pad(s, from + 2)}`,
        pos + 4,
      );
    }
    if (this.date === undefined) this.date = isoDate(y, m, day);
    if (lint === Lint.Yymmddhh) return checkTime(e, s, from + 6, pos + 6, 2);
    if (lint === Lint.Yymmddhhmm) return checkTime(e, s, from + 6, pos + 6, 4);
    return undefined;
  }

  /** Build the Udi. */
  finish(input: string, syntax: UdiSyntax, symbologyIdentifier: string | undefined, normalized: string | undefined): Udi {
    return gs1Udi(
      input,
      syntax,
      symbologyIdentifier,
      this.di,
      this.lot,
      this.serial,
      this.exp,
      this.expOrig,
      this.mfg,
      this.mfgOrig,
      this.elements,
      normalized ?? this.hri,
      this.warnings,
    );
  }
}

/** The GS1 Udi object (one literal, so every GS1 result has the same shape). */
function gs1Udi(
  input: string,
  syntax: UdiSyntax,
  symbologyIdentifier: string | undefined,
  di: string | undefined,
  lot: string | undefined,
  serial: string | undefined,
  exp: string | undefined,
  expOrig: string | undefined,
  mfg: string | undefined,
  mfgOrig: string | undefined,
  elements: UdiElement[],
  normalized: string,
  warnings: UdiWarning[],
): Udi {
  return {
    udi: input,
    issuingAgency: 'GS1',
    syntax,
    symbologyIdentifier,
    di,
    labelerCode: undefined,
    lotNumber: lot,
    serialNumber: serial,
    expirationDate: exp,
    expirationDateOriginal: expOrig,
    expirationDateOriginalFormat: expOrig === undefined ? undefined : 'YYMMDD',
    manufacturingDate: mfg,
    manufacturingDateOriginal: mfgOrig,
    manufacturingDateOriginalFormat: mfgOrig === undefined ? undefined : 'YYMMDD',
    donationId: undefined,
    elements,
    normalized,
    warnings,
  };
}

function charError(e: AiEntry, c: AiComponent, s: string, i: number, from: number, to: number, pos: number): UdiError {
  const at = pos + (i - from);
  if (s.charCodeAt(i) === GS) {
    // A separator inside a predefined-length value: the value is too short.
    return err(
      E.BAD_LENGTH,
      `${label(e)}: value '${s.slice(from, i)}' ends at a GS separator after ${i - from} ${unitWord(e)}; it must be exactly ${to - from}`,
      at,
    );
  }
  return err(E.BAD_CHARACTER, `${label(e)}: ${describeChar(s, i)} at position ${at} is not allowed (${CSET_NAME[c.cset]})`, at);
}

function pad(s: string, i: number): string {
  return s.slice(i, i + 2);
}

function checkTime(e: AiEntry, s: string, from: number, pos: number, digits: 2 | 4): UdiError | undefined {
  const h = num2(s, from);
  if (h < 0 || h > 23) return err(E.INVALID_DATE, `${label(e)}: hour ${pad(s, from)} does not exist`, pos);
  if (digits === 4) {
    const mi = num2(s, from + 2);
    if (mi < 0 || mi > 59) return err(E.INVALID_DATE, `${label(e)}: minute ${pad(s, from + 2)} does not exist`, pos + 2);
  }
  return undefined;
}

function lengthError(e: AiEntry, s: string, from: number, to: number, pos: number): UdiError {
  const n = to - from;
  const unit = unitWord(e);
  const fixed = e.minLength === e.maxLength;
  let msg: string;
  if (fixed) {
    msg = `${label(e)}: value '${s.slice(from, to)}' is ${n} ${unit} long; it must be exactly ${e.maxLength}`;
    if (n > e.maxLength) msg = `${label(e)}: value longer than ${e.maxLength} ${unit} ('${s.slice(from, to)}' is ${n})`;
  } else if (n === 0) {
    msg = `${label(e)}: value is empty`;
  } else if (n > e.maxLength) {
    msg = `${label(e)}: value is ${n} ${unit} long; the maximum is ${e.maxLength}`;
  } else if (n < e.minLength) {
    msg = `${label(e)}: value '${s.slice(from, to)}' is ${n} ${unit} long; the minimum is ${e.minLength}`;
  } else {
    msg = `${label(e)}: value '${s.slice(from, to)}' does not fit the AI's format`;
  }
  return err(E.BAD_LENGTH, msg, pos);
}

/** The AI starting at s[p] (2, 3 or 4 digits before `end`), or undefined (see aiError). */
function readAi(s: string, p: number, end: number): AiEntry | undefined {
  const d2 = p + 2 <= end ? num2(s, p) : -1;
  if (d2 < 0) return undefined;
  const e2 = AI_BY_2[d2];
  if (e2 !== undefined) return e2;
  const c3 = p + 3 <= end ? s.charCodeAt(p + 2) - 48 : -1;
  if (c3 >= 0 && c3 <= 9) {
    const e3 = AI_BY_3[d2 * 10 + c3];
    if (e3 !== undefined) return e3;
    const c4 = p + 4 <= end ? s.charCodeAt(p + 3) - 48 : -1;
    if (c4 >= 0 && c4 <= 9) return AI_BY_4[d2 * 100 + c3 * 10 + c4];
  }
  return undefined;
}

/** The error for an AI that readAi did not find. */
function aiError(s: string, p: number, end: number): UdiError {
  if (!(p + 2 <= end && num2(s, p) >= 0)) {
    const shown = s.slice(p, Math.min(end, p + 2));
    return err(
      E.UNKNOWN_AI,
      shown.length < 2
        ? `truncated Application Identifier '${shown}' at position ${p}`
        : `non-numeric Application Identifier "${shown}" at position ${p}`,
      p,
    );
  }
  return err(E.UNKNOWN_AI, `unknown Application Identifier starting '${s.slice(p, Math.min(end, p + 4))}' at position ${p}`, p);
}

/** AI keys already seen by fastElementString (a scratch buffer: parsing is synchronous, not re-entrant). */
const SEEN = new Int32Array(64);

/**
 * Fast path for raw element strings: one monolithic scan for the common case — every AI a single
 * component that is numeric, CSET 82 / 39 text, a mod-10 key or a YYMMDD date with DD ≥ 01, each AI once,
 * everything valid. It builds exactly what the general path builds, and returns undefined as soon as
 * anything else turns up (any error, any warning, other AI kinds); the general path then parses the
 * input from scratch and produces the precise error or warnings.
 */
function fastElementString(s: string, start: number, end: number, refYear: number, sym: string | undefined): Udi | undefined {
  // The first four elements live in locals; the array is allocated once, at its exact size, at the end.
  let count = 0;
  let el0: UdiElement | undefined;
  let el1: UdiElement | undefined;
  let el2: UdiElement | undefined;
  let el3: UdiElement | undefined;
  let more: UdiElement[] | undefined;
  let hri = '';
  let di: string | undefined;
  let lot: string | undefined;
  let serial: string | undefined;
  let exp: string | undefined;
  let expOrig: string | undefined;
  let mfg: string | undefined;
  let mfgOrig: string | undefined;
  let p = start;
  while (p < end) {
    if (s.charCodeAt(p) === GS) {
      p++;
      continue;
    }
    // AI: 2, 3 or 4 digits; `key` numbers it uniquely for the duplicate check.
    const d2 = p + 2 <= end ? num2(s, p) : -1;
    if (d2 < 0) return undefined;
    let e = AI_BY_2[d2];
    let key = d2;
    if (e === undefined) {
      const c3 = p + 3 <= end ? s.charCodeAt(p + 2) - 48 : -1;
      if (!(c3 >= 0 && c3 <= 9)) return undefined;
      key = d2 * 10 + c3;
      e = AI_BY_3[key];
      key += 100;
      if (e === undefined) {
        const c4 = p + 4 <= end ? s.charCodeAt(p + 3) - 48 : -1;
        if (!(c4 >= 0 && c4 <= 9)) return undefined;
        key = d2 * 100 + c3 * 10 + c4;
        e = AI_BY_4[key];
        key += 1100;
        if (e === undefined) return undefined;
      }
    }
    const c = e.simple;
    if (c === undefined) return undefined;
    const vs = p + e.ai.length;
    const lint = c.lint;
    const cset = c.cset;
    let ve: number;
    let date: string | undefined;
    if (e.predefined) {
      ve = vs + e.maxLength;
      if (ve > end) return undefined;
    } else if (lint === Lint.None && cset !== Cset.Z) {
      // Runs to the next GS; the character set is checked in the same pass (GS is in no set).
      const bit = CSET_BIT[cset];
      let i = vs;
      for (; i < end; i++) {
        const ch = s.charCodeAt(i);
        if (ch >= 128 || ((CLASS[ch] as number) & bit) === 0) break;
      }
      if (i < end && s.charCodeAt(i) !== GS) return undefined;
      ve = i;
    } else {
      ve = s.indexOf('\x1d', vs);
      if (ve < 0 || ve > end) ve = end;
    }
    const n = ve - vs;
    if (n < e.minLength || n > e.maxLength) return undefined;
    if (lint === Lint.None) {
      if (cset === Cset.Z || (e.predefined && !allInClass(s, vs, ve, CSET_BIT[cset]))) return undefined;
    } else if (lint === Lint.Csum) {
      if (cset !== Cset.N) return undefined;
      let sum = 0;
      let w3 = true;
      for (let i = ve - 2; i >= vs; i--) {
        const d = s.charCodeAt(i) - 48;
        if (!(d >= 0 && d <= 9)) return undefined;
        sum += w3 ? d * 3 : d;
        w3 = !w3;
      }
      if (s.charCodeAt(ve - 1) - 48 !== (10 - (sum % 10)) % 10) return undefined;
    } else if (lint === Lint.Yymmd0) {
      date = fastYymmdd(s, vs, refYear);
      if (date === undefined) return undefined;
    } else {
      return undefined;
    }
    if (count === SEEN.length) return undefined;
    for (let k = 0; k < count; k++) if (SEEN[k] === key) return undefined;
    SEEN[count] = key;
    const value = s.slice(vs, ve);
    const el: UdiElement = { id: e.ai, name: e.title, value, date };
    if (count === 0) el0 = el;
    else if (count === 1) el1 = el;
    else if (count === 2) el2 = el;
    else if (count === 3) el3 = el;
    else if (more === undefined) more = [el0 as UdiElement, el1 as UdiElement, el2 as UdiElement, el3 as UdiElement, el];
    else more.push(el);
    count++;
    hri = hri + e.hri + value;
    if (e === AI01) di = value;
    else if (e === AI17) {
      exp = date;
      expOrig = value;
    } else if (e === AI10) lot = value;
    else if (e === AI21) serial = value;
    else if (e === AI11) {
      mfg = date;
      mfgOrig = value;
    }
    p = ve;
  }
  let els: UdiElement[];
  if (count === 0) return undefined;
  else if (count === 1) els = [el0 as UdiElement];
  else if (count === 2) els = [el0 as UdiElement, el1 as UdiElement];
  else if (count === 3) els = [el0 as UdiElement, el1 as UdiElement, el2 as UdiElement];
  else if (count === 4) els = [el0 as UdiElement, el1 as UdiElement, el2 as UdiElement, el3 as UdiElement];
  else els = more as UdiElement[];
  return gs1Udi(s, 'gs1-element-string', sym, di, lot, serial, exp, expOrig, mfg, mfgOrig, els, hri, []);
}

/** Raw element string s[start, end): AI + value, GS (\x1d) after variable-length values. */
export function parseGs1ElementString(
  input: string,
  start: number,
  end: number,
  refYear: number,
  sym: string | undefined,
): Udi | UdiError {
  const fast = fastElementString(input, start, end, refYear, sym);
  if (fast !== undefined) return fast;
  const b = new Gs1Builder(refYear);
  const s = input;
  let p = start;
  while (p < end) {
    if (s.charCodeAt(p) === GS) {
      p++;
      continue;
    }
    const e = readAi(s, p, end);
    if (e === undefined) return aiError(s, p, end);
    const vs = p + e.ai.length;
    let ve: number;
    if (e.predefined) {
      ve = vs + e.maxLength;
      if (ve > end) {
        let stop = s.indexOf('\x1d', vs);
        if (stop < 0 || stop > end) stop = end;
        return err(
          E.BAD_LENGTH,
          `${label(e)}: value '${s.slice(vs, stop)}' is ${stop - vs} ${unitWord(e)} long; it must be exactly ${e.maxLength}`,
          vs,
        );
      }
    } else {
      ve = s.indexOf('\x1d', vs);
      if (ve < 0 || ve > end) ve = end;
    }
    const bad = b.add(e, s, vs, ve, vs);
    if (bad !== undefined) return bad;
    p = ve;
  }
  if (b.elements.length === 0) return err(E.EMPTY, 'the input contains only separators');
  return b.finish(input, 'gs1-element-string', sym, undefined);
}

/** s[k] starts an `(nn)`…`(nnnn)` AI token. */
function isAiToken(s: string, k: number, end: number): boolean {
  let q = k + 1;
  while (q < end && q <= k + 5) {
    const c = s.charCodeAt(q);
    if (c === 41) return q - k - 1 >= 2; // ')'
    if (!(c >= 48 && c <= 57)) return false;
    q++;
  }
  return false;
}

/** Human-readable `(01)…(17)…(10)…` s[start, end). Spaces between elements are tolerated. */
export function parseGs1Hri(input: string, start: number, end: number, refYear: number, sym: string | undefined): Udi | UdiError {
  const b = new Gs1Builder(refYear);
  const s = input;
  let p = start;
  while (p < end) {
    const c = s.charCodeAt(p);
    if (c === 32 || c === GS) {
      p++;
      continue;
    }
    if (c !== 40 || !isAiToken(s, p, end)) {
      return err(E.SYNTAX, `expected '(' and an Application Identifier at position ${p}, found ${describeChar(s, p)}`, p);
    }
    const close = s.indexOf(')', p);
    const aiLen = close - p - 1;
    const aiNum = numN(s, p + 1, aiLen);
    const e = aiLen === 2 ? AI_BY_2[aiNum] : aiLen === 3 ? AI_BY_3[aiNum] : AI_BY_4[aiNum];
    if (e === undefined) {
      return err(E.UNKNOWN_AI, `unknown Application Identifier (${s.slice(p + 1, close)}) at position ${p}`, p);
    }
    let vs = close + 1;
    while (vs < end && s.charCodeAt(vs) === 32) vs++;
    let k = s.indexOf('(', vs);
    while (k >= 0 && k < end && !isAiToken(s, k, end)) k = s.indexOf('(', k + 1);
    let ve = k < 0 || k > end ? end : k;
    let next = ve;
    while (ve > vs && (s.charCodeAt(ve - 1) === 32 || s.charCodeAt(ve - 1) === GS)) ve--;
    const bad = b.add(e, s, vs, ve, vs);
    if (bad !== undefined) return bad;
    if (next < ve) next = ve;
    p = next;
  }
  if (b.elements.length === 0) return err(E.EMPTY, 'the input contains no Application Identifiers');
  return b.finish(input, 'gs1-hri', sym, undefined);
}

/** A bare GTIN-8/12/13/14 (no AI). */
export function parseBareGtin(input: string, start: number, end: number, refYear: number, sym: string | undefined): Udi | UdiError {
  const n = end - start;
  const expected = mod10Range(input, start, end - 1);
  const actual = input.charCodeAt(end - 1) - 48;
  if (expected !== actual) {
    return err(
      E.GTIN_CHECK_DIGIT,
      `GTIN-${n} ${input.slice(start, end)} has check digit ${actual}, expected ${expected}`,
      end - 1,
    );
  }
  const gtin14 = '0'.repeat(14 - n) + input.slice(start, end);
  const b = new Gs1Builder(refYear);
  // parseUdi checked digits and length, the check digit is checked above: no re-validation.
  const bad = b.addValidated(AI01, gtin14, start);
  if (bad !== undefined) return bad;
  if (n !== 14) warn(b.warnings, W.GTIN_PADDED, `GTIN-${n} left-padded with zeros to the GTIN-14 ${gtin14}`);
  return b.finish(input, 'gtin', sym, undefined);
}
