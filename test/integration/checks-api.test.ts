import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleIfEmpty } from '../../lib/local/sample-load.js';
import type { Runtime } from '../../lib/runtime.js';
import { parseKey } from '../../lib/auth/keys.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { freshRuntime } from '../support/store.js';

let rt: Runtime;
let api: TestApi;
let key: string;
beforeAll(async () => {
  rt = await freshRuntime();
  await loadSampleIfEmpty(rt);
  api = await startTestApi(rt);
  key = await api.key('check');
});
afterAll(async () => {
  await api.host.close();
  rt.clients.dynamodb.destroy();
});

const EPSIMED = '(01)00614141100026(11)240115(10)SYN2401B(21)EPS000123';
interface CheckBody {
  id: string;
  decision: string;
  findings: { code: string; severity: string; message: string; evidence: { recordId: string }[] }[];
  family: { originalManufacturer?: string };
  error?: { code: string; details?: { path: string }[] };
}
/** `k: null` sends no key at all. */
const post = async (path: string, body: string, type = 'application/json', k: string | null = key) => {
  const res = await api.call(path, { method: 'POST', headers: { 'content-type': type }, body, key: k ?? undefined });
  return { status: res.status, headers: res.headers, text: await res.text() };
};

describe('POST /v1/checks end to end (local host, real handler, DynamoDB Local)', () => {
  it('answers review for an Epsimed MN-120, names Contec, and stores the check for GET /v1/checks/{id}', async () => {
    const r = await post('/v1/checks', JSON.stringify({ udi: EPSIMED, manufacturer: 'Epsimed', poNumber: 'PO-1' }));
    expect(r.status).toBe(201);
    const body = JSON.parse(r.text) as CheckBody;
    expect(body.decision).toBe('review');
    expect(body.family.originalManufacturer).toMatch(/Contec/);
    expect(body.findings.find((f) => f.code === 'SECURITY_ADVISORY')?.evidence[0]?.recordId).toBe('ICSMA-25-030-01');
    expect(r.headers.get('location')).toBe(`/v1/checks/${body.id}`);
    const stored = await api.call(`/v1/checks/${body.id}`, { key });
    expect(stored.status).toBe(200);
    const again = (await stored.json()) as CheckBody & { caller: { principal: string } };
    expect(again.decision).toBe('review');
    expect(key).toContain(again.caller.principal);
    // The secret may itself contain '_': take it by position, as the key parser does.
    expect(JSON.stringify(again)).not.toContain(parseKey(key)?.secret as string);
  });

  it('rejects a forged check digit', async () => {
    const r = await post('/v1/checks', JSON.stringify({ udi: '(01)00614141100027', manufacturer: 'Epsimed' }));
    expect(r.status).toBe(201);
    const body = JSON.parse(r.text) as CheckBody;
    expect(body.decision).toBe('reject');
    expect(body.findings.map((f) => f.code)).toEqual(['UDI_CHECK_DIGIT']);
  });

  it('runs a CSV batch and summarises it; bad lines are reported, not fatal', async () => {
    const csv = `udi,manufacturer,supplier,po\n"${EPSIMED}",Epsimed,,PO-2\n${'(01)00614141100019(10)SYN2501A'},Contec Medical Systems,,PO-3\n,Nobody,,PO-4\n`;
    const r = await post('/v1/checks/batch', csv, 'text/csv');
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text) as { summary: Record<string, number>; results: { line: number; result?: CheckBody; error?: { details: { path: string }[] } }[] };
    expect(body.summary).toEqual({ lines: 3, accept: 0, review: 1, reject: 1, invalid: 1 });
    expect(body.results.map((x) => x.line)).toEqual([2, 3, 4]);
    expect(body.results[2]?.error?.details[0]?.path).toMatch(/^items\[3\]/);
  });

  it('lists checks by time and decision, and exports CSV', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await api.call(`/v1/checks?from=${today}&to=${today}&decision=review`, { key });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: CheckBody[] };
    expect(body.items.length).toBeGreaterThanOrEqual(2);
    expect(body.items.every((c) => c.decision === 'review')).toBe(true);
    const csv = await api.call(`/v1/checks?from=${today}&to=${today}`, { key, headers: { accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect((await csv.text()).split('\r\n')[0]).toBe('id,checkedAt,decision,udi,manufacturer,supplier,po,findings,caller');
  });

  it('pages with a cursor', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const first = (await (await api.call(`/v1/checks?from=${today}&to=${today}&limit=2`, { key })).json()) as { items: CheckBody[]; nextCursor?: string };
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeDefined();
    const second = (await (await api.call(`/v1/checks?from=${today}&to=${today}&limit=2&cursor=${first.nextCursor}`, { key })).json()) as { items: CheckBody[] };
    expect(second.items.map((c) => c.id)).not.toContain(first.items[0]?.id);
  });
});

describe('bad input never gives a 5xx', () => {
  const cases: [string, () => Promise<{ status: number; text: string }>, number][] = [
    ['malformed JSON', () => post('/v1/checks', '{"udi":'), 400],
    ['wrong types', () => post('/v1/checks', JSON.stringify({ udi: 5, manufacturer: ['x'] })), 400],
    ['both udi and di', () => post('/v1/checks', JSON.stringify({ udi: EPSIMED, di: '00614141100026', manufacturer: 'x' })), 400],
    ['neither udi nor di', () => post('/v1/checks', JSON.stringify({ manufacturer: 'x' })), 400],
    ['unknown field', () => post('/v1/checks', JSON.stringify({ udi: EPSIMED, manufacturer: 'x', admin: true })), 400],
    ['UDI over 1024 characters', () => post('/v1/checks', JSON.stringify({ udi: '1'.repeat(1025), manufacturer: 'x' })), 400],
    ['body over 1 MB', () => post('/v1/checks', JSON.stringify({ udi: 'x'.repeat(1_100_000), manufacturer: 'x' })), 413],
    ['form body', () => post('/v1/checks', 'udi=x&manufacturer=y', 'application/x-www-form-urlencoded'), 415],
    ['batch over 500 lines', () => post('/v1/checks/batch', JSON.stringify({ items: Array.from({ length: 501 }, () => ({ udi: EPSIMED, manufacturer: 'x' })) })), 400],
    ['CSV without header', () => post('/v1/checks/batch', `${EPSIMED},Epsimed\n`, 'text/csv'), 400],
    ['no API key', () => post('/v1/checks', JSON.stringify({ udi: EPSIMED, manufacturer: 'x' }), 'application/json', null), 401],
    ['garbage API key', () => post('/v1/checks', JSON.stringify({ udi: EPSIMED, manufacturer: 'x' }), 'application/json', 'uds_AAAAAAAAAAAA_not-a-real-secret-at-all-xxxxxxxxxxxxxxxxxxxx'), 401],
    ['bad check id', async () => api.call('/v1/checks/../../etc/passwd', { key }).then(async (r) => ({ status: r.status, text: await r.text() })), 404],
    ['unknown check id', async () => api.call(`/v1/checks/chk_${'0'.repeat(32)}`, { key }).then(async (r) => ({ status: r.status, text: await r.text() })), 404],
    ['bad list range', async () => api.call('/v1/checks?from=2026-02-01&to=2026-01-01', { key }).then(async (r) => ({ status: r.status, text: await r.text() })), 400],
    ['bad cursor', async () => api.call('/v1/checks?from=2026-01-01&to=2026-01-02&cursor=%%%', { key }).then(async (r) => ({ status: r.status, text: await r.text() })), 400],
  ];
  it.each(cases)('%s → %s', async (_name, call, status) => {
    const r = await call();
    expect(r.status).toBe(status);
    expect(JSON.parse(r.text).error.code).toBeTypeOf('string');
  });

  it('any JSON body: 201 or a 4xx, never a 5xx (unicode, injection-looking strings)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          udi: fc.oneof(fc.string(), fc.constantFrom("' OR 1=1 --", '<script>alert(1)</script>', '${jndi:ldap://x}', '\u0000\u001d01', '🙂'.repeat(10))),
          manufacturer: fc.oneof(fc.string({ unit: 'grapheme' }), fc.constant('"; DROP TABLE checks; --')),
        }),
        async (body) => {
          const r = await post('/v1/checks', JSON.stringify(body));
          expect([201, 400]).toContain(r.status);
        },
      ),
      { numRuns: 40 },
    );
  });
});
