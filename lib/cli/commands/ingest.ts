import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClients } from '../../aws/clients.js';
import { loadConfig } from '../../config.js';
import { AppError } from '../../errors.js';
import { loadBulkFile, loadManifest, isOpenFdaDataset } from '../../ingest/bulk.js';
import { createIngestContext, type IngestSummary } from '../../ingest/context.js';
import { INGEST_DATASETS, isIngestDataset, runDataset, type IngestDataset } from '../../ingest/datasets.js';
import { prepareStore } from '../../local/stack.js';
import { createRuntime } from '../../runtime.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

export const usage = `udi-sentinel ingest --dataset <name|all> [--since YYYY-MM-DD] [--file F | --manifest M] [--force] [--json]

Mirrors upstream data into the reference table and ends with a summary per dataset
(seen, written, unchanged, failed). Exit 1 when anything failed.
  --dataset   ${INGEST_DATASETS.join(', ')}, or all
  --since     re-read from this date instead of the stored checkpoint
  --file      load one openFDA bulk partition (.json.zip or .json), e.g. device-udi-0001-of-0030.json.zip
  --manifest  load every partition of the dataset listed in openFDA's download.json (URL or file);
              partitions already loaded are skipped, so a crashed load resumes
  --force     with --file/--manifest: load partitions again even if recorded as done
  --json      print the summary as JSON
Upstreams come from OPENFDA_BASE_URL, CISA_CSAF_BASE_URL and FDA_SAFETY_RSS_URL.`;

function formatRate(records: number, ms: number): string {
  return ms > 0 ? `${Math.round((records / ms) * 1000).toLocaleString('en-US')}/s` : '';
}

function eta(records: number, expected: number | undefined, ms: number): string {
  if (!expected || records === 0 || records >= expected) return '';
  const s = Math.round(((expected - records) * ms) / records / 1000);
  return ` ETA ${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export async function ingest(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dataset: { type: 'string' },
      since: { type: 'string' },
      file: { type: 'string' },
      manifest: { type: 'string' },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const name = values.dataset;
  if (!name) throw new UsageError('--dataset is required.');
  if (name !== 'all' && !isIngestDataset(name)) throw new UsageError(`Unknown dataset "${name}"; choose one of ${INGEST_DATASETS.join(', ')}, or all.`);
  if (values.since !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(values.since) || Number.isNaN(Date.parse(values.since)))) {
    throw new UsageError(`--since must be a date YYYY-MM-DD, got "${values.since}".`);
  }
  if (values.file && values.manifest) throw new UsageError('Give --file or --manifest, not both.');
  const bulk = values.file ?? values.manifest;
  if (bulk && (name === 'all' || !isOpenFdaDataset(name))) throw new UsageError('--file and --manifest load one openFDA dataset (udi, recall, enforcement, 510k, registrationlisting, classification).');
  if (values.file && !existsSync(values.file)) throw new UsageError(`No such file: ${values.file}`);

  const config = loadConfig();
  const rt = createRuntime(config, createClients(config));
  try {
    await prepareStore(rt);
    const progress = io.isTty ? (m: string) => io.err(`\r${m}\u001b[K`) : undefined;
    const ctx = createIngestContext({ config, doc: rt.clients.doc, owner: `cli-${randomUUID()}`, progress });
    const summaries: IngestSummary[] = [];
    const datasets: IngestDataset[] = name === 'all' ? [...INGEST_DATASETS] : [name as IngestDataset];
    for (const dataset of datasets) {
      try {
        if (bulk && isOpenFdaDataset(dataset)) {
          const onProgress = progress
            ? (p: { partition: string; records: number; expected?: number; elapsedMs: number }) =>
                progress(`${dataset} ${p.partition}: ${p.records.toLocaleString('en-US')} records ${formatRate(p.records, p.elapsedMs)}${eta(p.records, p.expected, p.elapsedMs)}`)
            : undefined;
          summaries.push(
            values.file
              ? await loadBulkFile(ctx, dataset, values.file, { force: values.force, onProgress })
              : await loadManifest(ctx, dataset, values.manifest as string, { force: values.force, onProgress }),
          );
          if (progress) io.err('');
        } else {
          summaries.push(await runDataset(ctx, dataset, { since: values.since }));
        }
      } catch (err) {
        // One dataset failing does not stop the others; the summary says what failed and why.
        const message = err instanceof AppError ? err.message : `${(err as Error).name}: ${(err as Error).message}`;
        summaries.push({ dataset, status: 'failed', seen: 0, written: 0, unchanged: 0, failed: 0, error: message });
      }
    }
    if (values.json) io.out(JSON.stringify(summaries));
    else {
      io.out(`${'dataset'.padEnd(22)}${'status'.padEnd(22)}${'seen'.padStart(9)}${'written'.padStart(9)}${'unchanged'.padStart(11)}${'failed'.padStart(8)}`);
      for (const s of summaries) {
        io.out(`${s.dataset.padEnd(22)}${s.status.padEnd(22)}${String(s.seen).padStart(9)}${String(s.written).padStart(9)}${String(s.unchanged).padStart(11)}${String(s.failed).padStart(8)}`);
        if (s.error) io.out(`  ${s.error}`);
      }
    }
    const bad = summaries.some((s) => s.status === 'failed' || s.status === 'lease-held' || s.status === 'lease-lost' || s.failed > 0);
    return bad ? EXIT.failure : EXIT.ok;
  } finally {
    rt.clients.dynamodb.destroy();
  }
}
