/**
 * formatUdi: the inverse of parseUdi. Builds a GS1 HRI / element string, a HIBC concatenated symbol
 * (with its computed mod-43 check character) or ISBT 128 data structures from a Udi (or the same fields
 * filled in by hand).
 */
import { lookupAi } from './gs1-ai-table.js';
import { hibcCheckCharacter } from './hibcc.js';
import { isLeap } from './internal.js';
import type { FormatUdiOptions, Udi, UdiElement } from './types.js';

/** What formatUdi needs: the agency plus whichever fields / elements are present. */
export type FormatUdiInput = Pick<Udi, 'issuingAgency'> & Partial<Omit<Udi, 'issuingAgency'>>;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function isoParts(iso: string, what: string): [number, number, number] {
  const m = ISO.exec(iso);
  if (m === null) throw new RangeError(`formatUdi: ${what} '${iso}' is not YYYY-MM-DD`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function p2(n: number): string {
  return n < 10 ? '0' + n : String(n % 100).padStart(2, '0');
}

function yymmdd(iso: string, what: string): string {
  const [y, m, d] = isoParts(iso, what);
  return p2(y % 100) + p2(m) + p2(d);
}

function cyyjjj(iso: string, what: string): string {
  const [y, m, d] = isoParts(iso, what);
  const cum = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
  const doy = (cum[m - 1] ?? 0) + d + (m > 2 && isLeap(y) ? 1 : 0);
  const c = y >= 2000 ? Math.floor((y - 2000) / 100) : 9;
  return String(c) + p2(y % 100) + String(doy).padStart(3, '0');
}

function gs1Elements(u: FormatUdiInput): UdiElement[] {
  if (u.elements !== undefined && u.elements.length > 0) return u.elements;
  const out: UdiElement[] = [];
  const add = (id: string, value: string | undefined): void => {
    if (value !== undefined) out.push({ id, name: lookupAi(id)?.title ?? id, value });
  };
  add('01', u.di);
  add('11', u.manufacturingDateOriginal ?? (u.manufacturingDate === undefined ? undefined : yymmdd(u.manufacturingDate, 'manufacturingDate')));
  add('17', u.expirationDateOriginal ?? (u.expirationDate === undefined ? undefined : yymmdd(u.expirationDate, 'expirationDate')));
  add('10', u.lotNumber);
  add('21', u.serialNumber);
  return out;
}

function formatGs1(u: FormatUdiInput, style: 'hri' | 'raw'): string {
  const els = gs1Elements(u);
  let out = '';
  for (let i = 0; i < els.length; i++) {
    const el = els[i] as UdiElement;
    if (style === 'hri') {
      out += '(' + el.id + ')' + el.value;
    } else {
      out += el.id + el.value;
      const e = lookupAi(el.id);
      if (i < els.length - 1 && (e === undefined || !e.predefined)) out += '\x1d';
    }
  }
  return out;
}

function formatHibc(u: FormatUdiInput): string {
  let di = u.di;
  if (di === undefined && u.labelerCode !== undefined && u.productCode !== undefined && u.unitOfMeasure !== undefined) {
    di = u.labelerCode + u.productCode + String(u.unitOfMeasure);
  }
  let data = '+' + (di ?? '');
  const lot = u.lotNumber;
  const serial = u.serialNumber;
  const hasPi = lot !== undefined || serial !== undefined || u.expirationDate !== undefined || u.manufacturingDate !== undefined || u.quantity !== undefined;
  if (hasPi) {
    const field = lot ?? serial;
    const serialMode = lot === undefined && serial !== undefined;
    let body = '$$' + (serialMode ? '+' : '');
    if (u.quantity !== undefined) {
      if (!Number.isInteger(u.quantity) || u.quantity < 0 || u.quantity > 99999) throw new RangeError('formatUdi: HIBC quantity must be 0–99999');
      body += '9' + String(u.quantity).padStart(5, '0');
    }
    if (field !== undefined) {
      body += '7' + field;
      if (lot !== undefined && serial !== undefined) body += '/S' + serial;
      if (u.expirationDate !== undefined) body += '/14D' + u.expirationDate.replace(/-/g, '');
    } else if (u.expirationDate !== undefined) {
      body += '3' + yymmdd(u.expirationDate, 'expirationDate');
    } else {
      throw new RangeError('formatUdi: a HIBC secondary needs a lot, a serial or an expiry date');
    }
    if (u.manufacturingDate !== undefined) body += '/16D' + u.manufacturingDate.replace(/-/g, '');
    data = di === undefined ? '+' + body : data + '/' + body;
  }
  const check = hibcCheckCharacter(data);
  if (check === undefined) throw new RangeError(`formatUdi: '${data}' contains characters outside the HIBC set`);
  return data + check;
}

function formatIccbba(u: FormatUdiInput): string {
  if (u.elements !== undefined && u.elements.length > 0) {
    let out = '';
    for (const el of u.elements) out += el.id + el.value;
    return out;
  }
  let out = '';
  if (u.di !== undefined) out += (u.di.length === 10 ? '=)' : '=/') + u.di;
  if (u.serialNumber !== undefined) out += '=,' + u.serialNumber;
  if (u.donationId !== undefined) out += '=' + u.donationId;
  if (u.expirationDate !== undefined) out += '=>' + cyyjjj(u.expirationDate, 'expirationDate');
  if (u.manufacturingDate !== undefined) out += '=}' + cyyjjj(u.manufacturingDate, 'manufacturingDate');
  if (u.lotNumber !== undefined) out += (u.lotNumber.length === 10 && u.di?.length === 10 ? '&)' : '&,1') + u.lotNumber;
  return out;
}

/**
 * Format a UDI. GS1: `style: 'hri'` (default) gives `(01)…(17)…`, `'raw'` the element string with GS
 * (\x1d) after variable-length values. HIBCC: the concatenated symbol data with its check character
 * (same for both styles). ICCBBA: the concatenated data structures.
 * Throws RangeError only for input that cannot be represented (bad dates, non-HIBC characters).
 */
export function formatUdi(udi: FormatUdiInput, options: FormatUdiOptions = {}): string {
  const style = options.style ?? 'hri';
  switch (udi.issuingAgency) {
    case 'GS1':
      return formatGs1(udi, style);
    case 'HIBCC':
      return formatHibc(udi);
    case 'ICCBBA':
      return formatIccbba(udi);
    default:
      throw new RangeError(`formatUdi: unknown issuing agency '${String((udi as { issuingAgency: unknown }).issuingAgency)}'`);
  }
}
