/** Shared internals of the UDI parsers: results, dates, character classes. Not part of the public API. */
import type { ParseUdiOptions, UdiError, UdiErrorCode, UdiWarning, UdiWarningCode } from './types.js';

/** Thrown-free error signalling: parsers return a UdiError object instead of a Udi. */
export function err(code: UdiErrorCode, message: string, position?: number): UdiError {
  return position === undefined ? { code, message } : { code, message, position };
}

export function warn(warnings: UdiWarning[], code: UdiWarningCode, message: string): void {
  warnings.push({ code, message });
}

/** Printable description of the character at `i`, e.g. `'é' (U+00E9)`. */
export function describeChar(s: string, i: number): string {
  const cp = s.codePointAt(i) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  if (cp < 0x20 || cp === 0x7f) return `control character U+${hex}`;
  return `'${String.fromCodePoint(cp)}' (U+${hex})`;
}

// ---------------------------------------------------------------------------------------------
// Dates

const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);

export function pad2(n: number): string {
  return PAD2[n] ?? String(n);
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : (DAYS[m - 1] ?? 0);
}

// ISO dates for 1900–2299, filled lazily per month (dates repeat a lot: expiry dates of one product, one
// lot): no string building for a date seen before.
const MONTHS: Array<Array<string | undefined> | undefined> = new Array<Array<string | undefined> | undefined>(400 * 12).fill(undefined);

export function isoDate(y: number, m: number, d: number): string {
  const i = (y - 1900) * 12 + (m - 1);
  if (i < 0 || i >= MONTHS.length || d < 0 || d > 31) return y + '-' + (PAD2[m] as string) + '-' + (PAD2[d] as string);
  let month = MONTHS[i];
  if (month === undefined) {
    month = new Array<string | undefined>(32).fill(undefined);
    MONTHS[i] = month;
  }
  let date = month[d];
  if (date === undefined) {
    date = y + '-' + (PAD2[m] as string) + '-' + (PAD2[d] as string);
    month[d] = date;
  }
  return date;
}

/** Day-of-year (1-based) to [month, day]; undefined when out of range for the year. */
export function fromDayOfYear(y: number, doy: number): [number, number] | undefined {
  if (doy < 1 || doy > (isLeap(y) ? 366 : 365)) return undefined;
  let m = 1;
  let left = doy;
  for (;;) {
    const dim = daysInMonth(y, m);
    if (left <= dim) return [m, left];
    left -= dim;
    m++;
  }
}

/**
 * GS1 General Specifications §7.12: resolve a two-digit year to the year within −49…+50 years of the
 * reference year.
 */
export function resolveYear2(yy: number, refYear: number): number {
  let y = refYear - (refYear % 100) + yy;
  if (y - refYear > 50) y -= 100;
  else if (y - refYear < -49) y += 100;
  return y;
}

// Cached current UTC year. Date.now() is re-read every 1024 calls (cheap enough; a stale year for a few
// calls right at New Year only shifts the ±50-year window by one year).
let cachedYear = 0;
let calls = 0;

export function currentYear(): number {
  if ((calls++ & 1023) === 0 || cachedYear === 0) cachedYear = new Date().getUTCFullYear();
  return cachedYear;
}

// Last referenceDate seen → its year (parsing a date string costs far more than a UDI).
let lastRef: string | number | undefined;
let lastRefYear = 0;

/** Reference year from options (UTC), or the current year. Invalid dates fall back to now. */
export function referenceYear(options: ParseUdiOptions | undefined): number {
  const ref = options?.referenceDate;
  if (ref === undefined) return currentYear();
  const key = ref instanceof Date ? ref.getTime() : ref;
  if (key === lastRef && lastRefYear !== 0) return lastRefYear;
  const y = (ref instanceof Date ? ref : new Date(ref)).getUTCFullYear();
  if (!Number.isFinite(y)) return currentYear();
  lastRef = key;
  lastRefYear = y;
  return y;
}

/** Two decimal digits at s[i], s[i+1] as a number, or −1. */
export function num2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  // Written as !(in range) so NaN (index past the end) counts as a non-digit.
  if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9)) return -1;
  return a * 10 + b;
}

/** `n` decimal digits at s[i…] as a number, or −1. */
export function numN(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = s.charCodeAt(i + k) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** True when s[from, to) are all ASCII digits (and the range is non-empty). */
export function allDigits(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!(c >= 48 && c <= 57)) return false;
  }
  return true;
}

export const GS = 0x1d;
