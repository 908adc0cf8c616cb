import type { IngestContext, IngestSummary } from './context.js';
import { runCsafIngest } from './csaf.js';
import { OPENFDA_DATASETS, runOpenFdaIngest, type OpenFdaDataset } from './openfda.js';
import { runSafetyRssIngest } from './safety-rss.js';

/** Every dataset `udi-sentinel ingest --dataset` knows, in the order `all` runs them. */
export const INGEST_DATASETS = [...OPENFDA_DATASETS, 'csaf', 'safety'] as const;
export type IngestDataset = (typeof INGEST_DATASETS)[number];

export function isIngestDataset(name: string): name is IngestDataset {
  return (INGEST_DATASETS as readonly string[]).includes(name);
}

export interface RunOptions {
  /** ISO date: re-read from here instead of the checkpoint. */
  since?: string;
}

/** The source id each dataset reports its freshness under (lib/health.ts DATA_SOURCES). */
export const SOURCE_OF: Record<IngestDataset, string> = {
  udi: 'openfda:udi',
  recall: 'openfda:recall',
  enforcement: 'openfda:enforcement',
  '510k': 'openfda:510k',
  registrationlisting: 'openfda:registrationlisting',
  classification: 'openfda:classification',
  csaf: 'cisa-csaf',
  safety: 'fda-rss',
};

/** Run one incremental ingest of a dataset (the scheduled Lambda and the CLI both come here). */
export async function runDataset(ctx: IngestContext, dataset: IngestDataset, options: RunOptions = {}): Promise<IngestSummary> {
  switch (dataset) {
    case 'csaf':
      return runCsafIngest(ctx, options.since ? { since: `${options.since}T00:00:00Z` } : {});
    case 'safety':
      return runSafetyRssIngest(ctx);
    default:
      return runOpenFdaIngest(ctx, dataset as OpenFdaDataset, { since: options.since });
  }
}
