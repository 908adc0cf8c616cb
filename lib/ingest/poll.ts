import type { BaseItem } from '../domain/item.js';
import type { WriteStats } from '../store/batch-write.js';
import { LeaseLostError, type CursorRepository } from './cursor-repo.js';

/** One page of upstream records, in ascending order of the dataset's date field. */
export interface Page<R> {
  records: R[];
  /** Upstream `meta.last_updated` (freshness of the source as a whole). */
  lastUpdated?: string;
}

/** What a poller needs to know about one dataset; the loop below is the same for all. */
export interface PollSource<R> {
  dataset: string;
  /** Pages of records whose date is on or after `since` (all records when undefined), ascending. */
  pages(since: string | undefined): AsyncIterable<Page<R>>;
  /** The record's date (ISO YYYY-MM-DD) on the field the window is on. */
  dateOf(record: R): string | undefined;
  /** Map a page to items; records that cannot be mapped are reported, not fatal. */
  toItems(records: R[]): Promise<{ items: BaseItem[]; failed: number }>;
}

export interface PollDeps {
  cursors: CursorRepository;
  write: (items: BaseItem[]) => Promise<WriteStats>;
  /** Record the source's freshness once a run has stored what it read. */
  recordStatus: (status: { lastUpdated?: string; ingestedAt: string; records: number }) => Promise<void>;
  owner: string;
  now: () => Date;
  /** Time left before the invocation's deadline (Lambda's getRemainingTimeInMillis). */
  remainingMs: () => number;
}

export interface PollOptions {
  /** Days re-read before the checkpoint each run, to catch late and back-dated records. */
  overlapDays: number;
  /** Stop before fetching another page when less time than this remains. */
  marginMs: number;
  /** Lease length; at least the function timeout. */
  leaseMs: number;
  /** Start from this date instead of the checkpoint (re-runs, backfills). */
  since?: string;
}

export interface PollResult {
  dataset: string;
  status: 'completed' | 'stopped-at-deadline' | 'lease-held' | 'lease-lost';
  pages: number;
  seen: number;
  written: number;
  unchanged: number;
  failed: number;
  /** Checkpoint at the end of the run. */
  checkpoint?: string;
  since?: string;
  lastUpdated?: string;
}

export function minusDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/**
 * One incremental poll of a dataset: take the lease, read from (checkpoint − overlap) in date order,
 * store each page idempotently, advance the checkpoint only after the page is durably stored, stop
 * before the deadline and leave the rest to the next run. A crash at any point loses nothing: the next
 * run re-reads from the last durable checkpoint and unchanged items are not rewritten.
 */
export async function runPoll<R>(source: PollSource<R>, deps: PollDeps, options: PollOptions): Promise<PollResult> {
  const result: PollResult = { dataset: source.dataset, status: 'completed', pages: 0, seen: 0, written: 0, unchanged: 0, failed: 0 };
  const startedAt = deps.now();
  if (!(await deps.cursors.acquire(source.dataset, deps.owner, startedAt.getTime(), options.leaseMs))) {
    return { ...result, status: 'lease-held' };
  }
  try {
    const cursor = await deps.cursors.get(source.dataset);
    result.checkpoint = cursor?.checkpoint;
    result.since = options.since ?? (cursor?.checkpoint ? minusDays(cursor.checkpoint, options.overlapDays) : undefined);
    if (deps.remainingMs() < options.marginMs) return { ...result, status: 'stopped-at-deadline' };

    for await (const page of source.pages(result.since)) {
      result.pages++;
      result.seen += page.records.length;
      if (page.lastUpdated && (!result.lastUpdated || page.lastUpdated > result.lastUpdated)) result.lastUpdated = page.lastUpdated;
      const { items, failed } = await source.toItems(page.records);
      result.failed += failed;
      const stats = await deps.write(items);
      result.written += stats.written;
      result.unchanged += stats.unchanged;
      // The page is durable: the checkpoint may move to its newest date.
      const newest = page.records.map((r) => source.dateOf(r)).filter((d): d is string => Boolean(d)).sort().at(-1);
      if (newest && (!result.checkpoint || newest > result.checkpoint)) {
        await deps.cursors.advance(source.dataset, deps.owner, newest);
        result.checkpoint = newest;
      }
      if (deps.remainingMs() < options.marginMs) {
        result.status = 'stopped-at-deadline';
        break;
      }
    }
    if (result.status === 'completed' || result.pages > 0) {
      await deps.recordStatus({ lastUpdated: result.lastUpdated, ingestedAt: deps.now().toISOString(), records: result.seen });
    }
    return result;
  } catch (err) {
    if (err instanceof LeaseLostError) return { ...result, status: 'lease-lost' };
    throw err;
  } finally {
    await deps.cursors.release(source.dataset, deps.owner, deps.now().toISOString(), {
      pages: result.pages,
      seen: result.seen,
      written: result.written,
      unchanged: result.unchanged,
      failed: result.failed,
    });
  }
}
