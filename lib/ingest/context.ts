import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config.js';
import type { BaseItem } from '../domain/item.js';
import { writeItems, type WriteStats } from '../store/batch-write.js';
import { CursorRepository } from './cursor-repo.js';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { familyAdvisoryRefs } from '../sources/family.js';

/** What every ingestion run gets: configuration, the store, a clock and the invocation deadline. */
export interface IngestContext {
  config: Config;
  doc: DynamoDBDocumentClient;
  cursors: CursorRepository;
  /** Idempotent write to the reference table (unchanged items are not rewritten). */
  write: (items: readonly BaseItem[]) => Promise<WriteStats>;
  now: () => Date;
  /** Time left before the deadline (Lambda's getRemainingTimeInMillis; effectively unbounded in the CLI). */
  remainingMs: () => number;
  /** Identifies this run in leases. */
  owner: string;
  /** Progress lines for a terminal; a no-op in Lambda. */
  progress?: (message: string) => void;
}

/** The summary every dataset's run ends with (CLI output, Lambda result, metrics). */
export interface IngestSummary {
  dataset: string;
  status: 'completed' | 'stopped-at-deadline' | 'lease-held' | 'lease-lost' | 'failed';
  seen: number;
  written: number;
  unchanged: number;
  failed: number;
  /** Upstream freshness seen in this run. */
  lastUpdated?: string;
  checkpoint?: string;
  /** Why the run failed, in words safe to print (no URLs with keys). */
  error?: string;
}

export function createIngestContext(options: {
  config: Config;
  doc: DynamoDBDocumentClient;
  owner: string;
  now?: () => Date;
  remainingMs?: () => number;
  progress?: (message: string) => void;
}): IngestContext {
  return {
    config: options.config,
    doc: options.doc,
    cursors: new CursorRepository(options.doc, options.config.RECORDS_TABLE),
    write: (items) => writeAndLink(options.doc, options.config.REFERENCE_TABLE, items),
    now: options.now ?? (() => new Date()),
    remainingMs: options.remainingMs ?? (() => Number.MAX_SAFE_INTEGER),
    owner: options.owner,
    progress: options.progress,
  };
}

/**
 * Write items, then refresh family links for every model partition they touched: whichever of an
 * advisory or a listing arrives second links the advisory to the listing's clearance family.
 */
export async function writeAndLink(doc: DynamoDBDocumentClient, table: string, items: readonly BaseItem[]): Promise<WriteStats> {
  const stats = await writeItems(doc, table, items);
  const models = [...new Set(items.filter((i) => i.pk.startsWith('MODEL#')).map((i) => i.pk))];
  for (const pk of models) {
    const partition: BaseItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: start }));
      partition.push(...((out.Items ?? []) as BaseItem[]));
      start = out.LastEvaluatedKey;
    } while (start);
    const links = familyAdvisoryRefs(partition);
    if (links.length) {
      const linked = await writeItems(doc, table, links);
      stats.written += linked.written;
    }
  }
  return stats;
}
