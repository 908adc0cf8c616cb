import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGet, keyString } from './batch-get.js';
import { StoreUnavailableError } from '../errors.js';
import type { BaseItem } from '../domain/item.js';

export interface WriteStats {
  seen: number;
  written: number;
  /** Same content already stored, or an item the stored one takes precedence over. */
  unchanged: number;
}

/** What is read back of a stored item to decide whether to overwrite it. */
export interface StoredSummary {
  hash?: string;
  entity?: string;
  version?: number;
}

/**
 * Precedence between items that share a key, applied at every write so ingestion order cannot matter:
 * a device's own item beats another record's identifier item (a "Previous DI" can be someone's primary
 * DI), and an advisory's latest pointer and name-index references never move back to an older version.
 */
export function shouldReplace(stored: StoredSummary | undefined, next: BaseItem): boolean {
  if (!stored) return true;
  if (stored.hash === next.hash) return false;
  if (stored.entity === 'device' && next.entity === 'device-identifier') return false;
  if ((next.entity === 'advisory-latest' || next.entity === 'advisory-ref') && typeof next.version === 'number' && (stored.version ?? 0) > next.version) return false;
  return true;
}

export interface WriteOptions {
  /** Attempts per chunk while DynamoDB returns UnprocessedItems/UnprocessedKeys. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Slices of 100 items processed at once (default 4). */
  concurrency?: number;
  /** Injected for tests; defaults to real timers. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const keyOf = keyString;

/** Full-jitter exponential backoff (AWS REL05-BP03). */
function backoff(attempt: number, o: Required<Pick<WriteOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>>): number {
  return Math.floor(o.random() * Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** attempt));
}

/**
 * Write items idempotently: read the stored content hashes (BatchGetItem, 100 keys a call), then put only
 * new or changed items that win precedence (`shouldReplace`) (BatchWriteItem, 25 a call), retrying unprocessed entries under backoff and
 * throwing — never dropping — when the retry budget runs out. Re-writing unchanged data writes nothing.
 */
export async function writeItems(
  doc: DynamoDBDocumentClient,
  table: string,
  items: readonly BaseItem[],
  options: WriteOptions = {},
): Promise<WriteStats> {
  const o = {
    maxAttempts: options.maxAttempts ?? 8,
    concurrency: Math.max(1, options.concurrency ?? 4),
    baseDelayMs: options.baseDelayMs ?? 50,
    maxDelayMs: options.maxDelayMs ?? 5_000,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    random: options.random ?? Math.random,
  };
  // Last occurrence of a key wins: duplicate keys in one BatchWriteItem are a ValidationException.
  const unique = new Map<string, BaseItem>();
  for (const item of items) unique.set(keyOf(item), item);
  const all = [...unique.values()];
  const stats: WriteStats = { seen: items.length, written: 0, unchanged: items.length - all.length };

  // Slices of 100 keys (one BatchGetItem, up to four BatchWriteItems) run a few at a time: DynamoDB
  // round trips, not CPU, bound a bulk load.
  const slices: BaseItem[][] = [];
  for (let i = 0; i < all.length; i += 100) slices.push(all.slice(i, i + 100));
  let next = 0;
  const worker = async () => {
    for (let k = next++; k < slices.length; k = next++) {
      const slice = slices[k] as BaseItem[];
      const stored = await storedSummaries(doc, table, slice, o);
      const changed = slice.filter((item) => shouldReplace(stored.get(keyOf(item)), item));
      stats.unchanged += slice.length - changed.length;
      for (let j = 0; j < changed.length; j += 25) {
        await putChunk(doc, table, changed.slice(j, j + 25), o);
        stats.written += Math.min(25, changed.length - j);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, slices.length) }, worker));
  return stats;
}

async function storedSummaries(
  doc: DynamoDBDocumentClient,
  table: string,
  items: readonly BaseItem[],
  o: Required<WriteOptions>,
): Promise<Map<string, StoredSummary>> {
  const rows = await batchGet(doc, table, items, { projection: ['hash', 'entity', 'version'], maxAttempts: o.maxAttempts, sleep: o.sleep });
  const summaries = new Map<string, StoredSummary>();
  for (const [key, row] of rows) {
    summaries.set(key, {
      hash: typeof row.hash === 'string' ? row.hash : undefined,
      entity: typeof row.entity === 'string' ? row.entity : undefined,
      version: typeof row.version === 'number' ? row.version : undefined,
    });
  }
  return summaries;
}

async function putChunk(
  doc: DynamoDBDocumentClient,
  table: string,
  chunk: readonly BaseItem[],
  o: Required<WriteOptions>,
): Promise<void> {
  let pending = chunk.map((item) => ({ PutRequest: { Item: item as Record<string, unknown> } }));
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= o.maxAttempts) {
      throw new StoreUnavailableError(`DynamoDB left ${pending.length} writes unprocessed after ${o.maxAttempts} attempts.`);
    }
    if (attempt > 0) await o.sleep(backoff(attempt, o));
    const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
    pending = (out.UnprocessedItems?.[table] as typeof pending | undefined) ?? [];
  }
}
