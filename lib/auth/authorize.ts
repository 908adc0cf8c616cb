import { createHash, timingSafeEqual } from 'node:crypto';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { Scope } from '../http/routes.js';
import { logger } from '../observability.js';
import { LAST_USED_INTERVAL_MS, parseKey, type ApiKeyRecord, type ApiKeySource } from './keys.js';

/**
 * The one API-key check, shared by the Lambda authorizer (functions/api/authorizer.ts) and the local API
 * host (lib/auth/local-authorizer.ts). Never logs or echoes the presented key: every message below is fixed text.
 */

export interface Caller {
  keyId: string;
  scopes: Scope[];
  name: string;
}

/** How long a looked-up key record is reused in-process. Revocation takes effect within this (docs/auth.md). */
export const AUTH_CACHE_TTL_MS = 60_000;
/** Most key records kept per repository; the oldest is dropped beyond it. */
export const AUTH_CACHE_MAX_ENTRIES = 1_000;

export const MESSAGES = {
  missing: 'Missing API key: send "Authorization: Bearer <key>" or "x-api-key: <key>".',
  malformed: 'Malformed API key.',
  conflicting: 'The Authorization and x-api-key headers carry different keys.',
  /** Unknown key id and wrong secret look the same. */
  invalid: 'Invalid API key.',
  revoked: 'This API key has been revoked.',
  expired: 'This API key has expired.',
  forbidden: (scope: Scope) => `This API key lacks the "${scope}" scope.`,
} as const;

type Headers = Readonly<Record<string, string | undefined>>;

/** Header lookup by lower-cased name (API Gateway v2 lower-cases; tolerate other callers). */
function header(headers: Headers, name: string): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

const BEARER = /^[ \t]*bearer[ \t]+([^ \t]+)[ \t]*$/i;
/** Far above a key's 60 characters; longer header values are refused before any parsing. */
const MAX_HEADER_LENGTH = 1_024;

/**
 * The presented key from `authorization: Bearer <key>` or `x-api-key: <key>`. Both may be sent (API Gateway's
 * cached authorizer requires every identity source) but then they must carry the same key, so the cache key
 * (the header values) always identifies the credential that was checked.
 */
export function presentedKey(headers: Headers): string {
  const auth = header(headers, 'authorization');
  const apiKey = header(headers, 'x-api-key');
  if ((auth?.length ?? 0) > MAX_HEADER_LENGTH || (apiKey?.length ?? 0) > MAX_HEADER_LENGTH) throw new UnauthorizedError(MESSAGES.malformed);
  let fromAuth: string | undefined;
  if (auth !== undefined && auth.trim() !== '') {
    const m = BEARER.exec(auth);
    if (!m) throw new UnauthorizedError(MESSAGES.malformed);
    fromAuth = m[1] as string;
  }
  const fromHeader = apiKey !== undefined && apiKey.trim() !== '' ? apiKey.trim() : undefined;
  if (fromAuth === undefined && fromHeader === undefined) throw new UnauthorizedError(MESSAGES.missing);
  if (fromAuth !== undefined && fromHeader !== undefined && !sameString(fromAuth, fromHeader)) {
    throw new UnauthorizedError(MESSAGES.conflicting);
  }
  return (fromAuth ?? fromHeader) as string;
}

/** Equality without an early exit (compares hashes, so lengths never leak either). */
function sameString(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

// Compared against when the key id is unknown or the stored hash is unusable, so every path does the same work.
const DUMMY_HASH = Buffer.alloc(32);
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** Constant-time check of a presented secret against a stored hex SHA-256 (equal-length buffers always). */
export function secretMatches(secret: string, storedHex: string | undefined): boolean {
  const presented = createHash('sha256').update(secret, 'utf8').digest();
  const usable = storedHex !== undefined && HEX_SHA256.test(storedHex);
  const stored = usable ? Buffer.from(storedHex, 'hex') : DUMMY_HASH;
  const equal = timingSafeEqual(presented, stored);
  return usable && equal;
}

interface CacheEntry {
  record: ApiKeyRecord;
  fetchedAt: number;
  /** When this process last stamped (or saw) lastUsedAt, epoch ms. */
  usedAt: number;
}

/** A small TTL + size-bounded cache of found key records (insertion order = age; Map keeps it). */
export class KeyRecordCache {
  private readonly entries = new Map<string, CacheEntry>();
  constructor(
    readonly ttlMs: number = AUTH_CACHE_TTL_MS,
    readonly maxEntries: number = AUTH_CACHE_MAX_ENTRIES,
  ) {}

  get(keyId: string, nowMs: number): CacheEntry | undefined {
    const e = this.entries.get(keyId);
    if (!e) return undefined;
    const age = nowMs - e.fetchedAt;
    // A clock that went backwards counts as expired: never serve an entry of unknown age.
    if (age < 0 || age >= this.ttlMs) {
      this.entries.delete(keyId);
      return undefined;
    }
    return e;
  }

  set(keyId: string, entry: CacheEntry): void {
    this.entries.delete(keyId);
    this.entries.set(keyId, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(keyId: string): void {
    this.entries.delete(keyId);
  }

  get size(): number {
    return this.entries.size;
  }
}

// One cache per key source (repository instance): tests with separate tables never share entries.
let caches = new WeakMap<object, KeyRecordCache>();
const cacheFor = (source: object): KeyRecordCache => {
  let c = caches.get(source);
  if (!c) {
    c = new KeyRecordCache();
    caches.set(source, c);
  }
  return c;
};

/** Drop every cached key record (tests; an operator hook if ever needed). */
export function clearAuthCache(): void {
  caches = new WeakMap();
}

/** Forget one key in this process (e.g. right after revoking it through the same repository). */
export function forgetCachedKey(source: ApiKeySource, keyId: string): void {
  caches.get(source)?.delete(keyId);
}

export interface AuthorizeOptions {
  /** Override the per-source cache (tests); `false` disables caching. */
  cache?: KeyRecordCache | false;
  /** Stamp lastUsedAt (best effort, ≤ once a minute). Default true. */
  trackLastUsed?: boolean;
}

let touchWarned = false;

/**
 * Check the request's API key and the route's scope. Returns the caller, or throws UnauthorizedError (no,
 * malformed, unknown, wrong, revoked or expired key) / ForbiddenError (valid key without `requiredScope`).
 * Other errors (the store is down, a corrupt record) propagate: callers must fail closed without caching.
 */
export async function authorize(
  headers: Headers,
  requiredScope: Scope,
  repo: ApiKeySource,
  now: Date = new Date(),
  options: AuthorizeOptions = {},
): Promise<Caller> {
  const parsed = parseKey(presentedKey(headers));
  if (!parsed) throw new UnauthorizedError(MESSAGES.malformed);
  const nowMs = now.getTime();
  const cache = options.cache === false ? undefined : (options.cache ?? cacheFor(repo));

  let entry = cache?.get(parsed.keyId, nowMs);
  if (!entry) {
    const record = await repo.get(parsed.keyId);
    if (record) {
      const usedAt = record.lastUsedAt ? Date.parse(record.lastUsedAt) : Number.NEGATIVE_INFINITY;
      entry = { record, fetchedAt: nowMs, usedAt };
      cache?.set(parsed.keyId, entry);
    }
  }
  // Same work and the same message whether the id is unknown or the secret is wrong.
  if (!secretMatches(parsed.secret, entry?.record.secretHash) || !entry || entry.record.keyId !== parsed.keyId) {
    throw new UnauthorizedError(MESSAGES.invalid);
  }
  const { record } = entry;
  // Only a holder of the right secret learns that the key was revoked or has expired.
  if (record.status !== 'active') throw new UnauthorizedError(MESSAGES.revoked);
  if (record.validUntil !== undefined && nowMs >= Date.parse(record.validUntil)) throw new UnauthorizedError(MESSAGES.expired);
  if (!record.scopes.includes(requiredScope)) throw new ForbiddenError(MESSAGES.forbidden(requiredScope));

  if (options.trackLastUsed !== false && !(nowMs - entry.usedAt < LAST_USED_INTERVAL_MS && nowMs >= entry.usedAt)) {
    entry.usedAt = nowMs;
    try {
      await repo.touchLastUsed(record.keyId, now);
    } catch (err) {
      // Best effort: a missing write permission or a throttled table must not fail the request.
      if (!touchWarned) {
        touchWarned = true;
        logger.warn('api key lastUsedAt not recorded', { keyId: record.keyId, error: (err as { name?: string }).name ?? 'Error' });
      }
    }
  }
  return { keyId: record.keyId, scopes: [...record.scopes], name: record.name };
}
