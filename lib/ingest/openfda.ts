import { randomUUID } from 'node:crypto';
import type { BaseItem } from '../domain/item.js';
import { HttpClient } from '../net/http-client.js';
import { OpenFdaClient } from '../sources/openfda/client.js';
import { mapOpenFdaRecord, mapRecall, recallNumberOf } from '../sources/openfda/map.js';
import { dateRange, exists, sortBy, type OpenFdaEndpoint } from '../sources/openfda/query.js';
import { isoDate } from '../sources/normalize.js';
import { batchGet, keyString } from '../store/batch-get.js';
import { ref } from '../store/keys.js';
import type { IngestContext, IngestSummary } from './context.js';
import { putSourceStatus } from './source-status.js';
import { runPoll, type PollSource } from './poll.js';

export const OPENFDA_DATASETS = ['udi', 'recall', 'enforcement', '510k', 'registrationlisting', 'classification'] as const;
export type OpenFdaDataset = (typeof OPENFDA_DATASETS)[number];

interface DatasetPlan {
  /** Field the incremental window is on; none = a full (small) refresh each run. */
  dateField?: string;
  sortField: string;
  dateOf: (raw: Record<string, unknown>) => string | undefined;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export const PLANS: Record<OpenFdaDataset, DatasetPlan> = {
  udi: { dateField: 'public_version_date', sortField: 'public_version_date', dateOf: (r) => isoDate(str(r.public_version_date)) },
  recall: { dateField: 'event_date_posted', sortField: 'event_date_posted', dateOf: (r) => isoDate(str(r.event_date_posted)) },
  enforcement: { dateField: 'report_date', sortField: 'report_date', dateOf: (r) => isoDate(str(r.report_date)) },
  '510k': { dateField: 'decision_date', sortField: 'decision_date', dateOf: (r) => isoDate(str(r.decision_date)) },
  registrationlisting: {
    dateField: 'products.created_date',
    sortField: 'products.created_date',
    dateOf: (r) =>
      (Array.isArray(r.products) ? r.products : [])
        .map((p) => isoDate(str((p as Record<string, unknown>)?.created_date)))
        .filter((d): d is string => Boolean(d))
        .sort()
        .at(-1),
  },
  classification: { sortField: 'product_code', dateOf: () => undefined },
};

/** Days an incremental window starts before the checkpoint, to catch late and back-dated records. */
export const OVERLAP_DAYS = 7;
/** Without a checkpoint or --since, a poll looks back this far (the bulk loader fills the rest). */
export const DEFAULT_LOOKBACK_DAYS = 30;

/**
 * The openFDA API key: OPENFDA_API_KEY if set (local runs), else the Secrets Manager secret named by
 * OPENFDA_API_KEY_SECRET (AWS; Powertools caches it for 15 minutes), else none (openFDA allows keyless use
 * at a lower daily quota).
 */
export async function openFdaApiKey(config: IngestContext['config']): Promise<string | undefined> {
  if (config.OPENFDA_API_KEY) return config.OPENFDA_API_KEY;
  if (!config.OPENFDA_API_KEY_SECRET) return undefined;
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
  const value = await getSecret(config.OPENFDA_API_KEY_SECRET, { maxAge: 900 });
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export async function openFdaHttp(ctx: IngestContext, overrides: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}): Promise<HttpClient> {
  const key = await openFdaApiKey(ctx.config);
  return new HttpClient({
    baseURL: ctx.config.OPENFDA_BASE_URL,
    defaultParams: key ? { api_key: key } : undefined,
    ...overrides,
  });
}

/**
 * Map a page of recall or enforcement records, joining each with its other half if stored: the half that
 * arrives second rebuilds the references with both (class from enforcement, product code from recall).
 */
async function joinRecallHalves(ctx: IngestContext, half: 'recall' | 'enforcement', raws: unknown[]): Promise<BaseItem[][]> {
  const numbers = raws.map((raw) => recallNumberOf(raw, half));
  const otherKey = (n: string) => (half === 'recall' ? ref.enforcement(n) : ref.recall(n));
  const keys = numbers.filter((n): n is string => Boolean(n)).map(otherKey);
  const stored = keys.length ? await batchGet(ctx.doc, ctx.config.REFERENCE_TABLE, keys, { projection: ['raw'] }) : new Map();
  return raws.map((raw, i) => {
    const n = numbers[i];
    const other = n ? stored.get(keyString(otherKey(n)))?.raw : undefined;
    const otherRaw = typeof other === 'string' ? (JSON.parse(other) as unknown) : undefined;
    return half === 'recall' ? mapRecall(raw, otherRaw) : mapRecall(otherRaw, raw);
  });
}

/** Map raw records of a dataset to items; a record that cannot be mapped is counted, not fatal. */
export async function mapOpenFdaPage(ctx: IngestContext, dataset: OpenFdaDataset, raws: unknown[]): Promise<{ items: BaseItem[]; failed: number }> {
  let failed = 0;
  const items: BaseItem[] = [];
  if (dataset === 'recall' || dataset === 'enforcement') {
    // Map each record alone first so one bad record cannot sink the page's join.
    const good = raws.filter((raw) => {
      try {
        mapOpenFdaRecord(dataset, raw);
        return recallNumberOf(raw, dataset) !== undefined || (failed++, false);
      } catch {
        failed++;
        return false;
      }
    });
    for (const group of await joinRecallHalves(ctx, dataset, good)) items.push(...group);
    return { items, failed };
  }
  for (const raw of raws) {
    try {
      const mapped = mapOpenFdaRecord(dataset, raw);
      if (mapped.length === 0) failed++;
      items.push(...mapped);
    } catch {
      failed++;
    }
  }
  return { items, failed };
}

export function openFdaPollSource(ctx: IngestContext, dataset: OpenFdaDataset, client: OpenFdaClient, pageSize = 1000): PollSource<Record<string, unknown>> {
  const plan = PLANS[dataset];
  const endpoint: OpenFdaEndpoint = dataset;
  return {
    dataset: `openfda-${dataset}`,
    async *pages(since) {
      const today = ctx.now().toISOString().slice(0, 10);
      const search = plan.dateField
        ? dateRange(endpoint, plan.dateField, since ?? minusDaysIso(today, DEFAULT_LOOKBACK_DAYS), plusDaysIso(today, 1))
        : exists(endpoint, plan.sortField);
      for await (const page of client.pages(endpoint, { search, sort: sortBy(endpoint, plan.sortField, 'asc'), limit: pageSize })) {
        yield { records: page.results as Record<string, unknown>[], lastUpdated: page.lastUpdated };
      }
    },
    dateOf: plan.dateOf,
    toItems: (records) => mapOpenFdaPage(ctx, dataset, records),
  };
}

function minusDaysIso(iso: string, days: number): string {
  return plusDaysIso(iso, -days);
}
function plusDaysIso(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface OpenFdaIngestOptions {
  since?: string;
  pageSize?: number;
  /** Stop before another page when less than this remains (ms). */
  marginMs?: number;
  leaseMs?: number;
  http?: HttpClient;
}

/** One incremental poll of an openFDA dataset (the scheduled Lambda and `udi-sentinel ingest` both run this). */
export async function runOpenFdaIngest(ctx: IngestContext, dataset: OpenFdaDataset, options: OpenFdaIngestOptions = {}): Promise<IngestSummary> {
  const client = new OpenFdaClient(options.http ?? (await openFdaHttp(ctx)));
  const source = openFdaPollSource(ctx, dataset, client, options.pageSize);
  const result = await runPoll(
    source,
    {
      cursors: ctx.cursors,
      write: (items) => ctx.write(items),
      recordStatus: (s) => putSourceStatus(ctx, `openfda:${dataset}`, s),
      owner: ctx.owner || randomUUID(),
      now: ctx.now,
      remainingMs: ctx.remainingMs,
    },
    { overlapDays: OVERLAP_DAYS, marginMs: options.marginMs ?? 30_000, leaseMs: options.leaseMs ?? 15 * 60_000, since: options.since },
  );
  return {
    dataset,
    status: result.status,
    seen: result.seen,
    written: result.written,
    unchanged: result.unchanged,
    failed: result.failed,
    lastUpdated: result.lastUpdated,
    checkpoint: result.checkpoint,
  };
}
