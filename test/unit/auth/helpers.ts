import { generateKey, LAST_USED_INTERVAL_MS, type ApiKeyRecord, type ApiKeySource } from '../../../lib/auth/keys.js';
import type { Scope } from '../../../lib/http/routes.js';

/** An in-memory key source that counts its reads and lastUsedAt writes. */
export class FakeKeySource implements ApiKeySource {
  readonly records = new Map<string, ApiKeyRecord>();
  gets = 0;
  touches = 0;
  failTouch = false;
  failGet = false;

  async get(keyId: string): Promise<ApiKeyRecord | undefined> {
    this.gets++;
    if (this.failGet) throw Object.assign(new Error('store down'), { name: 'ServiceUnavailable' });
    const r = this.records.get(keyId);
    return r ? { ...r, scopes: [...r.scopes] } : undefined;
  }

  async touchLastUsed(keyId: string, at: Date): Promise<boolean> {
    this.touches++;
    if (this.failTouch) throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    const r = this.records.get(keyId);
    if (!r) return false;
    if (r.lastUsedAt && Date.parse(r.lastUsedAt) > at.getTime() - LAST_USED_INTERVAL_MS) return false;
    r.lastUsedAt = at.toISOString();
    return true;
  }

  /** Issue a key straight into the fake store; returns the plaintext. */
  issue(scopes: Scope[], extra: Partial<ApiKeyRecord> = {}): { key: string; keyId: string; secret: string } {
    const { key, keyId, secret, secretHash } = generateKey();
    this.records.set(keyId, {
      keyId,
      name: 'test key',
      scopes,
      status: 'active',
      secretHash,
      createdAt: '2026-01-01T00:00:00.000Z',
      ...extra,
    });
    return { key, keyId, secret };
  }
}

export const T0 = new Date('2026-06-01T12:00:00.000Z');
export const at = (ms: number): Date => new Date(T0.getTime() + ms);
