/**
 * Every DynamoDB key in udi-sentinel is built here, so the templates in docs/data-model.md have one home.
 * Key parts are upper-cased where the upstream identifier is case-insensitive (K numbers, product codes,
 * recall numbers) and left alone where it is not (HIBCC DIs are case-sensitive in GUDID).
 */

export interface Key {
  pk: string;
  sk: string;
}

const up = (s: string): string => s.trim().toUpperCase();

/** Reference table (public FDA mirror). */
export const ref = {
  /** A device under its primary DI (entity `device`) or under any other identifier (entity `device-identifier`). */
  deviceByDi: (di: string): Key => ({ pk: `DI#${di.trim()}`, sk: 'DEVICE' }),
  /** Partition of everything known about one DI: the device plus recall references naming that DI. */
  diPartition: (di: string): string => `DI#${di.trim()}`,
  /** Cached "AccessGUDID does not know this DI" (entity `gudid-miss`, TTL 24 h). */
  gudidMiss: (di: string): Key => ({ pk: `DI#${di.trim()}`, sk: 'GUDID_MISS' }),

  /** A recall (entity `recall`) and its enforcement report (entity `enforcement`) share a partition. */
  recall: (recallNumber: string): Key => ({ pk: `RECALL#${up(recallNumber)}`, sk: 'RECALL' }),
  enforcement: (recallNumber: string): Key => ({ pk: `RECALL#${up(recallNumber)}`, sk: 'ENFORCEMENT' }),
  recallPartition: (recallNumber: string): string => `RECALL#${up(recallNumber)}`,
  /** Sort key of a recall reference (entity `recall-ref`) under a DI, product code, submission or firm partition. */
  recallRefSk: (recallNumber: string): string => `RECALL#${up(recallNumber)}`,

  /** Premarket submission partition: clearance, listings and recalls under one K/PMA/DEN number. */
  submissionPartition: (submission: string): string => `SUB#${up(submission)}`,
  clearance: (kNumber: string): Key => ({ pk: `SUB#${up(kNumber)}`, sk: 'CLEARANCE' }),
  /** A registration & listing record (entity `listing`) lives under its establishment. */
  listing: (registrationNumber: string, listingId: string): Key => ({
    pk: `EST#${registrationNumber.trim()}`,
    sk: `LISTING#${listingId}`,
  }),
  /** Reference to a listing under its submission (entity `listing-ref`). */
  listingRefSk: (registrationNumber: string, listingId: string): string =>
    `LISTING#${registrationNumber.trim()}#${listingId}`,

  /** Product code partition: classification (entity `classification`) and recall references. */
  productCodePartition: (code: string): string => `PC#${up(code)}`,
  classification: (code: string): Key => ({ pk: `PC#${up(code)}`, sk: 'CLASSIFICATION' }),

  /** Firm partition, keyed by the normalised firm name (see lib/domain/names.ts). */
  firmPartition: (normalizedName: string): string => `FIRM#${normalizedName}`,
  /** Establishment reference under a firm (entity `establishment-ref`): establishment types by firm name. */
  establishmentRefSk: (registrationNumber: string): string => `EST#${registrationNumber.trim()}`,

  /** CSAF advisory versions (entity `advisory`), newest pointer (entity `advisory-latest`). */
  advisory: (id: string, version: number): Key => ({
    pk: `ADV#${up(id)}`,
    sk: `V#${String(version).padStart(4, '0')}`,
  }),
  advisoryLatest: (id: string): Key => ({ pk: `ADV#${up(id)}`, sk: 'LATEST' }),
  /** Name index for advisories (entity `advisory-ref`) by normalised vendor or product name. */
  vendorPartition: (normalizedName: string): string => `VENDOR#${normalizedName}`,
  productNamePartition: (normalizedName: string): string => `PRODUCT#${normalizedName}`,
  advisoryRefSk: (id: string): string => `ADV#${up(id)}`,
  /** Model-token partition (see modelTokens): listings and advisories naming that model (entity `model-ref`). */
  modelPartition: (token: string): string => `MODEL#${token}`,

  /** FDA safety communication (entity `safety-communication`), keyed by a hash of its link. */
  safetyCommunication: (linkHash: string): Key => ({ pk: `SAFETY#${linkHash}`, sk: 'SAFETY' }),

  /** One partition lists every data source's freshness (entity `source-status`). */
  sourceStatusPartition: 'SOURCE',
  sourceStatus: (source: string): Key => ({ pk: 'SOURCE', sk: source }),
} as const;

/** GSI1 on the reference table: time-ordered feeds per entity (recent recalls, advisories, communications). */
export const refGsi1 = {
  feed: (entity: string): string => `FEED#${entity}`,
  feedSk: (isoDate: string, id: string): string => `${isoDate}#${id}`,
} as const;

/** GSI2 on the reference table: devices by the first 7 digits after a GTIN's indicator digit. */
export const refGsi2 = {
  /** GS1 company prefixes are 6–12 digits; 7 is the shortest in use for US labelers and narrows well. */
  gs1Prefix: (gtin14: string): string => `GCP#${gtin14.slice(1, 8)}`,
  gs1PrefixSk: (labelerDuns: string, primaryDi: string): string => `${labelerDuns}#${primaryDi}`,
} as const;

/** Records table (organisation data). */
export const rec = {
  check: (id: string): Key => ({ pk: `CHECK#${id}`, sk: 'CHECK' }),
  apiKey: (keyId: string): Key => ({ pk: `APIKEY#${keyId}`, sk: 'APIKEY' }),
  /** Poll cursor of a dataset: checkpoint and lease in one item, so both change under one condition. */
  cursor: (dataset: string): Key => ({ pk: `CURSOR#${dataset}`, sk: 'CURSOR' }),
  bulkPartition: (dataset: string, runId: string, partition: string): Key => ({
    pk: `BULK#${dataset}#${runId}`,
    sk: `PART#${partition}`,
  }),
  alias: (normalizedName: string): Key => ({ pk: 'ALIAS', sk: normalizedName }),
  supplier: (normalizedName: string): Key => ({ pk: 'SUPPLIER', sk: normalizedName }),
  inventoryItem: (id: string): Key => ({ pk: `INV#${id}`, sk: 'INV' }),
  alert: (id: string): Key => ({ pk: `ALERT#${id}`, sk: 'ALERT' }),
} as const;

/** GSI1 on the records table: checks by day, newest last; API keys in one admin listing partition. */
export const recGsi1 = {
  apiKeys: 'APIKEYS',
  apiKeySk: (createdAt: string, keyId: string): string => `${createdAt}#${keyId}`,
  checksByDay: (isoDay: string): string => `CHECKS#${isoDay}`,
  checkSk: (isoTimestamp: string, id: string): string => `${isoTimestamp}#${id}`,
} as const;
