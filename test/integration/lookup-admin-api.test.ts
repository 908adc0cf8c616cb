import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleIfEmpty } from '../../lib/local/sample-load.js';
import type { Runtime } from '../../lib/runtime.js';
import { parseKey } from '../../lib/auth/keys.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { sequence, startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { freshRuntime } from '../support/store.js';

let rt: Runtime;
let api: TestApi;
let replay: ReplayServer;
let checkKey: string;
let adminKey: string;
beforeAll(async () => {
  replay = await startReplayServer();
  rt = await freshRuntime({ ACCESSGUDID_BASE_URL: replay.url });
  await loadSampleIfEmpty(rt);
  api = await startTestApi(rt);
  checkKey = await api.key('check');
  adminKey = await api.key('admin');
});
afterAll(async () => {
  await api.host.close();
  await replay.close();
  rt.clients.dynamodb.destroy();
});

const json = async (path: string, key: string, init: RequestInit = {}) => {
  const res = await api.call(path, { ...init, key });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

describe('GET /v1/devices/{di} and /v1/recalls', () => {
  it('a package DI gives the device, its family, recalls and advisories', async () => {
    const r = await json('/v1/devices/10614141100023', checkKey);
    expect(r.status).toBe(200);
    expect(r.body.device.primaryDi).toBe('00614141100026');
    expect(r.body.family.originalManufacturer).toMatch(/Contec/);
    expect(r.body.recalls.map((x: { recallNumber: string }) => x.recallNumber)).toContain('Z-9001-2025');
    expect(r.body.advisories.map((x: { id: string }) => x.id)).toContain('ICSMA-25-030-01');
  });

  it('an unknown DI is a 404 once the GUDID read-through finds nothing', async () => {
    replay.route('/api/v2/devices/lookup.json', sequence({ status: 404, json: { error: 'Device not found' } }));
    const r = await json('/v1/devices/00614141999996', checkKey);
    expect(r.status).toBe(404);
    expect(r.body.error.message).toMatch(/00614141999996/);
    expect(replay.requests.some((q) => q.includes('di=00614141999996'))).toBe(true);
  });

  it('with AccessGUDID down, an unknown DI goes to review instead of a confident reject', async () => {
    replay.route('/api/v2/devices/lookup.json', sequence({ status: 503, json: {} }));
    const r = await json('/v1/checks', checkKey, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ di: '00614141888887', manufacturer: 'Contec' }) });
    expect(r.status).toBe(201);
    expect(r.body.decision).toBe('review');
    expect(r.body.findings.find((f: { code: string }) => f.code === 'DI_NOT_IN_GUDID')).toMatchObject({ severity: 'warning' });
  });

  it('recalls by DI, product code and firm', async () => {
    for (const q of ['di=00191072179593', 'productCode=MHX', 'firm=Contec%20Medical%20Systems%20Co.%2C%20Ltd.']) {
      const r = await json(`/v1/recalls?${q}`, checkKey);
      expect(r.status, q).toBe(200);
      expect(r.body.items.length, q).toBeGreaterThan(0);
    }
    expect((await json('/v1/recalls?di=1&firm=x', checkKey)).status).toBe(400);
    expect((await json('/v1/recalls?productCode=MH', checkKey)).status).toBe(400);
  });
});

describe('admin routes', () => {
  it('need the admin scope', async () => {
    expect((await json('/v1/admin/aliases', checkKey)).status).toBe(403);
  });

  it('an alias makes a claimed subsidiary name match; deleting it undoes that', async () => {
    const put = await json('/v1/admin/aliases', adminKey, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Acme Medical', aliasOf: 'Epsimed LLC', note: 'synthetic test alias' }) });
    expect(put.status).toBe(200);
    const check = await json('/v1/checks', checkKey, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ di: '00614141100026', manufacturer: 'Acme Medical' }) });
    expect(check.body.findings.map((f: { code: string }) => f.code)).not.toContain('MANUFACTURER_MISMATCH');
    expect((await json('/v1/admin/aliases', adminKey)).body.items).toHaveLength(1);
    expect((await json('/v1/admin/aliases/Acme%20Medical', adminKey, { method: 'DELETE' })).status).toBe(204);
    expect((await json('/v1/admin/aliases/Acme%20Medical', adminKey, { method: 'DELETE' })).status).toBe(404);
  });

  it('authorised suppliers: a supplier not on the list is flagged', async () => {
    await json('/v1/admin/suppliers', adminKey, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Good Distribution Inc' }) });
    const body = (s: string) => JSON.stringify({ di: '00614141100019', manufacturer: 'Contec Medical Systems', supplier: s });
    const bad = await json('/v1/checks', checkKey, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body('Grey Market Ltd') });
    expect(bad.body.findings.map((f: { code: string }) => f.code)).toContain('SUPPLIER_NOT_AUTHORIZED');
    const good = await json('/v1/checks', checkKey, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body('Good Distribution, Inc.') });
    expect(good.body.findings.map((f: { code: string }) => f.code)).not.toContain('SUPPLIER_NOT_AUTHORIZED');
  });

  it('creates an API key (shown once), lists it without secrets, and revokes it', async () => {
    const created = await json('/v1/admin/keys', adminKey, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'dock 3', scopes: ['check'] }) });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^uds_/);
    const list = await json('/v1/admin/keys', adminKey);
    expect(JSON.stringify(list.body)).not.toContain(parseKey(created.body.key)?.secret as string);
    expect((await json('/v1/recalls?productCode=MHX', created.body.key)).status).toBe(200);
    const revoked = await json(`/v1/admin/keys/${created.body.keyId}`, adminKey, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
  });
});
