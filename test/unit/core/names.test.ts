import { describe, expect, it } from 'vitest';
import { firmKey, normalizeFirmName } from '../../../lib/domain/names.js';

describe('firm-name normalisation', () => {
  it.each([
    ['Contec Medical Systems Co., Ltd.', 'contec medical systems'],
    ['CONTEC MEDICAL SYSTEMS CO LTD', 'contec medical systems'],
    ['Nuvasive, Inc.', 'nuvasive'],
    ['NuVasive Incorporated', 'nuvasive'],
    ['Ethicon Endo-Surgery, LLC', 'ethicon endo surgery'],
    ['GIMA S.p.A.', 'gima'],
    ['Dräger Medical GmbH', 'drager medical'],
    ['Arrow International Inc', 'arrow international'],
    ['Johnson & Johnson', 'johnson and johnson'],
    ['Becton Dickinson & Co.', 'becton dickinson'],
    ['BECTON, DICKINSON AND COMPANY', 'becton dickinson'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeFirmName(input)).toBe(expected);
  });

  it('keeps a legal-form word that is the whole name, and words inside the name', () => {
    expect(normalizeFirmName('Co')).toBe('co');
    expect(normalizeFirmName('Co Medical Inc')).toBe('co medical');
  });

  it('makes key-safe forms without spaces', () => {
    expect(firmKey('Contec Medical Systems Co., Ltd.')).toBe('contec-medical-systems');
  });
});
