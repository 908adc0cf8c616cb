import { readFileSync } from 'node:fs';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError, ValidationError } from '../../lib/errors.js';
import { createIngestContext } from '../../lib/ingest/context.js';
import { GUDID_MISS_TTL_SECONDS, GudidReadThrough } from '../../lib/ingest/gudid-read-through.js';
import type { Runtime } from '../../lib/runtime.js';
import { ref } from '../../lib/store/keys.js';
import { sequence, startReplayServer, type ReplayAction, type ReplayServer, type Responder } from '../support/replay-server.js';
import { freshRuntime } from '../support/store.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/accessgudid/${name}`, import.meta.url), 'utf8'));
/** Real AccessGUDID v2 lookup response (see test/fixtures/accessgudid/README.md for where it comes from). */
const REAL = fixture('lookup-00643169007222.real.json');
/** Synthetic (labelled inside): a primary DI with a package DI. */
const PACKAGE = fixture('lookup-10614141999993.synthetic.json');
const REAL_DI = '00643169007222';
const PKG_DI = '10614141999993';
const PKG_PRIMARY = '00614141999996';
const UNKNOWN_DI = '00614141999989';
const LOOKUP = '/api/v2/devices/lookup.json';
const T0 = Date.parse('2026-03-01T00:00:00Z');

let replay: ReplayServer;
const runtimes: Runtime[] = [];
beforeAll(async () => {
  replay = await startReplayServer();
});
afterAll(async () => {
  for (const rt of runtimes) rt.clients.dynamodb.destroy();
  await replay.close();
});

const byDi =
  (answers: Record<string, ReplayAction>): Responder =>
  (_req, url) =>
    answers[url.searchParams.get('di') ?? ''] ?? { status: 404, json: { error: 'Not found' } };

let n = 0;
async function setup() {
  const base = `/ag${++n}`;
  const rt = await freshRuntime({ ACCESSGUDID_BASE_URL: `${replay.url}${base}` });
  runtimes.push(rt);
  const clock = { ms: T0 };
  const ctx = createIngestContext({ config: rt.config, doc: rt.clients.doc, owner: 'api', now: () => new Date(clock.ms) });
  const gudid = new GudidReadThrough(ctx, { http: { sleep: async () => undefined, requestsPerMinute: 0, timeoutMs: 2_000 } });
  const requests = () => replay.requests.filter((r) => r.startsWith(`${base}/`));
  /** Upstream lookups so far, from the request log (re-routing does not reset it). */
  const hits = () => requests().filter((r) => r.startsWith(`${base}${LOOKUP}?`)).length;
  const get = async (key: { pk: string; sk: string }) =>
    (await rt.clients.doc.send(new GetCommand({ TableName: rt.config.REFERENCE_TABLE, Key: key }))).Item;
  const dump = async () => (await rt.clients.doc.send(new ScanCommand({ TableName: rt.config.REFERENCE_TABLE }))).Items ?? [];
  return { base, rt, clock, gudid, hits, requests, get, dump, route: (r: Responder) => replay.route(`${base}${LOOKUP}`, r) };
}

describe('AccessGUDID read-through (replay server + DynamoDB Local)', () => {
  it('stores a found device as accessgudid items; the second lookup needs no upstream call', async () => {
    const t = await setup();
    t.route(byDi({ [REAL_DI]: { json: REAL } }));
    const first = await t.gudid.lookup(REAL_DI);
    expect(first.found).toBe(true);
    expect(t.hits()).toBe(1);
    expect(t.requests()).toEqual([`${t.base}${LOOKUP}?di=${REAL_DI}`]);
    const device = await t.get(ref.deviceByDi(REAL_DI));
    expect(device).toMatchObject({
      entity: 'device',
      source: 'accessgudid',
      primaryDi: REAL_DI,
      brandName: 'Viva™ Quad XT CRT-D',
      labelerDuns: '006261481',
      companyName: 'MEDTRONIC, INC.',
      versionNumber: '6',
      versionDate: '2021-02-05',
      hasSerialNumber: true,
      hasLotOrBatchNumber: false,
      isRx: true,
      deviceCount: 1,
      productCodes: [{ code: 'NIK' }, { code: 'KRG' }].map((p) => expect.objectContaining(p)),
    });
    // Licensed GMDN text and personal contact data are never stored.
    expect(JSON.stringify(await t.dump())).not.toMatch(/Corporate\.UDI@medtronic\.com|gmdnPTDefinition|biventricular/);

    const second = await t.gudid.lookup(REAL_DI);
    expect(second).toEqual({ found: true, items: [expect.objectContaining({ pk: `DI#${REAL_DI}`, sk: 'DEVICE', brandName: 'Viva™ Quad XT CRT-D' })] });
    expect(t.hits()).toBe(1);
  });

  it('a package DI stores the whole record, so its primary DI then resolves from the mirror', async () => {
    const t = await setup();
    t.route(byDi({ [PKG_DI]: { json: PACKAGE } }));
    const res = await t.gudid.lookup(PKG_DI);
    expect(res.found).toBe(true);
    expect(await t.get(ref.deviceByDi(PKG_DI))).toMatchObject({ entity: 'device-identifier', primaryDi: PKG_PRIMARY, identifierType: 'Package' });
    expect(await t.get(ref.deviceByDi(PKG_PRIMARY))).toMatchObject({ entity: 'device', source: 'accessgudid', premarketSubmissions: [{ number: 'K000000' }] });
    expect(await t.gudid.lookup(PKG_PRIMARY)).toMatchObject({ found: true });
    expect(t.hits()).toBe(1);
  });

  it('caches "not found" for 24 h, and asks again once the miss has expired (TTL deletion is lazy)', async () => {
    const t = await setup();
    t.route(byDi({}));
    expect(await t.gudid.lookup(UNKNOWN_DI)).toEqual({ found: false, cached: false });
    expect(t.hits()).toBe(1);
    const miss = await t.get(ref.gudidMiss(UNKNOWN_DI));
    expect(miss).toMatchObject({ entity: 'gudid-miss', di: UNKNOWN_DI, expiresAt: T0 / 1000 + GUDID_MISS_TTL_SECONDS });

    t.clock.ms = T0 + (GUDID_MISS_TTL_SECONDS - 1) * 1000;
    expect(await t.gudid.lookup(UNKNOWN_DI)).toEqual({ found: false, cached: true });
    expect(t.hits()).toBe(1);

    // 24 h later the expired item is still in the table (DynamoDB Local, like DynamoDB, deletes lazily) …
    t.clock.ms = T0 + GUDID_MISS_TTL_SECONDS * 1000;
    expect(await t.get(ref.gudidMiss(UNKNOWN_DI))).toBeDefined();
    // … but counts as absent: AccessGUDID is asked again and the miss renewed.
    expect(await t.gudid.lookup(UNKNOWN_DI)).toEqual({ found: false, cached: false });
    expect(t.hits()).toBe(2);
    expect((await t.get(ref.gudidMiss(UNKNOWN_DI)))?.expiresAt).toBe(T0 / 1000 + 2 * GUDID_MISS_TTL_SECONDS);
  });

  it('a DI that was a miss and is published later is found after the miss expires, and the miss is removed', async () => {
    const t = await setup();
    t.route(byDi({}));
    await t.gudid.lookup(REAL_DI);
    t.route(byDi({ [REAL_DI]: { json: REAL } }));
    expect(await t.gudid.lookup(REAL_DI)).toEqual({ found: false, cached: true });
    t.clock.ms = T0 + (GUDID_MISS_TTL_SECONDS + 1) * 1000;
    expect((await t.gudid.lookup(REAL_DI)).found).toBe(true);
    expect(await t.get(ref.gudidMiss(REAL_DI))).toBeUndefined();
    expect(t.hits()).toBe(2);
  });

  it.each([
    ['empty', ''],
    ['spaces', '   '],
    ['bad GS1 check digit', '00643169007223'],
    ['13 digits', '0064316900722'],
    ['15 digits', '006431690072220'],
    ['path traversal', '../../api/v1/devices/lookup.json'],
    ['query injection', `${REAL_DI}&udi=x`],
    ['percent-encoding', '%30%30643169007222'],
    ['markup', 'H123<script>'],
    ['too long (24)', `A${'1'.repeat(23)}`],
    ['inner space', 'H1234 5678'],
    ['non-ASCII', 'Ä12345678'],
    ['NUL byte', 'H12345\u00006'],
    ['newline then query', `${REAL_DI}\n?di=1`],
    ['URL', 'http://evil.example/x'],
  ])('rejects a hostile DI (%s) before any upstream request', async (_name, di) => {
    const t = await setup();
    t.route(byDi({ [REAL_DI]: { json: REAL } }));
    await expect(t.gudid.lookup(di)).rejects.toThrow(ValidationError);
    expect(t.requests()).toEqual([]);
    expect(await t.dump()).toEqual([]);
  });

  it('an upstream failure is an error, never cached as "not found"', async () => {
    const t = await setup();
    t.route(sequence({ status: 503, json: {} }));
    await expect(t.gudid.lookup(REAL_DI)).rejects.toThrow(UpstreamError);
    expect(await t.get(ref.gudidMiss(REAL_DI))).toBeUndefined();
    t.route(sequence({ fault: 'malformed' }));
    await expect(t.gudid.lookup(REAL_DI)).rejects.toThrow(UpstreamError);
    t.route(sequence({ json: { error: 'unexpected shape' } }));
    await expect(t.gudid.lookup(REAL_DI)).rejects.toThrow(/gudid\.device/);
    expect(await t.dump()).toEqual([]);
    t.route(byDi({ [REAL_DI]: { json: REAL } }));
    expect((await t.gudid.lookup(REAL_DI)).found).toBe(true);
  });

  it('an answer whose record does not list the DI is not "found"', async () => {
    const t = await setup();
    // Upstream answers the Medtronic record for another DI.
    t.route(byDi({ [PKG_PRIMARY]: { json: REAL } }));
    expect(await t.gudid.lookup(PKG_PRIMARY)).toEqual({ found: false, cached: false });
    expect(await t.get(ref.deviceByDi(PKG_PRIMARY))).toBeUndefined();
    expect(await t.get(ref.gudidMiss(PKG_PRIMARY))).toBeDefined();
  });

  it('concurrent lookups of one DI share one upstream call', async () => {
    const t = await setup();
    t.route(byDi({ [REAL_DI]: { json: REAL } }));
    const results = await Promise.all([t.gudid.lookup(REAL_DI), t.gudid.lookup(` ${REAL_DI} `), t.gudid.lookup(REAL_DI)]);
    expect(results.every((r) => r.found)).toBe(true);
    expect(t.hits()).toBe(1);
  });
});
