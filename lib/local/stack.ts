import { useConfig, type Config } from '../config.js';
import { ROUTES } from '../http/routes.js';
import { localAuthorizer } from '../auth/local-authorizer.js';
import { REPO_ROOT } from '../paths.js';
import { runtime, type Runtime } from '../runtime.js';
import { ensureTables } from '../store/ensure-tables.js';
import { startApiHost, type ApiHost } from './api-host.js';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import { loadSampleIfEmpty, type SampleLoadResult } from './sample-load.js';

export interface LocalStackOptions {
  config: Config;
  /** Keep nothing on disk. */
  inMemory: boolean;
  dataDir: string;
  loadSample: boolean;
  /** Bind address of the API host. */
  host?: string;
}

export interface LocalStack {
  api: ApiHost;
  dynamo?: DynamoDbLocal;
  runtime: Runtime;
  sample: SampleLoadResult;
  createdTables: string[];
  stop(): Promise<void>;
}

/**
 * Start what `npm start` runs: DynamoDB Local (unless DYNAMODB_ENDPOINT names one), the tables, the
 * sample data set (into an empty store only) and the API host on PORT.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  let dynamo: DynamoDbLocal | undefined;
  let cfg = options.config;
  if (cfg.DYNAMODB_ENDPOINT === undefined) {
    dynamo = await startDynamoDbLocal({ inMemory: options.inMemory, dataDir: options.dataDir });
    cfg = { ...cfg, DYNAMODB_ENDPOINT: dynamo.endpoint };
  }
  try {
    useConfig(cfg);
    const rt = runtime();
    const createdTables = await prepareStore(rt);
    const sample = options.loadSample ? await loadSampleIfEmpty(rt) : { loaded: false };
    const api = await startApiHost({ routes: ROUTES, root: REPO_ROOT, port: cfg.PORT, host: options.host, authorize: localAuthorizer });
    const stop = async () => {
      await api.close();
      rt.clients.dynamodb.destroy();
      await dynamo?.stop();
    };
    return { api, dynamo, runtime: rt, sample, createdTables, stop };
  } catch (err) {
    await dynamo?.stop();
    throw err;
  }
}

/** Local mode: every command that touches the store creates missing tables first. */
export async function prepareStore(rt: Runtime): Promise<string[]> {
  if (rt.config.DYNAMODB_ENDPOINT === undefined) return [];
  return ensureTables(rt.clients.dynamodb, { reference: rt.config.REFERENCE_TABLE, records: rt.config.RECORDS_TABLE });
}
