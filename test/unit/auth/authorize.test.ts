import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  authorize,
  clearAuthCache,
  forgetCachedKey,
  KeyRecordCache,
  MESSAGES,
  presentedKey,
  secretMatches,
  AUTH_CACHE_TTL_MS,
} from '../../../lib/auth/authorize.js';
import { hashSecret } from '../../../lib/auth/keys.js';
import { ForbiddenError, UnauthorizedError } from '../../../lib/errors.js';
import { at, FakeKeySource, T0 } from './helpers.js';

beforeEach(() => clearAuthCache());

const KEY = 'uds_abcDEF123456_' + 'A'.repeat(43);

describe('presentedKey (header parsing)', () => {
  it.each([
    ['Bearer', { authorization: `Bearer ${KEY}` }],
    ['bearer (lower case)', { authorization: `bearer ${KEY}` }],
    ['BEARER (upper case)', { authorization: `BEARER ${KEY}` }],
    ['extra spaces and tabs', { authorization: ` \tBearer \t ${KEY} \t` }],
    ['x-api-key', { 'x-api-key': KEY }],
    ['x-api-key with spaces', { 'x-api-key': `  ${KEY} ` }],
    ['both headers, same key', { authorization: `Bearer ${KEY}`, 'x-api-key': KEY }],
    ['mixed-case header names', { Authorization: `Bearer ${KEY}` }],
    ['X-Api-Key', { 'X-Api-Key': KEY }],
    ['empty authorization, key in x-api-key', { authorization: '', 'x-api-key': KEY }],
  ])('reads the key: %s', (_label, headers) => {
    expect(presentedKey(headers)).toBe(KEY);
  });

  it.each([
    ['no headers', {}, MESSAGES.missing],
    ['empty values', { authorization: '  ', 'x-api-key': '' }],
    ['undefined values', { authorization: undefined, 'x-api-key': undefined }, MESSAGES.missing],
    ['Basic scheme', { authorization: `Basic ${KEY}` }, MESSAGES.malformed],
    ['Bearer without token', { authorization: 'Bearer' }, MESSAGES.malformed],
    ['Bearer with two tokens', { authorization: `Bearer ${KEY} ${KEY}` }, MESSAGES.malformed],
    ['token without scheme', { authorization: KEY }, MESSAGES.malformed],
    ['Bearer: (colon)', { authorization: `Bearer:${KEY}` }, MESSAGES.malformed],
    ['oversized header', { 'x-api-key': 'x'.repeat(2000) }, MESSAGES.malformed],
    ['different keys in the two headers', { authorization: `Bearer ${KEY}`, 'x-api-key': KEY.slice(0, -1) + 'B' }, MESSAGES.conflicting],
  ])('refuses: %s', (_label, headers, message?: string) => {
    const call = () => presentedKey(headers as Record<string, string | undefined>);
    expect(call).toThrow(UnauthorizedError);
    if (message) expect(call).toThrow(message);
  });
});

describe('secretMatches', () => {
  it('matches only the exact secret and tolerates an unusable stored hash', () => {
    const secret = 'A'.repeat(43);
    expect(secretMatches(secret, hashSecret(secret))).toBe(true);
    expect(secretMatches(secret, hashSecret('B'.repeat(43)))).toBe(false);
    expect(secretMatches(secret, undefined)).toBe(false);
    expect(secretMatches(secret, 'not-hex')).toBe(false);
    expect(secretMatches(secret, hashSecret(secret).toUpperCase())).toBe(false);
    expect(secretMatches(secret, hashSecret(secret).slice(2))).toBe(false);
  });
});

describe('authorize', () => {
  it('accepts a valid key with the scope, through either header', async () => {
    const src = new FakeKeySource();
    const { key, keyId } = src.issue(['check']);
    await expect(authorize({ authorization: `Bearer ${key}` }, 'check', src, T0)).resolves.toEqual({ keyId, scopes: ['check'], name: 'test key' });
    await expect(authorize({ 'x-api-key': key }, 'check', src, T0)).resolves.toMatchObject({ keyId });
  });

  it('gives 403 for a valid key without the scope; admin implies nothing else', async () => {
    const src = new FakeKeySource();
    const { key } = src.issue(['admin']);
    const err = await authorize({ 'x-api-key': key }, 'check', src, T0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForbiddenError);
    expect((err as ForbiddenError).status).toBe(403);
    expect((err as Error).message).toBe(MESSAGES.forbidden('check'));
    await expect(authorize({ 'x-api-key': key }, 'inventory', src, T0)).rejects.toThrow(ForbiddenError);
    await expect(authorize({ 'x-api-key': key }, 'admin', src, T0)).resolves.toMatchObject({ scopes: ['admin'] });
  });

  it('gives the same 401 message for an unknown key id and a wrong secret', async () => {
    const src = new FakeKeySource();
    const { keyId } = src.issue(['check']);
    const unknown = await authorize({ 'x-api-key': `uds_zzzzzzzzzzzz_${'A'.repeat(43)}` }, 'check', src, T0).catch((e: unknown) => e);
    const wrong = await authorize({ 'x-api-key': `uds_${keyId}_${'A'.repeat(43)}` }, 'check', src, T0).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(UnauthorizedError);
    expect(wrong).toBeInstanceOf(UnauthorizedError);
    expect((unknown as Error).message).toBe(MESSAGES.invalid);
    expect((wrong as Error).message).toBe(MESSAGES.invalid);
  });

  it('refuses malformed keys without reading the store', async () => {
    const src = new FakeKeySource();
    for (const k of ['garbage', 'uds_', `uds_short_${'A'.repeat(43)}`, '\u0000'.repeat(60), 'x'.repeat(10_000)]) {
      await expect(authorize({ 'x-api-key': k }, 'check', src, T0)).rejects.toThrow(MESSAGES.malformed);
    }
    expect(src.gets).toBe(0);
  });

  it('refuses revoked and expired keys (only after the secret matched)', async () => {
    const src = new FakeKeySource();
    const revoked = src.issue(['check'], { status: 'revoked', revokedAt: '2026-05-01T00:00:00.000Z' });
    const expiring = src.issue(['check'], { validUntil: at(1000).toISOString() });
    await expect(authorize({ 'x-api-key': revoked.key }, 'check', src, T0)).rejects.toThrow(MESSAGES.revoked);
    await expect(authorize({ 'x-api-key': `uds_${revoked.keyId}_${'A'.repeat(43)}` }, 'check', src, T0)).rejects.toThrow(MESSAGES.invalid);
    await expect(authorize({ 'x-api-key': expiring.key }, 'check', src, T0)).resolves.toMatchObject({ keyId: expiring.keyId });
    await expect(authorize({ 'x-api-key': expiring.key }, 'check', src, at(1000))).rejects.toThrow(MESSAGES.expired);
  });

  it('lets store errors through (callers fail closed without caching a denial)', async () => {
    const src = new FakeKeySource();
    const { key } = src.issue(['check']);
    src.failGet = true;
    const err = await authorize({ 'x-api-key': key }, 'check', src, T0).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(UnauthorizedError);
    expect((err as Error).name).toBe('ServiceUnavailable');
  });

  it('flipping any character of a valid key gives 401', async () => {
    const src = new FakeKeySource();
    const { key } = src.issue(['check', 'inventory', 'admin']);
    const printable = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 1 });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: key.length - 1 }), printable, fc.boolean(), async (i, c, viaBearer) => {
        fc.pre(key[i] !== c);
        const flipped = key.slice(0, i) + c + key.slice(i + 1);
        const headers = viaBearer ? { authorization: `Bearer ${flipped}` } : { 'x-api-key': flipped };
        const err = await authorize(headers, 'check', src, T0).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(UnauthorizedError);
        expect((err as UnauthorizedError).status).toBe(401);
      }),
      { numRuns: 500 },
    );
    // And the unflipped key still works (the property is not vacuous).
    await expect(authorize({ 'x-api-key': key }, 'check', src, T0)).resolves.toBeDefined();
  });
});

describe('in-process cache', () => {
  it('reads the store once per key within the TTL, and re-reads after it', async () => {
    const src = new FakeKeySource();
    const { key } = src.issue(['check']);
    for (let i = 0; i < 5; i++) await authorize({ 'x-api-key': key }, 'check', src, at(i * 1000));
    expect(src.gets).toBe(1);
    await authorize({ 'x-api-key': key }, 'check', src, at(AUTH_CACHE_TTL_MS));
    expect(src.gets).toBe(2);
  });

  it('still checks the secret on a cache hit', async () => {
    const src = new FakeKeySource();
    const { key, keyId } = src.issue(['check']);
    await authorize({ 'x-api-key': key }, 'check', src, T0);
    await expect(authorize({ 'x-api-key': `uds_${keyId}_${'A'.repeat(43)}` }, 'check', src, at(1))).rejects.toThrow(MESSAGES.invalid);
    expect(src.gets).toBe(1);
  });

  it('sees a revocation made elsewhere once the TTL has passed (not before)', async () => {
    const src = new FakeKeySource();
    const { key, keyId } = src.issue(['check']);
    await authorize({ 'x-api-key': key }, 'check', src, T0);
    const rec = src.records.get(keyId);
    if (rec) rec.status = 'revoked';
    await expect(authorize({ 'x-api-key': key }, 'check', src, at(AUTH_CACHE_TTL_MS - 1))).resolves.toBeDefined();
    await expect(authorize({ 'x-api-key': key }, 'check', src, at(AUTH_CACHE_TTL_MS))).rejects.toThrow(MESSAGES.revoked);
  });

  it('forgetCachedKey makes a same-process revocation immediate', async () => {
    const src = new FakeKeySource();
    const { key, keyId } = src.issue(['check']);
    await authorize({ 'x-api-key': key }, 'check', src, T0);
    const rec = src.records.get(keyId);
    if (rec) rec.status = 'revoked';
    forgetCachedKey(src, keyId);
    await expect(authorize({ 'x-api-key': key }, 'check', src, at(1))).rejects.toThrow(MESSAGES.revoked);
  });

  it('treats a clock that went backwards as a miss', async () => {
    const src = new FakeKeySource();
    const { key } = src.issue(['check']);
    await authorize({ 'x-api-key': key }, 'check', src, T0);
    await authorize({ 'x-api-key': key }, 'check', src, at(-1));
    expect(src.gets).toBe(2);
  });

  it('does not cache unknown key ids', async () => {
    const src = new FakeKeySource();
    const unknown = `uds_zzzzzzzzzzzz_${'A'.repeat(43)}`;
    await authorize({ 'x-api-key': unknown }, 'check', src, T0).catch(() => undefined);
    await authorize({ 'x-api-key': unknown }, 'check', src, at(1)).catch(() => undefined);
    expect(src.gets).toBe(2);
  });

  it('is bounded: the oldest entry goes first', async () => {
    const src = new FakeKeySource();
    const cache = new KeyRecordCache(AUTH_CACHE_TTL_MS, 3);
    const keys = [0, 1, 2, 3].map(() => src.issue(['check']));
    for (const k of keys) await authorize({ 'x-api-key': k.key }, 'check', src, T0, { cache });
    expect(cache.size).toBe(3);
    expect(src.gets).toBe(4);
    await authorize({ 'x-api-key': keys[3]?.key }, 'check', src, at(1), { cache });
    expect(src.gets).toBe(4);
    await authorize({ 'x-api-key': keys[0]?.key }, 'check', src, at(2), { cache });
    expect(src.gets).toBe(5);
  });

  it('can be disabled', async () => {
    const src = new FakeKeySource();
    const { key } = src.issue(['check']);
    await authorize({ 'x-api-key': key }, 'check', src, T0, { cache: false });
    await authorize({ 'x-api-key': key }, 'check', src, at(1), { cache: false });
    expect(src.gets).toBe(2);
  });
});

describe('lastUsedAt', () => {
  it('is stamped at most once a minute per process, best effort', async () => {
    const src = new FakeKeySource();
    const { key, keyId } = src.issue(['check']);
    for (let s = 0; s < 60; s += 5) await authorize({ 'x-api-key': key }, 'check', src, at(s * 1000));
    expect(src.touches).toBe(1);
    expect(src.records.get(keyId)?.lastUsedAt).toBe(T0.toISOString());
    await authorize({ 'x-api-key': key }, 'check', src, at(60_000));
    expect(src.touches).toBe(2);
    expect(src.records.get(keyId)?.lastUsedAt).toBe(at(60_000).toISOString());
  });

  it('is not stamped for refused requests, nor when disabled', async () => {
    const src = new FakeKeySource();
    const { key, keyId } = src.issue(['admin']);
    await authorize({ 'x-api-key': key }, 'check', src, T0).catch(() => undefined);
    await authorize({ 'x-api-key': `uds_${keyId}_${'A'.repeat(43)}` }, 'admin', src, T0).catch(() => undefined);
    await authorize({ 'x-api-key': key }, 'admin', src, T0, { trackLastUsed: false });
    expect(src.touches).toBe(0);
  });

  it('a failing write does not fail the request', async () => {
    const src = new FakeKeySource();
    const { key } = src.issue(['check']);
    src.failTouch = true;
    await expect(authorize({ 'x-api-key': key }, 'check', src, T0)).resolves.toBeDefined();
    expect(src.touches).toBe(1);
  });
});
