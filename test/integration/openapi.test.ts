import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { COMPONENTS, OPERATIONS, type ComponentName } from '../../lib/http/openapi.js';
import { ROUTES, routeKey } from '../../lib/http/routes.js';
import { loadSampleIfEmpty } from '../../lib/local/sample-load.js';
import type { Runtime } from '../../lib/runtime.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { freshRuntime } from '../support/store.js';

let rt: Runtime;
let api: TestApi;
let checkKey: string;
let adminKey: string;
beforeAll(async () => {
  rt = await freshRuntime();
  await loadSampleIfEmpty(rt);
  api = await startTestApi(rt);
  checkKey = await api.key('check');
  adminKey = await api.key('admin');
});
afterAll(async () => {
  await api?.host.close();
  rt?.clients.dynamodb.destroy();
});

describe('GET /openapi.json', () => {
  it('answers 200 application/json without an API key, cacheable, with the whole routes table', async () => {
    const res = await api.call('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const r of ROUTES) expect(doc.paths[r.path]?.[r.method.toLowerCase()], routeKey(r)).toBeDefined();
    // Served from one cached build: the second answer is byte-identical.
    const again = await api.call('/openapi.json');
    expect(await again.json()).toEqual(doc);
    seen.push({ route: 'GET /openapi.json', status: res.status, body: doc, contentType: res.headers.get('content-type') ?? '' });
  });
});

/**
 * The contract: every answer of the real routes (local host, real handlers, DynamoDB Local with the sample
 * data) has a status the document lists for that route and a body its schema accepts.
 */
type Call = { route: string; status: number; body: unknown; contentType: string };
const seen: Call[] = [];

function schemaFor(route: string, status: number): z.ZodType | undefined {
  const op = OPERATIONS[route];
  if (!op) throw new Error(`no OpenAPI entry for ${route}`);
  const success = op.success[status];
  if (success) return success.schema ? COMPONENTS[success.schema] : undefined;
  const listed = status >= 500 ? op.errors.includes(500) : (op.errors as number[]).includes(status);
  if (!listed) throw new Error(`${route} answered ${status}, which the document does not list`);
  return COMPONENTS[(status === 422 ? 'UdiErrorBody' : 'ErrorBody') satisfies ComponentName];
}

async function call(route: string, path: string, init: RequestInit & { key?: string; json?: unknown } = {}): Promise<Call> {
  const { json, ...rest } = init;
  const res = await api.call(path, json === undefined ? rest : { ...rest, body: JSON.stringify(json), headers: { 'content-type': 'application/json', ...rest.headers } });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  const body = contentType.startsWith('application/json') && text ? JSON.parse(text) : text;
  const schema = schemaFor(route, res.status);
  if (contentType.startsWith('text/csv')) {
    expect(OPERATIONS[route]?.success[res.status]?.csv, `${route} ${res.status} is not documented as CSV`).toBeDefined();
  } else if (schema) {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new Error(`${route} ${res.status}: the body does not match the document:\n${JSON.stringify(parsed.error.issues.slice(0, 5), null, 2)}`);
  } else {
    expect(text, `${route} ${res.status} has no documented body`).toBe('');
  }
  const c = { route, status: res.status, body, contentType };
  seen.push(c);
  return c;
}

const EPSIMED = '(01)00614141100026(11)240115(10)SYN2401B(21)EPS000123';

describe('real responses match the document', () => {
  it('health', async () => {
    expect((await call('GET /health', '/health')).status).toBe(200);
  });

  it('UDI parsing: 200, 422, 400, 415, 401, 403', async () => {
    expect((await call('GET /v1/udi/parse', `/v1/udi/parse?udi=${encodeURIComponent('(01)00643169001763(17)160712(10)A1')}`, { key: checkKey })).status).toBe(200);
    expect((await call('GET /v1/udi/parse', `/v1/udi/parse?udi=${encodeURIComponent('(01)00643169001764')}`, { key: checkKey })).status).toBe(422);
    expect((await call('GET /v1/udi/parse', '/v1/udi/parse', { key: checkKey })).status).toBe(400);
    expect((await call('GET /v1/udi/parse', '/v1/udi/parse?udi=x')).status).toBe(401);
    expect((await call('GET /v1/udi/parse', '/v1/udi/parse?udi=x', { key: adminKey })).status).toBe(403);
    expect((await call('POST /v1/udi/parse', '/v1/udi/parse', { method: 'POST', key: checkKey, json: { udi: '+H123ABC01234567890D' } })).status).toBeOneOf([200, 422]);
    expect((await call('POST /v1/udi/parse', '/v1/udi/parse', { method: 'POST', key: checkKey, json: { udi: '0100367457153032101724847.1\u001d1721033121118165795226' } })).status).toBe(200);
    expect((await call('POST /v1/udi/parse', '/v1/udi/parse', { method: 'POST', key: checkKey, headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(415);
  });

  let checkId = '';
  it('checks: create, batch (JSON and CSV), get, list, and their errors', async () => {
    const created = await call('POST /v1/checks', '/v1/checks', { method: 'POST', key: checkKey, json: { udi: EPSIMED, manufacturer: 'Epsimed', poNumber: 'PO-1' } });
    expect(created.status).toBe(201);
    checkId = (created.body as { id: string }).id;
    expect((await call('POST /v1/checks', '/v1/checks', { method: 'POST', key: checkKey, json: { udi: '(01)00614141100027', manufacturer: 'Epsimed' } })).status).toBe(201);
    expect((await call('POST /v1/checks', '/v1/checks', { method: 'POST', key: checkKey, json: { di: '00614141100019', manufacturer: 'Contec Medical Systems', supplier: 'Grey Market Ltd' } })).status).toBe(201);
    expect((await call('POST /v1/checks', '/v1/checks', { method: 'POST', key: checkKey, json: { manufacturer: 'x' } })).status).toBe(400);
    expect((await call('POST /v1/checks', '/v1/checks', { method: 'POST', key: checkKey, headers: { 'content-type': 'application/json' }, body: '{"udi":' })).status).toBe(400);
    expect((await call('POST /v1/checks', '/v1/checks', { method: 'POST', key: checkKey, json: { udi: 'x'.repeat(1_100_000), manufacturer: 'x' } })).status).toBe(413);

    const batch = await call('POST /v1/checks/batch', '/v1/checks/batch', { method: 'POST', key: checkKey, json: { items: [{ udi: EPSIMED, manufacturer: 'Epsimed' }, { manufacturer: 5 }] } });
    expect(batch.body).toMatchObject({ summary: { lines: 2, invalid: 1 } });
    const csv = `udi,manufacturer,supplier,po\n"${EPSIMED}",Epsimed,,PO-2\n(01)00614141100019(10)SYN2501A,Contec Medical Systems,,PO-3\n,Nobody,,PO-4\n`;
    expect((await call('POST /v1/checks/batch', '/v1/checks/batch', { method: 'POST', key: checkKey, headers: { 'content-type': 'text/csv' }, body: csv })).body).toMatchObject({ summary: { lines: 3 } });
    expect((await call('POST /v1/checks/batch', '/v1/checks/batch', { method: 'POST', key: checkKey, headers: { 'content-type': 'text/csv' }, body: `${EPSIMED},Epsimed\n` })).status).toBe(400);

    expect((await call('GET /v1/checks/{id}', `/v1/checks/${checkId}`, { key: checkKey })).status).toBe(200);
    expect((await call('GET /v1/checks/{id}', `/v1/checks/chk_${'0'.repeat(32)}`, { key: checkKey })).status).toBe(404);
    expect((await call('GET /v1/checks/{id}', '/v1/checks/nope', { key: checkKey })).status).toBe(400);

    const today = new Date().toISOString().slice(0, 10);
    const page = await call('GET /v1/checks', `/v1/checks?from=${today}&to=${today}&limit=2`, { key: checkKey });
    expect((page.body as { nextCursor?: string }).nextCursor).toBeDefined();
    const exported = await call('GET /v1/checks', `/v1/checks?from=${today}&to=${today}`, { key: checkKey, headers: { accept: 'text/csv' } });
    expect(exported.contentType).toMatch(/^text\/csv/);
    expect((await call('GET /v1/checks', '/v1/checks?from=2026-02-01&to=2026-01-01', { key: checkKey })).status).toBe(400);
  });

  it('devices and recalls', async () => {
    expect((await call('GET /v1/devices/{di}', '/v1/devices/10614141100023', { key: checkKey })).status).toBe(200);
    expect((await call('GET /v1/recalls', '/v1/recalls?productCode=MHX', { key: checkKey })).status).toBe(200);
    expect((await call('GET /v1/recalls', '/v1/recalls?di=00191072179593', { key: checkKey })).status).toBe(200);
    expect((await call('GET /v1/recalls', '/v1/recalls?di=1&firm=x', { key: checkKey })).status).toBe(400);
  });

  it('admin: aliases, suppliers, keys', async () => {
    const alias = { name: 'Acme Medical', aliasOf: 'Epsimed LLC', note: 'synthetic test alias' };
    expect((await call('PUT /v1/admin/aliases', '/v1/admin/aliases', { method: 'PUT', key: adminKey, json: alias })).status).toBe(200);
    expect((await call('GET /v1/admin/aliases', '/v1/admin/aliases', { key: adminKey })).body).toMatchObject({ items: [{ name: 'Acme Medical' }] });
    expect((await call('DELETE /v1/admin/aliases/{name}', '/v1/admin/aliases/Acme%20Medical', { method: 'DELETE', key: adminKey })).status).toBe(204);
    expect((await call('DELETE /v1/admin/aliases/{name}', '/v1/admin/aliases/Acme%20Medical', { method: 'DELETE', key: adminKey })).status).toBe(404);
    expect((await call('GET /v1/admin/aliases', '/v1/admin/aliases', { key: checkKey })).status).toBe(403);

    expect((await call('PUT /v1/admin/suppliers', '/v1/admin/suppliers', { method: 'PUT', key: adminKey, json: { name: 'Good Distribution Inc' } })).status).toBe(200);
    expect((await call('GET /v1/admin/suppliers', '/v1/admin/suppliers', { key: adminKey })).status).toBe(200);
    expect((await call('PUT /v1/admin/suppliers', '/v1/admin/suppliers', { method: 'PUT', key: adminKey, json: { name: '!!' } })).status).toBe(400);
    expect((await call('DELETE /v1/admin/suppliers/{name}', '/v1/admin/suppliers/Good%20Distribution%20Inc', { method: 'DELETE', key: adminKey })).status).toBe(204);

    const created = await call('POST /v1/admin/keys', '/v1/admin/keys', { method: 'POST', key: adminKey, json: { name: 'dock 3', scopes: ['check'] } });
    expect(created.status).toBe(201);
    expect((await call('GET /v1/admin/keys', '/v1/admin/keys', { key: adminKey })).status).toBe(200);
    expect((await call('DELETE /v1/admin/keys/{keyId}', `/v1/admin/keys/${(created.body as { keyId: string }).keyId}`, { method: 'DELETE', key: adminKey })).status).toBe(200);
    expect((await call('DELETE /v1/admin/keys/{keyId}', '/v1/admin/keys/AAAAAAAAAAAA', { method: 'DELETE', key: adminKey })).status).toBe(404);
    expect((await call('DELETE /v1/admin/keys/{keyId}', '/v1/admin/keys/bad_id', { method: 'DELETE', key: adminKey })).status).toBe(400);
  });

  it('exercised every route of the table', () => {
    expect([...new Set(seen.map((c) => c.route))].sort()).toEqual(ROUTES.map(routeKey).sort());
  });
});
