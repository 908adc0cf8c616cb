/** `source-status` items: per data source, upstream `last_updated` and our ingest time (every answer shows them). */
import type { BaseItem } from '../domain/item.js';
import { ref } from '../store/keys.js';
import { sealItem } from './item.js';
import { compact } from './normalize.js';

export interface SourceStatus {
  /** Upstream's own freshness (openFDA `meta.last_updated`, CSAF feed `updated`, …), ISO date or timestamp. */
  lastUpdated?: string;
  /** When we ingested (ISO timestamp). Not part of the content hash. */
  ingestedAt: string;
  /** How many upstream records this ingest saw. */
  records: number;
  /** How many of those records were synthetic sample records (sample data set only). */
  syntheticRecords?: number;
  /** Latest `last_updated` of the synthetic records, kept apart so they never pass for upstream freshness. */
  syntheticLastUpdated?: string;
}

/** `source-status` at `SOURCE` / `<source>` (e.g. `openfda:udi`, `cisa-csaf`). */
export function sourceStatusItem(source: string, status: SourceStatus): BaseItem {
  const item = sealItem(ref.sourceStatus(source), 'source-status', source === 'synthetic' ? 'synthetic' : sourceOf(source), status.lastUpdated, compact({
    sourceId: source,
    lastUpdated: status.lastUpdated,
    records: status.records,
    syntheticRecords: status.syntheticRecords === 0 ? undefined : status.syntheticRecords,
    syntheticLastUpdated: status.syntheticLastUpdated,
  }));
  return { ...item, ingestedAt: status.ingestedAt };
}

function sourceOf(sourceId: string): BaseItem['source'] {
  if (sourceId.startsWith('openfda')) return 'openfda';
  if (sourceId.startsWith('gudid-xml')) return 'gudid-xml';
  if (sourceId.startsWith('accessgudid')) return 'accessgudid';
  if (sourceId.startsWith('cisa')) return 'cisa-csaf';
  if (sourceId.startsWith('fda-rss')) return 'fda-rss';
  return 'synthetic';
}
