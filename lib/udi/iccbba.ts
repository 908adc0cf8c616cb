/**
 * ICCBBA ISBT 128 (ST-001 data structures, ST-017 for medical devices containing MPHO).
 * Data structures are concatenated without separators; each starts with a 2-character data identifier
 * (`=/`, `=,`, `=>`, …; the DIN's is `=` plus its first character; the MPHO lot's is `&,1`).
 */
import { describeChar, err, fromDayOfYear, isoDate, num2, numN } from './internal.js';
import { UdiErrorCode as E } from './types.js';
import type { Udi, UdiElement, UdiError, UdiWarning } from './types.js';

/** Content kinds of ISBT 128 data structures this parser knows. */
const K_PPIC = 1;
const K_SERIAL = 2;
const K_EXP = 3;
const K_MFG = 4;
const K_BAG_DI = 5;
const K_BAG_LOT = 6;
const K_COMPOUND = 7;
const K_MPHO_LOT = 8;
const K_DIN = 9;
const K_DATE = 10; // other cyyjjj date (collection)
const K_DATETIME = 11; // cyyjjjhhmm
const K_OTHER = 12;

interface Ds {
  id: string;
  ds: string;
  name: string;
  length: number;
  kind: number;
}

const TABLE: readonly Ds[] = [
  { id: '=/', ds: '034', name: 'Processor Product Identification Code (PPIC)', length: 16, kind: K_PPIC },
  { id: '=,', ds: '032', name: 'Product Divisions (serial number)', length: 6, kind: K_SERIAL },
  { id: '=>', ds: '004', name: 'Expiration Date', length: 6, kind: K_EXP },
  { id: '&>', ds: '005', name: 'Expiration Date and Time', length: 10, kind: K_DATETIME },
  { id: '=*', ds: '006', name: 'Collection Date', length: 6, kind: K_DATE },
  { id: '&*', ds: '007', name: 'Collection Date and Time', length: 10, kind: K_DATETIME },
  { id: '=}', ds: '008', name: 'Production Date', length: 6, kind: K_MFG },
  { id: '&}', ds: '009', name: 'Production Date and Time', length: 10, kind: K_DATETIME },
  { id: '=)', ds: '017', name: 'Container Manufacturer and Catalog Number', length: 10, kind: K_BAG_DI },
  { id: '&)', ds: '018', name: 'Container Lot Number', length: 10, kind: K_BAG_LOT },
  { id: '=+', ds: '023', name: 'Compound Message', length: 5, kind: K_COMPOUND },
  { id: '=%', ds: '002', name: 'Blood Groups [ABO and RhD]', length: 4, kind: K_OTHER },
  { id: '=<', ds: '003', name: 'Product Code', length: 8, kind: K_OTHER },
  { id: '&,1', ds: '035', name: 'MPHO Lot Number', length: 18, kind: K_MPHO_LOT },
];
const DIN_DS: Ds = { id: '=', ds: '001', name: 'Donation Identification Number (DIN)', length: 15, kind: K_DIN };

const BY_ID = new Map<string, Ds>(TABLE.map((d) => [d.id.slice(0, 2), d]));
const DS_EQ = new Array<Ds | undefined>(128).fill(undefined);
const DS_AMP = new Array<Ds | undefined>(128).fill(undefined);
for (const d of TABLE) (d.id[0] === '=' ? DS_EQ : DS_AMP)[d.id.charCodeAt(1)] = BY_ID.get(d.id.slice(0, 2));

function lookupDs(s: string, p: number, end: number): Ds | undefined {
  const c0 = s.charCodeAt(p);
  const c1 = p + 1 < end ? s.charCodeAt(p + 1) : 0;
  if (c1 >= 128) return undefined;
  if (c0 === 61) {
    const d = DS_EQ[c1];
    if (d !== undefined) return d;
    // DIN: '=' followed by its first character (A–N, P–Z, 1–9; 0 tolerated).
    if ((c1 >= 65 && c1 <= 90) || (c1 >= 48 && c1 <= 57)) return DIN_DS;
    return undefined;
  }
  if (c0 === 38) {
    const d = DS_AMP[c1];
    // 3-character identifiers (&,1): the third character must match too.
    if (d !== undefined && d.id.length === 3 && (p + 2 >= end || s.charCodeAt(p + 2) !== d.id.charCodeAt(2))) return undefined;
    return d;
  }
  return undefined;
}

function isUpperAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
}

/** ISO 7064 mod 37-2 checksum (0–36) of an alphanumeric string; −1 on an invalid character. */
export function mod37_2(s: string): number {
  let p = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : c === 42 ? 36 : -1;
    if (v < 0) return -1;
    p = ((p + v) * 2) % 37;
  }
  return (38 - p) % 37;
}

/** ISBT 128 cyyjjj date at s[p]: c = century (0 = 2000s, 9 = 1900s, n = 2000 + 100n), yy, day of year. */
function cyyjjj(s: string, p: number, ds: Ds): string | UdiError {
  const c = numN(s, p, 1);
  const yy = num2(s, p + 1);
  const jjj = numN(s, p + 3, 3);
  const orig = s.slice(p, p + 6);
  if (c < 0 || yy < 0 || jjj < 0) {
    return err(E.BAD_CHARACTER, `ISBT 128 ${ds.name} (${ds.id}) '${orig}' must be 6 digits (cyyjjj)`, p);
  }
  const y = (c === 9 ? 1900 : 2000 + c * 100) + yy;
  const md = fromDayOfYear(y, jjj);
  if (md === undefined) {
    return err(E.INVALID_DATE, `ISBT 128 ${ds.name} (${ds.id}) '${orig}': day ${orig.slice(3)} does not exist in ${y}`, p + 3);
  }
  return isoDate(y, md[0], md[1]);
}

function dupError(ds: Ds, what: string, cur: string, value: string, p: number): UdiError {
  return err(E.DUPLICATE_AI, `ISBT 128 ${what} (${ds.id}) appears twice with different values ('${cur}' and '${value}')`, p);
}

/** Parse ISBT 128 data structures in s[start, end). */
export function parseIccbba(input: string, start: number, end: number, sym: string | undefined): Udi | UdiError {
  const s = input;
  const elements: UdiElement[] = [];
  const warnings: UdiWarning[] = [];
  let di: string | undefined;
  let labelerCode: string | undefined;
  let lot: string | undefined;
  let serial: string | undefined;
  let exp: string | undefined;
  let expOrig: string | undefined;
  let mfg: string | undefined;
  let mfgOrig: string | undefined;
  let donationId: string | undefined;
  let din: string | undefined;
  let dinFlags: string | undefined;
  let dinChecksumValid: boolean | undefined;
  let compound: { count: number; sequence: string } | undefined;
  let compoundAt = -1;
  let count = 0;

  let p = start;
  while (p < end) {
    const ds = lookupDs(s, p, end);
    if (ds === undefined) {
      const c0 = s.charCodeAt(p);
      if (c0 !== 61 && c0 !== 38) {
        return err(E.SYNTAX, `expected an ISBT 128 data identifier ('=' or '&') at position ${p}, found ${describeChar(s, p)}`, p);
      }
      return err(E.UNKNOWN_DATA_STRUCTURE, `unknown ISBT 128 data identifier '${s.slice(p, Math.min(end, p + 2))}' at position ${p}`, p);
    }
    const idLen = ds.kind === K_DIN ? 1 : ds.id.length;
    const vs = p + idLen;
    const ve = vs + ds.length;
    // Fixed length: the content must not run into the next data identifier or past the end.
    let k = vs;
    while (k < end && k < ve && isUpperAlnum(s.charCodeAt(k))) k++;
    if (k < ve) {
      if (k < end && s.charCodeAt(k) !== 61 && s.charCodeAt(k) !== 38) {
        return err(
          E.BAD_CHARACTER,
          `ISBT 128 ${ds.name} (${ds.id}): ${describeChar(s, k)} at position ${k} is not allowed (A–Z, 0–9)`,
          k,
        );
      }
      return err(
        E.BAD_LENGTH,
        `ISBT 128 ${ds.name} (${ds.id}) must be ${ds.length} characters; found ${k - vs} before ${k < end ? 'the next data identifier' : 'the end'}`,
        vs,
      );
    }
    const value = s.slice(vs, ve);
    let date: string | undefined;
    switch (ds.kind) {
      case K_PPIC: {
        // FIN(P) 5 (A–N, P–Z, 0–9: no letter O) + facility product code 6 + product description code 5.
        for (let i = vs; i < vs + 5; i++) {
          if (s.charCodeAt(i) === 79) {
            return err(E.BAD_CHARACTER, `ISBT 128 PPIC FIN(P) '${value.slice(0, 5)}' contains the letter O at position ${i} (not allowed)`, i);
          }
        }
        if (di !== undefined && di !== value) return dupError(ds, 'PPIC', di, value, p);
        di = value;
        labelerCode = value.slice(0, 5);
        break;
      }
      case K_BAG_DI: {
        if (di !== undefined && di !== value) return dupError(ds, 'container code', di, value, p);
        di = value;
        break;
      }
      case K_SERIAL: {
        if (serial !== undefined && serial !== value) return dupError(ds, 'serial', serial, value, p);
        serial = value;
        break;
      }
      case K_MPHO_LOT:
      case K_BAG_LOT: {
        if (lot !== undefined && lot !== value) return dupError(ds, 'lot', lot, value, p);
        lot = value;
        break;
      }
      case K_EXP:
      case K_MFG:
      case K_DATE:
      case K_DATETIME: {
        const r = cyyjjj(s, vs, ds);
        if (typeof r !== 'string') return r;
        date = r;
        if (ds.kind === K_DATETIME) {
          const h = num2(s, vs + 6);
          const mi = num2(s, vs + 8);
          if (h < 0 || h > 23 || mi < 0 || mi > 59) {
            return err(E.INVALID_DATE, `ISBT 128 ${ds.name} (${ds.id}): time '${value.slice(6)}' is not hhmm`, vs + 6);
          }
        }
        if (ds.kind === K_EXP) {
          if (expOrig !== undefined && expOrig !== value) return dupError(ds, 'expiration date', expOrig, value, p);
          exp = date;
          expOrig = value;
        } else if (ds.kind === K_MFG) {
          if (mfgOrig !== undefined && mfgOrig !== value) return dupError(ds, 'production date', mfgOrig, value, p);
          mfg = date;
          mfgOrig = value;
        }
        break;
      }
      case K_COMPOUND: {
        if (p !== start) {
          return err(E.SYNTAX, 'an ISBT 128 compound message (=+) must be the first data structure', p);
        }
        const n = num2(s, vs);
        const seq = numN(s, vs + 2, 3);
        if (n < 0 || seq < 0) return err(E.BAD_CHARACTER, `ISBT 128 compound message '=+${value}' must be 5 digits (nn sss)`, vs);
        compound = { count: n, sequence: value.slice(2) };
        compoundAt = p;
        break;
      }
      case K_DIN: {
        // FIN 5 + year 2 + sequence 6 + 2 flag characters.
        for (let i = vs; i < vs + 5; i++) {
          if (s.charCodeAt(i) === 79) {
            return err(E.BAD_CHARACTER, `ISBT 128 DIN facility code '${value.slice(0, 5)}' contains the letter O at position ${i} (not allowed)`, i);
          }
        }
        for (let i = vs + 5; i < vs + 13; i++) {
          const c = s.charCodeAt(i);
          if (!(c >= 48 && c <= 57)) {
            return err(E.BAD_CHARACTER, `ISBT 128 DIN '${value}': year and sequence number (positions 6–13) must be digits; found ${describeChar(s, i)} at position ${i}`, i);
          }
        }
        if (donationId !== undefined && donationId !== value) return dupError(ds, 'DIN', donationId, value, p);
        donationId = value;
        din = value.slice(0, 13);
        dinFlags = value.slice(13);
        const flagNum = num2(s, vs + 13);
        if (flagNum >= 60 && flagNum <= 96) {
          const expected = mod37_2(din);
          if (flagNum - 60 !== expected) {
            return err(
              E.DIN_CHECKSUM,
              `ISBT 128 DIN ${din}: flag characters ${dinFlags} carry checksum ${flagNum - 60}, but ISO 7064 mod 37-2 gives ${expected} (flags ${60 + expected})`,
              vs + 13,
            );
          }
          dinChecksumValid = true;
        } else {
          dinChecksumValid = undefined;
        }
        break;
      }
      default:
        break;
    }
    elements.push({ id: ds.id, name: `${ds.name} [DS ${ds.ds}]`, value, date });
    if (ds.kind !== K_COMPOUND) count++;
    p = ve;
  }
  if (compound !== undefined && compound.count !== count) {
    return err(
      E.COMPOUND_COUNT,
      `compound message declares ${compound.count} data structures but contains ${count}`,
      compoundAt,
    );
  }
  if (elements.length === 0) return err(E.EMPTY, 'no ISBT 128 data structures found', start);
  return {
    udi: input,
    issuingAgency: 'ICCBBA',
    syntax: 'iccbba',
    symbologyIdentifier: sym,
    di,
    labelerCode,
    lotNumber: lot,
    serialNumber: serial,
    expirationDate: exp,
    expirationDateOriginal: expOrig,
    expirationDateOriginalFormat: expOrig === undefined ? undefined : 'YYYJJJ',
    manufacturingDate: mfg,
    manufacturingDateOriginal: mfgOrig,
    manufacturingDateOriginalFormat: mfgOrig === undefined ? undefined : 'YYYJJJ',
    donationId,
    elements,
    normalized: s.slice(start, end),
    warnings,
    din,
    dinFlags,
    dinChecksumValid,
    compoundMessage: compound,
  };
}
