/**
 * The one routes table. The local API host (lib/local/api-host.ts) serves it and the CDK app (infra/)
 * deploys it, so local and cloud routes cannot drift; a test proves they are equal.
 */

export type Scope = 'check' | 'inventory' | 'admin';

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** API Gateway route path, with `{name}` parameters. */
  path: string;
  /** Handler module, relative to the repository root, exporting `handler`. */
  entry: string;
  /** Logical function name: routes sharing an entry share one Lambda function. */
  functionName: string;
  /** `public` routes have no authorizer; others require an API key with this scope. */
  auth: 'public' | Scope;
  /** Lambda timeout in seconds (well under the 30 s HTTP API integration limit). */
  timeoutSeconds: number;
  memoryMb: number;
}

export const ROUTES: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/health',
    entry: 'functions/api/health.ts',
    functionName: 'health',
    auth: 'public',
    timeoutSeconds: 5,
    memoryMb: 256,
  },
  { method: 'GET', path: '/openapi.json', entry: 'functions/api/openapi.ts', functionName: 'openapi', auth: 'public', timeoutSeconds: 5, memoryMb: 256 },
  { method: 'GET', path: '/v1/udi/parse', entry: 'functions/api/udi-parse.ts', functionName: 'udi-parse', auth: 'check', timeoutSeconds: 5, memoryMb: 256 },
  { method: 'POST', path: '/v1/checks', entry: 'functions/api/checks.ts', functionName: 'checks', auth: 'check', timeoutSeconds: 10, memoryMb: 512 },
  { method: 'POST', path: '/v1/checks/batch', entry: 'functions/api/checks.ts', functionName: 'checks', auth: 'check', timeoutSeconds: 29, memoryMb: 1024 },
  { method: 'GET', path: '/v1/checks/{id}', entry: 'functions/api/checks.ts', functionName: 'checks', auth: 'check', timeoutSeconds: 10, memoryMb: 512 },
  { method: 'GET', path: '/v1/checks', entry: 'functions/api/checks.ts', functionName: 'checks', auth: 'check', timeoutSeconds: 10, memoryMb: 512 },
  { method: 'GET', path: '/v1/devices/{di}', entry: 'functions/api/devices.ts', functionName: 'devices', auth: 'check', timeoutSeconds: 10, memoryMb: 512 },
  { method: 'GET', path: '/v1/recalls', entry: 'functions/api/devices.ts', functionName: 'devices', auth: 'check', timeoutSeconds: 10, memoryMb: 512 },
  ...(['aliases', 'suppliers'] as const).flatMap((what): RouteDefinition[] => [
    { method: 'GET', path: `/v1/admin/${what}`, entry: 'functions/api/admin.ts', functionName: 'admin', auth: 'admin', timeoutSeconds: 10, memoryMb: 256 },
    { method: 'PUT', path: `/v1/admin/${what}`, entry: 'functions/api/admin.ts', functionName: 'admin', auth: 'admin', timeoutSeconds: 10, memoryMb: 256 },
    { method: 'DELETE', path: `/v1/admin/${what}/{name}`, entry: 'functions/api/admin.ts', functionName: 'admin', auth: 'admin', timeoutSeconds: 10, memoryMb: 256 },
  ]),
  { method: 'GET', path: '/v1/admin/keys', entry: 'functions/api/admin.ts', functionName: 'admin', auth: 'admin', timeoutSeconds: 10, memoryMb: 256 },
  { method: 'POST', path: '/v1/admin/keys', entry: 'functions/api/admin.ts', functionName: 'admin', auth: 'admin', timeoutSeconds: 10, memoryMb: 256 },
  { method: 'DELETE', path: '/v1/admin/keys/{keyId}', entry: 'functions/api/admin.ts', functionName: 'admin', auth: 'admin', timeoutSeconds: 10, memoryMb: 256 },
  { method: 'POST', path: '/v1/udi/parse', entry: 'functions/api/udi-parse.ts', functionName: 'udi-parse', auth: 'check', timeoutSeconds: 5, memoryMb: 256 },
];

export const routeKey = (r: Pick<RouteDefinition, 'method' | 'path'>): string => `${r.method} ${r.path}`;
