/**
 * /device/510k → `clearance`; /device/registrationlisting → `listing`, `listing-ref`, `establishment-ref`;
 * /device/classification → `classification`.
 */
import type { BaseItem } from '../../domain/item.js';
import { canonicalJson } from '../../domain/item.js';
import { firmKey, modelTokens, normalizeFirmName } from '../../domain/names.js';
import { ref } from '../../store/keys.js';
import { sealItem, latestDate, type MapOptions } from '../item.js';
import { compact, isoDate, parseBool, shortHash, sortedUnique } from '../normalize.js';
import {
  ClassificationRecordSchema,
  ClearanceRecordSchema,
  RegistrationListingRecordSchema,
  type RegistrationListingRecord,
} from './schemas.js';

// ------------------------------------------------------------------------------------------------ clearance

/** One raw /device/510k record → a `clearance` item at `SUB#<k>` / `CLEARANCE` ([] without a k_number). */
export function mapClearanceRecord(raw: unknown, options: MapOptions = {}): BaseItem[] {
  const parsed = ClearanceRecordSchema.safeParse(raw);
  if (!parsed.success) return [];
  const c = parsed.data;
  const kNumber = c.k_number?.toUpperCase();
  if (kNumber === undefined) return [];
  const decisionDate = isoDate(c.decision_date);
  return [
    sealItem(ref.clearance(kNumber), 'clearance', options.source ?? 'openfda', decisionDate, {
      kNumber,
      applicant: c.applicant,
      applicantNorm: c.applicant === undefined ? undefined : normalizeFirmName(c.applicant),
      applicantKey: c.applicant === undefined ? undefined : firmKey(c.applicant),
      deviceName: c.device_name,
      decisionCode: c.decision_code,
      decisionDescription: c.decision_description,
      decisionDate,
      dateReceived: isoDate(c.date_received),
      clearanceType: c.clearance_type,
      productCode: c.product_code?.toUpperCase(),
      country: c.country_code,
      regulationNumber: c.openfda.regulation_number,
      deviceClass: c.openfda.device_class,
      advisoryCommittee: c.advisory_committee_description ?? c.advisory_committee,
      thirdParty: parseBool(c.third_party_flag),
    }),
  ];
}

// ------------------------------------------------------------------------------------------------- listings

/** Establishment types that mean "this firm puts its name on devices others make" (relabel signal, §9). */
export const RELABELER_ESTABLISHMENT_TYPES = [
  'Repack or Relabel Medical Device',
  'Foreign Private Label Distributor',
  'Develop Specifications But Do Not Manufacture At This Facility',
] as const;
export type RelabelerEstablishmentType = (typeof RELABELER_ESTABLISHMENT_TYPES)[number];

/** Which of the relabeler establishment types a list contains (case- and space-insensitive). */
export function relabelerTypes(establishmentTypes: readonly string[]): RelabelerEstablishmentType[] {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const have = new Set(establishmentTypes.map(norm));
  return RELABELER_ESTABLISHMENT_TYPES.filter((t) => have.has(norm(t)));
}

/**
 * A deterministic id for one listing of an establishment: a hash of what identifies the listing (premarket
 * numbers, product codes, proprietary names; sorted, case-folded). openFDA exposes no listing id, and one
 * establishment has many listings. 16 base64url characters.
 */
export function listingIdOf(r: RegistrationListingRecord): string {
  const material = {
    k: r.k_number?.toUpperCase() ?? '',
    pma: r.pma_number?.toUpperCase() ?? '',
    productCodes: sortedUnique(r.products.flatMap((p) => (p.product_code === undefined ? [] : [p.product_code.toUpperCase()]))),
    proprietaryNames: sortedUnique(r.proprietary_name.map((n) => n.toUpperCase().replace(/\s+/g, ' '))),
  };
  return shortHash(canonicalJson(material), 16);
}

/** One raw /device/registrationlisting record → `listing` + `listing-ref`s + `establishment-ref`s. */
export function mapRegistrationListingRecord(raw: unknown, options: MapOptions = {}): BaseItem[] {
  const parsed = RegistrationListingRecordSchema.safeParse(raw);
  if (!parsed.success) return [];
  const r = parsed.data;
  const reg = r.registration;
  const registrationNumber = reg.registration_number ?? reg.fei_number;
  if (registrationNumber === undefined) return [];
  const source = options.source ?? 'openfda';

  const listingId = listingIdOf(r);
  const firmName = reg.name;
  const ownerOperatorName = reg.owner_operator.firm_name;
  const establishmentTypes = r.establishment_type;
  const relabel = relabelerTypes(establishmentTypes);
  const productCodes = sortedUnique(r.products.flatMap((p) => (p.product_code === undefined ? [] : [p.product_code.toUpperCase()])));
  const kNumber = r.k_number?.toUpperCase();
  const pmaNumber = r.pma_number?.toUpperCase();
  const sourceDate = latestDate(...r.products.map((p) => isoDate(p.created_date)));

  const establishment = compact({
    registrationNumber,
    feiNumber: reg.fei_number,
    firmName,
    firmNameNorm: firmName === undefined ? undefined : normalizeFirmName(firmName),
    ownerOperatorNumber: reg.owner_operator.owner_operator_number,
    ownerOperatorName,
    ownerOperatorNameNorm: ownerOperatorName === undefined ? undefined : normalizeFirmName(ownerOperatorName),
    establishmentTypes,
    isRelabeler: relabel.length > 0,
    relabelerTypes: relabel,
    statusCode: reg.status_code,
    regExpiryYear: reg.reg_expiry_date_year,
    country: reg.iso_country_code ?? reg.owner_operator.contact_address.iso_country_code,
  });
  const listing = compact({
    listingId,
    proprietaryNames: r.proprietary_name,
    kNumber,
    pmaNumber,
    productCodes,
    products: r.products.map((p) =>
      compact({
        productCode: p.product_code?.toUpperCase(),
        createdDate: isoDate(p.created_date),
        exempt: parseBool(p.exempt),
        deviceName: p.openfda.device_name,
        deviceClass: p.openfda.device_class,
        regulationNumber: p.openfda.regulation_number,
      }),
    ),
  });

  const items: BaseItem[] = [sealItem(ref.listing(registrationNumber, listingId), 'listing', source, sourceDate, { ...establishment, ...listing })];

  const submissions = sortedUnique([kNumber, pmaNumber].filter((s): s is string => s !== undefined));
  for (const s of submissions) {
    items.push(
      sealItem(
        { pk: ref.submissionPartition(s), sk: ref.listingRefSk(registrationNumber, listingId) },
        'listing-ref',
        source,
        sourceDate,
        { ...establishment, ...listing, products: undefined, submission: s },
      ),
    );
  }

  // Model tokens of the proprietary names connect this listing to advisories naming the model.
  const tokens = [...new Set(listing.proprietaryNames.flatMap((n) => modelTokens(n)))].sort();
  for (const token of tokens) {
    items.push(
      sealItem({ pk: ref.modelPartition(token), sk: ref.listingRefSk(registrationNumber, listingId) }, 'listing-ref', source, sourceDate, {
        ...establishment,
        ...listing,
        products: undefined,
        modelToken: token,
      }),
    );
  }

  // Establishment types are establishment-level: the same ref comes out of every listing of the firm.
  const firmKeys = new Map<string, 'registration-name' | 'owner-operator'>();
  if (firmName !== undefined && firmKey(firmName).length > 0) firmKeys.set(firmKey(firmName), 'registration-name');
  if (ownerOperatorName !== undefined && firmKey(ownerOperatorName).length > 0 && !firmKeys.has(firmKey(ownerOperatorName))) {
    firmKeys.set(firmKey(ownerOperatorName), 'owner-operator');
  }
  for (const [key, matchedBy] of [...firmKeys.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    items.push(
      sealItem({ pk: ref.firmPartition(key), sk: ref.establishmentRefSk(registrationNumber) }, 'establishment-ref', source, undefined, {
        ...establishment,
        matchedBy,
      }),
    );
  }
  return items;
}

// ------------------------------------------------------------------------------------------- classification

/** One raw /device/classification record → a `classification` item at `PC#<code>` / `CLASSIFICATION`. */
export function mapClassificationRecord(raw: unknown, options: MapOptions = {}): BaseItem[] {
  const parsed = ClassificationRecordSchema.safeParse(raw);
  if (!parsed.success) return [];
  const c = parsed.data;
  const code = c.product_code?.toUpperCase();
  if (code === undefined) return [];
  return [
    sealItem(ref.classification(code), 'classification', options.source ?? 'openfda', undefined, {
      productCode: code,
      deviceName: c.device_name,
      deviceClass: c.device_class,
      regulationNumber: c.regulation_number,
      definition: c.definition,
      medicalSpecialty: c.medical_specialty,
      medicalSpecialtyDescription: c.medical_specialty_description,
      reviewPanel: c.review_panel,
      submissionTypeId: c.submission_type_id,
      implant: parseBool(c.implant_flag),
      lifeSustain: parseBool(c.life_sustain_support_flag),
      gmpExempt: parseBool(c.gmp_exempt_flag),
      thirdParty: parseBool(c.third_party_flag),
    }),
  ];
}
