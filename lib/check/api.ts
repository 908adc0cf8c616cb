import { z } from 'zod';
import type { Runtime } from '../runtime.js';
import { BadRequestError, NotFoundError, UnsupportedMediaTypeError, ValidationError } from '../errors.js';
import { bodyBytes, jsonBody, pathParams, queryParams, type ApiEvent, type HttpResult } from '../http/api.js';
import type { CheckCaller } from './audit-repo.js';
import { parseCsv, toCsv } from './csv.js';
import { performCheck } from './service.js';
import { checkInputSchema, type CheckInput, type CheckResult } from './types.js';

export const MAX_BATCH_LINES = 500;
const BATCH_CONCURRENCY = 8;

export const batchBodySchema = z.object({ items: z.array(z.unknown()).min(1, 'give at least one line').max(MAX_BATCH_LINES, `a batch is at most ${MAX_BATCH_LINES} lines`) }).strict();

export const listQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }).or(z.iso.date()),
    to: z.iso.datetime({ offset: true }).or(z.iso.date()),
    decision: z.enum(['accept', 'review', 'reject']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(2000).optional(),
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

export const checkIdSchema = z.object({ id: z.string().regex(/^chk_[0-9a-f]{32}$/, 'not a check id') });

const deps = (rt: Runtime) => ({ evidence: rt.evidence, audit: rt.audit });

/** Storage attributes (keys, index keys, content hash, raw upstream record) are not part of any answer. */
export function withoutStorage(item: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, hash: _h, raw: _r, entity: _e, v: _v, ...rest } = item;
  return rest;
}

/** The public view of a result (what the API returns and the CLI prints). */
export function present(result: CheckResult) {
  return {
    id: result.id,
    checkedAt: result.checkedAt,
    decision: result.decision,
    findings: result.findings,
    input: result.input,
    udi: result.udi,
    device: withoutStorage(result.device),
    family: result.family,
    dataAsOf: result.dataAsOf,
  };
}

export async function postCheck(rt: Runtime, event: ApiEvent, caller: CheckCaller): Promise<HttpResult> {
  const input = jsonBody(event, checkInputSchema);
  const result = await performCheck(deps(rt), input, caller);
  return { status: 201, body: present(result), headers: { location: `/v1/checks/${result.id}` } };
}

type Line = { line: number; input: unknown };

function batchLines(event: ApiEvent): Line[] {
  const type = (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'text/csv') {
    const rows = parseCsv(bodyBytes(event).toString('utf8'));
    const [header, ...data] = rows;
    const cols = (header ?? []).map((h) => h.trim().toLowerCase());
    for (const required of ['udi', 'manufacturer']) {
      if (!cols.includes(required)) throw new ValidationError('The CSV needs a header row with udi,manufacturer[,supplier,po].', [{ path: 'body.header', message: `missing column "${required}"` }]);
    }
    if (data.length === 0) throw new ValidationError('The CSV has no lines after its header.', [{ path: 'body', message: 'no lines' }]);
    if (data.length > MAX_BATCH_LINES) throw new ValidationError(`A batch is at most ${MAX_BATCH_LINES} lines.`, [{ path: 'body', message: `${data.length} lines` }]);
    return data.map((row, i) => {
      const get = (c: string) => {
        const v = row[cols.indexOf(c)];
        return v === undefined || v.trim() === '' ? undefined : v;
      };
      return { line: i + 2, input: { udi: get('udi'), manufacturer: get('manufacturer'), supplier: get('supplier'), poNumber: get('po') ?? get('ponumber') } };
    });
  }
  if (type !== 'application/json') throw new UnsupportedMediaTypeError('Send a batch as application/json ({"items":[…]}) or text/csv (udi,manufacturer,supplier,po).');
  return jsonBody(event, batchBodySchema).items.map((input, i) => ({ line: i + 1, input }));
}

/** Run many checks; each line is checked and stored on its own, and a bad line does not fail the batch. */
export async function postBatch(rt: Runtime, event: ApiEvent, caller: CheckCaller): Promise<HttpResult> {
  const lines = batchLines(event);
  const results: ({ line: number } & ({ result: ReturnType<typeof present> } | { error: { code: string; message: string; details: { path: string; message: string }[] } }))[] = new Array(lines.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < lines.length; i = next++) {
      const { line, input } = lines[i] as Line;
      const parsed = checkInputSchema.safeParse(input);
      if (!parsed.success) {
        results[i] = {
          line,
          error: { code: 'VALIDATION_FAILED', message: 'This line is invalid.', details: parsed.error.issues.map((is) => ({ path: [`items[${line - 1}]`, ...is.path.map(String)].join('.'), message: is.message })) },
        };
        continue;
      }
      results[i] = { line, result: present(await performCheck(deps(rt), parsed.data as CheckInput, caller)) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, lines.length) }, worker));
  const summary = { lines: lines.length, accept: 0, review: 0, reject: 0, invalid: 0 };
  for (const r of results) {
    if ('error' in r) summary.invalid++;
    else summary[r.result.decision]++;
  }
  return { status: 200, body: { summary, results } };
}

export async function getCheck(rt: Runtime, event: ApiEvent): Promise<HttpResult> {
  const { id } = pathParams(event, checkIdSchema);
  const record = await rt.audit.get(id);
  if (!record) throw new NotFoundError(`No check ${id}.`);
  return { status: 200, body: { ...present(record), caller: record.caller } };
}

export async function listChecks(rt: Runtime, event: ApiEvent): Promise<HttpResult> {
  const q = queryParams(event, listQuerySchema);
  const toBound = (v: string, end: boolean) => (v.length === 10 ? `${v}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : new Date(v).toISOString());
  let page;
  try {
    page = await rt.audit.list({ from: toBound(q.from, false), to: toBound(q.to, true), decision: q.decision, limit: q.limit, cursor: q.cursor });
  } catch (err) {
    if (err instanceof SyntaxError || (err as Error).message?.includes('JSON')) throw new BadRequestError('The cursor is not valid.', [{ path: 'query.cursor', message: 'not a cursor from this API' }]);
    throw err;
  }
  const accept = (event.headers?.accept ?? '').toLowerCase();
  if (accept.includes('text/csv')) {
    const rows = page.items.map((c) => [c.id, c.checkedAt, c.decision, c.input.udi ?? c.input.di, c.input.manufacturer, c.input.supplier, c.input.poNumber, c.findings.map((f) => f.code).join(' '), c.caller?.principal]);
    return {
      status: 200,
      contentType: 'text/csv; charset=utf-8',
      headers: page.cursor ? { 'x-next-cursor': page.cursor } : {},
      body: toCsv(['id', 'checkedAt', 'decision', 'udi', 'manufacturer', 'supplier', 'po', 'findings', 'caller'], rows),
    };
  }
  return { status: 200, body: { items: page.items.map((c) => ({ ...present(c), caller: c.caller })), ...(page.cursor ? { nextCursor: page.cursor } : {}) } };
}
