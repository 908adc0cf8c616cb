import { describe, expect, it } from 'vitest';
import { modelTokens } from '../../../lib/domain/names.js';
import { readSampleDataset } from '../../../lib/sample/dataset.js';
import { familyAdvisoryRefs } from '../../../lib/sources/family.js';

describe('model tokens', () => {
  it.each([
    ['CMS8000 Patient Monitor', ['cms8000']],
    ['CMS8000 Patient Monitor Firmware', ['cms8000']],
    ['MN-120', ['mn120']],
    ['QardioARM A100', ['a100']],
    ['Patient Monitor', []],
    ['2.6.27', []],
  ])('%j → %j', (name, tokens) => {
    expect(modelTokens(name)).toEqual(tokens);
  });
});

describe('family links (sample data set)', () => {
  it('links the Contec CMS8000 advisory to clearance K101692, under which Epsimed sells the MN-120', async () => {
    const items = await readSampleDataset();
    const links = familyAdvisoryRefs(items);
    expect(links.map((l) => `${l.pk} ${l.sk}`)).toEqual(['SUB#K101692 ADV#ICSMA-25-030-01']);
    expect(links[0]).toMatchObject({ entity: 'advisory-ref', matchedBy: 'family-model', matchedValue: 'cms8000', version: 2 });
    expect(items.some((i) => i.pk === 'SUB#K101692' && i.sk === 'ADV#ICSMA-25-030-01')).toBe(true);
  });
});
