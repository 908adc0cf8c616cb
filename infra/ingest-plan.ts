import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { DATA_SOURCES } from '../lib/health.js';
import { REPO_ROOT } from '../lib/paths.js';

/**
 * What the cloud ingests, and how often. The app grows as handlers land: a poller (or bulk load) is
 * deployed only when its entry file exists at synth time, so listing a dataset here before its handler
 * is written is safe. Dataset names are the source names that /health reports (lib/health.ts).
 */
export type DatasetName = (typeof DATA_SOURCES)[number];

export type Cadence = 'hourly' | 'daily' | 'weekly' | 'monthly';

export const CADENCE_SECONDS: Readonly<Record<Cadence, number>> = {
  hourly: 3_600,
  daily: 86_400,
  weekly: 604_800,
  monthly: 31 * 86_400,
};

export interface IngestDataset {
  dataset: DatasetName;
  /** How often we poll. */
  cadence: Exclude<Cadence, 'monthly'>;
  /**
   * How often upstream publishes. IngestLagSeconds is `now − upstream last_updated`
   * (lib/ingest/lambda.ts), so it naturally grows to this; the lag alarm fires above twice this.
   */
  upstreamCadence: Cadence;
  /** Handler module relative to the repository root, exporting `handler`. */
  entry: string;
  /**
   * The dataset name the handler uses in its records-table keys (`CURSOR#<keySpace>`,
   * `BULK#<keySpace>#…`, lib/store/keys.ts `rec`). IAM confines the function to exactly those items, so
   * this must equal what lib/ingest writes (a test checks it against lib/ingest).
   */
  keySpace: string;
  /** Whether the handler calls openFDA and so reads the API key secret. */
  usesOpenFdaKey: boolean;
  /** Lambda timeout; pollers checkpoint and stop before it (reliability-security.md §3.4). */
  timeoutSeconds: number;
  memoryMb: number;
}

/**
 * Poll cadence: openFDA udi/recall/enforcement publish weekly → poll daily; 510(k), registration &
 * listing and classification publish monthly → poll weekly; CISA CSAF and the FDA safety RSS feed
 * change any time → poll hourly (their upstream cadence below is a generous bound for the lag alarm:
 * CISA publishes ICS advisories several times a week, FDA safety communications a few times a month).
 */
export const INGEST_DATASETS: readonly IngestDataset[] = [
  { dataset: 'openfda:udi', cadence: 'daily', upstreamCadence: 'weekly', entry: 'functions/ingest/openfda-udi.ts', keySpace: 'openfda-udi', usesOpenFdaKey: true, timeoutSeconds: 900, memoryMb: 1024 },
  { dataset: 'openfda:recall', cadence: 'daily', upstreamCadence: 'weekly', entry: 'functions/ingest/openfda-recall.ts', keySpace: 'openfda-recall', usesOpenFdaKey: true, timeoutSeconds: 600, memoryMb: 512 },
  { dataset: 'openfda:enforcement', cadence: 'daily', upstreamCadence: 'weekly', entry: 'functions/ingest/openfda-enforcement.ts', keySpace: 'openfda-enforcement', usesOpenFdaKey: true, timeoutSeconds: 600, memoryMb: 512 },
  { dataset: 'openfda:510k', cadence: 'weekly', upstreamCadence: 'monthly', entry: 'functions/ingest/openfda-510k.ts', keySpace: 'openfda-510k', usesOpenFdaKey: true, timeoutSeconds: 900, memoryMb: 512 },
  { dataset: 'openfda:registrationlisting', cadence: 'weekly', upstreamCadence: 'monthly', entry: 'functions/ingest/openfda-registrationlisting.ts', keySpace: 'openfda-registrationlisting', usesOpenFdaKey: true, timeoutSeconds: 900, memoryMb: 1024 },
  { dataset: 'openfda:classification', cadence: 'weekly', upstreamCadence: 'monthly', entry: 'functions/ingest/openfda-classification.ts', keySpace: 'openfda-classification', usesOpenFdaKey: true, timeoutSeconds: 600, memoryMb: 512 },
  { dataset: 'cisa-csaf', cadence: 'hourly', upstreamCadence: 'weekly', entry: 'functions/ingest/cisa-csaf.ts', keySpace: 'csaf', usesOpenFdaKey: false, timeoutSeconds: 300, memoryMb: 512 },
  { dataset: 'fda-rss', cadence: 'hourly', upstreamCadence: 'monthly', entry: 'functions/ingest/fda-rss.ts', keySpace: 'safety', usesOpenFdaKey: false, timeoutSeconds: 120, memoryMb: 256 },
];

export interface BulkLoadPlan {
  dataset: DatasetName;
  /** Handler that loads ONE partition of the manifest per invocation. */
  entry: string;
  /** As IngestDataset.keySpace (lib/ingest/bulk.ts keys partitions by the openFDA dataset, e.g. `udi`). */
  keySpace: string;
  usesOpenFdaKey: boolean;
  timeoutSeconds: number;
  memoryMb: number;
}

/** Full (re)loads fanned out by Step Functions: the GUDID device mirror is millions of records. */
export const BULK_LOADS: readonly BulkLoadPlan[] = [
  { dataset: 'openfda:udi', entry: 'functions/ingest/openfda-udi-partition.ts', keySpace: 'udi', usesOpenFdaKey: true, timeoutSeconds: 900, memoryMb: 2048 },
];

/**
 * The ingest-lag metric contract. Pollers emit it with Powertools Metrics (namespace below, default
 * dimension `service` = udi-sentinel, plus `dataset`), unit Seconds, value = now − the newest upstream
 * change safely stored. The alarm fires when it exceeds twice the upstream cadence, or when it stops
 * arriving for longer than the poll cadence.
 */
export const INGEST_LAG_METRIC = {
  namespace: 'UdiSentinel',
  metricName: 'IngestLagSeconds',
  serviceDimension: 'udi-sentinel',
} as const;

export const ingestLagDimensions = (dataset: string): Record<string, string> => ({
  service: INGEST_LAG_METRIC.serviceDimension,
  dataset,
});

/** A dataset name usable in construct ids (`openfda:udi` → `openfda-udi`). */
export const datasetId = (dataset: string): string => dataset.replace(/[^A-Za-z0-9-]/g, '-');

/** Absolute path of a repo-relative entry. */
export const entryPath = (entry: string, root: string = REPO_ROOT): string => (isAbsolute(entry) ? entry : join(root, entry));

/** True when the handler has landed (checked at synth time). */
export const entryExists = (entry: string, root: string = REPO_ROOT): boolean => existsSync(entryPath(entry, root));
