import { z } from 'zod';
import pkg from '../../package.json' with { type: 'json' };
import { apiKeyRecordSchema } from '../auth/keys.js';
import { aliasBodySchema, keyBodySchema, keyIdPathSchema, namePathSchema, supplierBodySchema } from '../check/admin.js';
import { batchBodySchema, checkIdSchema, listQuerySchema, MAX_BATCH_LINES } from '../check/api.js';
import { diPathSchema, recallQuerySchema } from '../check/lookup.js';
import { checkInputSchema, FINDING_CODES } from '../check/types.js';
import { DATA_SOURCES } from '../health.js';
import { sourceStatusSchema } from '../store/reference-repo.js';
import { MAX_UDI_LENGTH, UdiErrorCode, UdiWarningCode } from '../udi/index.js';
import { MAX_BODY_BYTES } from './api.js';
import { udiParseBody, udiParseQuery } from './udi-parse.js';
import { ROUTES, routeKey, type RouteDefinition } from './routes.js';

/**
 * The OpenAPI 3.1 description of the HTTP API, generated from the routes table (lib/http/routes.ts) and the
 * zod schemas the handlers validate with. Request schemas are the handlers' own; response shapes have no zod
 * schema in the handlers, so they are written here (and proved against real responses by
 * test/integration/openapi.test.ts). Served at GET /openapi.json (functions/api/openapi.ts); see docs/api.md.
 */

// ---------------------------------------------------------------------------------------------------------
// Response shapes (what the handlers return). Strict objects: a field a handler starts returning without
// being documented here fails the integration test.

const str = z.string();
const optStr = z.string().optional();

export const errorDetailSchema = z.strictObject({ path: str, message: str });

export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string().describe('Stable code: VALIDATION_FAILED, BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, a UDI parser code (422), INTERNAL, …'),
    message: z.string().describe('Human-readable; never carries internals for 5xx.'),
    details: z.array(errorDetailSchema).optional().describe('Field paths (`body.udi`, `query.from`, `path.id`, …) and what is wrong with each.'),
    requestId: z.string().optional().describe('Also sent as the `x-request-id` header.'),
  }),
});

/** A 422 from /v1/udi/parse: the error body with the parser's code. */
export const udiErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(Object.values(UdiErrorCode) as [UdiErrorCode, ...UdiErrorCode[]]),
    message: str,
    details: z.array(errorDetailSchema).optional(),
    requestId: optStr,
  }),
});

/** What API Gateway itself answers when it refuses a request before our code runs (AWS only). */
export const gatewayErrorSchema = z.strictObject({ message: z.string().describe('e.g. "Unauthorized", "Forbidden", "Internal Server Error"') });

export const udiSchema = z.strictObject({
  udi: str.describe('The input, unchanged.'),
  issuingAgency: z.enum(['GS1', 'HIBCC', 'ICCBBA']),
  syntax: z.enum(['gs1-element-string', 'gs1-hri', 'gs1-digital-link', 'gtin', 'hibcc', 'iccbba']),
  symbologyIdentifier: optStr,
  di: optStr.describe('GTIN-14 (GS1), LIC+PCN+U (HIBCC), PPIC or container code (ICCBBA).'),
  labelerCode: optStr,
  lotNumber: optStr,
  serialNumber: optStr,
  expirationDate: optStr.describe('YYYY-MM-DD'),
  expirationDateOriginal: optStr,
  expirationDateOriginalFormat: optStr,
  manufacturingDate: optStr.describe('YYYY-MM-DD'),
  manufacturingDateOriginal: optStr,
  manufacturingDateOriginalFormat: optStr,
  donationId: optStr,
  elements: z.array(z.strictObject({ id: str, name: str, value: str, date: optStr })),
  normalized: str,
  warnings: z.array(z.strictObject({ code: z.enum(Object.values(UdiWarningCode) as [UdiWarningCode, ...UdiWarningCode[]]), message: str })),
  productCode: optStr,
  unitOfMeasure: z.number().optional(),
  quantity: z.number().optional(),
  checkCharacter: optStr,
  linkCharacter: optStr,
  din: optStr,
  dinFlags: optStr,
  dinChecksumValid: z.boolean().optional(),
  compoundMessage: z.strictObject({ count: z.number(), sequence: str }).optional(),
});

export const evidenceRefSchema = z.strictObject({
  source: str.describe('openfda, gudid, cisa-csaf, fda-rss, …'),
  recordId: str.describe('The record’s own id: DI, recall number, K number, advisory id, …'),
  url: optStr,
  date: optStr.describe('The record’s date (ISO).'),
});

export const findingSchema = z.strictObject({
  code: z.enum(FINDING_CODES),
  severity: z.enum(['info', 'warning', 'critical']).describe('Any critical finding makes the decision reject; any warning, review.'),
  message: str,
  evidence: z.array(evidenceRefSchema),
});

export const familySchema = z.strictObject({
  labeler: optStr,
  labelerDuns: optStr,
  originalManufacturer: optStr.describe('The clearance holder.'),
  submissions: z.array(str),
  otherLabelers: z.array(str),
  proprietaryNames: z.array(str),
});

/** Mirror items are passed through as stored (internal keys removed); only a few fields are named. */
export const deviceSchema = z
  .looseObject({ primaryDi: optStr, companyName: optStr, brandName: optStr, versionModelNumber: optStr })
  .describe('The GUDID device record as mirrored (docs/data-model.md, entity `device`). Passed through as stored: it may also carry storage attributes (pk, sk, gsi2pk, hash, entity, v, …) — do not rely on those.');
const referenceItemSchema = z.looseObject({}).describe('A mirrored reference record, as stored (docs/data-model.md; may carry `entity` and `v`).');

export const dataAsOfSchema = z.record(z.string(), z.strictObject({ lastUpdated: optStr, ingestedAt: optStr })).describe('Freshness of each data source the answer used.');

export const checkResultSchema = z.strictObject({
  id: z.string().regex(/^chk_[0-9a-f]{32}$/),
  checkedAt: z.string().describe('ISO timestamp'),
  decision: z.enum(['accept', 'review', 'reject']),
  findings: z.array(findingSchema),
  input: checkInputSchema,
  udi: udiSchema.optional().describe('The parsed UDI (absent for a bare DI or an unparseable UDI).'),
  device: deviceSchema.optional(),
  family: familySchema,
  dataAsOf: dataAsOfSchema,
});

export const callerSchema = z.strictObject({ principal: str.describe('API key id (never the key), or the CLI/Slack principal.'), channel: z.enum(['api', 'cli', 'slack']) });
export const storedCheckSchema = checkResultSchema.extend({ caller: callerSchema });

export const batchResultSchema = z.strictObject({
  summary: z.strictObject({ lines: z.number().int(), accept: z.number().int(), review: z.number().int(), reject: z.number().int(), invalid: z.number().int() }),
  results: z.array(
    z.union([
      z.strictObject({ line: z.number().int().describe('1-based item (JSON) or file line (CSV, header = 1).'), result: checkResultSchema }),
      z.strictObject({ line: z.number().int(), error: z.strictObject({ code: z.literal('VALIDATION_FAILED'), message: str, details: z.array(errorDetailSchema) }) }),
    ]),
  ),
});

export const checkListSchema = z.strictObject({ items: z.array(storedCheckSchema), nextCursor: optStr.describe('Pass as `cursor` for the next page.') });

export const udiParseResultSchema = z.strictObject({ udi: udiSchema });

export const deviceViewSchema = z.strictObject({
  di: str.describe('The DI looked up (GTIN-14 for GS1).'),
  device: deviceSchema,
  family: familySchema,
  recalls: z.array(referenceItemSchema),
  advisories: z.array(referenceItemSchema),
  findings: z.array(findingSchema).describe('The check’s findings about the device itself (no manufacturer claim, no staleness).'),
  dataAsOf: dataAsOfSchema,
});

export const recallListSchema = z.strictObject({ items: z.array(referenceItemSchema) });

const audit = { updatedAt: str, updatedBy: str.describe('Key id of the admin key that wrote it.') };
export const aliasSchema = z.strictObject({ key: str.describe('The normalised name.'), name: str, aliasOf: str, note: optStr, ...audit });
export const supplierSchema = z.strictObject({ key: str.describe('The normalised name.'), name: str, note: optStr, ...audit });
export const aliasWrittenSchema = z.strictObject({ key: str, name: str, aliasOf: str, note: optStr });
export const supplierWrittenSchema = z.strictObject({ key: str, name: str, note: optStr });
export const apiKeyInfoSchema = apiKeyRecordSchema.omit({ secretHash: true }).strict();
export const aliasListSchema = z.strictObject({ items: z.array(aliasSchema) });
export const supplierListSchema = z.strictObject({ items: z.array(supplierSchema) });
export const apiKeyListSchema = z.strictObject({ items: z.array(apiKeyInfoSchema) });
export const apiKeyCreatedSchema = apiKeyInfoSchema.extend({ key: str.describe('The API key. Shown once: only a hash is stored.'), note: str });

export const healthReportSchema = z.strictObject({
  status: z.enum(['ok', 'degraded']),
  time: str,
  dynamodb: z.strictObject({ reachable: z.boolean(), latencyMs: z.number(), error: optStr.describe('The error name only.') }),
  sources: z.array(sourceStatusSchema.extend({ known: z.boolean() }).strict()).describe(`One per data source (${DATA_SOURCES.join(', ')}), plus any other recorded.`),
});

/** The document itself has no useful schema beyond "an OpenAPI 3.1 object". */
const openApiDocumentSchema = z.looseObject({ openapi: z.literal('3.1.0') });

// ---------------------------------------------------------------------------------------------------------
// Named components. Request bodies are registered as they are validated (their input and output JSON
// schemas are equal: a unit test checks it), so one component serves both directions.

export const COMPONENTS = {
  ErrorBody: errorBodySchema,
  UdiErrorBody: udiErrorBodySchema,
  GatewayError: gatewayErrorSchema,
  CheckInput: checkInputSchema,
  BatchRequest: batchBodySchema,
  UdiParseRequest: udiParseBody,
  AliasRequest: aliasBodySchema,
  SupplierRequest: supplierBodySchema,
  ApiKeyRequest: keyBodySchema,
  Udi: udiSchema,
  EvidenceRef: evidenceRefSchema,
  Finding: findingSchema,
  Family: familySchema,
  Device: deviceSchema,
  CheckResult: checkResultSchema,
  StoredCheck: storedCheckSchema,
  BatchResult: batchResultSchema,
  CheckList: checkListSchema,
  UdiParseResult: udiParseResultSchema,
  DeviceView: deviceViewSchema,
  RecallList: recallListSchema,
  Alias: aliasSchema,
  AliasList: aliasListSchema,
  Supplier: supplierSchema,
  SupplierList: supplierListSchema,
  AliasWritten: aliasWrittenSchema,
  SupplierWritten: supplierWrittenSchema,
  ApiKeyInfo: apiKeyInfoSchema,
  ApiKeyList: apiKeyListSchema,
  ApiKeyCreated: apiKeyCreatedSchema,
  HealthReport: healthReportSchema,
  OpenApiDocument: openApiDocumentSchema,
} satisfies Record<string, z.ZodType>;
export const REQUEST_COMPONENTS = ['CheckInput', 'BatchRequest', 'UdiParseRequest', 'AliasRequest', 'SupplierRequest', 'ApiKeyRequest'] as const;
export type ComponentName = keyof typeof COMPONENTS;

// Rules zod refinements carry that JSON Schema cannot express are added by hand.
const COMPONENT_PATCHES: Partial<Record<ComponentName, Record<string, unknown>>> = {
  CheckInput: {
    oneOf: [{ required: ['udi'] }, { required: ['di'] }],
    description: 'A scanned UDI (or a bare DI) and the manufacturer as claimed on the purchase order. Give exactly one of `udi` or `di`. Strings are trimmed (except `udi`).',
  },
  BatchRequest: {
    description: `Up to ${MAX_BATCH_LINES} items, each a CheckInput. Each item is validated on its own: an invalid item is reported in its result line, not refused with the batch.`,
  },
};

type JsonSchema = Record<string, unknown>;
const ref = (name: ComponentName): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const JSON_SCHEMA_OPTIONS = { target: 'draft-2020-12', unrepresentable: 'any' } as const;

/**
 * Strip what z.toJSONSchema adds for a standalone document ($schema, $id) and the safe-integer bounds it
 * puts on every `.int()`; OpenAPI 3.1 schemas are plain 2020-12 subschemas.
 */
function bare(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return tidy(rest) as JsonSchema;
}

function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k, v]) => !((k === 'minimum' && v === Number.MIN_SAFE_INTEGER) || (k === 'maximum' && v === Number.MAX_SAFE_INTEGER)))
      .map(([k, v]) => [k, tidy(v)]),
  );
}

/** JSON schema of every component, with `$ref`s between them (output mode; see REQUEST_COMPONENTS). */
export function componentSchemas(io: 'input' | 'output' = 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { ...JSON_SCHEMA_OPTIONS, io, uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, { ...bare(s as JsonSchema), ...COMPONENT_PATCHES[id as ComponentName] }]));
}

// ---------------------------------------------------------------------------------------------------------
// Operations: one entry per routes-table key. A route without an entry makes buildOpenApi() throw.

type Status = 400 | 401 | 403 | 404 | 413 | 415 | 422 | 500;

interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tag: 'meta' | 'udi' | 'checks' | 'devices' | 'admin';
  path?: z.ZodType;
  query?: z.ZodType;
  /** Per query parameter, a description (e.g. rules JSON Schema cannot say). */
  queryNotes?: Record<string, string>;
  body?: { json: ComponentName; csv?: { description: string; example: string } };
  success: Record<number, { description: string; schema?: ComponentName; csv?: string; headers?: Record<string, JsonSchema & { description: string }> }>;
  errors: Status[];
}

const BODY_ERRORS: Status[] = [400, 401, 403, 413, 415, 500];
const READ_ERRORS: Status[] = [400, 401, 403, 500];
const EPSIMED = '(01)00614141100026(11)240115(10)SYN2401B(21)EPS000123';

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  'GET /health': {
    operationId: 'getHealth',
    summary: 'Liveness, DynamoDB reachability and data freshness',
    tag: 'meta',
    success: {
      200: { description: 'The service and its store are up.', schema: 'HealthReport' },
      503: { description: 'Degraded: DynamoDB cannot be reached. Same body, `status: "degraded"`.', schema: 'HealthReport' },
    },
    errors: [500],
  },
  'GET /openapi.json': {
    operationId: 'getOpenApi',
    summary: 'This document',
    description: 'The OpenAPI 3.1 description of the API. Public and cacheable (`cache-control: public, max-age=300`).',
    tag: 'meta',
    success: { 200: { description: 'The OpenAPI document.', schema: 'OpenApiDocument' } },
    errors: [500],
  },
  'GET /v1/udi/parse': {
    operationId: 'parseUdi',
    summary: 'Parse a UDI (query string)',
    description: `Parse and validate a GS1, HIBCC or ICCBBA UDI (at most ${MAX_UDI_LENGTH} characters). For strings with GS (\\x1d) bytes, POST is simpler. An invalid UDI is a 422 with the parser's code (docs/udi.md).`,
    tag: 'udi',
    query: udiParseQuery,
    success: { 200: { description: 'The parsed UDI.', schema: 'UdiParseResult' } },
    errors: [400, 401, 403, 422, 500],
  },
  'POST /v1/udi/parse': {
    operationId: 'parseUdiPost',
    summary: 'Parse a UDI (JSON body)',
    description: 'As GET, with the UDI in a JSON body (`"\\u001d"` for GS).',
    tag: 'udi',
    body: { json: 'UdiParseRequest' },
    success: { 200: { description: 'The parsed UDI.', schema: 'UdiParseResult' } },
    errors: [400, 401, 403, 413, 415, 422, 500],
  },
  'POST /v1/checks': {
    operationId: 'createCheck',
    summary: 'Check a device against its claimed manufacturer',
    description: 'Runs the authenticity, recall and advisory checks and stores the result (audit). An unparseable UDI is not an error: it is a `UDI_MALFORMED` / `UDI_CHECK_DIGIT` finding with decision `reject`.',
    tag: 'checks',
    body: { json: 'CheckInput' },
    success: { 201: { description: 'The check, stored.', schema: 'CheckResult', headers: { location: { description: '`/v1/checks/{id}`', schema: { type: 'string' } } } } },
    errors: BODY_ERRORS,
  },
  'POST /v1/checks/batch': {
    operationId: 'createCheckBatch',
    summary: 'Check many devices (JSON or CSV)',
    description: `At most ${MAX_BATCH_LINES} lines. Each line is checked and stored on its own; an invalid line is reported in \`results\` and does not fail the batch.`,
    tag: 'checks',
    body: {
      json: 'BatchRequest',
      csv: {
        description: `CSV (RFC 4180) with a header row naming at least \`udi\` and \`manufacturer\`; optional \`supplier\` and \`po\` (or \`ponumber\`). At most ${MAX_BATCH_LINES} data lines; \`line\` in the results is the file line (header = 1).`,
        example: `udi,manufacturer,supplier,po\n"${EPSIMED}",Epsimed,,PO-2\n(01)00614141100019(10)SYN2501A,Contec Medical Systems,,PO-3\n`,
      },
    },
    success: { 200: { description: 'A summary and one result (or error) per line, in input order.', schema: 'BatchResult' } },
    errors: BODY_ERRORS,
  },
  'GET /v1/checks/{id}': {
    operationId: 'getCheck',
    summary: 'A stored check',
    tag: 'checks',
    path: checkIdSchema,
    success: { 200: { description: 'The check as stored, with its caller.', schema: 'StoredCheck' } },
    errors: [400, 401, 403, 404, 500],
  },
  'GET /v1/checks': {
    operationId: 'listChecks',
    summary: 'List checks by time (JSON or CSV export)',
    description: 'Checks between `from` and `to` (inclusive; a date means the whole UTC day), oldest first, optionally by decision. Send `Accept: text/csv` for a CSV export (the next cursor is then in the `x-next-cursor` header).',
    tag: 'checks',
    query: listQuerySchema,
    queryNotes: { from: 'ISO date or date-time with offset; must not be after `to`.', cursor: '`nextCursor` (or `x-next-cursor`) of the previous page.' },
    success: {
      200: {
        description: 'A page of checks.',
        schema: 'CheckList',
        csv: 'With `Accept: text/csv`: columns id,checkedAt,decision,udi,manufacturer,supplier,po,findings,caller (findings space-separated).',
        headers: { 'x-next-cursor': { description: 'CSV export only: the cursor of the next page, when there is one.', schema: { type: 'string' } } },
      },
    },
    errors: READ_ERRORS,
  },
  'GET /v1/devices/{di}': {
    operationId: 'getDevice',
    summary: 'A device: GUDID record, family, recalls, advisories',
    description: 'Any DI (primary, package, …); GS1 DIs are normalised to GTIN-14. Unknown to the mirror: AccessGUDID is asked (read-through).',
    tag: 'devices',
    path: diPathSchema,
    success: { 200: { description: 'The device view.', schema: 'DeviceView' } },
    errors: [400, 401, 403, 404, 500],
  },
  'GET /v1/recalls': {
    operationId: 'listRecalls',
    summary: 'Recalls by DI, product code or firm',
    description: 'Give exactly one of `di`, `productCode` or `firm`.',
    tag: 'devices',
    query: recallQuerySchema,
    success: { 200: { description: 'The matching recall records (at most about 1,000).', schema: 'RecallList' } },
    errors: READ_ERRORS,
  },
  'GET /v1/admin/aliases': {
    operationId: 'listAliases',
    summary: 'The organisation’s manufacturer alias table',
    tag: 'admin',
    success: { 200: { description: 'Every alias.', schema: 'AliasList' } },
    errors: [401, 403, 500],
  },
  'PUT /v1/admin/aliases': {
    operationId: 'putAlias',
    summary: 'Add or replace an alias (`name` is treated as `aliasOf`)',
    tag: 'admin',
    body: { json: 'AliasRequest' },
    success: { 200: { description: 'The alias as written.', schema: 'AliasWritten' } },
    errors: BODY_ERRORS,
  },
  'DELETE /v1/admin/aliases/{name}': {
    operationId: 'deleteAlias',
    summary: 'Remove an alias',
    tag: 'admin',
    path: namePathSchema,
    success: { 204: { description: 'Removed.' } },
    errors: [400, 401, 403, 404, 500],
  },
  'GET /v1/admin/suppliers': {
    operationId: 'listSuppliers',
    summary: 'The organisation’s authorised suppliers',
    description: 'When the list is not empty, a check naming another supplier has a `SUPPLIER_NOT_AUTHORIZED` finding.',
    tag: 'admin',
    success: { 200: { description: 'Every authorised supplier.', schema: 'SupplierList' } },
    errors: [401, 403, 500],
  },
  'PUT /v1/admin/suppliers': {
    operationId: 'putSupplier',
    summary: 'Add or replace an authorised supplier',
    tag: 'admin',
    body: { json: 'SupplierRequest' },
    success: { 200: { description: 'The supplier as written.', schema: 'SupplierWritten' } },
    errors: BODY_ERRORS,
  },
  'DELETE /v1/admin/suppliers/{name}': {
    operationId: 'deleteSupplier',
    summary: 'Remove an authorised supplier',
    tag: 'admin',
    path: namePathSchema,
    success: { 204: { description: 'Removed.' } },
    errors: [400, 401, 403, 404, 500],
  },
  'GET /v1/admin/keys': {
    operationId: 'listApiKeys',
    summary: 'Every API key (never secrets or hashes)',
    tag: 'admin',
    success: { 200: { description: 'Every key, oldest first.', schema: 'ApiKeyList' } },
    errors: [401, 403, 500],
  },
  'POST /v1/admin/keys': {
    operationId: 'createApiKey',
    summary: 'Create an API key (the key is shown once)',
    tag: 'admin',
    body: { json: 'ApiKeyRequest' },
    success: { 201: { description: 'The new key and its record.', schema: 'ApiKeyCreated' } },
    errors: BODY_ERRORS,
  },
  'DELETE /v1/admin/keys/{keyId}': {
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key (idempotent)',
    description: 'A revoked key stops working within about 60 s, locally and in AWS (the authorizer key cache; docs/auth.md).',
    tag: 'admin',
    path: keyIdPathSchema,
    success: { 200: { description: 'The key record, revoked.', schema: 'ApiKeyInfo' } },
    errors: [400, 401, 403, 404, 500],
  },
};

// ---------------------------------------------------------------------------------------------------------
// The document.

const ERROR_RESPONSES: Record<Status, { key: string; name: string; description: string; schema: JsonSchema; example: unknown }> = {
  400: {
    key: '400',
    name: 'BadRequest',
    description: 'Invalid input: `VALIDATION_FAILED` (schema; `details` name the fields) or `BAD_REQUEST` (malformed JSON, bad cursor).',
    schema: ref('ErrorBody'),
    example: { error: { code: 'VALIDATION_FAILED', message: 'The request body is invalid.', requestId: 'df33f330-9b5f-40e1-9f0a-05c3415eb4be', details: [{ path: 'body.udi', message: 'give exactly one of udi or di' }] } },
  },
  401: {
    key: '401',
    name: 'Unauthorized',
    description: 'No API key, or a malformed, unknown, revoked or expired one (`UNAUTHORIZED`). In AWS, API Gateway answers 401 `{"message":"Unauthorized"}` itself when a key header is missing, and the authorizer\'s denials are 403.',
    schema: { anyOf: [ref('ErrorBody'), ref('GatewayError')] },
    example: { error: { code: 'UNAUTHORIZED', message: 'Missing API key: send "Authorization: Bearer <key>" or "x-api-key: <key>".' } },
  },
  403: {
    key: '403',
    name: 'Forbidden',
    description: 'The API key lacks the route\'s scope (`FORBIDDEN`). In AWS, every authorizer denial is 403 `{"message":"Forbidden"}`.',
    schema: { anyOf: [ref('ErrorBody'), ref('GatewayError')] },
    example: { error: { code: 'FORBIDDEN', message: 'This API key lacks the "check" scope.' } },
  },
  404: {
    key: '404',
    name: 'NotFound',
    description: 'No such record (`NOT_FOUND`).',
    schema: ref('ErrorBody'),
    example: { error: { code: 'NOT_FOUND', message: 'No check chk_00000000000000000000000000000000.' } },
  },
  413: {
    key: '413',
    name: 'PayloadTooLarge',
    description: `The body is over ${MAX_BODY_BYTES} bytes (\`PAYLOAD_TOO_LARGE\`).`,
    schema: ref('ErrorBody'),
    example: { error: { code: 'PAYLOAD_TOO_LARGE', message: `Request body is 1100029 bytes; the limit is ${MAX_BODY_BYTES}.` } },
  },
  415: {
    key: '415',
    name: 'UnsupportedMediaType',
    description: 'The body is not `application/json` (or, for the batch route, `text/csv`) (`UNSUPPORTED_MEDIA_TYPE`).',
    schema: ref('ErrorBody'),
    example: { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json (got application/x-www-form-urlencoded).' } },
  },
  422: {
    key: '422',
    name: 'UdiInvalid',
    description: 'The UDI does not parse; `code` is the parser\'s stable code (docs/udi.md) and `details[0].path` names the field (`query.udi` or `body.udi`).',
    schema: ref('UdiErrorBody'),
    example: {
      error: {
        code: 'GTIN_CHECK_DIGIT',
        message: 'AI (01) GTIN: GTIN 00643169001764 has check digit 4, expected 3',
        requestId: 'f3c35e2b-dbda-46a6-bb9c-b9db4ecbd357',
        details: [{ path: 'query.udi', message: 'AI (01) GTIN: GTIN 00643169001764 has check digit 4, expected 3 (at character 18)' }],
      },
    },
  },
  500: {
    key: '5XX',
    name: 'ServerError',
    description: 'A failure on our side (`INTERNAL`, or `STORE_UNAVAILABLE` / `UPSTREAM_UNAVAILABLE` when a dependency is down); the message never carries internals. API Gateway\'s own 5xx answers are `{"message": …}`.',
    schema: { anyOf: [ref('ErrorBody'), ref('GatewayError')] },
    example: { error: { code: 'INTERNAL', message: 'Internal error.', requestId: '85337fcd-2abc-423f-abea-24d40eeceed2' } },
  },
};

const TAGS = [
  { name: 'meta', description: 'Health and this document (public).' },
  { name: 'udi', description: 'UDI parsing and validation (scope `check`).' },
  { name: 'checks', description: 'Authenticity, recall and advisory checks, stored for audit (scope `check`).' },
  { name: 'devices', description: 'Device and recall look-ups from the FDA mirror (scope `check`).' },
  { name: 'admin', description: 'Aliases, authorised suppliers and API keys (scope `admin`).' },
];

/** Query or path parameters from a zod object schema (its input JSON schema). */
function parameters(schema: z.ZodType, where: 'query' | 'path', notes: Record<string, string> = {}): JsonSchema[] {
  const json = bare(z.toJSONSchema(schema, { ...JSON_SCHEMA_OPTIONS, io: 'input' }) as JsonSchema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    const text = [description, notes[name]].filter(Boolean).join(' ');
    return {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      ...(text ? { description: text } : {}),
      schema: rest,
    };
  });
}

const REQUEST_ID_HEADER = { $ref: '#/components/headers/RequestId' };

function operation(route: RouteDefinition, op: Operation): JsonSchema {
  const params = [...(op.path ? parameters(op.path, 'path') : []), ...(op.query ? parameters(op.query, 'query', op.queryNotes) : [])];
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(op.success)) {
    const content: Record<string, unknown> = {};
    if (r.schema) content['application/json'] = { schema: ref(r.schema) };
    if (r.csv) content['text/csv'] = { schema: { type: 'string', description: r.csv } };
    responses[status] = {
      description: r.description,
      headers: { 'x-request-id': REQUEST_ID_HEADER, ...r.headers },
      ...(Object.keys(content).length ? { content } : {}),
    };
  }
  for (const status of op.errors) {
    const e = ERROR_RESPONSES[status];
    responses[e.key] = { $ref: `#/components/responses/${e.name}` };
  }
  const scope = route.auth === 'public' ? undefined : route.auth;
  const description = [op.description, scope ? `Needs an API key with the \`${scope}\` scope.` : 'Public: no API key.'].filter(Boolean).join('\n\n');
  return {
    operationId: op.operationId,
    summary: op.summary,
    description,
    tags: [op.tag],
    security: scope ? [{ bearerAuth: [scope] }, { apiKeyHeader: [scope] }] : [],
    ...(scope ? { 'x-required-scope': scope } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref(op.body.json) },
              ...(op.body.csv ? { 'text/csv': { schema: { type: 'string', description: op.body.csv.description }, example: op.body.csv.example } } : {}),
            },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document for `routes` (default: the routes table). Throws when a route has no entry in
 * OPERATIONS, so a route cannot be deployed undocumented.
 */
export function buildOpenApi(routes: readonly RouteDefinition[] = ROUTES): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const key = routeKey(route);
    const op = OPERATIONS[key];
    if (!op) throw new Error(`No OpenAPI entry for ${key}: add one to OPERATIONS in lib/http/openapi.ts.`);
    const item = (paths[route.path] ??= {});
    const method = route.method.toLowerCase();
    if (item[method]) throw new Error(`${key} is in the routes table twice.`);
    item[method] = operation(route, op);
  }
  const used = new Set(Object.values(OPERATIONS).flatMap((op) => op.errors));
  return {
    openapi: '3.1.0',
    info: {
      title: 'udi-sentinel',
      version: pkg.version,
      summary: 'Is this medical device what it claims to be?',
      description:
        'UDI validation, an FDA mirror, authenticity checks, recall and advisory alerts. ' +
        `Limits: request bodies up to ${MAX_BODY_BYTES} bytes (1 MB), UDIs up to ${MAX_UDI_LENGTH} characters, batches up to ${MAX_BATCH_LINES} lines. ` +
        'Errors share one body: `{ "error": { "code", "message", "details"?, "requestId"? } }`. See docs/api.md and docs/auth.md.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/', description: 'The host serving this document.' }],
    tags: TAGS,
    paths,
    components: {
      schemas: componentSchemas('output'),
      responses: Object.fromEntries(
        (Object.keys(ERROR_RESPONSES).map(Number) as Status[])
          .filter((s) => used.has(s))
          .map((s) => {
            const e = ERROR_RESPONSES[s];
            return [e.name, { description: e.description, headers: { 'x-request-id': REQUEST_ID_HEADER }, content: { 'application/json': { schema: e.schema, example: e.example } } }];
          }),
      ),
      headers: {
        RequestId: { description: 'The request id (API Gateway request id); also in error bodies as `error.requestId`.', schema: { type: 'string' } },
      },
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'uds_<keyId>_<secret>', description: '`Authorization: Bearer uds_…` (docs/auth.md).' },
        apiKeyHeader: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description: '`x-api-key: uds_…`. Either header may be used; if both are sent they must carry the same key. In AWS, send both (authorizer identity sources; docs/auth.md).',
        },
      },
    },
  };
}
