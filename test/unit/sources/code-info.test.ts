import { describe, expect, it } from 'vitest';
import { extractTextIdentifiers } from '../../../lib/sources/openfda/code-info.js';

describe('extractTextIdentifiers', () => {
  it('reads a bracketed GS1 UDI with its lot (Z-2308-2026)', () => {
    const r = extractTextIdentifiers('Model/Catalog Number: 409-375 UDI code: (01)00844505000772(10)122927(17)310301 Lot Number: 122927');
    expect(r.dis).toEqual(['00844505000772']);
    expect(r.lots).toEqual(['122927']);
  });

  it('reads a labelled DI (Z-1973-2023) and its lot', () => {
    expect(extractTextIdentifiers('UDI/DI: 00191072179593; Lot Number: 967231')).toEqual({ dis: ['00191072179593'], lots: ['967231'], serials: [] });
  });

  it('reads a DI after "UDI-Device Identifier (GTIN/UPN):" (Z-2958-2018)', () => {
    expect(extractTextIdentifiers('Product Number/CFN: 186-0208  UDI-Device Identifier (GTIN/UPN): 10884521130319').dis).toEqual(['10884521130319']);
  });

  it('reads a 13-digit DI printed without its leading zero (Z-1817-2022)', () => {
    expect(extractTextIdentifiers('Starling monitor, DI 7290013030269').dis).toEqual(['07290013030269']);
  });

  it('reads an unbracketed GS1 element string', () => {
    expect(extractTextIdentifiers('UDI: 0100844505000772101229').dis).toEqual(['00844505000772']);
  });

  it('reads a HIBCC DI after a UDI label (Z-0899-2022) and serials', () => {
    const r = extractTextIdentifiers('Serial Number: 0496242  UDI: M572TPS3011113011');
    expect(r.dis).toEqual(['M572TPS3011113011']);
    expect(r.serials).toEqual(['0496242']);
  });

  it('ignores 14-digit runs with a wrong check digit and words after UDI labels', () => {
    const r = extractTextIdentifiers('1) UDI-DI: Product Code: AHCV18A, Lots 980221 (exp. 01/20/2023) and 974221 (exp. 01/25/2023) ref 12345678901234');
    expect(r.dis).toEqual([]);
    expect(r.lots).toEqual(['974221', '980221']);
  });

  it('reads lot lists and stops at the next field', () => {
    expect(extractTextIdentifiers('Lot/Batch Numbers: 13F18C0374, 13F18H0580').lots).toEqual(['13F18C0374', '13F18H0580']);
    expect(extractTextIdentifiers('Lot 5008762, Exp 11/30/16.').lots).toEqual(['5008762']);
    expect(extractTextIdentifiers('STERRAD NX Cassette, Batch # 12A078.    The STERRAD 100S').lots).toEqual(['12A078']);
  });

  it('finds nothing in text without identifiers', () => {
    expect(extractTextIdentifiers('Batteries with date code 3114 or older (Week 31 of 2014)', undefined)).toEqual({ dis: [], lots: [], serials: [] });
  });
});
