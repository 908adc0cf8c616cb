/**
 * HIBCC (ANSI/HIBC 2.6 Supplier Labeling Standard): primary `+LIC PCN U C`, secondary `$ / $+ / $$ / $$+`
 * with quantity and date flags, supplemental `/S /16D /14D /Q` fields, concatenated and two-symbol forms,
 * the superseded Julian secondary and the mod-43 check character.
 */
import {
  daysInMonth,
  describeChar,
  err,
  fromDayOfYear,
  isoDate,
  num2,
  numN,
  resolveYear2,
  warn,
} from './internal.js';
import { UdiErrorCode as E, UdiWarningCode as W } from './types.js';
import type { Udi, UdiElement, UdiError, UdiWarning } from './types.js';

/** The 43 HIBC / Code 39 characters in check-value order. */
export const HIBC_CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%';
const HVAL = new Int8Array(128).fill(-1);
for (let i = 0; i < HIBC_CHARSET.length; i++) HVAL[HIBC_CHARSET.charCodeAt(i)] = i;

function hval(c: number): number {
  return c < 128 ? (HVAL[c] as number) : -1;
}
function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Mod-43 sum of s[from, to) as an index into HIBC_CHARSET, or −(position+1) of the first invalid character. */
function mod43(s: string, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) {
    const v = hval(s.charCodeAt(i));
    if (v < 0) return -(i + 1);
    sum += v;
  }
  return sum % 43;
}

/**
 * HIBC check character for `data` (the symbol data from the leading `+` up to the last data character).
 * Returns undefined if `data` has a character outside the HIBC set.
 */
export function hibcCheckCharacter(data: string): string | undefined {
  const r = mod43(data, 0, data.length);
  return r < 0 ? undefined : HIBC_CHARSET[r];
}

interface Fields {
  elements: UdiElement[];
  warnings: UdiWarning[];
  lot?: string;
  serial?: string;
  exp?: string;
  expOrig?: string;
  expFmt?: string;
  mfg?: string;
  mfgOrig?: string;
  mfgFmt?: string;
  qty?: number;
}

function checkError(s: string, from: number, to: number, at: number, what: string): UdiError | undefined {
  const r = mod43(s, from, to);
  if (r < 0) {
    const i = -r - 1;
    return err(E.BAD_CHARACTER, `${describeChar(s, i)} at position ${i} is not a HIBC character`, i);
  }
  const expected = HIBC_CHARSET[r] as string;
  const got = s[at] as string;
  if (got !== expected) {
    return err(
      E.HIBC_CHECK_CHARACTER,
      `${what} check character mismatch: expected ${expected}, got ${got === ' ' ? "' ' (space)" : got} (mod 43 at position ${at})`,
      at,
    );
  }
  return undefined;
}

/** Parse a HIBC symbol (or two) in s[start, end); s[start] === '+'. */
export function parseHibc(input: string, start: number, end: number, refYear: number, sym: string | undefined): Udi | UdiError {
  const s = input;
  if (end - start < 2) return err(E.BAD_LENGTH, 'HIBC data is too short: only the + flag character', start);
  const c1 = s.charCodeAt(start + 1);
  if (c1 === 47) {
    return err(
      E.HIBC_PROVIDER_CODE,
      "'+/' starts a HIBC Provider Applications Standard code (hospital data such as patient ids), not a supplier UDI",
      start,
    );
  }
  const f: Fields = { elements: [], warnings: [] };
  if (c1 === 36 || isDigit(c1)) {
    // A secondary symbol on its own: the link character cannot be verified.
    const bad = parseSecondarySymbol(s, start, end, f, refYear, undefined);
    if (bad !== undefined) return bad;
    warn(f.warnings, W.LINK_NOT_VERIFIED, 'HIBC secondary symbol without its primary: the link character was not verified');
    return build(input, sym, f, undefined, s.slice(start, end), s[end - 1], s[end - 2]);
  }
  if (!(c1 >= 65 && c1 <= 90)) {
    return err(
      E.SYNTAX,
      `after the HIBC '+' flag a primary structure starts with a letter (LIC), a secondary with '$' or a digit; found ${describeChar(s, start + 1)}`,
      start + 1,
    );
  }
  let j = start + 1;
  while (j < end && isAlnum(s.charCodeAt(j))) j++;

  if (j < end - 1 && s.charCodeAt(j) === 47 && s.charCodeAt(j + 1) !== 43 && !isWs(s.charCodeAt(j + 1))) {
    // Concatenated primary/secondary in one symbol; one check character at the end.
    const primary = checkPrimary(s, start, j, f);
    if (primary !== undefined && 'code' in primary) return primary;
    const bad = checkError(s, start, end - 1, end - 1, 'HIBC');
    if (bad !== undefined) return bad;
    const badBody = parseSecondaryBody(s, j + 1, end - 1, f, refYear);
    if (badBody !== undefined) return badBody;
    f.elements.push({ id: 'CHECK', name: 'check character', value: s[end - 1] as string });
    return build(input, sym, f, primary, s.slice(start, end), s[end - 1], undefined);
  }

  // Primary symbol alone or followed by a secondary symbol. The check character is either the last
  // alphanumeric (candidate A) or the non-alphanumeric character right after the run (candidate B).
  let chosen = -1;
  let firstError: UdiError | undefined;
  for (let cand = 0; cand < 2; cand++) {
    const checkAt = cand === 0 ? j - 1 : j;
    if (cand === 1 && (j >= end || hval(s.charCodeAt(j)) < 0)) break;
    let rest = checkAt + 1;
    while (rest < end && isWs(s.charCodeAt(rest))) rest++;
    if (rest < end && s.charCodeAt(rest) !== 43) {
      firstError ??= err(E.SYNTAX, `unexpected ${describeChar(s, rest)} at position ${rest} after the HIBC primary data structure`, rest);
      continue;
    }
    if (checkAt - (start + 1) < 6) {
      firstError ??= err(
        E.BAD_LENGTH,
        `HIBC primary data structure '${s.slice(start, checkAt)}' is too short: it needs a 4-character LIC, a product code and a unit-of-measure digit`,
        start,
      );
      continue;
    }
    const bad = checkError(s, start, checkAt, checkAt, 'HIBC primary');
    if (bad !== undefined) {
      firstError ??= bad;
      continue;
    }
    chosen = checkAt;
    break;
  }
  if (chosen < 0) return firstError ?? err(E.SYNTAX, 'malformed HIBC primary data structure', start);
  const primary = checkPrimary(s, start, chosen, f);
  if (primary !== undefined && 'code' in primary) return primary;
  const pcheck = s[chosen] as string;
  f.elements.push({ id: 'CHECK', name: 'check character', value: pcheck });
  let rest = chosen + 1;
  while (rest < end && isWs(s.charCodeAt(rest))) rest++;
  if (rest >= end) return build(input, sym, f, primary, s.slice(start, chosen + 1), pcheck, undefined);

  const bad = parseSecondarySymbol(s, rest, end, f, refYear, pcheck);
  if (bad !== undefined) return bad;
  return build(input, sym, f, primary, s.slice(start, chosen + 1) + s.slice(rest, end), s[end - 1], s[end - 2]);
}

interface Primary {
  lic: string;
  pcn: string;
  uom: number;
  di: string;
}

/** Validate the primary data s[start+1, dataEnd) = LIC PCN U. */
function checkPrimary(s: string, start: number, dataEnd: number, f: Fields): Primary | UdiError | undefined {
  const n = dataEnd - start - 1;
  if (n < 6 || n > 23) {
    return err(
      E.BAD_LENGTH,
      `HIBC primary data '${s.slice(start + 1, dataEnd)}' is ${n} characters; LIC (4) + product code (1–18) + unit of measure (1) is 6–23`,
      start + 1,
    );
  }
  for (let i = start + 1; i < dataEnd; i++) {
    if (!isAlnum(s.charCodeAt(i))) {
      return err(E.BAD_CHARACTER, `HIBC primary data: ${describeChar(s, i)} at position ${i} is not alphanumeric`, i);
    }
  }
  const u = s.charCodeAt(dataEnd - 1);
  if (!isDigit(u)) {
    return err(
      E.BAD_CHARACTER,
      `HIBC unit of measure at position ${dataEnd - 1} must be a digit 0–9, found '${s[dataEnd - 1]}'`,
      dataEnd - 1,
    );
  }
  const lic = s.slice(start + 1, start + 5);
  const pcn = s.slice(start + 5, dataEnd - 1);
  const uomText = s[dataEnd - 1] as string;
  f.elements.push(
    { id: 'LIC', name: 'labeler identification code', value: lic },
    { id: 'PCN', name: 'product or catalogue number', value: pcn },
    { id: 'U', name: 'unit of measure', value: uomText },
  );
  return { lic, pcn, uom: u - 48, di: s.slice(start + 1, dataEnd) };
}

/** A secondary symbol s[a, end): `+` body link check. */
function parseSecondarySymbol(
  s: string,
  a: number,
  end: number,
  f: Fields,
  refYear: number,
  primaryCheck: string | undefined,
): UdiError | undefined {
  if (end - a < 4) return err(E.BAD_LENGTH, `HIBC secondary symbol '${s.slice(a, end)}' is too short`, a);
  const c = s.charCodeAt(a + 1);
  if (c === 47) {
    return err(E.HIBC_PROVIDER_CODE, "'+/' starts a HIBC Provider Applications Standard code, not a supplier UDI", a);
  }
  if (!(c === 36 || isDigit(c))) {
    return err(E.SYNTAX, `a HIBC secondary symbol starts with '+$' or '+' and a digit; found ${describeChar(s, a + 1)}`, a + 1);
  }
  const bad = checkError(s, a, end - 1, end - 1, 'HIBC secondary');
  if (bad !== undefined) return bad;
  const link = s[end - 2] as string;
  if (primaryCheck !== undefined && link !== primaryCheck) {
    return err(
      E.HIBC_LINK_MISMATCH,
      `HIBC secondary symbol link character '${link}' does not match the primary's check character '${primaryCheck}'`,
      end - 2,
    );
  }
  const badBody = parseSecondaryBody(s, a + 1, end - 2, f, refYear);
  if (badBody !== undefined) return badBody;
  f.elements.push({ id: 'LINK', name: 'link character', value: link }, { id: 'CHECK', name: 'check character', value: s[end - 1] as string });
  return undefined;
}

const DATE_FORMATS = ['MMYY', 'MMYY', 'MMDDYY', 'YYMMDD', 'YYMMDDHH', 'YYJJJ', 'YYJJJHH', ''] as const;
const DATE_LENGTHS = [4, 4, 6, 6, 8, 5, 7, 0] as const;

function badDate(what: string, orig: string, fmt: string, msg: string, at: number): UdiError {
  return err(E.INVALID_DATE, `HIBC ${what} '${orig}' (${fmt}): ${msg}`, at);
}

/** Parse a date in a HIBC format at s[p]; returns ISO date or error. */
function hibcDate(
  s: string,
  p: number,
  fmt: string,
  refYear: number,
  f: Fields,
  what: string,
): string | UdiError {
  const orig = s.slice(p, p + fmt.length);
  for (let i = 0; i < fmt.length; i++) {
    if (!isDigit(s.charCodeAt(p + i))) return badDate(what, orig, fmt, `${describeChar(s, p + i)} at position ${p + i} is not a digit`, p + i);
  }
  let y: number;
  let m: number;
  let d: number;
  let hourAt = -1;
  switch (fmt) {
    case 'MMYY': {
      m = num2(s, p);
      y = resolveYear2(num2(s, p + 2), refYear);
      if (m < 1 || m > 12) return badDate(what, orig, fmt, `month ${orig.slice(0, 2)} does not exist`, p);
      d = daysInMonth(y, m);
      warn(f.warnings, W.MONTH_ONLY_DATE, `HIBC ${what} ${orig} (MMYY) has no day; using the last day of the month, ${isoDate(y, m, d)}`);
      return isoDate(y, m, d);
    }
    case 'MMDDYY':
      m = num2(s, p);
      d = num2(s, p + 2);
      y = resolveYear2(num2(s, p + 4), refYear);
      break;
    case 'YYMMDD':
    case 'YYMMDDHH':
      y = resolveYear2(num2(s, p), refYear);
      m = num2(s, p + 2);
      d = num2(s, p + 4);
      if (fmt === 'YYMMDDHH') hourAt = p + 6;
      break;
    case 'YYJJJ':
    case 'YYJJJHH': {
      y = resolveYear2(num2(s, p), refYear);
      const doy = numN(s, p + 2, 3);
      const md = fromDayOfYear(y, doy);
      if (md === undefined) return badDate(what, orig, fmt, `day of year ${orig.slice(2, 5)} does not exist in ${y}`, p + 2);
      if (fmt === 'YYJJJHH' && num2(s, p + 5) > 23) return badDate(what, orig, fmt, `hour ${orig.slice(5, 7)} does not exist`, p + 5);
      return isoDate(y, md[0], md[1]);
    }
    default: {
      // YYYYMMDD (supplemental 16D / 14D)
      y = numN(s, p, 4);
      m = num2(s, p + 4);
      d = num2(s, p + 6);
    }
  }
  if (m < 1 || m > 12) return badDate(what, orig, fmt, `month ${pad2s(m)} does not exist`, p);
  if (d < 1 || d > daysInMonth(y, m)) return badDate(what, orig, fmt, `day ${pad2s(d)} does not exist in ${y}-${pad2s(m)}`, p);
  if (hourAt >= 0 && num2(s, hourAt) > 23) return badDate(what, orig, fmt, `hour ${s.slice(hourAt, hourAt + 2)} does not exist`, hourAt);
  return isoDate(y, m, d);
}

function pad2s(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Read a lot / serial field s[p, …) up to '/' or `end`. Returns the end index or an error. */
function readField(s: string, p: number, end: number, what: string, allowEmpty: boolean): number | UdiError {
  let i = p;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 47) break;
    if (!(isAlnum(c) || c === 45 || c === 46)) {
      return err(E.BAD_CHARACTER, `HIBC ${what}: ${describeChar(s, i)} at position ${i} is not allowed (A–Z, 0–9, '-', '.')`, i);
    }
    i++;
  }
  const n = i - p;
  if (n > 18) return err(E.BAD_LENGTH, `HIBC ${what} '${s.slice(p, i)}' is ${n} characters; the maximum is 18`, p);
  if (n === 0 && !allowEmpty) return err(E.BAD_LENGTH, `HIBC ${what} is empty`, p);
  return i;
}

function setExp(f: Fields, date: string, orig: string, fmt: string): void {
  if (f.exp === undefined) {
    f.exp = date;
    f.expOrig = orig;
    f.expFmt = fmt;
  } else if (f.exp !== date) {
    warn(f.warnings, W.CONFLICTING_DATES, `HIBC expiry dates disagree (${f.exp} and ${date}); keeping ${f.exp}`);
  }
}

function setMfg(f: Fields, date: string, orig: string, fmt: string): void {
  if (f.mfg === undefined) {
    f.mfg = date;
    f.mfgOrig = orig;
    f.mfgFmt = fmt;
  } else if (f.mfg !== date) {
    warn(f.warnings, W.CONFLICTING_DATES, `HIBC manufacturing dates disagree (${f.mfg} and ${date}); keeping ${f.mfg}`);
  }
}

/** Secondary data s[p, end) (after the `/` or `+`, before link/check): `$…` or the superseded Julian form. */
function parseSecondaryBody(s: string, p: number, end: number, f: Fields, refYear: number): UdiError | undefined {
  if (p >= end) return err(E.SYNTAX, 'HIBC secondary data structure is empty', p);
  const els = f.elements;
  const c0 = s.charCodeAt(p);
  if (isDigit(c0)) {
    // Superseded format: YYJJJ then lot.
    if (end - p < 5) return err(E.BAD_LENGTH, `HIBC Julian date '${s.slice(p, end)}' must be 5 digits (YYJJJ)`, p);
    const date = hibcDate(s, p, 'YYJJJ', refYear, f, 'expiry date');
    if (typeof date !== 'string') return date;
    const orig = s.slice(p, p + 5);
    els.push({ id: 'EXP', name: 'expiry date (YYJJJ, superseded format)', value: orig, date });
    setExp(f, date, orig, 'YYJJJ');
    warn(f.warnings, W.SUPERSEDED_FORMAT, 'superseded HIBC secondary format (5-digit Julian date after +); current labels use $$5');
    const q = readField(s, p + 5, end, 'lot number', true);
    if (typeof q !== 'number') return q;
    if (q > p + 5) {
      f.lot = s.slice(p + 5, q);
      els.push({ id: 'LOT', name: 'lot or batch number', value: f.lot });
    }
    return parseSupplements(s, q, end, f);
  }
  if (c0 !== 36) {
    return err(E.SYNTAX, `HIBC secondary data must start with '$' (or a 5-digit Julian date); found ${describeChar(s, p)}`, p);
  }
  const c1 = s.charCodeAt(p + 1);
  let q: number | UdiError;
  if (c1 === 36 && p + 1 < end) {
    // $$ or $$+: optional quantity, date flag, then lot (or serial).
    let i = p + 2;
    const serialMode = i < end && s.charCodeAt(i) === 43;
    if (serialMode) i++;
    const flag = i < end ? s.charCodeAt(i) : -1;
    if (flag === 56 || flag === 57) {
      const qn = flag === 56 ? 2 : 5;
      const qty = numN(s, i + 1, qn);
      if (qty < 0 || i + 1 + qn > end) {
        return err(E.BAD_CHARACTER, `HIBC quantity after '$$${serialMode ? '+' : ''}${flag - 48}' must be ${qn} digits`, i + 1);
      }
      f.qty = qty;
      els.push({ id: `$$${flag - 48}`, name: 'quantity', value: s.slice(i + 1, i + 1 + qn) });
      i += 1 + qn;
    }
    const df = i < end ? s.charCodeAt(i) - 48 : -1;
    if (!(df >= 0 && df <= 7)) {
      return err(
        E.SYNTAX,
        `HIBC date format flag at position ${i} must be 2–7 (or the first digit of MMYY), found ${i < end ? describeChar(s, i) : 'end of data'}`,
        i,
      );
    }
    const fmt = DATE_FORMATS[df] as string;
    const flagLen = df <= 1 ? 0 : 1;
    const dl = DATE_LENGTHS[df] as number;
    const ds = i + flagLen;
    if (dl > 0) {
      if (ds + dl > end) return err(E.BAD_LENGTH, `HIBC expiry date (${fmt}) at position ${ds} is truncated`, ds);
      const date = hibcDate(s, ds, fmt, refYear, f, 'expiry date');
      if (typeof date !== 'string') return date;
      const orig = s.slice(ds, ds + dl);
      els.push({ id: 'EXP', name: `expiry date (${fmt})`, value: orig, date });
      setExp(f, date, orig, fmt);
    }
    const fs = ds + dl;
    const what = serialMode ? 'serial number' : 'lot number';
    q = readField(s, fs, end, what, dl > 0);
    if (typeof q !== 'number') return q;
    if (q > fs) {
      const v = s.slice(fs, q);
      if (serialMode) f.serial = v;
      else f.lot = v;
      els.push(serialMode ? { id: 'SERIAL', name: 'serial number', value: v } : { id: 'LOT', name: 'lot or batch number', value: v });
    }
  } else if (c1 === 43 && p + 1 < end) {
    q = readField(s, p + 2, end, 'serial number', false);
    if (typeof q !== 'number') return q;
    f.serial = s.slice(p + 2, q);
    els.push({ id: 'SERIAL', name: 'serial number', value: f.serial });
  } else {
    q = readField(s, p + 1, end, 'lot number', false);
    if (typeof q !== 'number') return q;
    f.lot = s.slice(p + 1, q);
    els.push({ id: 'LOT', name: 'lot or batch number', value: f.lot });
  }
  return parseSupplements(s, q, end, f);
}

/** Supplemental fields `/S…`, `/16D…`, `/14D…`, `/Q…` from s[p] (which is '/' or `end`). */
function parseSupplements(s: string, p: number, end: number, f: Fields): UdiError | undefined {
  let i = p;
  while (i < end) {
    // s[i] === '/'
    const a = i + 1;
    const c = a < end ? s.charCodeAt(a) : -1;
    if (c === 83) {
      const q = readField(s, a + 1, end, 'serial number (/S)', false);
      if (typeof q !== 'number') return q;
      const v = s.slice(a + 1, q);
      f.elements.push({ id: 'S', name: 'serial number', value: v });
      if (f.serial === undefined) f.serial = v;
      else if (f.serial !== v) warn(f.warnings, W.DUPLICATE_FIELD, `HIBC serial given twice ('${f.serial}' and '${v}'); keeping '${f.serial}'`);
      i = q;
    } else if (c === 81) {
      let q = a + 1;
      while (q < end && isDigit(s.charCodeAt(q))) q++;
      if (q === a + 1 || q - a - 1 > 5 || (q < end && s.charCodeAt(q) !== 47)) {
        return err(E.BAD_CHARACTER, `HIBC /Q quantity must be 1–5 digits at position ${a + 1}`, a + 1);
      }
      const v = s.slice(a + 1, q);
      f.elements.push({ id: 'Q', name: 'quantity', value: v });
      f.qty ??= Number(v);
      i = q;
    } else if ((c === 49 && s.startsWith('16D', a)) || (c === 49 && s.startsWith('14D', a))) {
      const isMfg = s.charCodeAt(a + 1) === 54;
      const ds = a + 3;
      if (ds + 8 > end || (ds + 8 < end && s.charCodeAt(ds + 8) !== 47)) {
        return err(E.BAD_LENGTH, `HIBC /${s.slice(a, a + 3)} date must be 8 digits (YYYYMMDD) at position ${ds}`, ds);
      }
      const date = hibcDate(s, ds, 'YYYYMMDD', 0, f, isMfg ? 'manufacturing date (/16D)' : 'expiry date (/14D)');
      if (typeof date !== 'string') return date;
      const orig = s.slice(ds, ds + 8);
      f.elements.push({ id: isMfg ? '16D' : '14D', name: isMfg ? 'manufacturing date' : 'expiry date', value: orig, date });
      if (isMfg) setMfg(f, date, orig, 'YYYYMMDD');
      else setExp(f, date, orig, 'YYYYMMDD');
      i = ds + 8;
    } else {
      return err(
        E.SYNTAX,
        `unknown HIBC supplemental data field at position ${a} ('/${s.slice(a, Math.min(end, a + 3))}…'); expected /S, /16D, /14D or /Q`,
        a,
      );
    }
  }
  return undefined;
}

function build(
  input: string,
  sym: string | undefined,
  f: Fields,
  primary: Primary | undefined,
  normalized: string,
  check: string | undefined,
  link: string | undefined,
): Udi {
  return {
    udi: input,
    issuingAgency: 'HIBCC',
    syntax: 'hibcc',
    symbologyIdentifier: sym,
    di: primary?.di,
    labelerCode: primary?.lic,
    lotNumber: f.lot,
    serialNumber: f.serial,
    expirationDate: f.exp,
    expirationDateOriginal: f.expOrig,
    expirationDateOriginalFormat: f.expFmt,
    manufacturingDate: f.mfg,
    manufacturingDateOriginal: f.mfgOrig,
    manufacturingDateOriginalFormat: f.mfgFmt,
    donationId: undefined,
    elements: f.elements,
    normalized,
    warnings: f.warnings,
    productCode: primary?.pcn,
    unitOfMeasure: primary?.uom,
    quantity: f.qty,
    checkCharacter: check,
    linkCharacter: link,
  };
}
