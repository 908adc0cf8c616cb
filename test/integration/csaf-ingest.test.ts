import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestContext } from '../../lib/ingest/context.js';
import { CursorRepository } from '../../lib/ingest/cursor-repo.js';
import { runCsafIngest, type CsafIngestOptions } from '../../lib/ingest/csaf.js';
import type { Runtime } from '../../lib/runtime.js';
import { sequence, startReplayServer, type ReplayAction, type ReplayServer, type Responder } from '../support/replay-server.js';
import { freshRuntime } from '../support/store.js';

/** Real CISA files (data/sample/real/cisa, byte-for-byte copies; see SOURCES-cisa.md) and test/fixtures/cisa. */
const file = (rel: string): Buffer => readFileSync(new URL(`../../${rel}`, import.meta.url));
const REAL = 'data/sample/real/cisa';
const UPDATE_A = file(`${REAL}/icsma-25-030-01.json`);
const UPDATE_A_SHA = file(`${REAL}/icsma-25-030-01.json.sha512`).toString();
const INITIAL = file(`${REAL}/icsma-25-030-01-initial/icsma-25-030-01.json`);
const INITIAL_SHA = file(`${REAL}/icsma-25-030-01-initial/icsma-25-030-01.json.sha512`).toString();
/** Real rows of changes.csv (Update A timestamp) and the one-row list as it stood on 2025-01-30 (derived). */
const CSV = file('test/fixtures/cisa/changes.csv').toString();
const CSV_INITIAL = file('test/fixtures/cisa/changes-2025-01-30.csv').toString();
const ROLIE = file('test/fixtures/cisa/rolie-feed-excerpt.json').toString();

const OTHERS = ['icsma-25-037-01', 'icsma-25-037-02', 'icsma-25-044-01', 'icsma-25-051-01', 'icsma-25-058-01'];
/**
 * CISA publishes a .sha512 next to each of these, but we hold no copy: the digest is computed here in
 * sha512sum format (`<hex>  <name>`), the format of the published ICSMA-25-030-01 files.
 */
const sha512sum = (bytes: Buffer, name: string) => `${createHash('sha512').update(bytes).digest('hex')}  ${name}`;
const BODIES: Record<string, { body: Buffer; sha: string }> = {
  'icsma-25-030-01': { body: UPDATE_A, sha: UPDATE_A_SHA },
};
for (const name of OTHERS) {
  const body = file(`${REAL}/other-icsma-2025/${name}.json`);
  BODIES[name] = { body, sha: sha512sum(body, `${name}.json`) };
}

const HTTP = { sleep: async () => undefined, requestsPerMinute: 0, timeoutMs: 2_000, maxAttempts: 3 } satisfies CsafIngestOptions['http'];
const ADV_IDS = ['ICSMA-25-030-01', ...OTHERS.map((n) => n.toUpperCase())];
const NOW = new Date('2026-03-01T00:00:00Z');

let replay: ReplayServer;
const runtimes: Runtime[] = [];
beforeAll(async () => {
  replay = await startReplayServer();
});
afterAll(async () => {
  for (const rt of runtimes) rt.clients.dynamodb.destroy();
  await replay.close();
});

let prefixes = 0;
/** A fresh store and a fresh folder on the replay server, serving the real advisories and changes.csv. */
async function setup() {
  const base = `/csaf${++prefixes}`;
  const rt = await freshRuntime({ CISA_CSAF_BASE_URL: `${replay.url}${base}` });
  runtimes.push(rt);
  const progress: string[] = [];
  const state = { csv: CSV };
  const serve = (path: string, responder: Responder) => replay.route(`${base}/${path}`, responder);
  const advisory = (name: string, body: Buffer | string, sha: string) => {
    serve(`2025/${name}.json`, sequence({ text: body }));
    serve(`2025/${name}.json.sha512`, sequence({ text: sha }));
  };
  serve('changes.csv', () => ({ text: state.csv }));
  for (const [name, { body, sha }] of Object.entries(BODIES)) advisory(name, body, sha);

  const clock = { now: NOW };
  const run = (options: CsafIngestOptions = {}, owner = 'run-1', remainingMs?: () => number) =>
    runCsafIngest(
      createIngestContext({ config: rt.config, doc: rt.clients.doc, owner, now: () => clock.now, remainingMs, progress: (m) => progress.push(m) }),
      { http: HTTP, ...options },
    );
  const partition = async (pk: string) => {
    const out = await rt.clients.doc.send(
      new QueryCommand({ TableName: rt.config.REFERENCE_TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
    );
    return out.Items ?? [];
  };
  const dump = async () => {
    const out = await rt.clients.doc.send(new ScanCommand({ TableName: rt.config.REFERENCE_TABLE }));
    return (out.Items ?? [])
      .map(({ ingestedAt: _i, ...rest }) => rest)
      .sort((a, b) => `${String(a.pk)}|${String(a.sk)}`.localeCompare(`${String(b.pk)}|${String(b.sk)}`));
  };
  const cursor = () => new CursorRepository(rt.clients.doc, rt.config.RECORDS_TABLE).get('csaf');
  const requestsUnder = () => replay.requests.filter((r) => r.startsWith(`${base}/`)).map((r) => r.slice(base.length + 1));
  return { rt, base, clock, state, serve, advisory, run, partition, dump, cursor, progress, requestsUnder };
}

/** The expected table after a clean, fault-free ingest of the real changes.csv rows. */
let cleanDump: Record<string, unknown>[];
beforeAll(async () => {
  const clean = await setup();
  const summary = await clean.run();
  expect(summary).toMatchObject({ status: 'completed', seen: 6, failed: 0 });
  cleanDump = await clean.dump();
});

describe('CISA CSAF ingest (replay server + DynamoDB Local)', () => {
  it('stores the initial release and Update A of ICSMA-25-030-01 as two versions of one advisory', async () => {
    const t = await setup();
    t.state.csv = CSV_INITIAL;
    t.advisory('icsma-25-030-01', INITIAL, INITIAL_SHA);
    const first = await t.run();
    expect(first).toMatchObject({ status: 'completed', seen: 1, failed: 0, checkpoint: '2025-01-30T07:00:00.000Z' });
    expect((await t.partition('ADV#ICSMA-25-030-01')).map((i) => i.sk).sort()).toEqual(['LATEST', 'V#0001']);

    t.state.csv = CSV;
    t.advisory('icsma-25-030-01', UPDATE_A, UPDATE_A_SHA);
    const second = await t.run();
    // Timestamp order, not file order: 037-01/02 (02-06) … 030-01 Update A (02-25), 058-01 (02-27).
    expect(second).toMatchObject({ status: 'completed', seen: 6, failed: 0, checkpoint: '2025-02-27T07:00:00.000Z', lastUpdated: '2025-02-27T07:00:00.000Z' });
    const adv = await t.partition('ADV#ICSMA-25-030-01');
    expect(adv.map((i) => i.sk).sort()).toEqual(['LATEST', 'V#0001', 'V#0002']);
    expect(adv.find((i) => i.sk === 'LATEST')).toMatchObject({ entity: 'advisory-latest', version: 2, versionLabel: 'Update A' });
    expect(adv.find((i) => i.sk === 'V#0001')).toMatchObject({ version: 1, cves: expect.any(Array) });
    expect((adv.find((i) => i.sk === 'V#0001')?.cves as unknown[]).length).toBe(3);
    expect((adv.find((i) => i.sk === 'V#0002')?.cves as unknown[]).length).toBe(4);
    expect((await t.cursor())?.checkpoint).toBe('2025-02-27T07:00:00.000Z');
    expect((await t.cursor())?.leaseOwner).toBeUndefined();
    // The end state equals a single ingest of the current list, plus the older version.
    expect((await t.dump()).filter((i) => i.sk !== 'V#0001' || i.pk !== 'ADV#ICSMA-25-030-01')).toEqual(cleanDump);
  });

  it('ignores non-ICSMA rows: no ICSA advisory is ever requested', async () => {
    const t = await setup();
    await t.run();
    const fetched = t.requestsUnder();
    expect(fetched.filter((r) => r.includes('icsa-'))).toEqual([]);
    expect(fetched.filter((r) => r.endsWith('.json')).sort()).toEqual(OTHERS.concat('icsma-25-030-01').map((n) => `2025/${n}.json`).sort());
    const ids = (await t.dump()).filter((i) => i.sk === 'LATEST').map((i) => i.id);
    expect(ids.sort()).toEqual([...ADV_IDS].sort());
  });

  it('re-running fetches nothing new and writes 0; a forced full re-read also writes 0', async () => {
    const t = await setup();
    await t.run();
    const before = await t.dump();
    const advisoryRequests = () => t.requestsUnder().filter((r) => r.startsWith('2025/')).length;
    const fetchedBefore = advisoryRequests();

    const again = await t.run({}, 'run-2');
    expect(again).toMatchObject({ status: 'completed', seen: 0, written: 0, failed: 0 });
    expect(advisoryRequests()).toBe(fetchedBefore);

    // `since` in another ISO form (the CLI passes a date at midnight) is compared as a time.
    const partial = await t.run({ since: '2025-02-20T07:00:00Z' }, 'run-3');
    expect(partial).toMatchObject({ status: 'completed', seen: 2, written: 0 });

    const full = await t.run({ since: '' }, 'run-3');
    expect(full).toMatchObject({ status: 'completed', seen: 6, written: 0, failed: 0 });
    expect(full.unchanged).toBeGreaterThan(0);
    expect(await t.dump()).toEqual(before);
    const status = before.find((i) => i.pk === 'SOURCE' && i.sk === 'cisa-csaf');
    expect(status).toMatchObject({ entity: 'source-status', lastUpdated: '2025-02-27T07:00:00.000Z', records: 6 });
  });

  it('never lets an older version fetched later replace the newer advisory-latest', async () => {
    const t = await setup();
    await t.run();
    // A later re-read finds the initial release (e.g. a stale mirror serving the older list and file).
    t.state.csv = CSV_INITIAL;
    t.advisory('icsma-25-030-01', INITIAL, INITIAL_SHA);
    const late = await t.run({ since: '' }, 'run-2');
    expect(late).toMatchObject({ status: 'completed', seen: 1, failed: 0 });
    const adv = await t.partition('ADV#ICSMA-25-030-01');
    expect(adv.map((i) => i.sk).sort()).toEqual(['LATEST', 'V#0001', 'V#0002']);
    expect(adv.find((i) => i.sk === 'LATEST')).toMatchObject({ version: 2, versionLabel: 'Update A' });
    // The name index still describes version 2 (4 CVEs), not the initial release.
    const refs = (await t.dump()).filter((i) => i.entity === 'advisory-ref' && i.sk === 'ADV#ICSMA-25-030-01');
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(r).toMatchObject({ version: 2 });
  });

  it('refuses an advisory whose SHA-512 does not match: nothing stored for it, checkpoint stays before it', async () => {
    const t = await setup();
    const bad = BODIES['icsma-25-037-01']?.sha as string; // a well-formed digest of another file
    t.advisory('icsma-25-044-01', BODIES['icsma-25-044-01']?.body as Buffer, bad);
    const hitsBefore = replay.hits(`${t.base}/2025/icsma-25-044-01.json`);
    const run = await t.run();
    expect(run).toMatchObject({ status: 'completed', seen: 6, failed: 1, checkpoint: '2025-02-06T07:00:00.000Z' });
    expect(await t.partition('ADV#ICSMA-25-044-01')).toEqual([]);
    expect((await t.dump()).filter((i) => i.sk === 'ADV#ICSMA-25-044-01')).toEqual([]);
    expect(t.progress.some((m) => m.includes('ICSMA-25-044-01') && m.includes('SHA-512 mismatch'))).toBe(true);
    // Fetched once more in case the pair changed between the two requests, then refused.
    expect(replay.hits(`${t.base}/2025/icsma-25-044-01.json`) - hitsBefore).toBe(2);
    // Rows after it are stored anyway; the checkpoint waits for the refused one.
    expect((await t.partition('ADV#ICSMA-25-058-01')).length).toBeGreaterThan(0);
    expect((await t.cursor())?.checkpoint).toBe('2025-02-06T07:00:00.000Z');

    const body = BODIES['icsma-25-044-01'] as { body: Buffer; sha: string };
    t.advisory('icsma-25-044-01', body.body, body.sha);
    const fixed = await t.run({}, 'run-2');
    expect(fixed).toMatchObject({ status: 'completed', failed: 0, checkpoint: '2025-02-27T07:00:00.000Z' });
    expect(await t.dump()).toEqual(cleanDump);
  });

  it('recovers from 500, reset, truncated and malformed responses: every advisory stored exactly once', async () => {
    const t = await setup();
    const ok = (name: string): ReplayAction => ({ text: BODIES[name]?.body as Buffer });
    t.serve('2025/icsma-25-037-01.json', sequence({ status: 500, text: 'oops' }, ok('icsma-25-037-01')));
    t.serve('2025/icsma-25-037-02.json', sequence({ fault: 'reset' }, ok('icsma-25-037-02')));
    t.serve('2025/icsma-25-044-01.json', sequence({ fault: 'truncate', body: (BODIES['icsma-25-044-01']?.body as Buffer).toString() }, ok('icsma-25-044-01')));
    t.serve('2025/icsma-25-051-01.json', sequence({ fault: 'malformed' }, ok('icsma-25-051-01')));
    t.serve('2025/icsma-25-058-01.json.sha512', sequence({ status: 503, text: 'busy' }, { text: BODIES['icsma-25-058-01']?.sha as string }));
    const run = await t.run();
    expect(run).toMatchObject({ status: 'completed', seen: 6, failed: 0, checkpoint: '2025-02-27T07:00:00.000Z' });
    const table = await t.dump();
    expect(table).toEqual(cleanDump);
    for (const id of ADV_IDS) {
      const sks = table.filter((i) => i.pk === `ADV#${id}`).map((i) => i.sk);
      expect(sks.filter((s) => s === 'LATEST')).toHaveLength(1);
      expect(new Set(sks).size).toBe(sks.length);
    }
  });

  it('a persistent fault holds the checkpoint at the last fully stored timestamp; the next run completes', async () => {
    const t = await setup();
    t.serve('2025/icsma-25-051-01.json', sequence({ status: 502, text: 'down' }));
    const run = await t.run();
    expect(run).toMatchObject({ status: 'completed', failed: 1, checkpoint: '2025-02-13T07:00:00.000Z' });
    expect((await t.cursor())?.checkpoint).toBe('2025-02-13T07:00:00.000Z');
    expect(await t.partition('ADV#ICSMA-25-051-01')).toEqual([]);
    // Every row whose timestamp is at or before the checkpoint is stored.
    for (const id of ['ICSMA-25-037-01', 'ICSMA-25-037-02', 'ICSMA-25-044-01']) expect((await t.partition(`ADV#${id}`)).length).toBeGreaterThan(0);

    t.serve('2025/icsma-25-051-01.json', sequence({ text: BODIES['icsma-25-051-01']?.body as Buffer }));
    const next = await t.run({}, 'run-2');
    // Re-reads 051 (02-20), 030 (02-25) and 058 (02-27); only 051 is new.
    expect(next).toMatchObject({ status: 'completed', seen: 3, failed: 0, checkpoint: '2025-02-27T07:00:00.000Z' });
    expect(await t.dump()).toEqual(cleanDump);
  });

  it('stops before the deadline between timestamp groups; the next run carries on', async () => {
    const t = await setup();
    const left = [60_000, 60_000, 1_000];
    const stopped = await t.run({ marginMs: 5_000 }, 'run-1', () => left.shift() ?? 1_000);
    expect(stopped).toMatchObject({ status: 'stopped-at-deadline', seen: 3, checkpoint: '2025-02-13T07:00:00.000Z' });
    const rest = await t.run({}, 'run-2');
    expect(rest).toMatchObject({ status: 'completed', seen: 3, failed: 0, checkpoint: '2025-02-27T07:00:00.000Z' });
    expect(await t.dump()).toEqual(cleanDump);
  });

  it('refuses a stale copy of a just-updated advisory, so the checkpoint cannot pass the update', async () => {
    const t = await setup();
    // The list already says Update A (2025-02-25T07:00Z) but the CDN still serves the initial release.
    t.advisory('icsma-25-030-01', INITIAL, INITIAL_SHA);
    t.clock.now = new Date('2025-02-25T08:00:00Z');
    const run = await t.run();
    expect(run).toMatchObject({ status: 'completed', failed: 1, checkpoint: '2025-02-20T07:00:00.000Z' });
    expect(await t.partition('ADV#ICSMA-25-030-01')).toEqual([]);
    expect(t.progress.some((m) => m.includes('stale copy'))).toBe(true);

    t.advisory('icsma-25-030-01', UPDATE_A, UPDATE_A_SHA);
    t.clock.now = new Date('2025-02-27T09:00:00Z');
    const next = await t.run({}, 'run-2');
    expect(next).toMatchObject({ status: 'completed', failed: 0, checkpoint: '2025-02-27T07:00:00.000Z' });
    expect(await t.dump()).toEqual(cleanDump);
  });

  it('stores an old row whose file is older than the list says (data quirk, not a stale copy)', async () => {
    const t = await setup();
    t.advisory('icsma-25-030-01', INITIAL, INITIAL_SHA);
    const run = await t.run();
    expect(run).toMatchObject({ status: 'completed', failed: 0, checkpoint: '2025-02-27T07:00:00.000Z' });
    expect((await t.partition('ADV#ICSMA-25-030-01')).map((i) => i.sk).sort()).toEqual(['LATEST', 'V#0001']);
  });

  it('falls back to the ROLIE feed when changes.csv is unavailable', async () => {
    const t = await setup();
    t.serve('changes.csv', sequence({ status: 404, text: 'gone' }));
    t.serve('cisa-csaf-ot-feed-tlp-white.json', sequence({ text: ROLIE }));
    const run = await t.run();
    expect(run).toMatchObject({ status: 'completed', seen: 6, failed: 0, checkpoint: '2025-02-27T07:00:00.000Z' });
    expect(t.progress.some((m) => m.includes('ROLIE'))).toBe(true);
    expect(t.requestsUnder().filter((r) => r.includes('icsa-'))).toEqual([]);
    expect(await t.dump()).toEqual(cleanDump);
  });

  it('fails the run, stores nothing and keeps the checkpoint when no list can be read', async () => {
    const t = await setup();
    t.serve('changes.csv', sequence({ status: 500, text: 'down' }));
    t.serve('cisa-csaf-ot-feed-tlp-white.json', sequence({ fault: 'malformed' }));
    const run = await t.run();
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/changes\.csv.*ROLIE/);
    expect(run.error).not.toContain('127.0.0.1');
    expect(await t.dump()).toEqual([]);
    expect((await t.cursor())?.checkpoint).toBeUndefined();
    expect((await t.cursor())?.leaseOwner).toBeUndefined();
  });

  it('is single-flight: a run while another holds the lease fetches nothing', async () => {
    const t = await setup();
    await new CursorRepository(t.rt.clients.doc, t.rt.config.RECORDS_TABLE).acquire('csaf', 'other', NOW.getTime(), 900_000);
    const run = await t.run();
    expect(run.status).toBe('lease-held');
    expect(t.requestsUnder()).toEqual([]);
  });
});
