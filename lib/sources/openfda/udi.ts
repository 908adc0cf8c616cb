/**
 * /device/udi (and GUDID XML, converted to the same raw shape by lib/sources/gudid/xml.ts) → `device` under the
 * primary DI plus one `device-identifier` per other DI, each carrying a full copy of the device so any scanned
 * DI resolves to the device in one GetItem.
 *
 * Not stored: `gmdn_terms` (GMDN Agency licence) and `customer_contacts` (personal data).
 */
import type { BaseItem, ItemSource } from '../../domain/item.js';
import { firmKey, normalizeFirmName } from '../../domain/names.js';
import { ref, refGsi2 } from '../../store/keys.js';
import { sealItem, type MapOptions } from '../item.js';
import { cleanString, compact, isoDate, normalizeDi, parseBool, parseIntLoose, toGtin14 } from '../normalize.js';
import { UdiRecordSchema, type UdiRecord } from './schemas.js';

export type IdentifierType = 'Primary' | 'Secondary' | 'Package' | 'Unit of Use' | 'Direct Marking' | 'Previous DI' | string;

export interface DeviceIdentifier {
  /** Key form of the DI (GS1: GTIN-14; others as printed). */
  di: string;
  type: IdentifierType;
  issuingAgency?: string;
  /** Package rows: the DI of the next-lower level inside this package (openFDA `unit_of_use_id`, GUDID containsDINumber). */
  containsDi?: string;
  quantity?: number;
  packageStatus?: string;
  packageDiscontinueDate?: string;
  packageType?: string;
}

export interface DeviceProductCode {
  code: string;
  name?: string;
  deviceClass?: string;
}

export interface PremarketSubmission {
  number: string;
  supplement?: string;
}

/** The normalised device: the attributes of a `device` item (and the `device` copy in `device-identifier`). */
export interface DeviceAttributes {
  primaryDi: string;
  issuingAgency?: string;
  identifiers: DeviceIdentifier[];
  recordKey?: string;
  recordStatus?: string;
  versionStatus?: string;
  versionNumber?: string;
  versionDate?: string;
  publishDate?: string;
  commercialDistributionStatus?: string;
  commercialDistributionEndDate?: string;
  labelerDuns?: string;
  companyName?: string;
  companyNameNorm?: string;
  companyKey?: string;
  brandName?: string;
  versionModelNumber?: string;
  catalogNumber?: string;
  description?: string;
  deviceCount?: number;
  productCodes: DeviceProductCode[];
  premarketSubmissions: PremarketSubmission[];
  hasLotOrBatchNumber?: boolean;
  hasSerialNumber?: boolean;
  hasManufacturingDate?: boolean;
  hasExpirationDate?: boolean;
  hasDonationIdNumber?: boolean;
  isKit?: boolean;
  isRx?: boolean;
  isOtc?: boolean;
  isSingleUse?: boolean;
  isCombinationProduct?: boolean;
  mriSafety?: string;
}

const PRIMARY = /^primary$/i;

function mapIdentifier(row: UdiRecord['identifiers'][number]): DeviceIdentifier | undefined {
  if (row.id === undefined) return undefined;
  const agency = row.issuing_agency;
  const contains = row.unit_of_use_id;
  return compact({
    di: normalizeDi(row.id, agency),
    type: row.type ?? 'Unknown',
    issuingAgency: agency,
    containsDi: contains === undefined ? undefined : normalizeDi(contains, agency),
    quantity: parseIntLoose(row.quantity_per_package),
    packageStatus: row.package_status,
    packageDiscontinueDate: isoDate(row.package_discontinue_date),
    packageType: row.package_type,
  });
}

/**
 * The normalised device of one raw UDI record, or undefined when it has no usable DI. The primary DI is the
 * `Primary` identifier; when a record lists none (seen in partial examples), the first identifier stands in.
 */
export function normalizeUdiRecord(input: unknown): DeviceAttributes | undefined {
  const parsed = UdiRecordSchema.safeParse(input);
  if (!parsed.success) return undefined;
  const r = parsed.data;

  const identifiers: DeviceIdentifier[] = [];
  for (const row of r.identifiers) {
    const id = mapIdentifier(row);
    if (id !== undefined && !identifiers.some((x) => x.di === id.di && x.type === id.type)) identifiers.push(id);
  }
  const primary = identifiers.find((i) => PRIMARY.test(i.type)) ?? identifiers[0];
  if (primary === undefined) return undefined;

  const company = r.company_name;
  const productCodes: DeviceProductCode[] = [];
  for (const pc of r.product_codes) {
    const code = pc.code?.toUpperCase();
    if (code === undefined || productCodes.some((p) => p.code === code)) continue;
    productCodes.push(compact({ code, name: pc.name ?? pc.openfda.device_name, deviceClass: pc.openfda.device_class }));
  }
  const premarketSubmissions: PremarketSubmission[] = [];
  for (const ps of r.premarket_submissions) {
    const number = ps.submission_number?.toUpperCase();
    if (number === undefined) continue;
    const supplement = ps.supplement_number;
    if (premarketSubmissions.some((p) => p.number === number && p.supplement === supplement)) continue;
    premarketSubmissions.push(compact({ number, supplement }));
  }

  return compact({
    primaryDi: primary.di,
    issuingAgency: primary.issuingAgency,
    identifiers,
    recordKey: r.public_device_record_key,
    recordStatus: r.record_status,
    versionStatus: r.public_version_status,
    versionNumber: r.public_version_number,
    versionDate: isoDate(r.public_version_date),
    publishDate: isoDate(r.publish_date),
    commercialDistributionStatus: r.commercial_distribution_status,
    commercialDistributionEndDate: isoDate(r.commercial_distribution_end_date),
    labelerDuns: r.labeler_duns_number,
    companyName: company,
    companyNameNorm: company === undefined ? undefined : normalizeFirmName(company),
    companyKey: company === undefined ? undefined : firmKey(company),
    brandName: r.brand_name,
    versionModelNumber: r.version_or_model_number,
    catalogNumber: r.catalog_number,
    description: r.device_description,
    deviceCount: parseIntLoose(r.device_count_in_base_package),
    productCodes,
    premarketSubmissions,
    hasLotOrBatchNumber: parseBool(r.has_lot_or_batch_number),
    hasSerialNumber: parseBool(r.has_serial_number),
    hasManufacturingDate: parseBool(r.has_manufacturing_date),
    hasExpirationDate: parseBool(r.has_expiration_date),
    hasDonationIdNumber: parseBool(r.has_donation_id_number),
    isKit: parseBool(r.is_kit),
    isRx: parseBool(r.is_rx),
    isOtc: parseBool(r.is_otc),
    isSingleUse: parseBool(r.is_single_use),
    isCombinationProduct: parseBool(r.is_combination_product),
    mriSafety: cleanString(r.mri_safety),
  });
}

/** The DUNS placeholder in GSI2 sort keys when a record has no labeler DUNS (older GUDID XML). */
export const UNKNOWN_DUNS = 'NODUNS';

/** `device` + `device-identifier` items of one normalised device. */
export function deviceItems(device: DeviceAttributes, source: ItemSource): BaseItem[] {
  const sourceDate = device.versionDate ?? device.publishDate;
  const gtin = device.issuingAgency === undefined || /^gs1$/i.test(device.issuingAgency) ? toGtin14(device.primaryDi) : undefined;
  const gsi2 =
    gtin === undefined
      ? {}
      : { gsi2pk: refGsi2.gs1Prefix(gtin), gsi2sk: refGsi2.gs1PrefixSk(device.labelerDuns ?? UNKNOWN_DUNS, gtin) };

  const items: BaseItem[] = [sealItem(ref.deviceByDi(device.primaryDi), 'device', source, sourceDate, { ...device, ...gsi2 })];
  const seen = new Set<string>([device.primaryDi]);
  for (const identifier of device.identifiers) {
    if (seen.has(identifier.di)) continue;
    seen.add(identifier.di);
    items.push(
      sealItem(ref.deviceByDi(identifier.di), 'device-identifier', source, sourceDate, {
        di: identifier.di,
        identifierType: identifier.type,
        primaryDi: device.primaryDi,
        identifier,
        device,
      }),
    );
  }
  return items;
}

/** One raw /device/udi record → `device` + `device-identifier` items (empty when it has no DI). */
export function mapUdiRecord(raw: unknown, options: MapOptions = {}): BaseItem[] {
  const device = normalizeUdiRecord(raw);
  return device === undefined ? [] : deviceItems(device, options.source ?? 'openfda');
}
