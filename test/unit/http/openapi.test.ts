import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import pkg from '../../../package.json' with { type: 'json' };
import type { ApiKeyInfo } from '../../../lib/auth/keys.js';
import type { CheckResult, Family, Finding } from '../../../lib/check/types.js';
import type { HealthReport } from '../../../lib/health.js';
import type { ErrorBody } from '../../../lib/http/errors.js';
import { buildOpenApi, COMPONENTS, componentSchemas, OPERATIONS, REQUEST_COMPONENTS, type ComponentName } from '../../../lib/http/openapi.js';
import type { apiKeyInfoSchema, checkResultSchema, errorBodySchema, familySchema, findingSchema, healthReportSchema, udiSchema } from '../../../lib/http/openapi.js';
import { ROUTES, routeKey, type RouteDefinition } from '../../../lib/http/routes.js';
import type { Udi } from '../../../lib/udi/index.js';

// The route this change adds; until it is in the routes table, the document is also checked with it appended.
const SELF: RouteDefinition = { method: 'GET', path: '/openapi.json', entry: 'functions/api/openapi.ts', functionName: 'openapi', auth: 'public', timeoutSeconds: 5, memoryMb: 256 };
const ALL_ROUTES = ROUTES.some((r) => routeKey(r) === routeKey(SELF)) ? ROUTES : [...ROUTES, SELF];

type Json = Record<string, unknown>;
interface Doc {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, Json & { operationId: string; security: Json[]; responses: Record<string, Json>; parameters?: Json[]; requestBody?: Json }>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json>; securitySchemes: Record<string, Json> };
}
const doc = buildOpenApi(ALL_ROUTES) as unknown as Doc;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([m]) => METHODS.includes(m))
    .map(([m, op]) => ({ key: `${m.toUpperCase()} ${path}`, op })),
);

// ---------------------------------------------------------------------------------------------------------
// A small JSON Schema 2020-12 validator for the keywords z.toJSONSchema emits. Unknown keywords throw, so a
// schema this cannot judge fails loudly instead of passing.

const ANNOTATIONS = new Set(['description', 'default', 'examples', 'title', 'format', 'readOnly', 'writeOnly', 'deprecated']);
function resolve(ref: string): Json {
  const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
  const target = name === undefined ? undefined : doc.components.schemas[name];
  if (!target) throw new Error(`unresolvable $ref ${ref}`);
  return target;
}
function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
function valid(schema: Json | boolean, v: unknown): boolean {
  if (schema === true) return true;
  if (schema === false) return false;
  for (const [k, s] of Object.entries(schema)) {
    const ok = ((): boolean => {
      const obj = v as Record<string, unknown>;
      switch (k) {
        case '$ref':
          return valid(resolve(s as string), v);
        case 'type':
          return ([] as string[]).concat(s as string).some((t) => (t === 'integer' ? Number.isInteger(v) : t === 'number' ? typeof v === 'number' : typeOf(v) === t));
        case 'enum':
          return (s as unknown[]).includes(v);
        case 'const':
          return v === s;
        case 'properties':
          return typeOf(v) !== 'object' || Object.entries(s as Record<string, Json>).every(([p, ps]) => !(p in obj) || valid(ps, obj[p]));
        case 'required':
          return typeOf(v) !== 'object' || (s as string[]).every((p) => p in obj);
        case 'additionalProperties': {
          if (typeOf(v) !== 'object') return true;
          const known = Object.keys((schema.properties as Json | undefined) ?? {});
          return Object.keys(obj).filter((p) => !known.includes(p)).every((p) => valid(s as Json | boolean, obj[p]));
        }
        case 'propertyNames':
          return typeOf(v) !== 'object' || Object.keys(obj).every((p) => valid(s as Json, p));
        case 'items':
          return !Array.isArray(v) || v.every((x) => valid(s as Json, x));
        case 'minItems':
          return !Array.isArray(v) || v.length >= (s as number);
        case 'maxItems':
          return !Array.isArray(v) || v.length <= (s as number);
        case 'minLength':
          return typeof v !== 'string' || [...v].length >= (s as number);
        case 'maxLength':
          return typeof v !== 'string' || [...v].length <= (s as number);
        case 'pattern':
          return typeof v !== 'string' || new RegExp(s as string, 'u').test(v);
        case 'minimum':
          return typeof v !== 'number' || v >= (s as number);
        case 'maximum':
          return typeof v !== 'number' || v <= (s as number);
        case 'anyOf':
          return (s as Json[]).some((x) => valid(x, v));
        case 'oneOf':
          return (s as Json[]).filter((x) => valid(x, v)).length === 1;
        case 'allOf':
          return (s as Json[]).every((x) => valid(x, v));
        default:
          if (ANNOTATIONS.has(k)) return true;
          throw new Error(`the test validator does not know the keyword "${k}"`);
      }
    })();
    if (!ok) return false;
  }
  return true;
}

/** The zod schema and the generated JSON schema agree on a value. */
function agree(name: ComponentName, value: unknown): { zod: boolean; json: boolean } {
  return { zod: COMPONENTS[name].safeParse(value).success, json: valid(doc.components.schemas[name] as Json, value) };
}

// ---------------------------------------------------------------------------------------------------------

describe('the OpenAPI document', () => {
  it('is an OpenAPI 3.1 document in shape', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'udi-sentinel', version: pkg.version });
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
    for (const path of Object.keys(doc.paths)) expect(path).toMatch(/^\//);
    expect(doc.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      apiKeyHeader: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-api-key' }),
    });
    // Plain JSON: serialisable and stable.
    expect(JSON.parse(JSON.stringify(doc))).toEqual(buildOpenApi(ALL_ROUTES));
    for (const schema of Object.values(doc.components.schemas)) {
      expect(schema).not.toHaveProperty('$schema');
      expect(schema).not.toHaveProperty('$id');
    }
  });

  it('has every route of the table exactly once, and nothing else', () => {
    expect(operations.map((o) => o.key).sort()).toEqual(ALL_ROUTES.map(routeKey).sort());
    expect(new Set(operations.map((o) => o.key)).size).toBe(ALL_ROUTES.length);
    expect(buildOpenApi(ROUTES)).toBeTruthy();
  });

  it('has an entry for every route, and no entry for a route that does not exist', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual(ALL_ROUTES.map(routeKey).sort());
    const undocumented: RouteDefinition = { ...SELF, method: 'POST', path: '/v1/new-thing' };
    expect(() => buildOpenApi([...ROUTES, undocumented])).toThrow(/No OpenAPI entry for POST \/v1\/new-thing/);
    expect(() => buildOpenApi([SELF, SELF])).toThrow(/twice/);
  });

  it('has unique operation ids, and declares every path parameter', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { key, op } of operations) {
      const inPath = [...key.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort(), key).toEqual(inPath);
      for (const p of declared) expect(p.required, key).toBe(true);
    }
  });

  it('public routes need no key; every other route names both key headers and its scope', () => {
    for (const route of ALL_ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      if (route.auth === 'public') {
        expect(op?.security, routeKey(route)).toEqual([]);
        expect(op).not.toHaveProperty('x-required-scope');
        expect(op?.responses).not.toHaveProperty('401');
      } else {
        expect(op?.security, routeKey(route)).toEqual([{ bearerAuth: [route.auth] }, { apiKeyHeader: [route.auth] }]);
        expect(op?.['x-required-scope']).toBe(route.auth);
        expect(op?.description).toContain(`\`${route.auth}\` scope`);
        expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
    expect(doc.paths['/health']?.get?.security).toEqual([]);
    expect(doc.paths['/openapi.json']?.get?.security).toEqual([]);
  });

  it('documents a success and the error responses each route can give', () => {
    for (const { key, op } of operations) {
      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => /^2\d\d$/.test(s)), key).toBe(true);
      expect(statuses, key).toContain('5XX');
      if (op.requestBody) expect(statuses, key).toEqual(expect.arrayContaining(['400', '413', '415']));
      if (op.parameters?.length) expect(statuses, key).toContain('400');
    }
    expect(Object.keys(doc.paths['/v1/udi/parse']?.get?.responses ?? {})).toContain('422');
    expect(Object.keys(doc.paths['/v1/udi/parse']?.post?.responses ?? {})).toContain('422');
    expect(Object.keys(doc.paths['/v1/checks/{id}']?.get?.responses ?? {})).toContain('404');
    expect(doc.paths['/v1/checks/batch']?.post?.requestBody).toMatchObject({ content: { 'application/json': {}, 'text/csv': {} } });
    expect(doc.paths['/v1/checks']?.get?.responses['200']).toMatchObject({ content: { 'application/json': {}, 'text/csv': {} } });
  });

  it('every $ref resolves, and the response examples are valid error bodies', () => {
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref') refs.push(x as string);
          else walk(x);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
      expect((doc.components as unknown as Record<string, Record<string, unknown>>)[section ?? '']?.[name ?? ''], ref).toBeDefined();
    }
    for (const [name, response] of Object.entries(doc.components.responses)) {
      const media = (response.content as Record<string, { schema: Json; example: unknown }>)['application/json'];
      expect(valid(media?.schema ?? false, media?.example), name).toBe(true);
    }
  });

  it('the finding codes are the engine’s', () => {
    const finding = doc.components.schemas.Finding as { properties: { code: { enum: string[] }; severity: { enum: string[] } } };
    expect(finding.properties.code.enum).toContain('SUPPLIER_NOT_AUTHORIZED');
    expect(finding.properties.severity.enum).toEqual(['info', 'warning', 'critical']);
  });
});

describe('request schemas agree with the zod schemas the handlers validate with', () => {
  it('request components read the same in both directions (one component serves request and response)', () => {
    const input = componentSchemas('input');
    const output = componentSchemas('output');
    for (const name of REQUEST_COMPONENTS) expect(input[name], name).toEqual(output[name]);
  });

  const EPSIMED = '(01)00614141100026(11)240115(10)SYN2401B(21)EPS000123';
  const cases: [ComponentName, string, unknown, boolean][] = [
    ['CheckInput', 'a UDI and a manufacturer', { udi: EPSIMED, manufacturer: 'Epsimed', poNumber: 'PO-1' }, true],
    ['CheckInput', 'a DI and a supplier', { di: '00614141100019', manufacturer: 'Contec Medical Systems', supplier: 'Grey Market Ltd' }, true],
    ['CheckInput', 'a UDI with GS bytes', { udi: '0100367457153032101724847.1\u001d1721033121118165795226', manufacturer: 'x', model: 'MN-120' }, true],
    ['CheckInput', 'wrong types', { udi: 5, manufacturer: ['x'] }, false],
    ['CheckInput', 'both udi and di', { udi: EPSIMED, di: '00614141100026', manufacturer: 'x' }, false],
    ['CheckInput', 'neither udi nor di', { manufacturer: 'x' }, false],
    ['CheckInput', 'an unknown field', { udi: EPSIMED, manufacturer: 'x', admin: true }, false],
    ['CheckInput', 'a UDI over 1024 characters', { udi: '1'.repeat(1025), manufacturer: 'x' }, false],
    ['CheckInput', 'a UDI of exactly 1024 characters', { udi: '1'.repeat(1024), manufacturer: 'x' }, true],
    ['CheckInput', 'a DI with a space', { di: '0061 4141', manufacturer: 'x' }, false],
    ['CheckInput', 'no manufacturer', { udi: EPSIMED }, false],
    ['CheckInput', 'an empty manufacturer', { udi: EPSIMED, manufacturer: '' }, false],
    ['CheckInput', 'a manufacturer over 200 characters', { udi: EPSIMED, manufacturer: 'm'.repeat(201) }, false],
    ['CheckInput', 'not an object', [EPSIMED], false],
    ['BatchRequest', 'two items', { items: [{ udi: EPSIMED, manufacturer: 'x' }, { di: '1', manufacturer: 'y' }] }, true],
    ['BatchRequest', 'an invalid item (reported per line, not refused)', { items: [{ manufacturer: 5 }] }, true],
    ['BatchRequest', 'no items', { items: [] }, false],
    ['BatchRequest', '501 items', { items: Array.from({ length: 501 }, () => ({ udi: EPSIMED, manufacturer: 'x' })) }, false],
    ['BatchRequest', '500 items', { items: Array.from({ length: 500 }, () => ({ udi: EPSIMED, manufacturer: 'x' })) }, true],
    ['BatchRequest', 'items not an array', { items: { udi: EPSIMED } }, false],
    ['UdiParseRequest', 'a UDI', { udi: '(01)00643169001763(17)160712(10)A1' }, true],
    ['UdiParseRequest', 'wrong type', { udi: 5 }, false],
    ['UdiParseRequest', 'an unknown field', { udi: 'x', extra: 1 }, false],
    ['UdiParseRequest', 'empty', { udi: '' }, false],
    ['AliasRequest', 'an alias with a note', { name: 'Acme Medical', aliasOf: 'Epsimed LLC', note: 'synthetic test alias' }, true],
    ['AliasRequest', 'no aliasOf', { name: 'Acme Medical' }, false],
    ['AliasRequest', 'a one-letter name', { name: 'A', aliasOf: 'Epsimed LLC' }, false],
    ['SupplierRequest', 'a supplier', { name: 'Good Distribution Inc' }, true],
    ['SupplierRequest', 'an unknown field', { name: 'Good Distribution Inc', aliasOf: 'x' }, false],
    ['ApiKeyRequest', 'a key', { name: 'dock 3', scopes: ['check'] }, true],
    ['ApiKeyRequest', 'all scopes', { name: 'ops', scopes: ['check', 'inventory', 'admin'] }, true],
    ['ApiKeyRequest', 'no scopes', { name: 'dock 3', scopes: [] }, false],
    ['ApiKeyRequest', 'an unknown scope', { name: 'dock 3', scopes: ['root'] }, false],
    ['ApiKeyRequest', 'a name over 100 characters', { name: 'n'.repeat(101), scopes: ['check'] }, false],
  ];
  it.each(cases)('%s: %s → %s', (name, _what, value, expected) => {
    expect(agree(name, value)).toEqual({ zod: expected, json: expected });
  });

  it('query and path parameters agree with the query schemas (spot check)', () => {
    const params = (path: string, method: string) =>
      Object.fromEntries((doc.paths[path]?.[method]?.parameters ?? []).map((p) => [p.name as string, p as { required: boolean; schema: Json }]));
    // What a parameter set means to the document: each given value valid, every required one present, no others.
    const accepts = (ps: Record<string, { required: boolean; schema: Json }>, q: Record<string, string | number>) =>
      Object.entries(q).every(([k, v]) => ps[k] !== undefined && valid(ps[k].schema, v)) && Object.entries(ps).every(([k, p]) => !p.required || k in q);
    const list = params('/v1/checks', 'get');
    const today = '2026-03-01';
    for (const [q, ok] of [
      [{ from: today, to: today }, true],
      [{ from: '2026-03-01T00:00:00Z', to: '2026-03-02T10:00:00+01:00', decision: 'review', limit: 2 }, true],
      [{ from: today }, false],
      [{ from: '2026-02-30', to: today }, false],
      [{ from: today, to: today, decision: 'maybe' }, false],
      [{ from: today, to: today, limit: 501 }, false],
      [{ from: today, to: today, limit: 0 }, false],
      [{ from: today, to: today, sort: 'asc' }, false],
    ] as const) {
      expect(accepts(list, q), JSON.stringify(q)).toBe(ok);
      const zodQuery = Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)]));
      expect(OPERATIONS['GET /v1/checks']?.query?.safeParse(zodQuery).success, JSON.stringify(q)).toBe(ok);
    }
    const recalls = params('/v1/recalls', 'get');
    expect(accepts(recalls, { productCode: 'MHX' })).toBe(true);
    expect(accepts(recalls, { productCode: 'MH' })).toBe(false);
    expect(accepts(recalls, { di: '00191072179593' })).toBe(true);
    expect(accepts(recalls, { di: 'not a di' })).toBe(false);
    expect(valid(params('/v1/checks/{id}', 'get').id?.schema ?? false, `chk_${'0'.repeat(32)}`)).toBe(true);
    expect(valid(params('/v1/checks/{id}', 'get').id?.schema ?? false, 'chk_xyz')).toBe(false);
    expect(valid(params('/v1/admin/keys/{keyId}', 'delete').keyId?.schema ?? false, 'k3Jq8ZtW0aPx')).toBe(true);
    expect(valid(params('/v1/admin/keys/{keyId}', 'delete').keyId?.schema ?? false, 'k3Jq8ZtW0aP_')).toBe(false);
  });
});

// Type-level: the hand-written response schemas are the handlers' types (checked by `tsc --noEmit`).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typeChecks: Record<string, true> = {
  udi: true satisfies Same<z.infer<typeof udiSchema>, Udi>,
  finding: true satisfies Same<z.infer<typeof findingSchema>, Finding>,
  family: true satisfies Same<z.infer<typeof familySchema>, Family>,
  health: true satisfies Same<z.infer<typeof healthReportSchema>, HealthReport>,
  error: true satisfies Same<z.infer<typeof errorBodySchema>, ErrorBody>,
  apiKey: true satisfies Same<z.infer<typeof apiKeyInfoSchema>, ApiKeyInfo>,
  // present() copies these fields; `device` is a loose record in both (the schema names a few of its fields).
  check: true satisfies Same<Omit<z.infer<typeof checkResultSchema>, 'device'>, Omit<CheckResult, 'device'>>,
};

describe('response schemas', () => {
  it('match the handlers’ TypeScript types (see the type-level checks above)', () => {
    expect(Object.values(typeChecks).every(Boolean)).toBe(true);
  });

  it('accept a real check result and refuse an undocumented field', () => {
    const result = {
      id: `chk_${'a'.repeat(32)}`,
      checkedAt: '2026-03-01T10:00:00.000Z',
      decision: 'reject',
      findings: [{ code: 'UDI_CHECK_DIGIT', severity: 'critical', message: 'GTIN check digit is wrong.', evidence: [] }],
      input: { udi: '(01)00614141100027', manufacturer: 'Epsimed' },
      family: { submissions: [], otherLabelers: [], proprietaryNames: [] },
      dataAsOf: { 'openfda:udi': { lastUpdated: '2026-02-27' } },
    };
    expect(agree('CheckResult', result)).toEqual({ zod: true, json: true });
    expect(agree('CheckResult', { ...result, extra: 1 })).toEqual({ zod: false, json: false });
    expect(agree('CheckResult', { ...result, findings: [{ ...result.findings[0], code: 'NOT_A_CODE' }] })).toEqual({ zod: false, json: false });
  });
});
