/**
 * Check API (npm run bench:check; GitHub issue 5).
 *
 * Against the local stack, all in this process except DynamoDB Local (in memory, Java, started here): the
 * local API host with the real routes, handlers and authorizer (lib/local/api-host.ts), the sample data and
 * one API key with the `check` scope.
 *   1. autocannon (programmatic, loopback, 10 connections, 2 s warm-up then 10 s measured per run, in a
 *      worker thread of this process) against `POST /v1/checks` with the synthetic Epsimed MN-120 body, and
 *      against the floor: a bench-only route on the same host (`POST /bench/floor`, not in lib/http/routes.ts)
 *      whose handler is the project's middy chain (`apiHandler`) around one DynamoDB GetItem of the device
 *      item. Runs are interleaved floor, check, check, floor, …; throughput, p50, p99, non-2xx; check ÷ floor.
 *   2. DynamoDB requests for one check (SDK middleware on the runtime's client): total and sequential
 *      round trips (waves).
 *   3. `POST /v1/checks/batch` with 500 lines: total ms and ms/line.
 * `--write` replaces the "## Check API (npm run bench:check)" section of docs/benchmarks.md.
 * `BENCH_ROUNDS` (default 2: floor/check pairs, ABBA order), `BENCH_DURATION` / `BENCH_WARMUP` (seconds,
 * default 10 / 2), `BENCH_CONNECTIONS` (default 10), `BENCH_WORKERS` (autocannon worker threads, default 1;
 * 0 runs autocannon on the server's own event loop), `BENCH_BATCH_RUNS` (default 3) change the run.
 */
import { machineLine, writeBenchSection } from './support/bench-doc.js';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { loadConfig, useConfig } from '../../lib/config.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../lib/local/dynamodb-local.js';
import { ROUTES } from '../../lib/http/routes.js';
import type { CheckStack, recordRequests, waves } from './support/check-stack.js';

const SECTION = '## Check API (npm run bench:check)';
const AUTOCANNON_VERSION = (createRequire(import.meta.url)('autocannon/package.json') as { version: string }).version;
const WRITE = process.argv.includes('--write');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const BATCH_RUNS = Number(process.env.BENCH_BATCH_RUNS ?? 3);
const BATCH_LINES = 500;
/** Batch route timeout on the second host, used only when a batch does not fit the deployed limit. */
const LIFTED_LIMIT_S = 600;
const SEQ_WARMUP = 50;
const SEQ_ROUNDS = 40;

const EPSIMED_UDI = '(01)00614141100026(11)240115(10)SYN2401B(21)EPS000123';
const CHECK_BODY = JSON.stringify({ udi: EPSIMED_UDI, manufacturer: 'Epsimed' });

// ---------- formatting ----------
const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number, digits = 1): string => `${n.toFixed(digits)} ms`;
const ratio = (n: number): string => `${n.toFixed(2)}×`;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const log = (msg: string): void => console.log(`[bench:check ${new Date().toISOString().slice(11, 19)}] ${msg}`);


// ---------- 1. autocannon ----------
type Target = 'check' | 'floor';
interface LoadRun {
  target: Target;
  reqPerSec: number;
  p50: number;
  p99: number;
  completed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: string;
}

function cannon(url: string, key: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: CHECK_BODY,
    connections: CONNECTIONS,
    duration: seconds,
    ...(WORKERS > 0 ? { workers: WORKERS } : {}),
  });
}

async function loadRun(stack: CheckStack, target: Target): Promise<LoadRun> {
  const url = `${stack.host.url}${target === 'check' ? '/v1/checks' : '/bench/floor'}`;
  await cannon(url, stack.key, WARMUP_S);
  const r = await cannon(url, stack.key, DURATION_S);
  const statuses = Object.entries(r.statusCodeStats ?? {})
    .map(([code, s]) => `${code}×${fmtInt((s as { count: number }).count)}`)
    .join(' ');
  return {
    target,
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    completed: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statuses,
  };
}

// ---------- 2. DynamoDB round trips ----------
interface RoundTrips {
  total: number;
  waves: string[][];
  byCommand: Record<string, number>;
  stable: boolean;
}

async function postCheck(stack: CheckStack): Promise<{ decision: string; codes: string[] }> {
  const res = await fetch(`${stack.host.url}/v1/checks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' },
    body: CHECK_BODY,
  });
  const body = (await res.json()) as { decision?: string; findings?: { code: string }[] };
  if (res.status !== 201 || !body.decision) throw new Error(`POST /v1/checks answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return { decision: body.decision, codes: (body.findings ?? []).map((f) => f.code) };
}

async function roundTrips(stack: CheckStack, recorder: { recordRequests: typeof recordRequests; waves: typeof waves }): Promise<RoundTrips> {
  const shapes: string[] = [];
  let last: RoundTrips | undefined;
  // Three single checks, one at a time, after warm-up (the authorizer's key cache is warm, as in steady state).
  for (let i = 0; i < 3; i++) {
    const rec = recorder.recordRequests(stack.rt.clients.dynamodb);
    try {
      await postCheck(stack);
    } finally {
      rec.stop();
    }
    const waves = recorder.waves(rec.requests);
    const byCommand: Record<string, number> = {};
    for (const r of rec.requests) byCommand[r.name] = (byCommand[r.name] ?? 0) + 1;
    last = { total: rec.requests.length, waves, byCommand, stable: true };
    shapes.push(JSON.stringify(waves.map((w) => [...w].sort())));
  }
  if (!last) throw new Error('no check recorded');
  last.stable = new Set(shapes).size === 1;
  return last;
}

// ---------- 3. batch ----------
interface BatchRun {
  /** Lambda timeout of the batch route on the host used (29 s as deployed). */
  limitS: number;
  ms: number;
  status: number;
  summary?: Record<string, number>;
  error?: string;
}

/** 500 lines: the sample DIs (UDIs and package DIs, right and wrong manufacturers) and a few invalid lines. */
function batchItems(): unknown[] {
  const valid: unknown[] = [
    { udi: EPSIMED_UDI, manufacturer: 'Epsimed' },
    { udi: '(01)00614141100019(10)SYN2501A(21)C1', manufacturer: 'Contec Medical Systems' },
    { di: '10614141100023', manufacturer: 'Epsimed' },
    { di: '10614141100016', manufacturer: 'Contec Medical Systems' },
    { udi: '(01)00614141100026(11)240115(10)SYN2401B(21)EPS000124', manufacturer: 'Acme Medical' },
    { di: '00614141100019', manufacturer: 'CONTEC MEDICAL SYSTEMS CO LTD', supplier: 'Bench Supply', poNumber: 'PO-1' },
  ];
  // Schema-invalid lines (answered per line as VALIDATION_FAILED, no check stored).
  const invalid: unknown[] = [{ manufacturer: 'Epsimed' }, { udi: EPSIMED_UDI, di: '00614141100026', manufacturer: 'Epsimed' }, { udi: 42, manufacturer: 'Epsimed' }, { udi: EPSIMED_UDI }];
  const items: unknown[] = [];
  for (let i = 0; i < BATCH_LINES; i++) {
    // Every 50th line is invalid (10 of 500), the rest cycle through the valid lines.
    items.push(i % 50 === 49 ? invalid[Math.floor(i / 50) % invalid.length] : valid[i % valid.length]);
  }
  return items;
}

async function batchRun(baseUrl: string, key: string, body: string, limitS: number): Promise<BatchRun> {
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}/v1/checks/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
  const json = (await res.json()) as { summary?: Record<string, number>; error?: { code?: string; message?: string } };
  const elapsed = performance.now() - t0;
  if (res.status === 200 && json.summary) return { limitS, ms: elapsed, status: res.status, summary: json.summary };
  return { limitS, ms: elapsed, status: res.status, error: `${json.error?.code ?? '?'}: ${json.error?.message ?? JSON.stringify(json).slice(0, 200)}` };
}

// ---------- sequential latency (also warms DynamoDB Local's JIT) ----------
async function sequential(stack: CheckStack, rounds: number): Promise<Record<Target, number[]>> {
  const out: Record<Target, number[]> = { check: [], floor: [] };
  for (let i = 0; i < rounds; i++) {
    for (const target of ['floor', 'check'] as const) {
      const t0 = performance.now();
      const res = await fetch(`${stack.host.url}${target === 'check' ? '/v1/checks' : '/bench/floor'}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' },
        body: CHECK_BODY,
      });
      await res.arrayBuffer();
      if (res.status >= 300) throw new Error(`${target} answered ${res.status}`);
      out[target].push(performance.now() - t0);
    }
  }
  return out;
}
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? Number.NaN;
};

// ---------- docs ----------

interface Report {
  host: string;
  sanity: { decision: string; codes: string[] };
  seq: Record<Target, number[]>;
  runs: LoadRun[];
  trips: RoundTrips;
  batches: BatchRun[];
  batchBytes: number;
  totalMs: number;
}

function render(r: Report): string {
  const pick = (t: Target) => r.runs.filter((x) => x.target === t);
  const agg = (t: Target) => {
    const xs = pick(t);
    return {
      reqPerSec: median(xs.map((x) => x.reqPerSec)),
      p50: median(xs.map((x) => x.p50)),
      p99: median(xs.map((x) => x.p99)),
      non2xx: xs.reduce((n, x) => n + x.non2xx, 0),
      errors: xs.reduce((n, x) => n + x.errors + x.timeouts, 0),
      completed: xs.reduce((n, x) => n + x.completed, 0),
    };
  };
  const check = agg('check');
  const floor = agg('floor');
  const label = (t: Target) => (t === 'check' ? '`POST /v1/checks` (Epsimed MN-120)' : 'floor: `POST /bench/floor` (1 GetItem)');
  const runRows = r.runs.map(
    (x, i) => `| ${i + 1} | ${x.target} | ${fmtInt(x.reqPerSec)} | ${ms(x.p50, 0)} | ${ms(x.p99, 0)} | ${fmtInt(x.completed)} | ${fmtInt(x.non2xx)} | ${x.errors + x.timeouts} | ${x.statuses} |`,
  );
  const batchRows = [...new Set(r.batches.map((b) => b.limitS))].map((limitS) => {
    const bs = r.batches.filter((b) => b.limitS === limitS);
    const ok = bs.filter((b) => b.summary);
    const sum = ok[0]?.summary ?? {};
    const runsText = bs.map((b) => `${b.ms.toFixed(0)}${b.summary ? '' : ` (HTTP ${b.status})`}`).join(', ');
    const limit = limitS === LIFTED_LIMIT_S ? `${limitS} s (lifted, bench-only host)` : `${limitS} s (as deployed)`;
    if (!ok.length) return `| ${limit} | ${BATCH_LINES} | — | — | ${runsText} | none answered: ${bs[0]?.error ?? '?'} |`;
    const m = median(ok.map((b) => b.ms));
    return `| ${limit} | ${BATCH_LINES} | ${ms(m, 0)} | ${ms(m / BATCH_LINES, 2)} | ${runsText} | ${sum.accept ?? 0} / ${sum.review ?? 0} / ${sum.reject ?? 0} / ${sum.invalid ?? 0} |`;
  });
  const timedOut = r.batches.some((b) => !b.summary);
  const waveText = r.trips.waves.map((w, i) => {
    const counts: Record<string, number> = {};
    for (const n of w) counts[n] = (counts[n] ?? 0) + 1;
    return `wave ${i + 1}: ${Object.entries(counts)
      .map(([n, c]) => `${c}× ${n.replace(/Command$/, '')}`)
      .join(', ')}`;
  });
  const command = `npx tsx test/bench/check.bench.ts${WRITE ? ' --write' : ''}`;
  return [
    `Command: \`${command}\` (\`npm run bench:check\` prints the same without \`--write\`; \`BENCH_ROUNDS\`, \`BENCH_DURATION\`, \`BENCH_WARMUP\`, \`BENCH_CONNECTIONS\`, \`BENCH_WORKERS\`, \`BENCH_BATCH_RUNS\` change the run). Date: ${new Date().toISOString().slice(0, 10)}. Whole run: ${(r.totalMs / 1000).toFixed(1)} s.`,
    `Machine: ${r.host}. The machine is shared, so absolute figures move between runs; read the ratios.`,
    `Stack: the local API host (\`lib/local/api-host.ts\`) with the real routes, handlers and authorizer (\`createLocalAuthorizer\`, one API key with scope \`check\`; its key cache is warm after the warm-up), DynamoDB Local in memory (\`startDynamoDbLocal\`) with the sample data (\`loadSampleIfEmpty\`). **Everything shares the 2 cores**: the benchmark process runs the HTTP server, the handlers and autocannon (${WORKERS > 0 ? `in ${WORKERS} worker thread${WORKERS > 1 ? 's' : ''} of the same process, so it has its own event loop but competes for the same CPUs` : 'on the server\'s own event loop'}), and DynamoDB Local's JVM runs beside it. Loopback only. These are not Lambda or DynamoDB figures: DynamoDB Local is far slower per request than DynamoDB, so the ratio to the floor, not the req/s, is the result.`,
    '',
    `### 1. \`POST /v1/checks\` against a single-GetItem floor`,
    '',
    `autocannon ${AUTOCANNON_VERSION} (programmatic API), ${CONNECTIONS} connections, ${WARMUP_S} s warm-up then ${DURATION_S} s measured per run; ${ROUNDS} run${ROUNDS > 1 ? 's' : ''} per target, interleaved (floor, check, check, floor, …); medians of the runs. Body for both: \`${CHECK_BODY}\`. The floor is a bench-only route (not in \`lib/http/routes.ts\`) on the same host, behind the same authorizer, whose handler is \`apiHandler\` (the project's middy chain) around one \`GetItem\` of \`DI#00614141100026\`/\`DEVICE\` in the reference table, returned as the body.`,
    '',
    '| path | req/s | p50 | p99 | requests | non-2xx | errors + timeouts |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${label('check')} | ${fmtInt(check.reqPerSec)} | ${ms(check.p50, 0)} | ${ms(check.p99, 0)} | ${fmtInt(check.completed)} | ${fmtInt(check.non2xx)} | ${check.errors} |`,
    `| ${label('floor')} | ${fmtInt(floor.reqPerSec)} | ${ms(floor.p50, 0)} | ${ms(floor.p99, 0)} | ${fmtInt(floor.completed)} | ${fmtInt(floor.non2xx)} | ${floor.errors} |`,
    `| **check ÷ floor** | **${ratio(check.reqPerSec / floor.reqPerSec)}** | ${ratio(check.p50 / floor.p50)} | **${ratio(check.p99 / floor.p99)}** | | | |`,
    '',
    `The check sustains ${((check.reqPerSec / floor.reqPerSec) * 100).toFixed(0)}% of the floor's throughput (the floor serves ${(floor.reqPerSec / check.reqPerSec).toFixed(1)}× as many requests a second); its p99 is ${ratio(check.p99 / floor.p99)} the floor's. A check is ${r.trips.total} DynamoDB requests in ${r.trips.waves.length} sequential round trips (section 2) against the floor's one (not separated here: how much of the gap is DynamoDB Local's work and how much the handler's was not measured). The authorizer reads the key once a minute (cache TTL) and stamps \`lastUsedAt\` at most once a minute: negligible here.`,
    '',
    `Single requests, one at a time (no concurrency; ${SEQ_ROUNDS} of each, interleaved, after ${SEQ_WARMUP} of each as warm-up): check p50 ${ms(quantile(r.seq.check, 0.5))} / p90 ${ms(quantile(r.seq.check, 0.9))}, floor p50 ${ms(quantile(r.seq.floor, 0.5))} / p90 ${ms(quantile(r.seq.floor, 0.9))} — check ÷ floor ${ratio(quantile(r.seq.check, 0.5) / quantile(r.seq.floor, 0.5))} at p50.`,
    '',
    `Each run:`,
    '',
    '| run | target | req/s | p50 | p99 | requests | non-2xx | errors + timeouts | status codes |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...runRows,
    '',
    `The check answers \`${r.sanity.decision}\` with ${r.sanity.codes.join(', ')} (checked before the runs). Every check also stores its audit record, so the check path writes as well as reads.`,
    '',
    '### 2. DynamoDB requests per check',
    '',
    `Counted with SDK middleware on the runtime's DynamoDB client (\`initialize\` step, the recorder of \`test/integration/check-scenario.test.ts\`) around one \`POST /v1/checks\` through the host, after warm-up; sequential round trips = depth of the requests (a request depends on every request that ended before it started). Three checks, one at a time: ${r.trips.stable ? 'the same shape each time' : '**shapes differed between checks** (shown: the last)'}.`,
    '',
    '| DynamoDB requests | sequential round trips | by wave |',
    '| ---: | ---: | --- |',
    `| ${r.trips.total} | ${r.trips.waves.length} | ${waveText.join('; ')} |`,
    '',
    `That is ${r.trips.waves.length - 1} evidence wave${r.trips.waves.length - 1 === 1 ? '' : 's'} and the audit put${r.trips.waves.length === 3 ? ', as designed (2 waves for the evidence + 1 audit put)' : ''}. The authorizer's key lookup is not among them (cached).`,
    '',
    `### 3. \`POST /v1/checks/batch\`, ${BATCH_LINES} lines`,
    '',
    `JSON \`{"items":[…]}\` (${fmtInt(r.batchBytes)} bytes): the Epsimed MN-120 and Contec CMS8000 UDIs, their package DIs 10614141100023 / 10614141100016, the CMS8000 by primary DI and an Epsimed UDI claimed as "Acme Medical", cycled; every 50th line schema-invalid (10 lines). Timed at the client with \`fetch\` (request to parsed answer); ${r.batches.length} run${r.batches.length > 1 ? 's' : ''}, median shown, no other load.`,
    '',
    '| batch route Lambda timeout | lines | total (median of answered runs) | per line | runs (ms) | accept / review / reject / invalid |',
    '| --- | ---: | ---: | ---: | --- | --- |',
    ...batchRows,
    '',
    ...(timedOut
      ? [
          `**The 500-line batch did not fit the route's ${r.batches[0]?.limitS ?? 29} s Lambda timeout here** (middy's timeout answers 500 with INTERNAL; the lines already checked stay stored). To time it anyway, the same runs were repeated on a second bench-only host whose routes differ only in that route's timeout (${LIFTED_LIMIT_S} s).`,
          '',
        ]
      : []),
    `The batch handler runs its lines 8 at a time (\`BATCH_CONCURRENCY\` in \`lib/check/api.ts\`), each a full check with its own audit record.`,
  ].join('\n');
}

// ---------- main ----------
async function main(): Promise<void> {
  if (![ROUNDS, DURATION_S, WARMUP_S, CONNECTIONS, BATCH_RUNS].every((n) => Number.isInteger(n) && n >= 1) || !Number.isInteger(WORKERS) || WORKERS < 0) {
    throw new Error('BENCH_ROUNDS, BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_BATCH_RUNS must be positive integers; BENCH_WORKERS >= 0');
  }
  const load = loadavg()[0]?.toFixed(2) ?? '?';
  const host = machineLine(load);
  const benchStart = performance.now();
  log(host);
  let dynamo: DynamoDbLocal | undefined;
  let stack: CheckStack | undefined;
  try {
    dynamo = await startDynamoDbLocal({ inMemory: true });
    const config = loadConfig({
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      REFERENCE_TABLE: 'bench-check-reference',
      RECORDS_TABLE: 'bench-check-records',
      LOG_LEVEL: 'ERROR',
      // Nothing listens there: a read-through to AccessGUDID would fail at once rather than reach out.
      ACCESSGUDID_BASE_URL: 'http://127.0.0.1:9',
    });
    // Before anything imports lib/observability.ts, whose logger reads the process configuration.
    useConfig(config);
    const support = await import('./support/check-stack.js');
    stack = await support.startCheckStack(config);
    log(`DynamoDB Local at ${dynamo.endpoint}; sample data: ${fmtInt(stack.sampleItems)} items; host at ${stack.host.url}`);

    // Sanity: both routes answer as expected before any load.
    const sanity = await postCheck(stack);
    if (sanity.decision !== 'review' || !sanity.codes.includes('RELABELED')) throw new Error(`unexpected check result: ${sanity.decision} ${sanity.codes.join(',')}`);
    const floorRes = await fetch(`${stack.host.url}/bench/floor`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' },
      body: CHECK_BODY,
    });
    const floorBody = (await floorRes.json()) as { pk?: string };
    if (floorRes.status !== 200 || floorBody.pk !== `DI#${support.FLOOR_DI}`) throw new Error(`floor answered ${floorRes.status}: ${JSON.stringify(floorBody).slice(0, 300)}`);
    log(`check: ${sanity.decision} (${sanity.codes.join(', ')}); floor: 200 with ${floorBody.pk}`);

    // Sequential single requests, interleaved: warm-up (discarded), then measured.
    await sequential(stack, SEQ_WARMUP);
    const seq = await sequential(stack, SEQ_ROUNDS);
    log(`sequential: floor p50 ${ms(quantile(seq.floor, 0.5))}, check p50 ${ms(quantile(seq.check, 0.5))}`);

    // 2. round trips, on a quiet stack.
    const trips = await roundTrips(stack, support);
    log(`round trips: ${trips.total} requests, ${trips.waves.length} waves: ${JSON.stringify(trips.waves)}`);

    // 1. load, interleaved ABBA.
    const runs: LoadRun[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order: Target[] = round % 2 === 0 ? ['floor', 'check'] : ['check', 'floor'];
      for (const target of order) {
        const run = await loadRun(stack, target);
        runs.push(run);
        log(`${target}: ${fmtInt(run.reqPerSec)} req/s, p50 ${ms(run.p50, 0)}, p99 ${ms(run.p99, 0)}, ${fmtInt(run.completed)} requests, non-2xx ${run.non2xx}, errors ${run.errors}, timeouts ${run.timeouts} [${run.statuses}]`);
      }
    }

    // 3. batch: as deployed (the route's 29 s Lambda timeout); if that does not fit, again with the limit lifted.
    const batchBody = JSON.stringify({ items: batchItems() });
    const batchRoute = ROUTES.find((x) => x.method === 'POST' && x.path === '/v1/checks/batch');
    const deployedLimit = batchRoute?.timeoutSeconds ?? 29;
    const batches: BatchRun[] = [];
    const logBatch = (b: BatchRun, i: number) =>
      log(`batch ${i + 1} (limit ${b.limitS} s): HTTP ${b.status} after ${ms(b.ms, 0)}${b.summary ? ` (${ms(b.ms / BATCH_LINES, 2)}/line), ${JSON.stringify(b.summary)}` : `, ${b.error}`}`);
    for (let i = 0; i < BATCH_RUNS; i++) {
      const b = await batchRun(stack.host.url, stack.key, batchBody, deployedLimit);
      batches.push(b);
      logBatch(b, i);
    }
    if (batches.some((b) => !b.summary)) {
      const lifted = await stack.hostWithBatchTimeout(LIFTED_LIMIT_S);
      for (let i = 0; i < BATCH_RUNS; i++) {
        const b = await batchRun(lifted.url, stack.key, batchBody, LIFTED_LIMIT_S);
        batches.push(b);
        logBatch(b, i);
      }
    }

    const report = render({ host, sanity, seq, runs, trips, batches, batchBytes: Buffer.byteLength(batchBody), totalMs: performance.now() - benchStart });
    console.log(`\n${report}`);
    if (WRITE) log(`written to ${writeBenchSection(SECTION, report)}`);
    if (runs.some((x) => x.non2xx > 0 || x.errors > 0 || x.timeouts > 0)) process.exitCode = 1;
  } finally {
    await stack?.close();
    await dynamo?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
