import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../lib/runtime.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { freshRuntime } from '../support/store.js';

let rt: Runtime;
let api: TestApi;
let key: string;
beforeAll(async () => {
  rt = await freshRuntime();
  api = await startTestApi(rt);
  key = await api.key('check');
});
afterAll(async () => {
  await api.host.close();
  rt.clients.dynamodb.destroy();
});

interface Body {
  udi?: { di: string; lotNumber?: string; expirationDate?: string };
  error?: { code: string; message: string; details?: { path: string; message: string }[] };
}
const get = async (query: string) => {
  const res = await api.call(`/v1/udi/parse${query}`, { key });
  return { status: res.status, body: (await res.json()) as Body };
};
const post = async (body: string, type = 'application/json') => {
  const res = await api.call('/v1/udi/parse', { method: 'POST', headers: { 'content-type': type }, body, key });
  return { status: res.status, body: (await res.json()) as Body };
};

describe('/v1/udi/parse through the local API host', () => {
  it('GET parses a human-readable GS1 UDI', async () => {
    const r = await get(`?udi=${encodeURIComponent('(01)00643169001763(17)160712(10)A1')}`);
    expect(r.status).toBe(200);
    expect(r.body.udi).toMatchObject({ di: '00643169001763', lotNumber: 'A1', expirationDate: '2016-07-12' });
  });

  it('POST takes strings with real GS bytes', async () => {
    const r = await post(JSON.stringify({ udi: '0100367457153032101724847.1\u001d1721033121118165795226' }));
    expect(r.status).toBe(200);
    expect(r.body.udi?.lotNumber).toBe('1724847.1');
  });

  it('an invalid UDI is a 422 with the parser’s code and the field path', async () => {
    const r = await get(`?udi=${encodeURIComponent('(01)00643169001764')}`);
    expect(r.status).toBe(422);
    expect(r.body.error?.code).toBe('GTIN_CHECK_DIGIT');
    expect(r.body.error?.details?.[0]?.path).toBe('query.udi');
  });

  it.each([
    ['missing udi', () => get('')],
    ['udi over 1024 characters', () => get(`?udi=${'1'.repeat(1025)}`)],
    ['malformed JSON', () => post('{"udi":')],
    ['wrong type', () => post('{"udi": 5}')],
    ['unknown field', () => post('{"udi": "x", "extra": 1}')],
  ])('%s is a 400 that names the field', async (_name, call) => {
    const r = await call();
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toMatch(/VALIDATION_FAILED|BAD_REQUEST/);
    expect(r.body.error?.details?.length).toBeGreaterThan(0);
  });

  it('needs an API key with the check scope', async () => {
    expect((await api.call('/v1/udi/parse?udi=x')).status).toBe(401);
    expect((await api.call('/v1/udi/parse?udi=x', { key: await api.key('inventory') })).status).toBe(403);
  });

  it('a non-JSON body is a 415', async () => {
    expect((await post('udi=x', 'application/x-www-form-urlencoded')).status).toBe(415);
  });
});
