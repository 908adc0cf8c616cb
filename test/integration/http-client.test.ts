import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, parseRetryAfter } from '../../lib/net/http-client.js';
import { UpstreamError } from '../../lib/errors.js';
import { sequence, startReplayServer, type ReplayServer } from '../support/replay-server.js';

let replay: ReplayServer;
beforeAll(async () => {
  replay = await startReplayServer();
});
afterAll(() => replay.close());

const ok = { json: { meta: { last_updated: '2026-03-18' }, results: [{ id: 1 }] } };

/** A client whose waits are recorded instead of slept, so retries are fast and observable. */
function client(overrides: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  const waits: number[] = [];
  const c = new HttpClient({
    baseURL: replay.url,
    timeoutMs: 500,
    maxAttempts: 4,
    requestsPerMinute: 0,
    sleep: async (ms) => void waits.push(ms),
    random: () => 1,
    ...overrides,
  });
  return { c, waits };
}

describe('HTTP client for untrusted upstreams (against a real local server)', () => {
  it('returns parsed JSON on success', async () => {
    replay.route('/ok', sequence(ok));
    const { c } = client();
    const res = await c.get('/ok', { params: { search: 'a:"b"' } });
    expect(res).toMatchObject({ status: 200, attempts: 1, data: ok.json });
    expect(replay.requests.at(-1)).toBe('/ok?search=a%3A%22b%22');
  });

  it('retries 429 after the Retry-After the server asked for', async () => {
    replay.route('/limited', sequence({ status: 429, headers: { 'retry-after': '7' }, json: { error: {} } }, ok));
    const { c, waits } = client();
    expect((await c.get('/limited')).attempts).toBe(2);
    expect(waits).toEqual([7000]);
  });

  it('retries 500 with exponential backoff and jitter, then succeeds', async () => {
    replay.route('/flaky', sequence({ status: 500, json: {} }, { status: 503, json: {} }, ok));
    const { c, waits } = client({ baseDelayMs: 100 });
    expect((await c.get('/flaky')).attempts).toBe(3);
    expect(waits).toEqual([200, 400]);
  });

  it('gives up with a typed error after the attempt budget', async () => {
    replay.route('/down', sequence({ status: 502, json: {} }));
    const { c } = client();
    await expect(c.get('/down')).rejects.toThrow(UpstreamError);
    await expect(c.get('/down')).rejects.toThrow(/after 4 attempts \(last: HTTP 502\)/);
  });

  it('does not retry other 4xx', async () => {
    replay.route('/bad', sequence({ status: 400, json: { error: { code: 'BAD_REQUEST' } } }));
    const before = replay.hits('/bad');
    const { c } = client();
    await expect(c.get('/bad')).rejects.toThrow(/HTTP 400/);
    expect(replay.hits('/bad') - before).toBe(1);
  });

  it('returns accepted non-2xx statuses as answers (openFDA 404 = no match)', async () => {
    replay.route('/none', sequence({ status: 404, json: { error: { code: 'NOT_FOUND', message: 'No matches found!' } } }));
    const { c } = client();
    const res = await c.get('/none', { acceptStatus: [404] });
    expect(res.status).toBe(404);
  });

  it.each([
    ['a hang past the timeout', { fault: 'hang' } as const],
    ['a reset connection', { fault: 'reset' } as const],
    ['a truncated body', { fault: 'truncate', body: JSON.stringify(ok.json) } as const],
    ['malformed JSON', { fault: 'malformed' } as const],
  ])('recovers from %s by retrying', async (_name, fault) => {
    const path = `/fault-${fault.fault}`;
    replay.route(path, sequence(fault, ok));
    const { c } = client();
    const res = await c.get(path);
    expect(res.attempts).toBe(2);
    expect(res.data).toEqual(ok.json);
  });

  it('never hands back malformed JSON as a string', async () => {
    replay.route('/always-malformed', sequence({ fault: 'malformed' }));
    const { c } = client({ maxAttempts: 2 });
    await expect(c.get('/always-malformed')).rejects.toThrow(/last: malformed JSON/);
  });

  it('refuses a Retry-After longer than it is willing to wait', async () => {
    replay.route('/later', sequence({ status: 429, headers: { 'retry-after': '86400' }, json: {} }));
    const { c } = client();
    await expect(c.get('/later')).rejects.toThrow(/retry after 86400 s/);
  });

  it('refuses responses over the size cap', async () => {
    replay.route('/huge', sequence({ json: { blob: 'x'.repeat(10_000) } }));
    const { c } = client({ maxResponseBytes: 1_000, maxAttempts: 1 });
    await expect(c.get('/huge')).rejects.toThrow(UpstreamError);
  });

  it('spaces requests to stay under the per-minute limit', async () => {
    replay.route('/rl', sequence(ok));
    let now = 1_000_000;
    const starts: number[] = [];
    const c = new HttpClient({
      baseURL: replay.url,
      requestsPerMinute: 240,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    for (let i = 0; i < 5; i++) {
      await c.get('/rl');
      starts.push(now);
    }
    // 240/min = one start every 250 ms, whatever the server's speed.
    expect(starts.slice(1).map((t, i) => t - (starts[i] as number))).toEqual([250, 250, 250, 250]);
  });
});

describe('Retry-After parsing', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-12-03T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 03 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
