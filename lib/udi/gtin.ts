/** GTIN helpers (GS1 mod-10 check digit). Exported publicly; other modules import them. */

/**
 * GS1 mod-10 check digit of `body` (the digits without the check digit): weights 3,1,3,1,… from the
 * rightmost digit; check = (10 − sum mod 10) mod 10. Returns undefined when `body` is empty or has a
 * non-digit.
 */
export function gtinCheckDigit(body: string): number | undefined {
  if (typeof body !== 'string' || body.length === 0) return undefined;
  const r = mod10Range(body, 0, body.length);
  return r < 0 ? undefined : r;
}

/**
 * Mod-10 check digit over `s[from, to)` (charCode scan, no allocation). Returns −1 on a non-digit.
 * @internal
 */
export function mod10Range(s: string, from: number, to: number): number {
  let sum = 0;
  let w3 = true;
  for (let i = to - 1; i >= from; i--) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    sum += w3 ? d * 3 : d;
    w3 = !w3;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for an 8, 12, 13 or 14-digit string whose last digit is the correct GS1 check digit. */
export function isValidGtin(s: string): boolean {
  if (typeof s !== 'string') return false;
  const n = s.length;
  if (n !== 8 && n !== 12 && n !== 13 && n !== 14) return false;
  const c = s.charCodeAt(n - 1) - 48;
  if (!(c >= 0 && c <= 9)) return false;
  return mod10Range(s, 0, n - 1) === c;
}

const ZEROS = '000000';

/**
 * A valid GTIN-8/12/13/14 (digits only) as a 14-digit GTIN, left-padded with zeros.
 * Returns undefined when `s` is not a valid GTIN (wrong length, non-digit, wrong check digit).
 */
export function normalizeGtin14(s: string): string | undefined {
  if (!isValidGtin(s)) return undefined;
  return s.length === 14 ? s : ZEROS.slice(0, 14 - s.length) + s;
}
