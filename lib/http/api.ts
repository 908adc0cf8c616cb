import middy from '@middy/core';
import httpSecurityHeaders from '@middy/http-security-headers';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { AppError, BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors.js';
import { logger } from '../observability.js';
import { errorResponse } from './errors.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpResult {
  status: number;
  /** Serialised as JSON unless it is already a string (then sent as is with `contentType`). */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  cookies?: string[];
}

export type ApiEvent = APIGatewayProxyEventV2;
export type ApiResponse = APIGatewayProxyStructuredResultV2;
export type RouteFunction = (event: ApiEvent, context: Context) => Promise<HttpResult>;

function toResponse(result: HttpResult): ApiResponse {
  const isText = typeof result.body === 'string';
  return {
    statusCode: result.status,
    headers: {
      'content-type': result.contentType ?? (isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8'),
      'cache-control': 'no-store',
      ...result.headers,
    },
    ...(result.cookies ? { cookies: result.cookies } : {}),
    body: result.body === undefined ? '' : isText ? (result.body as string) : JSON.stringify(result.body),
  };
}

/** Correlates logs and responses with the API Gateway request id. */
const requestId = (): middy.MiddlewareObj<ApiEvent, ApiResponse> => {
  const stamp = (request: middy.Request<ApiEvent, ApiResponse>) => {
    const id = request.event.requestContext?.requestId;
    if (request.response && id) request.response.headers = { ...request.response.headers, 'x-request-id': id };
  };
  return {
    before: (request) => {
      logger.appendKeys({ requestId: request.event.requestContext?.requestId, route: request.event.routeKey });
    },
    after: stamp,
    onError: stamp,
  };
};

/** The one mapping from errors to HTTP: AppErrors keep their status; anything else is a generic 500. */
const errorMapper = (): middy.MiddlewareObj<ApiEvent, ApiResponse> => ({
  onError: (request) => {
    const error = request.error;
    const id = request.event.requestContext?.requestId;
    if (error instanceof AppError && error.expose) {
      logger.info('request rejected', { code: error.code, status: error.status });
    } else {
      logger.error('request failed', error instanceof Error ? error : String(error));
    }
    request.response = toResponse(errorResponse(error, id));
  },
});

/**
 * Wrap a route function in the project's middy chain: Powertools logger context, request id,
 * security headers, JSON serialisation and error mapping.
 */
export function apiHandler(fn: RouteFunction) {
  return middy<ApiEvent, ApiResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestId())
    .use(httpSecurityHeaders())
    .use(errorMapper())
    .handler(async (event, context) => toResponse(await fn(event, context)));
}

/** Body bytes of an HTTP API event, enforcing the size limit on the decoded length. */
export function bodyBytes(event: ApiEvent): Buffer {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`Request body is ${bytes.length} bytes; the limit is ${MAX_BODY_BYTES}.`);
  }
  return bytes;
}

function header(event: ApiEvent, name: string): string | undefined {
  return event.headers?.[name];
}

function zodDetails(error: z.ZodError, prefix: string) {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

/** Parse a JSON body with a schema: 415 for other media types, 400 with field paths for bad content. */
export function jsonBody<S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> {
  const type = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new UnsupportedMediaTypeError(`Send the body as application/json (got ${type || 'no content type'}).`);
  }
  const text = bodyBytes(event).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`The body is not valid JSON: ${(err as Error).message}`, [
      { path: 'body', message: 'malformed JSON' },
    ]);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError('The request body is invalid.', zodDetails(parsed.error, 'body'));
  return parsed.data;
}

/** Parse query string parameters with a schema (400 with field paths). */
export function queryParams<S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw new ValidationError('The query parameters are invalid.', zodDetails(parsed.error, 'query'));
  return parsed.data;
}

/** Parse path parameters with a schema (400 with field paths). */
export function pathParams<S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> {
  const parsed = schema.safeParse(event.pathParameters ?? {});
  if (!parsed.success) throw new ValidationError('The path parameters are invalid.', zodDetails(parsed.error, 'path'));
  return parsed.data;
}
