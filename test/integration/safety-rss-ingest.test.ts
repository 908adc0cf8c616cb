import { readFileSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestContext } from '../../lib/ingest/context.js';
import { CursorRepository } from '../../lib/ingest/cursor-repo.js';
import { runSafetyRssIngest } from '../../lib/ingest/safety-rss.js';
import type { Runtime } from '../../lib/runtime.js';
import { sequence, startReplayServer, type ReplayServer, type Responder } from '../support/replay-server.js';
import { freshRuntime } from '../support/store.js';

/** Synthetic feeds (see the comment inside each file): two items, then the same plus one new item. */
const fixture = (name: string) => readFileSync(new URL(`../fixtures/rss/${name}`, import.meta.url), 'utf8');
const FEED = fixture('safety-communications.synthetic.xml');
const FEED_NEXT = fixture('safety-communications-next.synthetic.xml');
const CONTEC_LINK =
  'https://www.fda.gov/medical-devices/safety-communications/cybersecurity-vulnerabilities-certain-patient-monitors-contec-and-epsimed-fda-safety-communication';

let replay: ReplayServer;
const runtimes: Runtime[] = [];
beforeAll(async () => {
  replay = await startReplayServer();
});
afterAll(async () => {
  for (const rt of runtimes) rt.clients.dynamodb.destroy();
  await replay.close();
});

let n = 0;
async function setup() {
  const path = `/rss${++n}/rss.xml`;
  const rt = await freshRuntime({ FDA_SAFETY_RSS_URL: `${replay.url}${path}` });
  runtimes.push(rt);
  const serve = (responder: Responder) => replay.route(path, responder);
  const run = (owner = 'run-1') =>
    runSafetyRssIngest(createIngestContext({ config: rt.config, doc: rt.clients.doc, owner, now: () => new Date('2026-03-01T00:00:00Z') }), {
      http: { sleep: async () => undefined, requestsPerMinute: 0, timeoutMs: 2_000, maxAttempts: 3 },
    });
  const dump = async () => {
    const out = await rt.clients.doc.send(new ScanCommand({ TableName: rt.config.REFERENCE_TABLE }));
    return (out.Items ?? [])
      .map(({ ingestedAt: _i, ...rest }) => rest)
      .sort((a, b) => `${String(a.pk)}|${String(a.sk)}`.localeCompare(`${String(b.pk)}|${String(b.sk)}`));
  };
  const communications = async () => (await dump()).filter((i) => i.entity === 'safety-communication');
  const cursor = () => new CursorRepository(rt.clients.doc, rt.config.RECORDS_TABLE).get('safety');
  return { path, serve, run, dump, communications, cursor };
}

describe('FDA safety communications RSS ingest (replay server + DynamoDB Local)', () => {
  it('stores each item once, re-running writes 0, and a new item is the only write', async () => {
    const t = await setup();
    t.serve(sequence({ text: FEED, headers: { 'content-type': 'application/rss+xml' } }));
    const first = await t.run();
    expect(first).toMatchObject({ dataset: 'safety', status: 'completed', seen: 2, written: 2, failed: 0 });
    const stored = await t.communications();
    expect(stored.map((i) => i.link).sort()).toEqual(['https://example.invalid/fda-safety/synthetic-infusion-set-connector', CONTEC_LINK]);
    // RFC-822 dates with EST/EDT zone names.
    expect(stored.find((i) => i.link === CONTEC_LINK)).toMatchObject({ publishedDate: '2025-01-30', publishedAt: '2025-01-30T15:00:00.000Z', source: 'fda-rss' });
    expect((await t.dump()).find((i) => i.pk === 'SOURCE' && i.sk === 'fda-rss')).toMatchObject({
      entity: 'source-status',
      lastUpdated: '2025-02-03T14:15:00.000Z',
      records: 2,
    });
    expect((await t.cursor())?.checkpoint).toBe('2025-01-30T15:00:00.000Z');

    const again = await t.run('run-2');
    expect(again).toMatchObject({ status: 'completed', seen: 2, written: 0, unchanged: 2 });

    t.serve(sequence({ text: FEED_NEXT }));
    const next = await t.run('run-3');
    expect(next).toMatchObject({ status: 'completed', seen: 3, written: 1, unchanged: 2, checkpoint: '2025-02-07T16:30:00.000Z' });
    expect(await t.communications()).toHaveLength(3);
  });

  it('a malformed feed fails the run and loses nothing stored before', async () => {
    const t = await setup();
    t.serve(sequence({ text: FEED_NEXT }));
    await t.run();
    const before = await t.dump();
    expect(before.filter((i) => i.entity === 'safety-communication')).toHaveLength(3);

    // Cut mid-item (well-formed up to there): a lenient parser would happily return the first items.
    t.serve(sequence({ text: FEED.slice(0, FEED.indexOf('</item>') + 40) }));
    const broken = await t.run('run-2');
    expect(broken).toMatchObject({ status: 'failed', written: 0 });
    expect(broken.error).toMatch(/malformed XML/);
    expect(await t.dump()).toEqual(before);
    expect((await t.cursor())?.leaseOwner).toBeUndefined();
  });

  it('an HTML page or a 403 (bot gate) is a failed run, never "no data"', async () => {
    const t = await setup();
    t.serve(sequence({ text: '<html><head><title>Access Denied</title></head><body>denied</body></html>' }));
    const html = await t.run();
    expect(html).toMatchObject({ status: 'failed', error: expect.stringMatching(/not an RSS 2\.0 feed/) });

    t.serve(sequence({ status: 403, text: 'Forbidden' }));
    const denied = await t.run('run-2');
    expect(denied).toMatchObject({ status: 'failed', error: expect.stringMatching(/HTTP 403/) });
    expect(denied.error).not.toContain('127.0.0.1');
    expect(await t.dump()).toEqual([]);
  });

  it('retries a reset connection and a truncated body, then stores the feed', async () => {
    const t = await setup();
    t.serve(sequence({ fault: 'reset' }, { fault: 'truncate', body: FEED }, { text: FEED }));
    const run = await t.run();
    expect(run).toMatchObject({ status: 'completed', seen: 2, written: 2 });
    expect(replay.hits(t.path)).toBe(3);
  });
});
