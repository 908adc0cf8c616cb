/**
 * openFDA raw record → sealed items, one entry point per dataset. The mappers are pure: no I/O, no clock.
 * Ingestion (pollers, bulk loaders) and the sample loader both go through here.
 */
import type { BaseItem } from '../../domain/item.js';
import type { MapOptions } from '../item.js';
import { mapEnforcementRecord, mapRecallRecord } from './recall.js';
import { mapClassificationRecord, mapClearanceRecord, mapRegistrationListingRecord } from './registration.js';
import type { OpenFdaDataset } from './schemas.js';
import { mapUdiRecord } from './udi.js';

export { mapUdiRecord, normalizeUdiRecord, deviceItems, type DeviceAttributes, type DeviceIdentifier } from './udi.js';
export { mapRecall, mapRecallRecord, mapEnforcementRecord, normalizeRecallClass, recallNumberOf, type RecallRefMatch } from './recall.js';
export {
  mapClearanceRecord,
  mapRegistrationListingRecord,
  mapClassificationRecord,
  relabelerTypes,
  listingIdOf,
  RELABELER_ESTABLISHMENT_TYPES,
  type RelabelerEstablishmentType,
} from './registration.js';
export { extractTextIdentifiers, type TextIdentifiers } from './code-info.js';

const MAPPERS: Record<OpenFdaDataset, (raw: unknown, options?: MapOptions) => BaseItem[]> = {
  udi: mapUdiRecord,
  recall: mapRecallRecord,
  enforcement: mapEnforcementRecord,
  '510k': mapClearanceRecord,
  registrationlisting: mapRegistrationListingRecord,
  classification: mapClassificationRecord,
};

/**
 * One raw record of `dataset` → items. Recall and enforcement map one half only here; to join both halves
 * use `mapRecall(recall, enforcement)`.
 */
export function mapOpenFdaRecord(dataset: OpenFdaDataset, raw: unknown, options: MapOptions = {}): BaseItem[] {
  return MAPPERS[dataset](raw, options);
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Does `value` look like a raw record of `dataset`? Used to find records inside files whose envelope is not
 * the API's (the open.fda.gov site examples put them under `record`, `anatomy`, `header`, `result`, …).
 */
export function looksLikeOpenFdaRecord(dataset: OpenFdaDataset, value: unknown): value is Record<string, unknown> {
  if (!isObj(value)) return false;
  switch (dataset) {
    case 'udi':
      return Array.isArray(value.identifiers) && ('brand_name' in value || 'company_name' in value || 'record_status' in value);
    case 'recall':
      return typeof value.product_res_number === 'string';
    case 'enforcement':
      return typeof value.recall_number === 'string' || (typeof value.classification === 'string' && 'recalling_firm' in value);
    case '510k':
      return typeof value.k_number === 'string' && ('applicant' in value || 'decision_date' in value);
    case 'registrationlisting':
      return isObj(value.registration) && 'establishment_type' in value;
    case 'classification':
      return typeof value.product_code === 'string' && 'device_class' in value && 'regulation_number' in value;
  }
}

/** The natural key of a raw record (for de-duplicating copies of one record), or undefined. */
export function naturalKeyOf(dataset: OpenFdaDataset, value: Record<string, unknown>): string | undefined {
  const s = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toUpperCase() : undefined);
  switch (dataset) {
    case 'udi': {
      const ids = Array.isArray(value.identifiers) ? (value.identifiers as unknown[]) : [];
      const primary = ids.find((i) => isObj(i) && s(i.type) === 'PRIMARY') ?? ids[0];
      return isObj(primary) && typeof primary.id === 'string' ? primary.id.trim() : undefined;
    }
    case 'recall':
      return s(value.product_res_number);
    case 'enforcement':
      return s(value.recall_number);
    case '510k':
      return s(value.k_number);
    case 'registrationlisting': {
      const reg = isObj(value.registration) ? value.registration : {};
      const n = s(reg.registration_number);
      return n === undefined ? undefined : `${n}#${JSON.stringify([value.k_number, value.pma_number, value.proprietary_name, value.products])}`;
    }
    case 'classification':
      return s(value.product_code);
  }
}
