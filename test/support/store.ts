import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createClients } from '../../lib/aws/clients.js';
import { loadConfig, type Config } from '../../lib/config.js';
import { createRuntime, type Runtime } from '../../lib/runtime.js';
import { ensureTables } from '../../lib/store/ensure-tables.js';

/** Fresh, uniquely named tables on the suite's DynamoDB Local, so test files never see each other's data. */
export async function freshRuntime(overrides: Record<string, string> = {}): Promise<Runtime> {
  const suffix = randomUUID().slice(0, 8);
  const config: Config = loadConfig({
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    REFERENCE_TABLE: `reference-${suffix}`,
    RECORDS_TABLE: `records-${suffix}`,
    LOG_LEVEL: 'SILENT',
    // Upstreams are never called from tests: a closed local port unless a test points them at a replay server.
    ACCESSGUDID_BASE_URL: 'http://127.0.0.1:9',
    OPENFDA_BASE_URL: 'http://127.0.0.1:9',
    CISA_CSAF_BASE_URL: 'http://127.0.0.1:9',
    FDA_SAFETY_RSS_URL: 'http://127.0.0.1:9/rss.xml',
    ...overrides,
  });
  const rt = createRuntime(config, createClients(config));
  await ensureTables(rt.clients.dynamodb, { reference: config.REFERENCE_TABLE, records: config.RECORDS_TABLE });
  return rt;
}
