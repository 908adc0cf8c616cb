import type { HealthReport } from '../../lib/health.js';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../lib/aws/clients.js';
import { loadConfig, useConfig } from '../../lib/config.js';
import { healthReport } from '../../lib/health.js';
import { ROUTES } from '../../lib/http/routes.js';
import { startApiHost, type ApiHost } from '../../lib/local/api-host.js';
import { freePort } from '../../lib/local/dynamodb-local.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { createRuntime, type Runtime } from '../../lib/runtime.js';
import { ref } from '../../lib/store/keys.js';
import { freshRuntime } from '../support/store.js';

let rt: Runtime;
let host: ApiHost;

beforeAll(async () => {
  rt = await freshRuntime();
  // The real handler from functions/ reads the process configuration, as in Lambda.
  useConfig(rt.config);
  await rt.clients.doc.send(
    new PutCommand({
      TableName: rt.config.REFERENCE_TABLE,
      Item: { ...ref.sourceStatus('openfda:recall'), entity: 'source-status', lastUpdated: '2026-03-18', ingestedAt: '2026-12-01T00:00:00.000Z', records: 4 },
    }),
  );
  host = await startApiHost({ routes: ROUTES, root: REPO_ROOT });
});
afterAll(async () => {
  await host.close();
  rt.clients.dynamodb.destroy();
});

describe('GET /health', () => {
  it('answers 200 with DynamoDB reachable and per-source freshness, through the real middy chain', async () => {
    const res = await fetch(`${host.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    // Security headers and request id come from the shared chain.
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as HealthReport;
    expect(body.status).toBe('ok');
    expect(body.dynamodb.reachable).toBe(true);
    const recall = body.sources.find((s) => s.source === 'openfda:recall');
    expect(recall).toEqual({
      source: 'openfda:recall',
      known: true,
      lastUpdated: '2026-03-18',
      ingestedAt: '2026-12-01T00:00:00.000Z',
      records: 4,
    });
    // Sources never ingested are listed as unknown rather than omitted.
    expect(body.sources.find((s) => s.source === 'cisa-csaf')).toEqual({ source: 'cisa-csaf', known: false });
  });

  it('reports degraded, without internals, when DynamoDB cannot be reached', async () => {
    const port = await freePort();
    const config = loadConfig({ DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}`, REFERENCE_TABLE: 'nowhere', RECORDS_TABLE: 'nowhere2' });
    const dead = createRuntime(config, createClients(config));
    const report = await healthReport(dead, () => new Date('2026-12-03T00:00:00Z'));
    dead.clients.dynamodb.destroy();
    expect(report.status).toBe('degraded');
    expect(report.dynamodb.reachable).toBe(false);
    expect(report.time).toBe('2026-12-03T00:00:00.000Z');
    expect(JSON.stringify(report)).not.toContain('nowhere');
  });
});
