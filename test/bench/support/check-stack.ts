/**
 * The local stack for the Check API benchmark (test/bench/check.bench.ts): the real routes and handlers
 * behind the local API host, the real authorizer and one API key, plus a bench-only "floor" route — the
 * same host, authorizer and middy chain (`apiHandler`) around a single DynamoDB GetItem.
 *
 * Import this module only after `useConfig(config)`: lib/observability.ts builds its logger from the
 * process configuration when it is first imported.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ApiKeyRepository } from '../../../lib/auth/keys.js';
import { createLocalAuthorizer } from '../../../lib/auth/local-authorizer.js';
import type { Config } from '../../../lib/config.js';
import { NotFoundError } from '../../../lib/errors.js';
import { apiHandler } from '../../../lib/http/api.js';
import { ROUTES, type RouteDefinition } from '../../../lib/http/routes.js';
import { startApiHost, type ApiHost, type LambdaHandler } from '../../../lib/local/api-host.js';
import { loadSampleIfEmpty } from '../../../lib/local/sample-load.js';
import { REPO_ROOT } from '../../../lib/paths.js';
import { runtime, type Runtime } from '../../../lib/runtime.js';
import { ref } from '../../../lib/store/keys.js';
import { ensureTables } from '../../../lib/store/ensure-tables.js';

/** The DI whose device item the floor route reads (the synthetic Epsimed MN-120). */
export const FLOOR_DI = '00614141100026';

/** Bench-only route: never part of lib/http/routes.ts. Same method, scope and sizing as POST /v1/checks. */
export const FLOOR_ROUTE: RouteDefinition = {
  method: 'POST',
  path: '/bench/floor',
  entry: 'test/bench/support/check-stack.ts',
  functionName: 'bench-floor',
  auth: 'check',
  timeoutSeconds: 10,
  memoryMb: 512,
};

/** The floor: the project's middy chain around one GetItem of the device item, returned as the body. */
export function floorHandler(rt: Runtime): LambdaHandler {
  const key = ref.deviceByDi(FLOOR_DI);
  return apiHandler(async () => {
    const out = await rt.clients.doc.send(new GetCommand({ TableName: rt.config.REFERENCE_TABLE, Key: key }));
    if (!out.Item) throw new NotFoundError(`No device ${FLOOR_DI}.`);
    return { status: 200, body: out.Item };
  }) as LambdaHandler;
}

export interface CheckStack {
  rt: Runtime;
  host: ApiHost;
  /** Plaintext API key with the `check` scope. */
  key: string;
  /** Items the sample load wrote (0 when the tables already held data). */
  sampleItems: number;
  /**
   * A second host on the same runtime, authorizer and handlers whose routes differ only in the Lambda
   * timeout of `POST /v1/checks/batch` (to time a batch that would not fit the deployed limit). Closed by close().
   */
  hostWithBatchTimeout(timeoutSeconds: number): Promise<ApiHost>;
  close(): Promise<void>;
}

/** Tables, sample data, one API key and the host with ROUTES + FLOOR_ROUTE, on the process runtime. */
export async function startCheckStack(config: Config): Promise<CheckStack> {
  const rt = runtime();
  if (rt.config !== config) throw new Error('call useConfig(config) before startCheckStack(config)');
  await ensureTables(rt.clients.dynamodb, { reference: config.REFERENCE_TABLE, records: config.RECORDS_TABLE });
  const loaded = await loadSampleIfEmpty(rt);
  const repo = new ApiKeyRepository(rt.clients.doc, config.RECORDS_TABLE);
  const { key } = await repo.create({ name: 'bench', scopes: ['check'] });
  const authorize = createLocalAuthorizer(() => repo);
  const loadHandler = async (route: RouteDefinition): Promise<LambdaHandler> => {
    if (route.functionName === FLOOR_ROUTE.functionName) return floorHandler(rt);
    // As the host's default loader: the real handler module, relative to the repository root.
    const mod = (await import(pathToFileURL(resolve(REPO_ROOT, route.entry)).href)) as { handler: LambdaHandler };
    return mod.handler;
  };
  const host = await startApiHost({ routes: [...ROUTES, FLOOR_ROUTE], root: REPO_ROOT, authorize, loadHandler });
  const extra: ApiHost[] = [];
  return {
    rt,
    host,
    key,
    sampleItems: loaded.stats?.written ?? 0,
    hostWithBatchTimeout: async (timeoutSeconds) => {
      const routes = ROUTES.map((r) => (r.method === 'POST' && r.path === '/v1/checks/batch' ? { ...r, timeoutSeconds } : r));
      const h = await startApiHost({ routes, root: REPO_ROOT, authorize, loadHandler });
      extra.push(h);
      return h;
    },
    close: async () => {
      for (const h of [host, ...extra]) await h.close();
      rt.clients.dynamodb.destroy();
    },
  };
}

export interface DynamoRequest {
  name: string;
  /** Logical clock ticks (as test/integration/check-scenario.test.ts) and wall-clock ms. */
  start: number;
  end: number;
  startMs: number;
  endMs: number;
}

const RECORDER = 'bench-round-trip-recorder';

/** Record every DynamoDB request on a client (SDK middleware) until stop(). */
export function recordRequests(client: DynamoDBClient): { requests: DynamoRequest[]; stop(): void } {
  const requests: DynamoRequest[] = [];
  let clock = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const entry: DynamoRequest = { name: String(context.commandName), start: ++clock, end: Number.POSITIVE_INFINITY, startMs: performance.now(), endMs: Number.NaN };
      requests.push(entry);
      try {
        return await next(args);
      } finally {
        entry.end = ++clock;
        entry.endMs = performance.now();
      }
    },
    { step: 'initialize', name: RECORDER },
  );
  return { requests, stop: () => void client.middlewareStack.remove(RECORDER) };
}

/**
 * The requests grouped into waves by sequential depth: a request depends on every request that ended
 * before it started (as test/integration/check-scenario.test.ts). The number of waves is the number of
 * sequential round trips.
 */
export function waves(reqs: readonly DynamoRequest[]): string[][] {
  const out: string[][] = [];
  const depth = new Map<DynamoRequest, number>();
  for (const r of [...reqs].sort((a, b) => a.start - b.start)) {
    const before = reqs.filter((o) => o.end < r.start).map((o) => depth.get(o) ?? 1);
    const d = 1 + Math.max(0, ...before);
    depth.set(r, d);
    (out[d - 1] ??= []).push(r.name);
  }
  return out;
}
