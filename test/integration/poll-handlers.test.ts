import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import yazl from 'yazl';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useConfig } from '../../lib/config.js';
import type { IngestSummary } from '../../lib/ingest/context.js';
import { REPO_ROOT } from '../../lib/paths.js';
import type { Runtime } from '../../lib/runtime.js';
import { countByEntity } from '../../lib/store/stats.js';
import { openFdaPaging, realEnforcementRecords } from '../support/openfda-replay.js';
import { sequence, startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { freshRuntime } from '../support/store.js';

let replay: ReplayServer;
let rt: Runtime;
beforeAll(async () => {
  replay = await startReplayServer();
  replay.route('/device/enforcement.json', openFdaPaging(() => replay.url, realEnforcementRecords(), { pageSize: 4 }));
  replay.route('/rss.xml', sequence({ text: readFileSync(join(REPO_ROOT, 'data/sample/synthetic/fda-safety-rss.xml')) }));
  rt = await freshRuntime({ OPENFDA_BASE_URL: replay.url, FDA_SAFETY_RSS_URL: `${replay.url}/rss.xml` });
  // The handlers read the process configuration, as they do in Lambda.
  useConfig(rt.config);
});
afterAll(async () => {
  rt.clients.dynamodb.destroy();
  await replay.close();
});

function context(remainingMs: number): Context {
  return {
    awsRequestId: `req-${Math.random()}`,
    functionName: 'poller',
    getRemainingTimeInMillis: () => remainingMs,
  } as unknown as Context;
}

describe('scheduled poller handlers (functions/ingest)', () => {
  it('the enforcement poller stores what a scheduled event asks for and reports a summary', async () => {
    const { handler } = await import('../../functions/ingest/openfda-enforcement.js');
    const summary = (await handler({ since: '2000-01-01' }, context(600_000))) as IngestSummary;
    expect(summary).toMatchObject({ dataset: 'enforcement', status: 'completed', seen: 9, failed: 0 });
    expect((await countByEntity(rt.clients.doc, rt.config.REFERENCE_TABLE)).enforcement).toBe(9);
  });

  it('stops at once when the invocation is about to time out, leaving the work to the next run', async () => {
    const { handler } = await import('../../functions/ingest/openfda-enforcement.js');
    const summary = (await handler({ since: '2000-01-01' }, context(1_000))) as IngestSummary;
    expect(summary.status).toBe('stopped-at-deadline');
    expect(summary.seen).toBe(0);
  });

  it('the bulk partition handler loads one zipped partition, skips it when done, and refuses a bad event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'udi-sentinel-part-'));
    try {
      const zipPath = join(dir, 'device-udi-0001-of-0001.json.zip');
      const records = (JSON.parse(readFileSync(join(REPO_ROOT, 'data/sample/synthetic/openfda/udi/udi-contec-epsimed-example-devices.synthetic.json'), 'utf8')) as { results: unknown[] }).results;
      const zip = new yazl.ZipFile();
      zip.addBuffer(Buffer.from(JSON.stringify({ meta: { last_updated: '2025-02-28', synthetic: true }, results: records })), 'device-udi-0001-of-0001.json');
      zip.end();
      await new Promise<void>((resolve, reject) => zip.outputStream.pipe(createWriteStream(zipPath)).on('close', resolve).on('error', reject));
      const { handler } = await import('../../functions/ingest/openfda-udi-partition.js');
      const event = { runId: '2026-12-01', index: 0, partition: { file: pathToFileURL(zipPath).href, records: records.length } };
      const first = (await handler(event, context(600_000))) as IngestSummary & { skipped?: boolean };
      expect(first).toMatchObject({ dataset: 'udi', seen: records.length, failed: 0 });
      expect((await countByEntity(rt.clients.doc, rt.config.REFERENCE_TABLE)).device).toBe(records.length);
      const again = (await handler(event, context(600_000))) as IngestSummary & { skipped?: boolean };
      expect(again).toMatchObject({ skipped: true, seen: 0 });
      await expect(handler({ runId: '../x', partition: {} }, context(600_000))).rejects.toThrow(/Not a bulk-partition event/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the safety-communication poller ignores unknown event fields', async () => {
    const { handler } = await import('../../functions/ingest/fda-rss.js');
    const summary = (await handler({ 'detail-type': 'Scheduled Event', since: 'not-a-date' }, context(60_000))) as IngestSummary;
    expect(summary).toMatchObject({ dataset: 'safety', status: 'completed', failed: 0 });
    expect(summary.seen).toBeGreaterThan(0);
  });
});
