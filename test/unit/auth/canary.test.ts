// Canary: no log line, error message, stack or detail ever contains a presented key, its secret or its
// stored hash — across accepted, refused and failing requests, with the logger at DEBUG.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { authorize, clearAuthCache } from '../../../lib/auth/authorize.js';
import { createAuthorizerHandler } from '../../../lib/auth/lambda-authorizer.js';
import { createLocalAuthorizer } from '../../../lib/auth/local-authorizer.js';
import { hashSecret } from '../../../lib/auth/keys.js';
import { UsageError } from '../../../lib/cli/io.js';
import { keys as keysCommand } from '../../../lib/cli/commands/keys.js';
import type { RouteDefinition } from '../../../lib/http/routes.js';
import { logger } from '../../../lib/observability.js';
import { at, FakeKeySource, T0 } from './helpers.js';

const captured: string[] = [];
const spies: { mockRestore(): void }[] = [];
beforeAll(() => {
  logger.setLogLevel('DEBUG');
  const grab = (chunk: unknown) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  spies.push(vi.spyOn(process.stdout, 'write').mockImplementation(grab));
  spies.push(vi.spyOn(process.stderr, 'write').mockImplementation(grab));
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) spies.push(vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void grab(a.map(String).join(' '))));
});
afterAll(() => {
  for (const s of spies) s.mockRestore();
  logger.setLogLevel('WARN');
});

const ROUTES: RouteDefinition[] = [
  { method: 'GET', path: '/v1/check', entry: 'x.ts', functionName: 'check', auth: 'check', timeoutSeconds: 5, memoryMb: 256 },
  { method: 'GET', path: '/v1/admin', entry: 'y.ts', functionName: 'admin', auth: 'admin', timeoutSeconds: 5, memoryMb: 256 },
];

const event = (routeKey: string, headers: Record<string, string | undefined>): APIGatewayRequestAuthorizerEventV2 =>
  ({ version: '2.0', type: 'REQUEST', routeKey, headers, identitySource: Object.values(headers) }) as unknown as APIGatewayRequestAuthorizerEventV2;

describe('nothing secret in logs or errors', () => {
  it('holds for every outcome of the authorizer, the local authorizer and the CLI argument errors', async () => {
    clearAuthCache();
    const src = new FakeKeySource();
    const good = src.issue(['check']);
    const revoked = src.issue(['check'], { status: 'revoked' });
    const secrets = [good, revoked].flatMap((k) => [k.key, k.secret, hashSecret(k.secret)]);
    const wrong = `uds_${good.keyId}_${good.secret.slice(0, -1)}${good.secret.endsWith('A') ? 'B' : 'A'}`;
    secrets.push(wrong, wrong.slice(-43));
    const errors: unknown[] = [];
    src.failTouch = true; // exercises the lastUsedAt warning

    const handler = createAuthorizerHandler({ source: () => src, routes: ROUTES, now: () => T0 });
    const headerSets = [
      { authorization: `Bearer ${good.key}` },
      { 'x-api-key': good.key },
      { 'x-api-key': revoked.key },
      { 'x-api-key': wrong },
      { authorization: `Basic ${good.key}` },
      { authorization: `Bearer ${good.key}`, 'x-api-key': wrong },
      { 'x-api-key': `${good.key}x` },
    ];
    for (const headers of headerSets) {
      for (const route of ['GET /v1/check', 'GET /v1/admin', 'GET /unknown']) await handler(event(route, headers));
      for (const r of ROUTES) await createLocalAuthorizer(() => src, () => at(1))(r, headers).catch((e: unknown) => errors.push(e));
      for (const scope of ['check', 'admin'] as const) await authorize(headers, scope, src, at(2)).catch((e: unknown) => errors.push(e));
    }
    src.failGet = true;
    clearAuthCache();
    await handler(event('GET /v1/check', { 'x-api-key': good.key })).catch((e: unknown) => errors.push(e));
    for (const args of [['create', good.key], [good.key], ['revoke', good.key, good.key], ['list', good.key]]) {
      await keysCommand(args, { out: () => undefined, err: () => undefined, isTty: false }).catch((e: unknown) => errors.push(e));
    }

    expect(errors.length).toBeGreaterThan(20);
    expect(errors.filter((e) => e instanceof UsageError)).toHaveLength(4);
    expect(captured.length).toBeGreaterThan(10);
    const text = [
      ...captured,
      ...errors.map((e) => {
        const err = e as Error & { details?: unknown };
        return `${err.message}\n${err.stack ?? ''}\n${JSON.stringify(err.details ?? null)}`;
      }),
    ].join('\n');
    for (const s of secrets) expect(text).not.toContain(s);
    // Key ids are not secret and are what the audit trail and logs use.
    expect(captured.join('\n')).toContain('api key denied');
  });
});
