import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestContext } from '../../lib/ingest/context.js';
import { runOpenFdaIngest } from '../../lib/ingest/openfda.js';
import { HttpClient } from '../../lib/net/http-client.js';
import { isoDate } from '../../lib/sources/normalize.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { countByEntity } from '../../lib/store/stats.js';
import { ref } from '../../lib/store/keys.js';
import { openFdaPaging, realEnforcementRecords, type PagingScenario } from '../support/openfda-replay.js';
import { startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { freshRuntime } from '../support/store.js';

let replay: ReplayServer;
beforeAll(async () => {
  replay = await startReplayServer();
});
afterAll(() => replay.close());

const RECORDS = realEnforcementRecords();
const NUMBERS = RECORDS.map((r) => String(r.recall_number));
const NEWEST = isoDate(String(RECORDS.at(-1)?.report_date));

async function setup(scenario: PagingScenario, http: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  replay.route('/device/enforcement.json', openFdaPaging(() => replay.url, RECORDS, scenario));
  const rt = await freshRuntime({ OPENFDA_BASE_URL: replay.url });
  const ctx = createIngestContext({ config: rt.config, doc: rt.clients.doc, owner: 'test-run', now: () => new Date('2026-12-03T00:00:00Z') });
  const client = new HttpClient({ baseURL: replay.url, timeoutMs: 300, maxAttempts: 4, requestsPerMinute: 0, sleep: async () => undefined, ...http });
  const run = () => runOpenFdaIngest(ctx, 'enforcement', { since: '2000-01-01', pageSize: 3, http: client });
  const stored = async () => {
    const counts = await countByEntity(rt.clients.doc, rt.config.REFERENCE_TABLE);
    return counts.enforcement ?? 0;
  };
  return { rt, ctx, run, stored };
}

describe('openFDA enforcement poll against the replay server (real records)', () => {
  it('walks every page by Link header and stores every record once', async () => {
    const { run, stored, ctx, rt } = await setup({ pageSize: 3 });
    const summary = await run();
    expect(summary).toMatchObject({ dataset: 'enforcement', status: 'completed', seen: RECORDS.length, written: expect.any(Number), failed: 0, checkpoint: NEWEST, lastUpdated: '2026-03-18' });
    expect(await stored()).toBe(RECORDS.length);
    // Page 2 asked for search_after=1: the walk followed the Link header.
    expect(replay.requests.some((r) => r.includes('search_after=1'))).toBe(true);
    // Real code_info text became DI references (Z-1973-2023 names UDI/DI 00191072179593).
    const refs = await rt.clients.doc.send(new QueryCommand({ TableName: rt.config.REFERENCE_TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': ref.diPartition('00191072179593') } }));
    expect(refs.Items?.map((i) => i.recallNumber)).toContain('Z-1973-2023');
    // Freshness recorded.
    const cursor = await ctx.cursors.get('openfda-enforcement');
    expect(cursor?.checkpoint).toBe(NEWEST);
    expect(cursor?.leaseOwner).toBeUndefined();
  });

  it('re-ingesting the same data writes 0 items', async () => {
    const { run } = await setup({ pageSize: 3 });
    const first = await run();
    expect(first.written).toBeGreaterThan(0);
    const second = await run();
    expect(second).toMatchObject({ status: 'completed', written: 0, failed: 0 });
  });

  it('ends the walk on NOT_FOUND after a Link', async () => {
    const { run, stored } = await setup({ pageSize: 3, notFoundAfterLastLink: true });
    expect(await run()).toMatchObject({ status: 'completed', seen: RECORDS.length, failed: 0 });
    expect(await stored()).toBe(RECORDS.length);
  });

  it.each([
    ['429 with Retry-After', { status: 429, headers: { 'retry-after': '1' }, json: { error: { code: 'TOO_MANY' } } }],
    ['500', { status: 500, json: { error: { code: 'SERVER_ERROR' } } }],
    ['a hang past the timeout', { fault: 'hang' }],
    ['a reset connection', { fault: 'reset' }],
    ['a truncated body', { fault: 'truncate', body: '{"meta":{"last_updated":"2026-03-18"},"results":[{"recall_number":"Z-0000-2000"}]}' }],
    ['malformed JSON', { fault: 'malformed' }],
  ] as const)('recovers from %s mid-walk: every record stored once, checkpoint at the newest stored', async (_name, fault) => {
    const { run, stored } = await setup({ pageSize: 3, faults: { 2: fault as never } });
    const summary = await run();
    expect(summary).toMatchObject({ status: 'completed', seen: RECORDS.length, failed: 0, checkpoint: NEWEST });
    expect(await stored()).toBe(RECORDS.length);
  });

  it('a fault that outlasts the retry budget fails the run with the checkpoint not beyond what is stored; the next run completes', async () => {
    const hang = { fault: 'hang' } as const;
    const { run, stored, ctx } = await setup({ pageSize: 3, faults: { 2: hang, 3: hang, 4: hang, 5: hang } });
    await expect(run()).rejects.toThrow(/still failing after 4 attempts/);
    const cursor = await ctx.cursors.get('openfda-enforcement');
    // Pages 1 and 2 (6 records) are durable; the checkpoint is their newest date and no further.
    expect(await stored()).toBe(6);
    expect(cursor?.checkpoint).toBe(isoDate(String(RECORDS[5]?.report_date)));
    expect(cursor?.leaseOwner).toBeUndefined();
    const again = await run();
    expect(again.status).toBe('completed');
    expect(await stored()).toBe(RECORDS.length);
    expect(new Set(NUMBERS).size).toBe(RECORDS.length);
  });
});

describe('recall joined to enforcement, in either order', () => {
  const load = (path: string) =>
    (JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as { results: Record<string, unknown>[] }).results;
  const recall = load('data/sample/synthetic/openfda/recall/recall-Z-9001-2025-contec-cms8000.synthetic.json');
  const enforcement = load('data/sample/synthetic/openfda/enforcement/enforcement-Z-9001-2025-contec-cms8000.synthetic.json');

  it.each([
    ['recall first', ['recall', 'enforcement']],
    ['enforcement first', ['enforcement', 'recall']],
  ] as const)('%s: the product-code reference ends with the class and the product code', async (_name, order) => {
    replay.route('/device/recall.json', openFdaPaging(() => replay.url, recall, { pageSize: 10 }));
    replay.route('/device/enforcement.json', openFdaPaging(() => replay.url, enforcement, { pageSize: 10 }));
    const rt = await freshRuntime({ OPENFDA_BASE_URL: replay.url });
    const ctx = createIngestContext({ config: rt.config, doc: rt.clients.doc, owner: 'join', now: () => new Date('2026-12-03T00:00:00Z') });
    const http = new HttpClient({ baseURL: replay.url, requestsPerMinute: 0 });
    for (const dataset of order) expect((await runOpenFdaIngest(ctx, dataset, { since: '2000-01-01', http })).status).toBe('completed');
    const refs = await rt.clients.doc.send(
      new QueryCommand({ TableName: rt.config.REFERENCE_TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': ref.productCodePartition('MHX') } }),
    );
    const z = refs.Items?.find((i) => i.recallNumber === 'Z-9001-2025');
    expect(z).toMatchObject({ entity: 'recall-ref', classification: 'Class II', productCode: 'MHX' });
  });
});
