import { describe, expect, it } from 'vitest';
import type { BaseItem } from '../../../lib/domain/item.js';
import {
  listingIdOf,
  mapClassificationRecord,
  mapClearanceRecord,
  mapRegistrationListingRecord,
  relabelerTypes,
} from '../../../lib/sources/openfda/registration.js';
import { RegistrationListingRecordSchema } from '../../../lib/sources/openfda/schemas.js';
import { ref } from '../../../lib/store/keys.js';
import { firstResult, readSampleJson } from './helpers.js';

const ethicon = firstResult('real/openfda/registrationlisting/registrationlisting-ethicon-1628808-repack-relabel-K032676.response.json');
const diasorin = (readSampleJson('real/openfda/registrationlisting/registrationlisting-site-examples-diasorin-9610240.json') as { anatomy: unknown }).anatomy;

describe('registration & listing', () => {
  it('Ethicon 1628808 is a relabeler, indexed under its K number and firm', () => {
    const items = mapRegistrationListingRecord(ethicon);
    const listing = items.find((i) => i.entity === 'listing') as BaseItem;
    expect(listing.pk).toBe('EST#1628808');
    expect(listing).toMatchObject({
      isRelabeler: true,
      relabelerTypes: ['Repack or Relabel Medical Device'],
      firmName: 'ETHICON ENDO-SURGERY, INC.',
      firmNameNorm: 'ethicon endo surgery',
      kNumber: 'K032676',
      proprietaryNames: ['ENDOPATH XCEL'],
      productCodes: ['GCJ'],
      feiNumber: '1628808',
      country: 'US',
    });
    const listingRef = items.find((i) => i.entity === 'listing-ref') as BaseItem;
    expect(listingRef.pk).toBe(ref.submissionPartition('K032676'));
    expect(listingRef.sk).toBe(ref.listingRefSk('1628808', listing.listingId as string));
    expect(listingRef.isRelabeler).toBe(true);
    const est = items.find((i) => i.entity === 'establishment-ref') as BaseItem;
    expect(est).toMatchObject({ pk: 'FIRM#ethicon-endo-surgery', sk: ref.establishmentRefSk('1628808'), isRelabeler: true });
  });

  it('does not store personal data (official correspondent, US agent)', () => {
    const text = JSON.stringify([...mapRegistrationListingRecord(ethicon), ...mapRegistrationListingRecord(diasorin)]);
    expect(text).not.toContain('Ruble');
    expect(text).not.toContain('john.walter@diasorin.com');
    expect(text).not.toContain('3371593');
  });

  it('DiaSorin (Manufacture Medical Device) is not a relabeler and lists under its PMA', () => {
    const items = mapRegistrationListingRecord(diasorin);
    expect(items.find((i) => i.entity === 'listing')).toMatchObject({ isRelabeler: false, relabelerTypes: [], pmaNumber: 'P990041' });
    expect(items.find((i) => i.entity === 'listing-ref')?.pk).toBe('SUB#P990041');
    // Registration name "DIASORIN S.P.A." and owner "DiaSorin S.p.A" normalise to one firm key.
    expect(items.filter((i) => i.entity === 'establishment-ref').map((i) => i.pk)).toEqual(['FIRM#diasorin']);
  });

  it('classifies every relabel establishment type, and nothing else', () => {
    expect(
      relabelerTypes([
        'Foreign Private Label Distributor',
        'manufacture medical device',
        'Develop Specifications But Do Not Manufacture At This Facility',
        'Repack or Relabel  Medical Device',
      ]),
    ).toEqual(['Repack or Relabel Medical Device', 'Foreign Private Label Distributor', 'Develop Specifications But Do Not Manufacture At This Facility']);
    expect(relabelerTypes(['Manufacture Medical Device', 'Sterilize Medical Device for Another Party (Contract Sterilizer)'])).toEqual([]);
  });

  it('derives listing ids deterministically from the listing content', () => {
    const a = RegistrationListingRecordSchema.parse(ethicon);
    const b = RegistrationListingRecordSchema.parse({ ...ethicon, proprietary_name: ['endopath  xcel'] });
    const c = RegistrationListingRecordSchema.parse({ ...ethicon, k_number: 'K999999' });
    expect(listingIdOf(a)).toBe(listingIdOf(b));
    expect(listingIdOf(a)).not.toBe(listingIdOf(c));
    expect(listingIdOf(a)).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('skips a record without a registration number', () => {
    expect(mapRegistrationListingRecord({ establishment_type: [], registration: {} })).toEqual([]);
  });
});

describe('510(k) clearance', () => {
  it('maps K001142 under SUB#K001142', () => {
    const [c] = mapClearanceRecord(firstResult('real/openfda/510k/510k-K001142.response.json'));
    expect(c).toMatchObject({
      ...ref.clearance('K001142'),
      entity: 'clearance',
      kNumber: 'K001142',
      applicant: 'AUDIO TECHNOLOGIES S.R.L.',
      applicantNorm: 'audio technologies',
      decisionCode: 'SESE',
      decisionDate: '2000-06-23',
      dateReceived: '2000-04-10',
      productCode: 'ETB',
      country: 'IT',
      sourceDate: '2000-06-23',
    });
  });
});

describe('classification', () => {
  it('maps GBY with boolean flags', () => {
    const [c] = mapClassificationRecord(firstResult('real/openfda/classification/classification-GBY.response.json'));
    expect(c).toMatchObject({ ...ref.classification('GBY'), productCode: 'GBY', deviceClass: '1', regulationNumber: '878.4200', implant: false, lifeSustain: false, medicalSpecialty: 'SU' });
  });

  it('reads the site example header (EHE)', () => {
    const header = (readSampleJson('real/openfda/classification/classification-site-examples-EHE.json') as { header: unknown }).header;
    expect(mapClassificationRecord(header)[0]).toMatchObject({ pk: 'PC#EHE', deviceName: 'Dispenser, Mercury And/Or Alloy' });
  });
});
