import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import axios from 'axios';
import { z } from 'zod';
import { BadRequestError, UpstreamError } from '../errors.js';
import { rec } from '../store/keys.js';
import { openBulkFile, readBulkJson } from './bulk-read.js';
import type { IngestContext, IngestSummary } from './context.js';
import { mapOpenFdaPage, OPENFDA_DATASETS, type OpenFdaDataset } from './openfda.js';
import { putSourceStatus } from './source-status.js';

export interface BulkOptions {
  /** Records mapped and written together (bounded memory). */
  batchSize?: number;
  /** Load even if the partition is recorded as done. */
  force?: boolean;
  /** Groups partitions of one load (the manifest's export date); defaults to the file name. */
  runId?: string;
  /** Records expected in this partition (from the manifest), for progress and ETA. */
  expectedRecords?: number;
  onProgress?: (p: { partition: string; records: number; expected?: number; elapsedMs: number }) => void;
}

const partitionSchema = z.looseObject({ status: z.string(), records: z.number().optional() });

/** Whether a partition of a bulk load finished (so a crashed load resumes where it stopped). */
async function partitionDone(ctx: IngestContext, dataset: string, runId: string, partition: string): Promise<boolean> {
  const out = await ctx.doc.send(new GetCommand({ TableName: ctx.config.RECORDS_TABLE, Key: rec.bulkPartition(dataset, runId, partition), ConsistentRead: true }));
  return out.Item !== undefined && partitionSchema.parse(out.Item).status === 'done';
}

async function markPartition(ctx: IngestContext, dataset: string, runId: string, partition: string, summary: IngestSummary): Promise<void> {
  await ctx.doc.send(
    new PutCommand({
      TableName: ctx.config.RECORDS_TABLE,
      Item: {
        ...rec.bulkPartition(dataset, runId, partition),
        entity: 'bulk-partition',
        v: 1,
        dataset,
        runId,
        partition,
        status: summary.failed > 0 ? 'done-with-failures' : 'done',
        records: summary.seen,
        written: summary.written,
        failed: summary.failed,
        finishedAt: ctx.now().toISOString(),
      },
    }),
  );
}

export function isOpenFdaDataset(name: string): name is OpenFdaDataset {
  return (OPENFDA_DATASETS as readonly string[]).includes(name);
}

/**
 * Load one openFDA bulk partition (`.json.zip` or `.json`) in constant memory: stream, map in batches,
 * write idempotently, and record the partition as done. Re-running a done partition is skipped; a
 * partition interrupted midway is loaded again from its start (unchanged items are not rewritten).
 */
export async function loadBulkFile(ctx: IngestContext, dataset: OpenFdaDataset, file: string, options: BulkOptions = {}): Promise<IngestSummary> {
  const partition = basename(file);
  const runId = options.runId ?? 'file';
  const summary: IngestSummary = { dataset, status: 'completed', seen: 0, written: 0, unchanged: 0, failed: 0 };
  if (!options.force && (await partitionDone(ctx, dataset, runId, partition))) return { ...summary, status: 'completed', error: undefined };
  const batchSize = options.batchSize ?? 500;
  const started = Date.now();
  let batch: unknown[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const { items, failed } = await mapOpenFdaPage(ctx, dataset, batch);
    const stats = await ctx.write(items);
    summary.seen += batch.length;
    summary.failed += failed;
    summary.written += stats.written;
    summary.unchanged += stats.unchanged;
    batch = [];
    options.onProgress?.({ partition, records: summary.seen, expected: options.expectedRecords, elapsedMs: Date.now() - started });
  };
  for await (const event of readBulkJson(await openBulkFile(file))) {
    if (event.kind === 'lastUpdated') summary.lastUpdated = event.value;
    else if (event.kind === 'record') {
      batch.push(event.value);
      if (batch.length >= batchSize) await flush();
    }
  }
  await flush();
  await markPartition(ctx, dataset, runId, partition, summary);
  await putSourceStatus(ctx, `openfda:${dataset}`, { lastUpdated: summary.lastUpdated, ingestedAt: ctx.now().toISOString(), records: summary.seen });
  return summary;
}

export const manifestPartitionSchema = z.looseObject({ file: z.string().url(), records: z.coerce.number().optional(), display_name: z.string().optional() });
export type ManifestPartition = z.infer<typeof manifestPartitionSchema>;

const manifestSchema = z.looseObject({
  results: z.looseObject({
    device: z.record(
      z.string(),
      z.looseObject({
        export_date: z.string().optional(),
        partitions: z.array(manifestPartitionSchema),
      }),
    ),
  }),
});

/** Read openFDA's `download.json` manifest from a file or an http(s) URL. */
export async function readManifest(location: string): Promise<z.infer<typeof manifestSchema>> {
  let text: string;
  if (/^https?:\/\//.test(location)) {
    const res = await axios.get<string>(location, { responseType: 'text', timeout: 60_000, maxContentLength: 64 * 1024 * 1024, transformResponse: (x) => x });
    text = res.data;
  } else {
    text = await readFile(location, 'utf8');
  }
  const parsed = manifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new BadRequestError(`${location} is not an openFDA download manifest (results.device.<dataset>.partitions[]).`);
  return parsed.data;
}

/** Download a partition to a file (the zip format needs random access), streaming, with a size cap. */
async function download(url: string, dest: string): Promise<void> {
  let lastError = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const res = await axios.get(url, { responseType: 'stream', timeout: 300_000, maxRedirects: 3, maxContentLength: 2 * 1024 ** 3 });
      await pipeline(res.data, createWriteStream(dest));
      return;
    } catch (err) {
      lastError = (err as { code?: string }).code ?? 'error';
    }
  }
  throw new UpstreamError(`Download of ${basename(new URL(url).pathname)} failed (${lastError}).`);
}

/**
 * Load one manifest partition (download → stream → store), unless it is recorded as done in this run.
 * The Step Functions fan-out calls this once per partition; `loadManifest` calls it in a loop.
 */
export async function loadPartition(
  ctx: IngestContext,
  dataset: OpenFdaDataset,
  runId: string,
  partition: ManifestPartition,
  options: Omit<BulkOptions, 'runId' | 'expectedRecords'> = {},
): Promise<IngestSummary & { skipped?: boolean }> {
  const name = basename(new URL(partition.file).pathname);
  if (!options.force && (await partitionDone(ctx, dataset, runId, name))) {
    return { dataset, status: 'completed', seen: 0, written: 0, unchanged: 0, failed: 0, skipped: true };
  }
  const dir = await mkdtemp(join(tmpdir(), 'udi-sentinel-bulk-'));
  try {
    const local = join(dir, name);
    if (partition.file.startsWith('file:')) await pipeline(createReadStream(new URL(partition.file)), createWriteStream(local));
    else await download(partition.file, local);
    return await loadBulkFile(ctx, dataset, local, { ...options, force: true, runId, expectedRecords: partition.records });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Load every partition of a dataset listed in a manifest, skipping those already done in this export
 * (the manifest's export date is the run id), so a crashed load resumes with the next partition.
 */
export async function loadManifest(
  ctx: IngestContext,
  dataset: OpenFdaDataset,
  location: string,
  options: Omit<BulkOptions, 'runId' | 'expectedRecords'> = {},
): Promise<IngestSummary> {
  const manifest = await readManifest(location);
  const entry = manifest.results.device[dataset];
  if (!entry) throw new BadRequestError(`The manifest lists no device/${dataset} partitions.`);
  const runId = entry.export_date ?? 'manifest';
  const total: IngestSummary = { dataset, status: 'completed', seen: 0, written: 0, unchanged: 0, failed: 0 };
  for (const p of entry.partitions) {
    const s = await loadPartition(ctx, dataset, runId, p, options);
    total.seen += s.seen;
    total.written += s.written;
    total.unchanged += s.unchanged;
    total.failed += s.failed;
    total.lastUpdated = s.lastUpdated ?? total.lastUpdated;
  }
  return total;
}
