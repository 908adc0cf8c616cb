import { createHash, randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../errors.js';
import type { Scope } from '../http/routes.js';
import { rec, recGsi1 } from '../store/keys.js';

/**
 * API keys (docs/auth.md). A key is `uds_<keyId>_<secret>`:
 * - keyId: 12 characters of [A-Za-z0-9] (~71 bits), the public lookup id, safe to log and to show;
 * - secret: 32 random bytes, base64url without padding (43 characters).
 * Only SHA-256 of the secret *as sent* (the 43 ASCII characters, hex-encoded digest) is stored. Hashing the
 * text rather than the decoded bytes matters: base64url's last character carries 2 spare bits, so two
 * different strings can decode to the same 32 bytes; hashing the text makes every character count.
 */

export const KEY_PREFIX = 'uds';
export const KEY_ID_LENGTH = 12;
export const SECRET_BYTES = 32;
/** base64url of 32 bytes without padding. */
export const SECRET_LENGTH = 43;
export const KEY_LENGTH = KEY_PREFIX.length + 1 + KEY_ID_LENGTH + 1 + SECRET_LENGTH;

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const KEY_ID_PATTERN = /^[A-Za-z0-9]{12}$/;
const KEY_PATTERN = /^uds_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/** Scopes in their canonical order. Scopes are independent: `admin` implies nothing else (docs/auth.md). */
export const SCOPES = ['check', 'inventory', 'admin'] as const satisfies readonly Scope[];
export const scopeSchema = z.enum(SCOPES);

/** Entity name of an API key item in the records table. */
export const API_KEY_ENTITY = 'api-key';


export interface ParsedKey {
  keyId: string;
  secret: string;
}

/** Random [A-Za-z0-9] characters by rejection sampling (no modulo bias). */
function randomKeyId(): string {
  let out = '';
  while (out.length < KEY_ID_LENGTH) {
    for (const byte of randomBytes(KEY_ID_LENGTH * 2)) {
      // 248 = 4 × 62: bytes at or above it would favour the first characters.
      if (byte < 248 && out.length < KEY_ID_LENGTH) out += KEY_ID_ALPHABET[byte % 62];
    }
  }
  return out;
}

/** A new key: its plaintext (shown once), its parts, and the hash that is the only thing stored. */
export function generateKey(): { key: string; keyId: string; secret: string; secretHash: string } {
  const keyId = randomKeyId();
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { key: formatKey(keyId, secret), keyId, secret, secretHash: hashSecret(secret) };
}

export const formatKey = (keyId: string, secret: string): string => `${KEY_PREFIX}_${keyId}_${secret}`;

/** Split a presented key; undefined when it is not exactly the format (fixed lengths, so `_` in the secret is fine). */
export function parseKey(key: string): ParsedKey | undefined {
  if (key.length !== KEY_LENGTH) return undefined;
  const m = KEY_PATTERN.exec(key);
  if (!m) return undefined;
  return { keyId: m[1] as string, secret: m[2] as string };
}

/** SHA-256 of the secret text, hex. A fast hash is right for 256-bit random secrets (no dictionary to attack). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Canonical scope list: known scopes only, deduplicated, in SCOPES order; at least one. */
export function normalizeScopes(scopes: readonly string[]): Scope[] {
  const wanted = new Set<string>();
  for (const s of scopes) {
    const parsed = scopeSchema.safeParse(s.trim().toLowerCase());
    if (!parsed.success) {
      throw new ValidationError(`Unknown scope "${s}"; use ${SCOPES.join(', ')}.`, [{ path: 'scopes', message: `unknown scope` }]);
    }
    wanted.add(parsed.data);
  }
  if (!wanted.size) throw new ValidationError('An API key needs at least one scope.', [{ path: 'scopes', message: 'empty' }]);
  return SCOPES.filter((s) => wanted.has(s));
}

const isoTimestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);

/** The stored item (without pk/sk/gsi keys). `secretHash` never leaves lib/auth. */
export const apiKeyRecordSchema = z.object({
  keyId: z.string().regex(KEY_ID_PATTERN),
  name: z.string(),
  scopes: z.array(scopeSchema),
  status: z.enum(['active', 'revoked']),
  secretHash: z.string(),
  createdAt: isoTimestamp,
  /** Optional hard expiry (ISO). Not the table's TTL attribute: expired keys stay listed for traceability. */
  validUntil: isoTimestamp.optional(),
  lastUsedAt: isoTimestamp.optional(),
  revokedAt: isoTimestamp.optional(),
});
export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;

/** What may be shown to an operator: everything but the hash. */
export type ApiKeyInfo = Omit<ApiKeyRecord, 'secretHash'>;

export const toInfo = (r: ApiKeyRecord): ApiKeyInfo => {
  const { secretHash: _secretHash, ...info } = r;
  return info;
};

const NAME_MAX = 100;
const PUBLIC_FIELDS = ['keyId', 'name', 'scopes', 'status', 'createdAt', 'validUntil', 'lastUsedAt', 'revokedAt'] as const;

export interface CreateApiKeyInput {
  name: string;
  scopes: readonly string[];
  /** Optional expiry; the key is refused from this instant on. */
  validUntil?: Date;
}

/** The reads the authorizer needs (ApiKeyRepository implements it; unit tests use an in-memory fake). */
export interface ApiKeySource {
  get(keyId: string): Promise<ApiKeyRecord | undefined>;
  /** Best-effort `lastUsedAt` stamp; false when another writer stamped it within the last minute. */
  touchLastUsed(keyId: string, at: Date): Promise<boolean>;
}

/** Minimum interval between two `lastUsedAt` writes of one key. */
export const LAST_USED_INTERVAL_MS = 60_000;

/** API keys in the records table at `rec.apiKey(keyId)`, listed through gsi1 `APIKEYS`. */
export class ApiKeyRepository implements ApiKeySource {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Create a key. The plaintext is returned once and never stored; only its hash is. */
  async create(input: CreateApiKeyInput): Promise<{ key: string; record: ApiKeyInfo }> {
    const name = input.name.trim();
    if (!name || name.length > NAME_MAX || /\p{Cc}/u.test(name)) {
      throw new ValidationError(`The name must be 1–${NAME_MAX} printable characters.`, [{ path: 'name', message: 'invalid' }]);
    }
    const scopes = normalizeScopes(input.scopes);
    const now = this.clock();
    if (input.validUntil && !(input.validUntil.getTime() > now.getTime())) {
      throw new ValidationError('The expiry must be in the future.', [{ path: 'validUntil', message: 'in the past' }]);
    }
    // A keyId collision (62^12 space) is astronomically unlikely; the conditional put makes it harmless anyway.
    for (let attempt = 0; attempt < 3; attempt++) {
      const { key, keyId, secretHash } = generateKey();
      const record: ApiKeyRecord = {
        keyId,
        name,
        scopes,
        status: 'active',
        secretHash,
        createdAt: now.toISOString(),
        ...(input.validUntil ? { validUntil: input.validUntil.toISOString() } : {}),
      };
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...rec.apiKey(keyId),
              entity: API_KEY_ENTITY,
              gsi1pk: recGsi1.apiKeys,
              gsi1sk: recGsi1.apiKeySk(record.createdAt, keyId),
              ...record,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { key, record: toInfo(record) };
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
    }
    throw new Error('Could not allocate a unique API key id.');
  }

  /** The full record, hash included (for the authorizer). Strongly consistent so a fresh revoke is seen. */
  async get(keyId: string): Promise<ApiKeyRecord | undefined> {
    if (!KEY_ID_PATTERN.test(keyId)) return undefined;
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: rec.apiKey(keyId), ConsistentRead: true }));
    return out.Item ? apiKeyRecordSchema.parse(out.Item) : undefined;
  }

  /** Revoke a key (idempotent; the first revocation time is kept). NotFoundError for an unknown id. */
  async revoke(keyId: string): Promise<ApiKeyInfo> {
    if (!KEY_ID_PATTERN.test(keyId)) throw new NotFoundError(`No API key "${keyId}".`);
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: rec.apiKey(keyId),
          UpdateExpression: 'SET #status = :revoked, revokedAt = if_not_exists(revokedAt, :now)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':revoked': 'revoked', ':now': this.clock().toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toInfo(apiKeyRecordSchema.parse(out.Attributes));
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new NotFoundError(`No API key "${keyId}".`);
      throw err;
    }
  }

  /** Every key, oldest first, without hashes (admin use: CLI, key-management routes). */
  async list(): Promise<ApiKeyInfo[]> {
    const out: ApiKeyInfo[] = [];
    let start: Record<string, unknown> | undefined;
    const names = Object.fromEntries(PUBLIC_FIELDS.map((f, i) => [`#f${i}`, f]));
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': recGsi1.apiKeys },
          // The index projects ALL; ask only for the public fields so hashes are never read here.
          ProjectionExpression: Object.keys(names).join(', '),
          ExpressionAttributeNames: names,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) out.push(apiKeyRecordSchema.omit({ secretHash: true }).parse(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /**
   * Stamp `lastUsedAt`, at most once per LAST_USED_INTERVAL_MS across all processes (conditional write).
   * False when the condition failed (stamped recently, or the key is gone).
   */
  async touchLastUsed(keyId: string, at: Date): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: rec.apiKey(keyId),
          UpdateExpression: 'SET lastUsedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt <= :before)',
          ExpressionAttributeValues: {
            ':now': at.toISOString(),
            ':before': new Date(at.getTime() - LAST_USED_INTERVAL_MS).toISOString(),
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
