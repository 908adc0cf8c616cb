/**
 * openFDA UDI bulk ingest (npm run bench:ingest; GitHub issue 4).
 *
 * On a SYNTHETIC 100,000-record /device/udi partition (test/bench/support/synthetic-udi.ts: variations of
 * the data/sample UDI records with unique, valid GTIN-14 DIs under GS1's example prefix 0614141), against
 * DynamoDB Local (in memory, started here):
 *   1. loader throughput: `loadBulkFile(ctx, 'udi', <.json.zip>)` in a fresh Node process, records/s,
 *      against a ceiling — the same items (mapped beforehand with `mapOpenFdaPage`, marshalled with
 *      @aws-sdk/util-dynamodb) written by a bare BatchWriteItem loop, 25 a call, only the calls timed;
 *   2. parse-only: `readBulkJson(openBulkFile(file))` counting records, against `JSON.parse` of the file;
 *   3. peak RSS of a fresh process loading 10,000 and 100,000 records (must stay flat);
 *   4. a forced re-ingest of the same partition: `written` must be 0.
 * `--write` replaces the "## Ingest (npm run bench:ingest)" section of docs/benchmarks.md.
 * `BENCH_RECORDS` / `BENCH_SMALL_RECORDS` change the partition sizes (defaults 100000 / 10000).
 */
import { machineLine, writeBenchSection } from './support/bench-doc.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, DeleteTableCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createClients } from '../../lib/aws/clients.js';
import { loadConfig } from '../../lib/config.js';
import { openBulkFile, readBulkJson } from '../../lib/ingest/bulk-read.js';
import { createIngestContext, type IngestContext } from '../../lib/ingest/context.js';
import { mapOpenFdaPage } from '../../lib/ingest/openfda.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../lib/local/dynamodb-local.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { ensureTables, type TableNames } from '../../lib/store/ensure-tables.js';
import { MARK, type ChildResult } from './support/protocol.js';
import { loadTemplates, variant, writeSyntheticPartition, type PartitionFiles, type Template } from './support/synthetic-udi.js';

const SECTION = '## Ingest (npm run bench:ingest)';
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const SMALL = Number(process.env.BENCH_SMALL_RECORDS ?? 10_000);
/** BatchWriteItem calls in flight for the ceiling, one ceiling per entry (`BENCH_CEILING_INFLIGHT`, default 1,4). */
const CEILING_INFLIGHT = (process.env.BENCH_CEILING_INFLIGHT ?? '1,4').split(',').map(Number);
/** Records mapped and marshalled per untimed preparation step of the ceiling (bounds its memory). */
const CEILING_CHUNK = 20_000;
const PARSE_ROUNDS = Number(process.env.BENCH_PARSE_ROUNDS ?? 1);
const CHILD = join(REPO_ROOT, 'test', 'bench', 'support', 'ingest-child.ts');
const WRITE = process.argv.includes('--write');

// ---------- formatting ----------
const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const best = (xs: number[]): number => Math.min(...xs);
const log = (msg: string): void => console.log(`[bench:ingest ${new Date().toISOString().slice(11, 19)}] ${msg}`);


// ---------- DynamoDB helpers ----------
async function tables(dynamodb: DynamoDBClient, prefix: string): Promise<TableNames> {
  const names = { reference: `${prefix}-reference`, records: `${prefix}-records` };
  await ensureTables(dynamodb, names);
  return names;
}

async function dropTables(dynamodb: DynamoDBClient, names: TableNames): Promise<void> {
  for (const TableName of [names.reference, names.records]) await dynamodb.send(new DeleteTableCommand({ TableName }));
}

function context(endpoint: string, names: TableNames): { ctx: IngestContext; dynamodb: DynamoDBClient } {
  const config = loadConfig({ DYNAMODB_ENDPOINT: endpoint, REFERENCE_TABLE: names.reference, RECORDS_TABLE: names.records });
  const { doc, dynamodb } = createClients(config);
  return { ctx: createIngestContext({ config, doc, owner: 'bench-ingest' }), dynamodb };
}

// ---------- 1. the loader, in a fresh process (also 3. its peak RSS and 4. the forced re-ingest) ----------
function runChild(file: string, endpoint: string, names: TableNames, force = false): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, endpoint, names.reference, names.records, ...(force ? ['force'] : [])], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString('utf8')).slice(-8_000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(MARK));
      if (code !== 0 || !line) return reject(new Error(`ingest child failed (exit ${code}):\n${err || out}`));
      resolve(JSON.parse(line.slice(MARK.length)) as ChildResult);
    });
  });
}

// ---------- 1. the ceiling: bare BatchWriteItem of the same items ----------
interface CeilingResult {
  concurrency: number;
  records: number;
  items: number;
  calls: number;
  retries: number;
  writeMs: number;
  prepMs: number;
}

/**
 * The partition's records, `size` at a time: regenerated with the generator that wrote the file (same
 * function, same i → the same records as parsed from the file, without paying the parse again).
 */
function* recordChunks(templates: readonly Template[], records: number, size: number): Generator<unknown[]> {
  for (let from = 0; from < records; from += size) {
    const chunk: unknown[] = [];
    for (let i = from; i < Math.min(records, from + size); i++) chunk.push(variant(templates, i));
    yield chunk;
  }
}

/**
 * Write the partition's items with bare BatchWriteItem calls, once per in-flight count, each into its own
 * fresh reference table. Each chunk is prepared once (untimed) and written by every variant in turn — the
 * order alternating per chunk — so drift in the shared machine's load hits all variants alike.
 */
async function ceilings(
  endpoint: string,
  targets: { concurrency: number; names: TableNames }[],
  templates: readonly Template[],
  records: number,
): Promise<CeilingResult[]> {
  const first = targets[0];
  if (!first) return [];
  const { ctx, dynamodb } = context(endpoint, first.names);
  const results = targets.map(({ concurrency }): CeilingResult => ({ concurrency, records: 0, items: 0, calls: 0, retries: 0, writeMs: 0, prepMs: 0 }));
  try {
    let round = 0;
    for (const chunk of recordChunks(templates, records, CEILING_CHUNK)) {
      // Untimed: map exactly as the loader does, then marshall as the document client would.
      const prepStart = performance.now();
      const { items, failed } = await mapOpenFdaPage(ctx, 'udi', chunk);
      if (failed) throw new Error(`${failed} records did not map`);
      const batches: WriteRequest[][] = [];
      for (let i = 0; i < items.length; i += 25) {
        batches.push(
          items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: false }) } })),
        );
      }
      const prepMs = performance.now() - prepStart;

      const order = targets.map((_, k) => k);
      if (round++ % 2) order.reverse();
      for (const k of order) {
        const target = targets[k];
        const result = results[k];
        if (!target || !result) continue;
        const table = target.names.reference;
        result.records += chunk.length;
        result.items += items.length;
        result.prepMs += prepMs;
        // Timed: only the BatchWriteItem calls, `concurrency` in flight.
        let next = 0;
        const worker = async () => {
          for (let b = next++; b < batches.length; b = next++) {
            let pending = batches[b] ?? [];
            while (pending.length) {
              const out = await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
              result.calls++;
              pending = out.UnprocessedItems?.[table] ?? [];
              if (pending.length) result.retries++;
            }
          }
        };
        const t0 = performance.now();
        await Promise.all(Array.from({ length: target.concurrency }, worker));
        result.writeMs += performance.now() - t0;
      }
    }
  } finally {
    dynamodb.destroy();
  }
  return results;
}

// ---------- 2. parse-only ----------
interface ParseResult {
  streamJsonMs: number[];
  jsonParseMs: number[];
  readPlusParseMs: number[];
  records: number;
}

async function countStreamed(file: string): Promise<number> {
  let n = 0;
  for await (const event of readBulkJson(await openBulkFile(file))) if (event.kind === 'record') n++;
  return n;
}

async function parseBench(files: PartitionFiles, warmUp: PartitionFiles): Promise<ParseResult> {
  // Warm both readers up (JIT, file cache) on the small partition; not measured.
  await countStreamed(warmUp.json);
  JSON.parse(await readFile(warmUp.json, 'utf8'));
  const r: ParseResult = { streamJsonMs: [], jsonParseMs: [], readPlusParseMs: [], records: files.records };
  const check = (n: number, what: string) => {
    if (n !== files.records) throw new Error(`${what} counted ${n} records, expected ${files.records}`);
  };
  for (let round = 0; round < PARSE_ROUNDS; round++) {
    let t0 = performance.now();
    check(await countStreamed(files.json), 'readBulkJson(.json)');
    r.streamJsonMs.push(performance.now() - t0);

    t0 = performance.now();
    const text = await readFile(files.json, 'utf8');
    const t1 = performance.now();
    const doc = JSON.parse(text) as { results: unknown[] };
    const t2 = performance.now();
    check(doc.results.length, 'JSON.parse');
    r.jsonParseMs.push(t2 - t1);
    r.readPlusParseMs.push(t2 - t0);
    log(`parse round ${round + 1}: readBulkJson ${sec(r.streamJsonMs.at(-1) ?? 0)}, JSON.parse ${sec(t2 - t1)}`);
  }
  return r;
}

// ---------- docs ----------

// ---------- main ----------
async function main(): Promise<void> {
  if (!Number.isInteger(RECORDS) || !Number.isInteger(SMALL) || SMALL < 1 || SMALL >= RECORDS) throw new Error('need 1 <= BENCH_SMALL_RECORDS < BENCH_RECORDS');
  const load = loadavg()[0]?.toFixed(2) ?? '?';
  const host = machineLine(load);
  const benchStart = performance.now();
  log(host);
  const work = mkdtempSync(join(tmpdir(), 'udi-ingest-bench-'));
  let dynamo: DynamoDbLocal | undefined;
  try {
    // Input, generated here (streaming) so the measured children only read it.
    const templates = await loadTemplates();
    const t0 = performance.now();
    const big = await writeSyntheticPartition(work, 'device-udi-bench-large', RECORDS, templates);
    const small = await writeSyntheticPartition(work, 'device-udi-bench-small', SMALL, templates);
    const genMs = performance.now() - t0;
    const zipBytes = readFileSync(big.zip).length;
    log(`generated ${fmtInt(big.records)} + ${fmtInt(small.records)} records in ${sec(genMs)}; ${mb(big.jsonBytes)} JSON, ${mb(zipBytes)} zip`);

    // 2. parse-only, before DynamoDB Local runs (no Java competing for the two cores).
    const parse = await parseBench(big, small);

    dynamo = await startDynamoDbLocal({ inMemory: true });
    const admin = createClients(loadConfig({ DYNAMODB_ENDPOINT: dynamo.endpoint })).dynamodb;
    try {
      // 3a. small load: a fresh process at 10k (also warms DynamoDB Local's JIT for what follows).
      const smallRun = await runChild(small.zip, dynamo.endpoint, await tables(admin, 'bench-small'));
      log(`loader ${fmtInt(smallRun.seen)} records: ${sec(smallRun.elapsedMs)}, maxRSS ${mb(smallRun.maxRssBytes)}`);

      // 1b. ceilings, into fresh tables (dropped after, to keep DynamoDB Local's memory down).
      const targets: { concurrency: number; names: TableNames }[] = [];
      for (const concurrency of CEILING_INFLIGHT) targets.push({ concurrency, names: await tables(admin, `bench-ceiling-${concurrency}`) });
      const ceilingResults = await ceilings(dynamo.endpoint, targets, templates, big.records);
      for (const { names } of targets) await dropTables(admin, names);
      for (const c of ceilingResults) {
        log(`ceiling x${c.concurrency}: ${fmtInt(c.items)} items in ${sec(c.writeMs)} (${fmtInt((c.records / c.writeMs) * 1000)} records/s; prep ${sec(c.prepMs)} untimed), ${c.retries} retried calls`);
      }

      // 1a + 3b. the loader on the big partition, a fresh process.
      const bigNames = await tables(admin, 'bench-large');
      const bigRun = await runChild(big.zip, dynamo.endpoint, bigNames);
      log(`loader ${fmtInt(bigRun.seen)} records: ${sec(bigRun.elapsedMs)} (${fmtInt((bigRun.seen / bigRun.elapsedMs) * 1000)} records/s), maxRSS ${mb(bigRun.maxRssBytes)}`);

      // 4. re-ingest the same partition, forced past the "partition done" marker.
      const again = await runChild(big.zip, dynamo.endpoint, bigNames, true);
      log(`re-ingest: written ${again.written}, unchanged ${fmtInt(again.unchanged)} in ${sec(again.elapsedMs)}`);

      const report = render({ host, big, small, zipBytes, genMs, parse, smallRun, bigRun, again, ceilings: ceilingResults, totalMs: performance.now() - benchStart });
      console.log(`\n${report}`);
      if (WRITE) log(`written to ${writeBenchSection(SECTION, report)}`);
      if (again.written !== 0) process.exitCode = 1;
      if (bigRun.failed || smallRun.failed) process.exitCode = 1;
    } finally {
      admin.destroy();
    }
  } finally {
    await dynamo?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

interface Report {
  host: string;
  big: PartitionFiles;
  small: PartitionFiles;
  zipBytes: number;
  genMs: number;
  parse: ParseResult;
  smallRun: ChildResult;
  bigRun: ChildResult;
  again: ChildResult;
  ceilings: CeilingResult[];
  totalMs: number;
}

function render(r: Report): string {
  const perSec = (records: number, ms: number) => (records / ms) * 1000;
  const loaderRate = perSec(r.bigRun.seen, r.bigRun.elapsedMs);
  const items = r.ceilings[0]?.items ?? 0;
  const ceilingRows = r.ceilings.map((c) => {
    const rate = perSec(c.records, c.writeMs);
    return `| ceiling: bare BatchWriteItem, ${c.concurrency} in flight | ${fmtInt(c.records)} (${fmtInt(c.items)} items, ${fmtInt(c.calls)} calls${c.retries ? `, ${c.retries} retried` : ''}) | ${sec(c.writeMs)} | ${fmtInt(rate)} | **${(loaderRate / rate).toFixed(2)}** |`;
  });
  const ratioText = r.ceilings.map((c) => `${(loaderRate / perSec(c.records, c.writeMs)).toFixed(2)}× the ${c.concurrency}-in-flight BatchWriteItem ceiling`).join(' and ');
  const fastest = [...r.ceilings].sort((a, b) => a.writeMs / a.records - b.writeMs / b.records)[0];
  const inflightNote =
    r.ceilings.length > 1 && fastest?.concurrency === Math.min(...r.ceilings.map((c) => c.concurrency))
      ? ' In this run more calls in flight did not help: DynamoDB Local is CPU-bound and shares the 2 cores with the client.'
      : '';
  const p = r.parse;
  const streamMs = best(p.streamJsonMs);
  const parseMs = best(p.jsonParseMs);
  const readParseMs = best(p.readPlusParseMs);
  const mbps = (ms: number) => `${((r.big.jsonBytes / 1024 / 1024 / ms) * 1000).toFixed(1)} MB/s`;
  const rssRatio = r.bigRun.maxRssBytes / r.smallRun.maxRssBytes;
  const sampledRatio = r.bigRun.peakRssSampledBytes / r.smallRun.peakRssSampledBytes;
  return `
Command: \`npx tsx test/bench/ingest.bench.ts --write\` (\`npm run bench:ingest\` prints the same without \`--write\`; \`BENCH_RECORDS\`, \`BENCH_SMALL_RECORDS\`, \`BENCH_PARSE_ROUNDS\`, \`BENCH_CEILING_INFLIGHT\` change the sizes). Date: ${new Date().toISOString().slice(0, 10)}. Whole run: ${sec(r.totalMs)}.
Machine: ${r.host}. The machine is shared, so absolute figures move between runs; read the ratios.
Input: a **SYNTHETIC** openFDA \`/device/udi\` bulk partition of ${fmtInt(r.big.records)} records (\`meta.synthetic: true\`), generated by \`test/bench/support/synthetic-udi.ts\` from the UDI records in \`data/sample\` (the real open.fda.gov site-example record and the synthetic Contec/Epsimed records): every record has unique, valid GTIN-14 DIs under GS1's example company prefix 0614141 (check digits from \`gtinCheckDigit\`), a unique \`public_device_record_key\` and varied brand/model/catalog strings. Pretty-printed JSON, ${mb(r.big.jsonBytes)}; as the single entry \`device-udi-0001-of-0001.json\` of a \`.json.zip\` (openFDA's format), ${mb(r.zipBytes)} (the copies compress far better than real data). ${fmtInt(items)} items (a \`device\` per record plus a \`device-identifier\` per package DI). Generated in ${sec(r.genMs)}, streaming, before any measurement.
Store: DynamoDB Local (in memory, \`startDynamoDbLocal\`, Java on the same 2 cores), tables from \`ensureTables\`, fresh tables for every load.

**Result:** the loader ran at ${fmtInt(loaderRate)} records/s, ${ratioText} (§1); the streaming reader parses at ${mbps(streamMs)}, ${(streamMs / parseMs).toFixed(1)}× slower than \`JSON.parse\` (§2); peak RSS ${mb(r.smallRun.maxRssBytes)} at ${fmtInt(r.smallRun.seen)} records and ${mb(r.bigRun.maxRssBytes)} at ${fmtInt(r.bigRun.seen)} (×${rssRatio.toFixed(2)}: ${rssRatio < 1.25 ? 'flat' : 'NOT flat'}) (§3); a forced re-ingest wrote ${fmtInt(r.again.written)} items (§4).

### 1. Loader throughput against a bare BatchWriteItem ceiling

| path | records | time | records/s | loader ÷ ceiling |
| --- | ---: | ---: | ---: | ---: |
| \`loadBulkFile(ctx, 'udi', <.json.zip>)\` (fresh process; unzip + stream parse + map + BatchGetItem + BatchWriteItem) | ${fmtInt(r.bigRun.seen)} (written ${fmtInt(r.bigRun.written)} items, failed ${r.bigRun.failed}) | ${sec(r.bigRun.elapsedMs)} | ${fmtInt(loaderRate)} | — |
${ceilingRows.join('\n')}

Ceiling: the same records (regenerated by the generator that wrote the file) mapped beforehand with \`mapOpenFdaPage\` — so the same ${fmtInt(items)} items the loader writes — and marshalled with \`@aws-sdk/util-dynamodb\` (the document client's options), untimed, ${fmtInt(CEILING_CHUNK)} records at a time; then only the \`BatchWriteItemCommand\` calls (25 items each, unprocessed items resent) are timed. Each ceiling writes into its own fresh table; they take turns chunk by chunk (order alternating), so load drift on the shared machine hits them alike. The loader itself (\`writeItems\` in \`lib/store/batch-write.ts\`) works on up to 4 slices of 100 items at once, each one BatchGetItem of the stored hashes and then its BatchWriteItem calls in turn — so it also reads before it writes, which the ceilings do not; "${CEILING_INFLIGHT.filter((c) => c > 1).join(' / ') || '—'} in flight" is the closer comparison of concurrency, "1 in flight" the ceiling of a strictly serial writer, both against this DynamoDB Local (Java on the same 2 cores).${inflightNote}

### 2. Parse only (no writes)

| reader | input | ${PARSE_ROUNDS > 1 ? `best of ${PARSE_ROUNDS}` : 'time'} | records/s | throughput | vs JSON.parse |
| --- | --- | ---: | ---: | ---: | ---: |
| \`readBulkJson(openBulkFile(f))\`, counting records | .json | ${sec(streamMs)} | ${fmtInt(perSec(p.records, streamMs))} | ${mbps(streamMs)} | ${(streamMs / parseMs).toFixed(1)}× slower |
| \`JSON.parse\` of the file read into memory (parse only) | .json | ${sec(parseMs)} | ${fmtInt(perSec(p.records, parseMs))} | ${mbps(parseMs)} | 1× |
| \`readFile\` + \`JSON.parse\` | .json | ${sec(readParseMs)} | ${fmtInt(perSec(p.records, readParseMs))} | ${mbps(readParseMs)} | ${(readParseMs / parseMs).toFixed(1)}× |

Parse runs in the benchmark process before DynamoDB Local starts, after a warm-up of both readers on the small partition. JSON.parse needs the whole document in memory (a string of ${mb(r.big.jsonBytes)} plus every record as objects) — it does not scale to openFDA's larger partitions; the streaming reader holds one record at a time.

### 3. Peak RSS of a fresh process doing the bulk load

| records | load time | records/s | peak RSS (maxRSS) | peak RSS (50 ms samples) | RSS before load | peak heap used |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| ${fmtInt(r.smallRun.seen)} (first load: cold DynamoDB Local JVM) | ${sec(r.smallRun.elapsedMs)} | ${fmtInt(perSec(r.smallRun.seen, r.smallRun.elapsedMs))} | ${mb(r.smallRun.maxRssBytes)} | ${mb(r.smallRun.peakRssSampledBytes)} | ${mb(r.smallRun.rssBeforeBytes)} | ${mb(r.smallRun.heapUsedPeakBytes)} |
| ${fmtInt(r.bigRun.seen)} | ${sec(r.bigRun.elapsedMs)} | ${fmtInt(loaderRate)} | ${mb(r.bigRun.maxRssBytes)} | ${mb(r.bigRun.peakRssSampledBytes)} | ${mb(r.bigRun.rssBeforeBytes)} | ${mb(r.bigRun.heapUsedPeakBytes)} |

${fmtInt(r.bigRun.seen / r.smallRun.seen)}× the records, **${rssRatio.toFixed(2)}×** the peak RSS (maxRSS; ${sampledRatio.toFixed(2)}× by samples). Each child is \`node --import tsx test/bench/support/ingest-child.ts\` (so RSS includes tsx's loader), one \`loadBulkFile\` call with the default batch of 500 records; maxRSS is \`process.resourceUsage().maxRSS\`.

### 4. Re-ingest of the same partition

\`loadBulkFile(ctx, 'udi', <same .json.zip>, { force: true })\` in a fresh process over the loaded tables: seen ${fmtInt(r.again.seen)}, **written ${fmtInt(r.again.written)}**, unchanged ${fmtInt(r.again.unchanged)} items, failed ${r.again.failed}, ${sec(r.again.elapsedMs)} (${fmtInt(perSec(r.again.seen, r.again.elapsedMs))} records/s: reads of stored hashes only), peak RSS ${mb(r.again.maxRssBytes)}.
`;
}

await main();
