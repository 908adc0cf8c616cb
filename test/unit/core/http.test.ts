import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonBody, queryParams } from '../../../lib/http/api.js';
import { errorResponse } from '../../../lib/http/errors.js';
import { BadRequestError, ConfigError, NotFoundError, StoreUnavailableError, ValidationError } from '../../../lib/errors.js';

const event = (body: string | undefined, contentType = 'application/json', extra: Partial<APIGatewayProxyEventV2> = {}) =>
  ({ headers: { 'content-type': contentType }, body, isBase64Encoded: false, ...extra }) as APIGatewayProxyEventV2;

describe('error mapping', () => {
  it('keeps the status, code, message and field details of client errors', () => {
    const r = errorResponse(new ValidationError('bad', [{ path: 'body.udi', message: 'Required' }]), 'req-1');
    expect(r).toEqual({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', message: 'bad', details: [{ path: 'body.udi', message: 'Required' }], requestId: 'req-1' } },
    });
    expect(errorResponse(new NotFoundError('no such check')).status).toBe(404);
  });

  it('hides everything about unexpected errors behind a generic 500', () => {
    const r = errorResponse(new Error('ResourceNotFoundException: Requested resource not found: Table: secret-table'), 'req-2');
    expect(r).toEqual({ status: 500, body: { error: { code: 'INTERNAL', message: 'Internal error.', requestId: 'req-2' } } });
    expect(JSON.stringify(errorResponse(new ConfigError('REFERENCE_TABLE bad', ['x'])))).not.toContain('REFERENCE_TABLE');
  });

  it('maps a store outage to 503 without its message', () => {
    const r = errorResponse(new StoreUnavailableError('table udi-ref throttled'));
    expect(r.status).toBe(503);
    expect(JSON.stringify(r.body)).not.toContain('udi-ref');
  });
});

describe('request parsing', () => {
  const schema = z.object({ udi: z.string().max(10), count: z.number().int().optional() }).strict();

  it('parses a valid JSON body', () => {
    expect(jsonBody(event('{"udi":"abc","count":2}'), schema)).toEqual({ udi: 'abc', count: 2 });
  });

  it('decodes base64 bodies before parsing', () => {
    const e = event(Buffer.from('{"udi":"x"}').toString('base64'), 'application/json', { isBase64Encoded: true });
    expect(jsonBody(e, schema)).toEqual({ udi: 'x' });
  });

  it('rejects malformed JSON with a 400 that says so', () => {
    expect(() => jsonBody(event('{"udi":'), schema)).toThrow(BadRequestError);
  });

  it('rejects other media types with 415', () => {
    try {
      jsonBody(event('udi=x', 'application/x-www-form-urlencoded'), schema);
      expect.unreachable();
    } catch (err) {
      expect((err as { status: number }).status).toBe(415);
    }
  });

  it('reports each invalid field with its path', () => {
    try {
      jsonBody(event('{"udi":5,"count":1.5,"extra":true}'), schema);
      expect.unreachable();
    } catch (err) {
      const paths = (err as ValidationError).details.map((d) => d.path).sort();
      expect(paths).toEqual(['body', 'body.count', 'body.udi']);
    }
  });

  it('enforces the body limit on the decoded size', () => {
    const big = `{"udi":"${'a'.repeat(1024 * 1024)}"}`;
    expect(() => jsonBody(event(big), schema)).toThrow(/limit/);
  });

  it('validates query parameters with paths', () => {
    expect(() => queryParams({ queryStringParameters: { udi: 'x'.repeat(11) } } as never, schema)).toThrow(ValidationError);
  });
});
