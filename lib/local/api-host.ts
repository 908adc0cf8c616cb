import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { errorResponse } from '../http/errors.js';
import { MAX_BODY_BYTES } from '../http/api.js';
import { routeKey, type RouteDefinition } from '../http/routes.js';
import { MethodNotAllowedError, NotFoundError, PayloadTooLargeError, UnauthorizedError } from '../errors.js';
import type { LocalAuthorizer } from '../auth/local-authorizer.js';

export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

export interface ApiHostOptions {
  routes: readonly RouteDefinition[];
  /** Repository root that route entries are relative to. */
  root: string;
  port?: number;
  host?: string;
  /** Override how a route's handler is loaded (tests). */
  loadHandler?: (route: RouteDefinition) => Promise<LambdaHandler>;
  /**
   * Runs before every non-public route, as the Lambda authorizer does in AWS (the same authorize() code).
   * Without one, non-public routes are refused: a misconfigured host fails closed.
   */
  authorize?: LocalAuthorizer;
}

export interface ApiHost {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

interface CompiledRoute {
  route: RouteDefinition;
  segments: string[];
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|application\/[\w.+-]+\+(json|xml))/i;

/** Match a path against `{param}` / `{proxy+}` templates. */
function match(compiled: CompiledRoute, parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < compiled.segments.length; i++) {
    const seg = compiled.segments[i] as string;
    if (seg.endsWith('+}')) {
      if (i >= parts.length) return undefined;
      params[seg.slice(1, -2)] = parts.slice(i).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.startsWith('{')) params[seg.slice(1, -1)] = part;
    else if (seg !== part) return undefined;
  }
  return parts.length === compiled.segments.length ? params : undefined;
}

const literalCount = (c: CompiledRoute) => c.segments.filter((seg) => !seg.startsWith('{')).length;

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Build an API Gateway HTTP API payload v2.0 event, as API Gateway would. */
export function toEvent(
  req: IncomingMessage,
  body: Buffer,
  route: RouteDefinition,
  pathParameters: Record<string, string>,
): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] as string).toLowerCase();
    const value = req.rawHeaders[i + 1] as string;
    if (name === 'cookie') {
      cookies.push(...value.split(';').map((c) => c.trim()).filter(Boolean));
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const contentType = headers['content-type'] ?? '';
  const isText = TEXT_TYPES.test(contentType);
  const now = new Date();
  const rawQueryString = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: routeKey(route),
    rawPath: url.pathname,
    rawQueryString,
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: routeKey(route),
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
  if (cookies.length) event.cookies = cookies;
  if (Object.keys(query).length) event.queryStringParameters = query;
  if (Object.keys(pathParameters).length) event.pathParameters = pathParameters;
  if (body.length) {
    event.body = isText ? body.toString('utf8') : body.toString('base64');
    event.isBase64Encoded = !isText;
  }
  return event;
}

function lambdaContext(route: RouteDefinition, requestId: string): Context {
  const deadline = Date.now() + route.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `local-${route.functionName}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:local-${route.functionName}`,
    memoryLimitInMB: String(route.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/local-${route.functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Write a handler result back as API Gateway does (structured or inferred v2 response). */
export function writeResult(res: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    // Payload v2 inference: anything that is not a structured response is a 200 JSON body.
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    return;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  res.writeHead(result.statusCode ?? 200, headers).end(body);
}

function sendError(res: ServerResponse, error: unknown): void {
  const result = errorResponse(error);
  res
    .writeHead(result.status, { 'content-type': 'application/json; charset=utf-8', ...(result.status === 413 ? { connection: 'close' } : {}) })
    .end(JSON.stringify(result.body));
}

/** Read the body, refusing more than the limit without buffering it. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(new PayloadTooLargeError(`Request body is ${declared} bytes; the limit is ${MAX_BODY_BYTES}.`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        reject(new PayloadTooLargeError(`Request body exceeds the limit of ${MAX_BODY_BYTES} bytes.`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => failed || resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * A node:http server that turns requests into API Gateway HTTP API (payload 2.0) events and invokes the
 * real handlers from functions/, routed by the same table the CDK app deploys.
 */
export async function startApiHost(options: ApiHostOptions): Promise<ApiHost> {
  const compiled: CompiledRoute[] = options.routes.map((route) => ({
    route,
    segments: route.path.split('/').filter(Boolean),
  }));
  const handlers = new Map<string, Promise<LambdaHandler>>();
  const load =
    options.loadHandler ??
    (async (route: RouteDefinition) => {
      const mod = (await import(pathToFileURL(resolve(options.root, route.entry)).href)) as { handler: LambdaHandler };
      return mod.handler;
    });
  const handlerFor = (route: RouteDefinition) => {
    // Routes that share a function name share one loaded handler, as they share one Lambda.
    let h = handlers.get(route.functionName);
    if (!h) {
      h = load(route);
      handlers.set(route.functionName, h);
    }
    return h;
  };

  const server = createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const parts = url.pathname.split('/').filter(Boolean).map(safeDecode);
        // API Gateway prefers the most specific route: more literal segments first (/v1/checks/batch over /v1/checks/{id}).
        const candidates = compiled
          .map((c) => ({ c, params: match(c, parts) }))
          .filter((m): m is { c: CompiledRoute; params: Record<string, string> } => m.params !== undefined)
          .sort((a, b) => literalCount(b.c) - literalCount(a.c));
        if (!candidates.length) throw new NotFoundError(`No route for ${req.method} ${url.pathname}.`);
        const hit = candidates.find((m) => m.c.route.method === req.method);
        if (!hit) throw new MethodNotAllowedError(`${req.method} is not allowed on ${url.pathname}.`);
        const body = await readBody(req);
        const event = toEvent(req, body, hit.c.route, hit.params);
        if (hit.c.route.auth !== 'public') {
          if (!options.authorize) throw new UnauthorizedError('This host has no authorizer configured; only public routes are served.');
          const context = await options.authorize(hit.c.route, event.headers);
          (event.requestContext as unknown as { authorizer: { lambda: unknown } }).authorizer = { lambda: context };
        }
        const handler = await handlerFor(hit.c.route);
        const result = await handler(event, lambdaContext(hit.c.route, event.requestContext.requestId));
        writeResult(res, result);
      } catch (err) {
        // A handler that throws past its own middy chain is a Lambda failure: API Gateway answers 500.
        if (!res.headersSent) sendError(res, err);
        else res.destroy();
      }
    })();
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((r, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => r());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host === '0.0.0.0' ? 'localhost' : (options.host ?? '127.0.0.1')}:${port}`;
  return {
    server,
    url,
    port,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
