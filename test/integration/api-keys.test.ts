import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { authorize, AUTH_CACHE_TTL_MS, MESSAGES } from '../../lib/auth/authorize.js';
import { authContext } from '../../lib/auth/context.js';
import { ApiKeyRepository, hashSecret, parseKey, type ApiKeyInfo } from '../../lib/auth/keys.js';
import { localAuthorizer } from '../../lib/auth/local-authorizer.js';
import { createClients } from '../../lib/aws/clients.js';
import { loadConfig, useConfig } from '../../lib/config.js';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../lib/errors.js';
import { ROUTES } from '../../lib/http/routes.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { createRuntime, type Runtime } from '../../lib/runtime.js';
import { freshRuntime } from '../support/store.js';

let rt: Runtime;
let repo: ApiKeyRepository;
/** Every plaintext key and secret issued in this file, for the scan at the end. */
const issued: { key: string; secret: string }[] = [];

const remember = (key: string) => {
  const parsed = parseKey(key);
  if (!parsed) throw new Error('not a key');
  issued.push({ key, secret: parsed.secret });
  return parsed;
};

beforeAll(async () => {
  rt = await freshRuntime();
  // The real authorizer handler and the local authorizer read the process configuration, as in Lambda.
  useConfig(rt.config);
  repo = new ApiKeyRepository(rt.clients.doc, rt.config.RECORDS_TABLE);
});
afterAll(() => rt.clients.dynamodb.destroy());

describe('API keys in DynamoDB Local', () => {
  it('create → authorize with either header; lastUsedAt is stamped', async () => {
    const { key, record } = await repo.create({ name: 'ERP integration', scopes: ['check'] });
    const { keyId } = remember(key);
    expect(record).toMatchObject({ keyId, name: 'ERP integration', scopes: ['check'], status: 'active' });
    const now = new Date();
    await expect(authorize({ authorization: `Bearer ${key}` }, 'check', repo, now)).resolves.toEqual({ keyId, scopes: ['check'], name: 'ERP integration' });
    await expect(authorize({ 'x-api-key': key }, 'check', repo, now)).resolves.toMatchObject({ keyId });
    await expect(authorize({ 'x-api-key': key }, 'admin', repo, now)).rejects.toThrow(ForbiddenError);
    expect((await repo.get(keyId))?.lastUsedAt).toBe(now.toISOString());
    // A second process stamping within the minute is refused by the condition.
    expect(await repo.touchLastUsed(keyId, new Date(now.getTime() + 1000))).toBe(false);
  });

  it('revoke → 401 once the in-process cache TTL has passed (revoked elsewhere, e.g. by the CLI)', async () => {
    const { key } = await repo.create({ name: 'to revoke', scopes: ['check', 'admin'] });
    const { keyId } = remember(key);
    const t0 = new Date();
    await authorize({ 'x-api-key': key }, 'admin', repo, t0);

    const elsewhere = new ApiKeyRepository(rt.clients.doc, rt.config.RECORDS_TABLE);
    const revoked = await elsewhere.revoke(keyId);
    expect(revoked).toMatchObject({ keyId, status: 'revoked' });
    expect(revoked).not.toHaveProperty('secretHash');
    // Idempotent: the first revocation time is kept.
    expect((await elsewhere.revoke(keyId)).revokedAt).toBe(revoked.revokedAt);

    // Within the TTL this process still trusts its cached record...
    await expect(authorize({ 'x-api-key': key }, 'admin', repo, new Date(t0.getTime() + AUTH_CACHE_TTL_MS - 1))).resolves.toMatchObject({ keyId });
    // ...after it, the revocation is seen.
    const err = await authorize({ 'x-api-key': key }, 'admin', repo, new Date(t0.getTime() + AUTH_CACHE_TTL_MS)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect((err as Error).message).toBe(MESSAGES.revoked);
    // A repository that never cached it refuses at once.
    await expect(authorize({ 'x-api-key': key }, 'admin', elsewhere, t0)).rejects.toThrow(MESSAGES.revoked);
    await expect(elsewhere.revoke('zzzzzzzzzzzz')).rejects.toThrow(NotFoundError);
  });

  it('refuses an expired key and a wrong secret with the unknown-key message', async () => {
    const clock = new Date('2026-01-01T00:00:00.000Z');
    const timed = new ApiKeyRepository(rt.clients.doc, rt.config.RECORDS_TABLE, () => clock);
    const { key, record } = await timed.create({ name: 'temporary', scopes: ['check'], validUntil: new Date('2026-01-02T00:00:00.000Z') });
    const { keyId, secret } = remember(key);
    expect(record.validUntil).toBe('2026-01-02T00:00:00.000Z');
    await expect(authorize({ 'x-api-key': key }, 'check', timed, new Date('2026-01-01T12:00:00.000Z'))).resolves.toMatchObject({ keyId });
    await expect(authorize({ 'x-api-key': key }, 'check', timed, new Date('2026-01-02T00:00:00.000Z'))).rejects.toThrow(MESSAGES.expired);
    const wrong = `uds_${keyId}_${secret.startsWith('A') ? 'B' : 'A'}${secret.slice(1)}`;
    await expect(authorize({ 'x-api-key': wrong }, 'check', timed, clock)).rejects.toThrow(MESSAGES.invalid);
    await expect(authorize({ 'x-api-key': `uds_${'Z'.repeat(12)}_${secret}` }, 'check', timed, clock)).rejects.toThrow(MESSAGES.invalid);
  });

  it('the real authorizer handler: false for missing, unknown and wrong-scope keys; true with context for a good one', async () => {
    const { handler } = await import('../../functions/api/authorizer.js');
    const good = remember((await repo.create({ name: 'checker', scopes: ['check'] })).key);
    const adminOnly = remember((await repo.create({ name: 'admin only', scopes: ['admin'] })).key);
    const keyOf = (p: { keyId: string; secret: string }) => `uds_${p.keyId}_${p.secret}`;
    const route = ROUTES.find((r) => r.auth === 'check');
    if (!route) throw new Error('no check route');
    const event = (headers?: Record<string, string>) =>
      ({ version: '2.0', type: 'REQUEST', routeKey: `${route.method} ${route.path}`, headers, identitySource: [] }) as unknown as APIGatewayRequestAuthorizerEventV2;

    expect(await handler(event())).toEqual({ isAuthorized: false });
    expect(await handler(event({ 'x-api-key': 'nonsense' }))).toEqual({ isAuthorized: false });
    expect(await handler(event({ 'x-api-key': `uds_${'Q'.repeat(12)}_${good.secret}` }))).toEqual({ isAuthorized: false });
    expect(await handler(event({ authorization: `Bearer ${keyOf(adminOnly)}` }))).toEqual({ isAuthorized: false });
    const allowed = await handler(event({ authorization: `Bearer ${keyOf(good)}`, 'x-api-key': keyOf(good) }));
    expect(allowed).toEqual({ isAuthorized: true, context: { keyId: good.keyId, scopes: ['check'] } });

    // What a handler then reads from the integration event, as API Gateway passes the context through.
    const ctx = 'context' in allowed ? allowed.context : undefined;
    expect(authContext({ requestContext: { authorizer: { lambda: ctx } } } as never)).toEqual({ keyId: good.keyId, scopes: ['check'] });

    // The local host's authorizer runs the same code against the same store.
    expect(await localAuthorizer(route, { 'x-api-key': keyOf(good) })).toEqual({ keyId: good.keyId, scopes: ['check'] });
    await expect(localAuthorizer(route, { 'x-api-key': keyOf(adminOnly) })).rejects.toThrow(ForbiddenError);
    await expect(localAuthorizer(route, {})).rejects.toThrow(UnauthorizedError);
  });

  it('list shows every key without hashes; no plaintext secret is stored anywhere in the table', async () => {
    const list = await repo.list();
    expect(list.length).toBe(issued.length);
    expect(list.map((k) => k.createdAt)).toEqual([...list.map((k) => k.createdAt)].sort());
    for (const k of list) expect(k).not.toHaveProperty('secretHash');

    const scan = await rt.clients.doc.send(new ScanCommand({ TableName: rt.config.RECORDS_TABLE }));
    const dump = JSON.stringify(scan.Items);
    expect(issued.length).toBeGreaterThanOrEqual(5);
    for (const { key, secret } of issued) {
      expect(dump).not.toContain(key);
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(Buffer.from(secret, 'base64url').toString('hex'));
      expect(dump).not.toContain(Buffer.from(secret, 'base64url').toString('base64'));
      expect(dump).toContain(hashSecret(secret));
    }
    for (const item of scan.Items ?? []) if (item.entity === 'api-key') expect(Object.keys(item).sort()).toEqual(expect.arrayContaining(['secretHash', 'gsi1pk', 'gsi1sk']));
  });
});

describe('udi-sentinel keys (CLI, DynamoDB Local)', () => {
  const suffix = randomUUID().slice(0, 8);
  const tables = { REFERENCE_TABLE: `keys-ref-${suffix}`, RECORDS_TABLE: `keys-rec-${suffix}` };
  function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ['bin/udi-sentinel.mjs', 'keys', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), ...tables, LOG_LEVEL: 'WARN' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    return once(child, 'close').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  }
  let cliRt: Runtime;
  afterAll(() => cliRt?.clients.dynamodb.destroy());

  it('create (creating the tables), list, revoke — the key is printed once and works until revoked', async () => {
    const created = await cli(['create', '--scope', 'check', '--scope', 'admin', '--name', 'Procurement ERP', '--json']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const out = JSON.parse(created.stdout) as ApiKeyInfo & { key: string; note: string };
    expect(out).toMatchObject({ name: 'Procurement ERP', scopes: ['check', 'admin'], status: 'active' });
    expect(out.note).toMatch(/shown only once/);
    expect(out).not.toHaveProperty('secretHash');
    const { keyId, secret } = parseKey(out.key) ?? { keyId: '', secret: '' };
    expect(out.keyId).toBe(keyId);

    const text = await cli(['create', '--scope', 'inventory']);
    expect(text.code).toBe(0);
    const printed = text.stdout.match(/uds_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}/g) ?? [];
    expect(printed).toHaveLength(1);
    expect(text.stdout).toMatch(/shown only once/);

    const cliConfig = loadConfig({ DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), ...tables });
    cliRt = createRuntime(cliConfig, createClients(cliConfig));
    const cliRepo = new ApiKeyRepository(cliRt.clients.doc, tables.RECORDS_TABLE);
    await expect(authorize({ authorization: `Bearer ${out.key}` }, 'admin', cliRepo, new Date(), { cache: false })).resolves.toMatchObject({ keyId });

    const list = await cli(['list', '--json']);
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout) as ApiKeyInfo[];
    expect(listed.map((k) => k.name)).toEqual(['Procurement ERP', 'unnamed']);
    expect(list.stdout).not.toContain(secret);
    expect(list.stdout).not.toContain('secretHash');
    expect(list.stdout).not.toContain(hashSecret(secret));

    const listText = await cli(['list']);
    expect(listText.stdout).toContain(keyId);
    expect(listText.stdout).toContain('Procurement ERP');

    // Revoking with the whole (leaked) key works too, and never echoes it.
    const revoked = await cli(['revoke', out.key]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Revoked API key ${keyId}`);
    expect(revoked.stdout + revoked.stderr).not.toContain(secret);
    await expect(authorize({ 'x-api-key': out.key }, 'admin', cliRepo, new Date(), { cache: false })).rejects.toThrow(MESSAGES.revoked);
    expect((await cliRepo.list()).find((k) => k.keyId === keyId)).toMatchObject({ status: 'revoked', name: 'Procurement ERP' });

    const scan = await cliRt.clients.doc.send(new ScanCommand({ TableName: tables.RECORDS_TABLE }));
    expect(JSON.stringify(scan.Items)).not.toContain(secret);
  }, 120_000);

  it('exit codes: 1 for an unknown key id, 2 for usage errors', async () => {
    const unknown = await cli(['revoke', 'zzzzzzzzzzzz']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No API key "zzzzzzzzzzzz"/);
    const usage = await cli(['create', '--scope', 'superuser']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Unknown scope "superuser"/);
    expect(usage.stderr).toMatch(/udi-sentinel keys/);
  });
});
