import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { configSchema, loadConfig } from '../../config.js';
import { startLocalStack } from '../../local/stack.js';
import { ApiKeyRepository } from '../../auth/keys.js';
import { REPO_ROOT } from '../../paths.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

export const usage = `udi-sentinel serve [--in-memory] [--no-sample] [--port N] [--host ADDR] [--data-dir DIR]

Starts DynamoDB Local (unless DYNAMODB_ENDPOINT is set), creates the tables, loads the sample data set
into an empty store, and serves the API (default http://localhost:3000). Ctrl-C stops everything.
  --in-memory   keep nothing on disk (default: data kept under .data/)
  --no-sample   do not load the sample data set
  --port N      port for the API (default: PORT or 3000; 0 picks a free one)
  --host ADDR   bind address (default 127.0.0.1)
  --data-dir    where DynamoDB Local keeps data (default .data/dynamodb)`;

export async function serve(args: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'in-memory': { type: 'boolean', default: false },
      'no-sample': { type: 'boolean', default: false },
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port === undefined ? undefined : configSchema.shape.PORT.safeParse(values.port);
  if (port && !port.success) throw new UsageError(`--port must be a number from 0 to 65535, got "${values.port}"`);
  const config = { ...loadConfig(), ...(port ? { PORT: port.data } : {}) };

  const started = Date.now();
  const stack = await startLocalStack({
    config,
    inMemory: values['in-memory'],
    dataDir: resolve(values['data-dir'] ?? resolve(REPO_ROOT, '.data/dynamodb')),
    loadSample: !values['no-sample'],
    host: values.host,
  });
  const base = stack.api.url.replace('127.0.0.1', 'localhost');
  // A key for this run, so the example below works as pasted; revoked again when the server stops.
  const keys = new ApiKeyRepository(stack.runtime.clients.doc, stack.runtime.config.RECORDS_TABLE);
  const session = await keys.create({ name: 'npm start (local session)', scopes: ['check', 'inventory', 'admin'] });
  const db = stack.dynamo
    ? `DynamoDB Local on ${stack.dynamo.endpoint} (${values['in-memory'] ? 'in memory' : 'data kept on disk'})`
    : `DynamoDB at ${stack.runtime.config.DYNAMODB_ENDPOINT}`;
  const sample = stack.sample.loaded
    ? `sample data loaded (${stack.sample.stats?.written ?? 0} items)`
    : values['no-sample']
      ? 'sample data not loaded (--no-sample)'
      : 'store already holds data; sample not loaded again';
  io.out(
    [
      `udi-sentinel is running at ${base}  (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      `  ${db}`,
      `  ${sample}`,
      '',
      `  API key for this session (scopes check, inventory, admin; revoked on exit):`,
      `    ${session.key}`,
      '',
      'Try — is this "Epsimed MN-120" what the PO says? (synthetic sample data):',
      `  curl -s ${base}/v1/checks -H 'authorization: Bearer ${session.key}' -H 'content-type: application/json' \\`,
      `    -d '{"udi":"(01)00614141100026(11)240115(10)SYN2401B(21)EPS000123","manufacturer":"Epsimed"}'`,
      '',
      `  curl -s ${base}/health`,
      `  curl -s '${base}/v1/udi/parse?udi=(01)00643169001763(17)160712(21)21A11F4855' -H 'authorization: Bearer ${session.key}'`,
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );

  await new Promise<void>((r) => {
    const done = () => r();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    signal?.addEventListener('abort', done, { once: true });
  });
  io.err('Stopping…');
  await keys.revoke(session.record.keyId).catch(() => undefined);
  await stack.stop();
  return EXIT.ok;
}
