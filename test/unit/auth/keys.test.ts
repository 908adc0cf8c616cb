import { recGsi1 } from '../../../lib/store/keys.js';
import { createHash } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient, type QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  ApiKeyRepository,
  formatKey,
  generateKey,
  hashSecret,
  KEY_LENGTH,
  normalizeScopes,
  parseKey,
  toInfo,
} from '../../../lib/auth/keys.js';
import { ValidationError } from '../../../lib/errors.js';

/** A document client that records every command and answers with `reply`. */
function recordingDoc(reply: (cmd: unknown) => unknown = () => ({})) {
  const sent: unknown[] = [];
  const doc = { send: async (cmd: unknown) => (sent.push(cmd), reply(cmd)) } as unknown as DynamoDBDocumentClient;
  return { doc, sent };
}

describe('key format', () => {
  it('is uds_<12 alphanumerics>_<43 base64url chars> and the secret is 32 random bytes', () => {
    for (let i = 0; i < 200; i++) {
      const { key, keyId, secret, secretHash } = generateKey();
      expect(key).toMatch(/^uds_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
      expect(key).toHaveLength(KEY_LENGTH);
      expect(key).toBe(formatKey(keyId, secret));
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
      expect(Buffer.from(secret, 'base64url').toString('base64url')).toBe(secret);
      expect(secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
      expect(parseKey(key)).toEqual({ keyId, secret });
    }
  });

  it('never repeats a key id or secret', () => {
    const ids = new Set<string>();
    const secrets = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const k = generateKey();
      ids.add(k.keyId);
      secrets.add(k.secret);
    }
    expect(ids.size).toBe(1000);
    expect(secrets.size).toBe(1000);
  });

  it('parses secrets that contain "_" and "-" by position, not by splitting', () => {
    const secret = `${'_'.repeat(20)}${'-'.repeat(22)}A`;
    expect(parseKey(`uds_abcDEF123456_${secret}`)).toEqual({ keyId: 'abcDEF123456', secret });
  });

  it.each([
    ['empty', ''],
    ['wrong prefix', `udx_abcDEF123456_${'A'.repeat(43)}`],
    ['upper-case prefix', `UDS_abcDEF123456_${'A'.repeat(43)}`],
    ['short id', `uds_abcDEF12345_${'A'.repeat(44)}`],
    ['id with "-"', `uds_abcDEF12345-_${'A'.repeat(43)}`],
    ['short secret', `uds_abcDEF123456_${'A'.repeat(42)}`],
    ['long secret', `uds_abcDEF123456_${'A'.repeat(44)}`],
    ['padding', `uds_abcDEF123456_${'A'.repeat(42)}=`],
    ['standard base64', `uds_abcDEF123456_${'A'.repeat(42)}+`],
    ['space', `uds_abcDEF123456_${'A'.repeat(42)} `],
    ['no separator', `uds_abcDEF123456A${'A'.repeat(43)}`],
  ])('rejects a malformed key: %s', (_label, key) => {
    expect(parseKey(key)).toBeUndefined();
  });

  it('hashes the secret text, so two strings decoding to the same bytes hash differently', () => {
    // base64url's 43rd character carries 2 spare bits: "…A" and "…B" decode to the same 32 bytes.
    const a = `${'Q'.repeat(42)}A`;
    const b = `${'Q'.repeat(42)}B`;
    expect(Buffer.from(a, 'base64url').equals(Buffer.from(b, 'base64url'))).toBe(true);
    expect(hashSecret(a)).not.toBe(hashSecret(b));
    expect(hashSecret(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('scopes', () => {
  it('keeps known scopes, deduplicated, in canonical order', () => {
    expect(normalizeScopes(['admin', 'check', 'admin', ' Inventory '])).toEqual(['check', 'inventory', 'admin']);
  });

  it('admin implies nothing else', () => {
    expect(normalizeScopes(['admin'])).toEqual(['admin']);
  });

  it.each([[[]], [['read']], [['check', '']], [['*']]])('rejects %j', (scopes) => {
    expect(() => normalizeScopes(scopes)).toThrow(ValidationError);
  });
});

describe('ApiKeyRepository (recorded commands)', () => {
  it('stores only the hash of the secret, with a conditional put and the gsi1 listing keys', async () => {
    const { doc, sent } = recordingDoc();
    const repo = new ApiKeyRepository(doc, 'records', () => new Date('2026-02-03T04:05:06.789Z'));
    const { key, record } = await repo.create({ name: 'ERP integration', scopes: ['check', 'admin'] });
    const { keyId, secret } = parseKey(key) ?? { keyId: '', secret: '' };
    expect(record).toEqual({ keyId, name: 'ERP integration', scopes: ['check', 'admin'], status: 'active', createdAt: '2026-02-03T04:05:06.789Z' });
    expect(record).not.toHaveProperty('secretHash');

    expect(sent).toHaveLength(1);
    const put = sent[0] as PutCommand;
    expect(put).toBeInstanceOf(PutCommand);
    expect(put.input.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(put.input.Item).toEqual({
      pk: `APIKEY#${keyId}`,
      sk: 'APIKEY',
      entity: 'api-key',
      gsi1pk: 'APIKEYS',
      gsi1sk: recGsi1.apiKeySk('2026-02-03T04:05:06.789Z', keyId),
      keyId,
      name: 'ERP integration',
      scopes: ['check', 'admin'],
      status: 'active',
      secretHash: hashSecret(secret),
      createdAt: '2026-02-03T04:05:06.789Z',
    });
    const wire = JSON.stringify(put.input);
    expect(wire).not.toContain(secret);
    expect(wire).not.toContain(key);
    expect(wire).not.toContain(Buffer.from(secret, 'base64url').toString('hex'));
  });

  it('validates name, scopes and expiry before writing', async () => {
    const { doc, sent } = recordingDoc();
    const repo = new ApiKeyRepository(doc, 'records', () => new Date('2026-02-03T00:00:00Z'));
    await expect(repo.create({ name: ' ', scopes: ['check'] })).rejects.toThrow(ValidationError);
    await expect(repo.create({ name: 'x'.repeat(101), scopes: ['check'] })).rejects.toThrow(ValidationError);
    await expect(repo.create({ name: 'bad\nname', scopes: ['check'] })).rejects.toThrow(ValidationError);
    await expect(repo.create({ name: 'ok', scopes: [] })).rejects.toThrow(ValidationError);
    await expect(repo.create({ name: 'ok', scopes: ['check'], validUntil: new Date('2026-02-02T00:00:00Z') })).rejects.toThrow(ValidationError);
    expect(sent).toHaveLength(0);
  });

  it('lists through gsi1 APIKEYS, asking only for public fields, across pages', async () => {
    const item = (keyId: string) => ({ keyId, name: 'n', scopes: ['check'], status: 'active', createdAt: '2026-01-01T00:00:00.000Z' });
    let page = 0;
    const { doc, sent } = recordingDoc(() =>
      page++ === 0 ? { Items: [item('aaaaaaaaaaaa')], LastEvaluatedKey: { pk: 'x' } } : { Items: [item('bbbbbbbbbbbb')] },
    );
    const list = await new ApiKeyRepository(doc, 'records').list();
    expect(list.map((k) => k.keyId)).toEqual(['aaaaaaaaaaaa', 'bbbbbbbbbbbb']);
    const q = sent[0] as QueryCommand;
    expect(q.input).toMatchObject({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': 'APIKEYS' } });
    expect(Object.values(q.input.ExpressionAttributeNames ?? {})).not.toContain('secretHash');
    expect((sent[1] as QueryCommand).input.ExclusiveStartKey).toEqual({ pk: 'x' });
  });

  it('does not query the store for a key id that cannot exist', async () => {
    const { doc, sent } = recordingDoc();
    expect(await new ApiKeyRepository(doc, 'records').get('../../etc')).toBeUndefined();
    expect(sent).toHaveLength(0);
  });

  it('toInfo drops the hash', () => {
    const { keyId, secretHash } = generateKey();
    expect(toInfo({ keyId, name: 'n', scopes: ['check'], status: 'active', secretHash, createdAt: '2026-01-01T00:00:00.000Z' })).not.toHaveProperty('secretHash');
  });
});
