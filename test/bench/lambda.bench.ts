/**
 * Lambda bundles and cold start (npm run bench:lambda).
 *
 * For every function the CDK app deploys (ROUTES, the authorizer once it exists, and the ingest
 * handlers that exist), bundle the entry exactly as deployed — esbuild with ESBUILD_OPTIONS from
 * infra/constructs/service-function.ts — and measure:
 *   - size: minified .mjs bytes (and gzip -9, close to the zip Lambda stores), source map bytes;
 *   - cold start: a fresh `node` process (NODE_OPTIONS=--enable-source-maps, as deployed) that imports
 *     the bundle and invokes it once with a realistic API Gateway v2 event against DynamoDB Local;
 *     compared, as a ratio, with an empty handler bundled the same way.
 * Results are written to docs/benchmarks.md under "## Lambda bundles and cold start (npm run bench:lambda)".
 */
import { writeBenchSection } from './support/bench-doc.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ApiKeyRepository } from '../../lib/auth/keys.js';
import { createClients } from '../../lib/aws/clients.js';
import { loadConfig } from '../../lib/config.js';
import { ROUTES, routeKey, type RouteDefinition } from '../../lib/http/routes.js';
import { startDynamoDbLocal } from '../../lib/local/dynamodb-local.js';
import { loadSampleIfEmpty } from '../../lib/local/sample-load.js';
import { createRuntime } from '../../lib/runtime.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { ensureTables } from '../../lib/store/ensure-tables.js';
import { AUTHORIZER_ENTRY } from '../../infra/constructs/http-api.js';
import { ESBUILD_OPTIONS, METRICS_NAMESPACE, SERVICE_NAME } from '../../infra/constructs/service-function.js';
import { BULK_LOADS, INGEST_DATASETS, entryExists, entryPath } from '../../infra/ingest-plan.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SECTION = '## Lambda bundles and cold start (npm run bench:lambda)';
const MARK = 'BENCH_RESULT ';

interface Target {
  name: string;
  entry: string;
  /** API functions are invoked with an HTTP API event; others are only imported (they would reach upstreams). */
  event?: Record<string, unknown>;
}

interface Run {
  initMs: number;
  invokeMs: number;
  totalMs: number;
  status?: number;
  /** Authorizer (SIMPLE response) verdict. */
  authorized?: boolean;
}

interface Fixture {
  /** A DI of the sample data set and its labeler, so checks and lookups find a device. */
  di: string;
  manufacturer: string;
  /** A real API key (created in the bench's DynamoDB Local) for the authorizer. */
  apiKey: string;
  keyId: string;
}

interface Sample {
  query?: Record<string, string>;
  path?: Record<string, string>;
  json?: unknown;
}

/** A valid request per route key (GS1's example company prefix 0614141); routes not listed get none. */
function sampleRequest(routeKey: string, f: Fixture): Sample {
  const samples: Record<string, Sample> = {
    'GET /v1/udi/parse': { query: { udi: '(01)00614141999996(17)270101(10)ABC123' } },
    'POST /v1/udi/parse': { json: { udi: '01006141419999961727010110ABC123' } },
    'POST /v1/checks': { json: { di: f.di, manufacturer: f.manufacturer } },
    'GET /v1/devices/{di}': { path: { di: f.di } },
  };
  return samples[routeKey] ?? {};
}

/** A request as API Gateway HTTP API (payload 2.0) delivers it, after the authorizer for scoped routes. */
function httpEvent(route: RouteDefinition, f: Fixture): Record<string, unknown> {
  const now = new Date();
  const sample = sampleRequest(routeKey(route), f);
  const path = route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(sample.path?.[name] ?? 'x'));
  const body = sample.json === undefined ? undefined : JSON.stringify(sample.json);
  return {
    version: '2.0',
    routeKey: routeKey(route),
    rawPath: path,
    rawQueryString: new URLSearchParams(sample.query ?? {}).toString(),
    ...(sample.query ? { queryStringParameters: sample.query } : {}),
    ...(sample.path ? { pathParameters: sample.path } : {}),
    ...(body !== undefined ? { body } : {}),
    headers: {
      accept: 'application/json',
      'content-length': String(body?.length ?? 0),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      host: 'abc123.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'udi-sentinel-bench/1',
      'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      ...(route.auth === 'public' ? {} : { authorizer: { lambda: { keyId: f.keyId, scopes: ['check', 'inventory', 'admin'] } } }),
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: route.method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'udi-sentinel-bench/1' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: routeKey(route),
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}

/** The REQUEST authorizer event (payload 2.0) for the first scoped route, carrying the bench key. */
function authorizerEvent(route: RouteDefinition, f: Fixture): Record<string, unknown> {
  const event = httpEvent(route, f) as { headers: Record<string, string>; requestContext: Record<string, unknown> };
  const headers = { ...event.headers, authorization: `Bearer ${f.apiKey}`, 'x-api-key': f.apiKey };
  const { authorizer: _drop, ...requestContext } = event.requestContext;
  return {
    ...event,
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:us-east-1:123456789012:abc123/$default/${route.method}${route.path}`,
    identitySource: [headers.authorization, headers['x-api-key']],
    headers,
    requestContext,
  };
}

function targets(f: Fixture): Target[] {
  const list: Target[] = [];
  const seen = new Set<string>();
  for (const route of ROUTES) {
    if (seen.has(route.functionName)) continue;
    seen.add(route.functionName);
    list.push({ name: `api/${route.functionName}`, entry: route.entry, event: httpEvent(route, f) });
  }
  const scoped = ROUTES.find((r) => r.auth !== 'public');
  if (scoped && entryExists(AUTHORIZER_ENTRY)) list.push({ name: 'api/authorizer', entry: AUTHORIZER_ENTRY, event: authorizerEvent(scoped, f) });
  for (const d of INGEST_DATASETS.filter((x) => entryExists(x.entry))) list.push({ name: `poll/${d.dataset}`, entry: d.entry });
  for (const b of BULK_LOADS.filter((x) => entryExists(x.entry))) list.push({ name: `bulk/${b.dataset}`, entry: b.entry });
  return list;
}

/** Sample data (what `npm start` loads), one of its devices, and an API key, in the bench's DynamoDB Local. */
async function prepareStore(endpoint: string, names: { reference: string; records: string }): Promise<Fixture> {
  const cfg = loadConfig({ DYNAMODB_ENDPOINT: endpoint, REFERENCE_TABLE: names.reference, RECORDS_TABLE: names.records, LOG_LEVEL: 'SILENT' });
  const clients = createClients(cfg);
  try {
    await ensureTables(clients.dynamodb, names);
    await loadSampleIfEmpty(createRuntime(cfg, clients));
    let start: Record<string, unknown> | undefined;
    let device: Record<string, unknown> | undefined;
    do {
      const out = await clients.doc.send(
        new ScanCommand({ TableName: names.reference, FilterExpression: 'sk = :d AND entity = :e', ExpressionAttributeValues: { ':d': 'DEVICE', ':e': 'device' }, ExclusiveStartKey: start }),
      );
      device = out.Items?.[0];
      start = out.LastEvaluatedKey;
    } while (!device && start);
    if (!device) throw new Error('the sample data set holds no device');
    const { key, record } = await new ApiKeyRepository(clients.doc, names.records).create({ name: 'bench', scopes: ['check', 'inventory', 'admin'] });
    return { di: String(device.primaryDi), manufacturer: String(device.companyName ?? 'unknown'), apiKey: key, keyId: record.keyId };
  } finally {
    clients.dynamodb.destroy();
  }
}

async function bundle(entry: string, outdir: string, name: string): Promise<{ file: string; bytes: number; gzip: number; mapBytes: number }> {
  const { outExtension: _ext, ...options } = ESBUILD_OPTIONS;
  const outfile = join(outdir, `${name.replace(/[^A-Za-z0-9]+/g, '-')}.mjs`);
  await build({
    ...options,
    mainFields: [...options.mainFields],
    external: [...options.external],
    entryPoints: [entry],
    outfile,
    absWorkingDir: REPO_ROOT,
    logLevel: 'error',
  });
  const code = readFileSync(outfile);
  return { file: outfile, bytes: code.length, gzip: gzipSync(code, { level: 9 }).length, mapBytes: statSync(`${outfile}.map`).size };
}

const RUNNER = `
const t0 = performance.now();
const mod = await import(process.argv[2]);
const t1 = performance.now();
let status;
let authorized;
if (process.argv[3]) {
  const context = {
    functionName: 'bench', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
    memoryLimitInMB: '256', awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678', logGroupName: '/aws/lambda/bench',
    logStreamName: 'bench', callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 5000,
    done() {}, fail() {}, succeed() {},
  };
  const res = await mod.handler(JSON.parse(process.argv[3]), context);
  status = res && res.statusCode;
  if (res && typeof res.isAuthorized === 'boolean') authorized = res.isAuthorized;
}
const t2 = performance.now();
process.stdout.write('\\n${MARK}' + JSON.stringify({ initMs: t1 - t0, invokeMs: t2 - t1, totalMs: t2, status, authorized }) + '\\n');
process.exit(0);
`;

function coldRun(runner: string, bundleFile: string, event: Record<string, unknown> | undefined, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runner, pathToFileURL(bundleFile).href, ...(event ? [JSON.stringify(event)] : [])], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(MARK));
      if (code !== 0 || !line) return reject(new Error(`cold run of ${basename(bundleFile)} failed (exit ${code}):\n${err || out}`));
      resolve(JSON.parse(line.slice(MARK.length)) as Run);
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
const ms = (n: number): string => `${n.toFixed(1)} ms`;


async function main(): Promise<void> {
  const load = loadavg()[0]?.toFixed(2) ?? '?';
  const work = mkdtempSync(join(tmpdir(), 'udi-lambda-bench-'));
  const dynamo = await startDynamoDbLocal({ inMemory: true });
  try {
    const names = { reference: 'bench-reference', records: 'bench-records' };
    const fixture = await prepareStore(dynamo.endpoint, names);

    const env: Record<string, string> = {
      NODE_OPTIONS: '--enable-source-maps',
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      REFERENCE_TABLE: names.reference,
      RECORDS_TABLE: names.records,
      LOG_LEVEL: 'INFO',
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      // A DI missing from the mirror must not reach the real AccessGUDID: refused at once instead.
      ACCESSGUDID_BASE_URL: 'http://127.0.0.1:9',
    };
    const runner = join(work, 'runner.mjs');
    writeFileSync(runner, RUNNER);
    const emptyEntry = join(work, 'empty.ts');
    writeFileSync(emptyEntry, "export const handler = async () => ({ statusCode: 200, body: '' });\n");
    const empty = await bundle(emptyEntry, work, 'empty');

    const rows: string[] = [];
    const list = targets(fixture);
    for (const target of list) {
      const b = await bundle(entryPath(target.entry), work, target.name);
      // Warm the shared parts (DynamoDB Local's JIT, the OS file cache) once; not measured.
      await coldRun(runner, b.file, target.event, env);
      await coldRun(runner, empty.file, target.event, env);
      const fn: Run[] = [];
      const base: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        fn.push(await coldRun(runner, b.file, target.event, env));
        base.push(await coldRun(runner, empty.file, target.event, env));
      }
      const status = fn[0]?.status ?? fn[0]?.authorized;
      const fnTotal = median(fn.map((r) => r.totalMs));
      const baseTotal = median(base.map((r) => r.totalMs));
      const line = [
        target.name,
        `\`${target.entry}\``,
        kb(b.bytes),
        kb(b.gzip),
        kb(b.mapBytes),
        ms(median(fn.map((r) => r.initMs))),
        target.event ? `${ms(median(fn.map((r) => r.invokeMs)))} (${typeof status === 'boolean' ? (status ? 'allowed' : 'denied') : `HTTP ${status ?? '?'}`})` : 'not invoked',
        ms(fnTotal),
        ms(baseTotal),
        `${(fnTotal / baseTotal).toFixed(2)}×`,
      ];
      rows.push(`| ${line.join(' | ')} |`);
      console.log(line.join('  '));
    }
    const machine = `${cpus().length} CPUs (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average at start ${load}`;
    const body = `
Command: \`npx tsx test/bench/lambda.bench.ts\` (same as \`npm run bench:lambda\`; \`BENCH_RUNS=n\` changes the run count). Date: ${new Date().toISOString().slice(0, 10)}.
Machine: ${machine}.
Method: each function is bundled with \`ESBUILD_OPTIONS\` from \`infra/constructs/service-function.ts\` (what \`cdk synth\` deploys: ESM, node24 target, minified, AWS SDK inside, external source map, createRequire banner). Cold start = a fresh \`node\` process with \`NODE_OPTIONS=--enable-source-maps\` (as deployed) that imports the bundle and invokes it once — API functions with a realistic API Gateway HTTP API v2.0 event (scoped routes carry the authorizer context; checks and device lookups name a device of the sample data set), the authorizer with a REQUEST event carrying a real API key, all against DynamoDB Local (in-memory, started by the benchmark, loaded with the \`npm start\` sample data). "total" is \`performance.now()\` at the end of the first invocation (Node bootstrap + import + invoke). Baseline: an empty handler bundled the same way, run the same way. One warm-up pair, then ${RUNS} interleaved pairs; medians shown.
Caveats: this is local Node ${process.version} on x86, not the Lambda nodejs24.x runtime on Graviton; Lambda adds its own sandbox and runtime start, and a 256 MB function gets a fraction of a vCPU. Read the ratio, not the milliseconds. Pollers are imported but not invoked (their first call would reach the upstream feeds).

| function | entry | bundle (min) | gzip -9 | source map | import | first invoke | total | empty handler total | ratio |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}
| (empty handler) | — | ${kb(empty.bytes)} | ${kb(empty.gzip)} | ${kb(empty.mapBytes)} | — | — | — | — | 1× |

Functions measured: ${list.map((t) => t.name).join(', ')} — every function the CDK app deploys today (ingest handlers appear here as they land).
`;
    const file = writeBenchSection(SECTION, body);
    console.log(`\nwritten to ${file}`);
  } finally {
    await dynamo.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
