/**
 * Child process of the ingest benchmark: a fresh Node process that bulk-loads one partition with the
 * project's loader and reports its time and peak RSS. Run as
 *   node --import tsx test/bench/support/ingest-child.ts <file> <endpoint> <referenceTable> <recordsTable> [force]
 * and prints one line `BENCH_RESULT {json}` on stdout.
 *
 * Peak RSS is reported two ways: sampled `process.memoryUsage().rss` every 50 ms, and the kernel's
 * high-water mark `process.resourceUsage().maxRSS` (which also covers the moments between samples).
 */
import { createClients } from '../../../lib/aws/clients.js';
import { loadConfig } from '../../../lib/config.js';
import { loadBulkFile } from '../../../lib/ingest/bulk.js';
import { createIngestContext } from '../../../lib/ingest/context.js';
import { MARK, type ChildResult } from './protocol.js';

async function main(): Promise<void> {
  const [file, endpoint, referenceTable, recordsTable, force] = process.argv.slice(2);
  if (!file || !endpoint || !referenceTable || !recordsTable) throw new Error('usage: ingest-child <file> <endpoint> <referenceTable> <recordsTable> [force]');
  const config = loadConfig({ DYNAMODB_ENDPOINT: endpoint, REFERENCE_TABLE: referenceTable, RECORDS_TABLE: recordsTable });
  const { doc, dynamodb } = createClients(config);
  const ctx = createIngestContext({ config, doc, owner: 'bench-ingest' });

  const rssBeforeBytes = process.memoryUsage().rss;
  let peak = rssBeforeBytes;
  let heapPeak = 0;
  let samples = 0;
  const sample = () => {
    const m = process.memoryUsage();
    samples++;
    if (m.rss > peak) peak = m.rss;
    if (m.heapUsed > heapPeak) heapPeak = m.heapUsed;
  };
  const timer = setInterval(sample, 50);
  const started = performance.now();
  const summary = await loadBulkFile(ctx, 'udi', file, { runId: 'bench', force: force === 'force' });
  const elapsedMs = performance.now() - started;
  clearInterval(timer);
  sample();
  dynamodb.destroy();
  const result: ChildResult = {
    seen: summary.seen,
    written: summary.written,
    unchanged: summary.unchanged,
    failed: summary.failed,
    elapsedMs,
    rssBeforeBytes,
    peakRssSampledBytes: peak,
    // maxRSS is in kilobytes (getrusage ru_maxrss on Linux).
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    heapUsedPeakBytes: heapPeak,
    samples,
  };
  process.stdout.write(`\n${MARK}${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
