import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearAuthCache } from '../../../lib/auth/authorize.js';
import { authContext, requireCaller } from '../../../lib/auth/context.js';
import { createAuthorizerHandler, requiredScopeFor } from '../../../lib/auth/lambda-authorizer.js';
import { createLocalAuthorizer } from '../../../lib/auth/local-authorizer.js';
import { ForbiddenError, UnauthorizedError } from '../../../lib/errors.js';
import { ROUTES, type RouteDefinition } from '../../../lib/http/routes.js';
import { FakeKeySource, T0 } from './helpers.js';

beforeEach(() => clearAuthCache());

const route = (auth: RouteDefinition['auth'], path = '/v1/x'): RouteDefinition => ({
  method: 'GET',
  path,
  entry: 'functions/api/x.ts',
  functionName: 'x',
  auth,
  timeoutSeconds: 5,
  memoryMb: 256,
});
const TABLE = [route('public', '/health'), route('check', '/v1/check'), route('inventory', '/v1/inventory'), route('admin', '/v1/admin')];
const event = (routeKey: string, headers?: Record<string, string | undefined>) =>
  ({ version: '2.0', type: 'REQUEST', routeKey, headers, identitySource: [] }) as unknown as APIGatewayRequestAuthorizerEventV2;

describe('requiredScopeFor', () => {
  it('maps route keys of the real routes table to scopes', () => {
    expect(requiredScopeFor('GET /health')).toBeUndefined();
    expect(requiredScopeFor('GET /v1/udi/parse')).toBe('check');
    expect(requiredScopeFor('POST /v1/udi/parse')).toBe('check');
    expect(requiredScopeFor('DELETE /v1/udi/parse')).toBeUndefined();
    expect(requiredScopeFor('$default')).toBeUndefined();
    expect(ROUTES.filter((r) => r.auth !== 'public').every((r) => requiredScopeFor(`${r.method} ${r.path}`) === r.auth)).toBe(true);
  });
});

describe('Lambda authorizer (SIMPLE responses)', () => {
  it('allows a key with the route scope and passes keyId and scopes as context', async () => {
    const src = new FakeKeySource();
    const { key, keyId } = src.issue(['check', 'admin']);
    const handler = createAuthorizerHandler({ source: () => src, routes: TABLE, now: () => T0 });
    expect(await handler(event('GET /v1/check', { authorization: `Bearer ${key}` }))).toEqual({ isAuthorized: true, context: { keyId, scopes: ['check', 'admin'] } });
    expect(await handler(event('GET /v1/admin', { 'x-api-key': key }))).toEqual({ isAuthorized: true, context: { keyId, scopes: ['check', 'admin'] } });
  });

  it.each([
    ['no headers', 'GET /v1/check', undefined],
    ['garbage', 'GET /v1/check', { 'x-api-key': 'garbage' }],
    ['unknown key', 'GET /v1/check', { 'x-api-key': `uds_zzzzzzzzzzzz_${'A'.repeat(43)}` }],
    ['missing scope', 'GET /v1/inventory', 'GOOD'],
    ['public route (fail closed)', 'GET /health', 'GOOD'],
    ['unknown route (fail closed)', 'GET /nowhere', 'GOOD'],
  ])('denies: %s', async (_label, routeKey, headers) => {
    const src = new FakeKeySource();
    const { key } = src.issue(['check']);
    const handler = createAuthorizerHandler({ source: () => src, routes: TABLE, now: () => T0 });
    const h = headers === 'GOOD' ? { 'x-api-key': key } : (headers as Record<string, string> | undefined);
    expect(await handler(event(routeKey, h))).toEqual({ isAuthorized: false });
  });

  it('throws (API Gateway answers 500, caches nothing) when the store fails', async () => {
    const src = new FakeKeySource();
    const { key } = src.issue(['check']);
    src.failGet = true;
    const handler = createAuthorizerHandler({ source: () => src, routes: TABLE, now: () => T0 });
    await expect(handler(event('GET /v1/check', { 'x-api-key': key }))).rejects.toThrow('store down');
  });

  it('builds its key source once, lazily', async () => {
    const src = new FakeKeySource();
    let built = 0;
    const handler = createAuthorizerHandler({ source: () => (built++, src), routes: TABLE });
    expect(built).toBe(0);
    await handler(event('GET /v1/check'));
    await handler(event('GET /v1/check'));
    expect(built).toBe(1);
  });
});

describe('local authorizer', () => {
  it('returns undefined for public routes without touching the store', async () => {
    const src = new FakeKeySource();
    let built = 0;
    const local = createLocalAuthorizer(() => (built++, src), () => T0);
    expect(await local(route('public'), {})).toBeUndefined();
    expect(built).toBe(0);
  });

  it('returns the context API Gateway would, and throws 401/403 like authorize', async () => {
    const src = new FakeKeySource();
    const { key, keyId } = src.issue(['inventory']);
    const local = createLocalAuthorizer(() => src, () => T0);
    expect(await local(route('inventory'), { 'x-api-key': key })).toEqual({ keyId, scopes: ['inventory'] });
    await expect(local(route('check'), { 'x-api-key': key })).rejects.toThrow(ForbiddenError);
    await expect(local(route('check'), {})).rejects.toThrow(UnauthorizedError);
  });
});

describe('authContext / requireCaller', () => {
  const withLambda = (lambda: unknown) => ({ requestContext: { authorizer: { lambda } } }) as never;

  it('reads keyId and scopes from requestContext.authorizer.lambda', () => {
    expect(authContext(withLambda({ keyId: 'abcDEF123456', scopes: ['check', 'admin'] }))).toEqual({ keyId: 'abcDEF123456', scopes: ['check', 'admin'] });
    expect(authContext(withLambda({ keyId: 'abcDEF123456', scopes: 'check admin' }))).toEqual({ keyId: 'abcDEF123456', scopes: ['check', 'admin'] });
    expect(authContext(withLambda({ keyId: 'abcDEF123456', scopes: ['check', 'root'] }))).toEqual({ keyId: 'abcDEF123456', scopes: ['check'] });
  });

  it.each([[undefined], [null], ['x'], [{}], [{ keyId: 'short', scopes: [] }], [{ keyId: 'abcDEF123456' }]])('is undefined for %j', (lambda) => {
    expect(authContext(withLambda(lambda))).toBeUndefined();
  });

  it('is undefined for an event without an authorizer (public route)', () => {
    expect(authContext({ requestContext: {} } as never)).toBeUndefined();
  });

  it('requireCaller throws 401 without a context and 403 without the scope', () => {
    expect(() => requireCaller({ requestContext: {} } as never)).toThrow(UnauthorizedError);
    const ev = withLambda({ keyId: 'abcDEF123456', scopes: ['check'] });
    expect(requireCaller(ev, 'check')).toEqual({ keyId: 'abcDEF123456', scopes: ['check'] });
    expect(() => requireCaller(ev, 'admin')).toThrow(ForbiddenError);
  });
});
