import { request } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHost, type ApiHost, type LambdaHandler } from '../../lib/local/api-host.js';
import type { RouteDefinition } from '../../lib/http/routes.js';

const base: Omit<RouteDefinition, 'method' | 'path' | 'functionName'> = {
  entry: 'unused',
  auth: 'public',
  timeoutSeconds: 5,
  memoryMb: 128,
};
const routes: RouteDefinition[] = [
  { ...base, method: 'GET', path: '/echo/{id}', functionName: 'echo' },
  { ...base, method: 'POST', path: '/echo/{id}', functionName: 'echo' },
  { ...base, method: 'GET', path: '/files/{proxy+}', functionName: 'echo' },
  { ...base, method: 'GET', path: '/respond', functionName: 'respond' },
  { ...base, method: 'GET', path: '/inferred', functionName: 'inferred' },
];

const handlers: Record<string, LambdaHandler> = {
  echo: async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) }),
  respond: async () => ({
    statusCode: 201,
    headers: { 'X-Custom': 'yes', 'content-type': 'application/octet-stream' },
    cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
    isBase64Encoded: true,
    body: Buffer.from([0, 1, 2, 255]).toString('base64'),
  }),
  inferred: async () => ({ hello: 'world' }) as never,
};

let host: ApiHost;
beforeAll(async () => {
  host = await startApiHost({ routes, root: '.', loadHandler: async (r) => handlers[r.functionName] as LambdaHandler });
});
afterAll(() => host.close());

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw HTTP request, so tests control duplicate headers, cookies and bytes exactly. */
function send(method: string, path: string, headers: [string, string][] = [], body?: Buffer): Promise<Raw> {
  return new Promise((resolve, reject) => {
    // A raw header array is sent as is: Node adds no Host header of its own.
    const flat = [['Host', new URL(host.url).host], ...headers].flat();
    const req = request(`${host.url}${path}`, { method, headers: flat as unknown as Record<string, string> }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const eventOf = (r: Raw) => JSON.parse(r.body.toString('utf8')) as APIGatewayProxyEventV2;

describe('local API host: request → HTTP API payload 2.0 event', () => {
  it('carries route key, path, decoded path parameters and the raw query string', async () => {
    const r = await send('GET', '/echo/K101692%2FA?x=1&y=two%20words&x=3');
    expect(r.status).toBe(200);
    const e = eventOf(r);
    expect(e.version).toBe('2.0');
    expect(e.routeKey).toBe('GET /echo/{id}');
    expect(e.rawPath).toBe('/echo/K101692%2FA');
    expect(e.pathParameters).toEqual({ id: 'K101692/A' });
    expect(e.rawQueryString).toBe('x=1&y=two%20words&x=3');
    // HTTP API joins repeated query parameters with commas.
    expect(e.queryStringParameters).toEqual({ x: '1,3', y: 'two words' });
    expect(e.requestContext.http.method).toBe('GET');
    expect(e.requestContext.stage).toBe('$default');
    expect(e.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('greedy {proxy+} parameters take the rest of the path', async () => {
    const e = eventOf(await send('GET', '/files/a/b/c.json'));
    expect(e.pathParameters).toEqual({ proxy: 'a/b/c.json' });
  });

  it('lower-cases header names, joins repeats with commas, and moves cookies to cookies[]', async () => {
    const e = eventOf(
      await send('GET', '/echo/1', [
        ['X-Api-Key', 'k1'],
        ['X-Multi', 'a'],
        ['X-Multi', 'b'],
        ['Cookie', 'session=abc; theme=dark'],
      ]),
    );
    expect(e.headers['x-api-key']).toBe('k1');
    expect(e.headers['x-multi']).toBe('a,b');
    expect(e.headers.cookie).toBeUndefined();
    expect(e.cookies).toEqual(['session=abc', 'theme=dark']);
  });

  it('passes text bodies as text and binary bodies base64-encoded', async () => {
    const text = eventOf(await send('POST', '/echo/1', [['Content-Type', 'application/json']], Buffer.from('{"udi":"\u001d01"}')));
    expect(text.isBase64Encoded).toBe(false);
    expect(text.body).toBe('{"udi":"\u001d01"}');
    const bytes = Buffer.from([0x00, 0xff, 0x10, 0x80]);
    const bin = eventOf(await send('POST', '/echo/1', [['Content-Type', 'application/octet-stream']], bytes));
    expect(bin.isBase64Encoded).toBe(true);
    expect(Buffer.from(bin.body ?? '', 'base64').equals(bytes)).toBe(true);
  });

  it('writes status, headers, cookies and base64 bodies back faithfully', async () => {
    const r = await send('GET', '/respond');
    expect(r.status).toBe(201);
    expect(r.headers['x-custom']).toBe('yes');
    expect(r.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect([...r.body]).toEqual([0, 1, 2, 255]);
  });

  it('infers a 200 JSON response from a plain returned object, as payload 2.0 does', async () => {
    const r = await send('GET', '/inferred');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body.toString())).toEqual({ hello: 'world' });
  });

  it('refuses bodies over 1 MB with 413, declared or streamed', async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 0x61);
    const declared = await send('POST', '/echo/1', [['Content-Type', 'text/plain'], ['Content-Length', String(big.length)]], big);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body.toString()).error.code).toBe('PAYLOAD_TOO_LARGE');
    const streamed = await send('POST', '/echo/1', [['Content-Type', 'text/plain'], ['Transfer-Encoding', 'chunked']], big);
    expect(streamed.status).toBe(413);
    // Exactly at the limit is accepted.
    const atLimit = await send('POST', '/echo/1', [['Content-Type', 'text/plain']], Buffer.alloc(1024 * 1024, 0x61));
    expect(atLimit.status).toBe(200);
  });

  it('answers 404 for unknown paths and 405 for a known path with another method', async () => {
    const missing = await send('GET', '/nope');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).error.code).toBe('NOT_FOUND');
    const wrong = await send('DELETE', '/echo/1');
    expect(wrong.status).toBe(405);
  });
});
