// The secret comparison goes through crypto.timingSafeEqual on equal-length buffers on every path
// (valid, wrong secret, unknown key id, unusable stored hash). Behaviour only: no timing is measured.
import type * as NodeCrypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof NodeCrypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const crypto = await import('node:crypto');
const { authorize, clearAuthCache } = await import('../../../lib/auth/authorize.js');
const { FakeKeySource, T0 } = await import('./helpers.js');

const spy = vi.mocked(crypto.timingSafeEqual);

beforeEach(() => {
  clearAuthCache();
  spy.mockClear();
});

function comparedBuffers(): [Buffer, Buffer][] {
  return spy.mock.calls.map(([a, b]) => [Buffer.from(a as Uint8Array), Buffer.from(b as Uint8Array)]);
}

describe('constant-time secret comparison', () => {
  it.each([
    ['a valid key', (k: { key: string; keyId: string }) => k.key],
    ['a wrong secret', (k: { key: string; keyId: string }) => `uds_${k.keyId}_${'A'.repeat(43)}`],
    ['an unknown key id', () => `uds_zzzzzzzzzzzz_${'A'.repeat(43)}`],
  ])('compares once, 32 bytes against 32 bytes, for %s', async (_label, present) => {
    const src = new FakeKeySource();
    const issued = src.issue(['check']);
    await authorize({ 'x-api-key': present(issued) }, 'check', src, T0).catch(() => undefined);
    const calls = comparedBuffers();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[0]).toHaveLength(32);
    expect(calls[0]?.[1]).toHaveLength(32);
  });

  it('still compares equal-length buffers when the stored hash is unusable', async () => {
    const src = new FakeKeySource();
    const { key } = src.issue(['check'], { secretHash: 'abc' });
    await expect(authorize({ 'x-api-key': key }, 'check', src, T0)).rejects.toThrow('Invalid API key.');
    const calls = comparedBuffers();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[0].length).toBe(calls[0]?.[1].length);
  });

  it('compares the two headers without an early exit when both are sent', async () => {
    const src = new FakeKeySource();
    const { key } = src.issue(['check']);
    await authorize({ authorization: `Bearer ${key}`, 'x-api-key': key }, 'check', src, T0);
    // One for the header agreement, one for the secret.
    expect(comparedBuffers().every(([a, b]) => a.length === 32 && b.length === 32)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
