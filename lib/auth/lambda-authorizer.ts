import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerResult,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { AppError } from '../errors.js';
import { ROUTES, routeKey, type RouteDefinition, type Scope } from '../http/routes.js';
import { logger } from '../observability.js';
import { authorize, type AuthorizeOptions } from './authorize.js';
import type { AuthContext } from './context.js';
import type { ApiKeySource } from './keys.js';

export type AuthorizerResult = APIGatewaySimpleAuthorizerResult | APIGatewaySimpleAuthorizerWithContextResult<AuthContext>;

/** The scope a route requires, by API Gateway route key (`GET /v1/udi/parse`); undefined for public/unknown routes. */
export function requiredScopeFor(key: string, routes: readonly RouteDefinition[] = ROUTES): Scope | undefined {
  const route = routes.find((r) => routeKey(r) === key);
  return route && route.auth !== 'public' ? route.auth : undefined;
}

export interface AuthorizerDeps {
  /** Built lazily on the first call (configuration is read then, as in every handler). */
  source: () => ApiKeySource;
  routes?: readonly RouteDefinition[];
  now?: () => Date;
  options?: AuthorizeOptions;
}

/**
 * An HTTP API REQUEST authorizer with SIMPLE responses. Denials are `{ isAuthorized: false }` (API Gateway
 * answers 403). Store failures are thrown, so API Gateway answers 500 and does NOT cache a denial.
 * Logs carry the route, the error code and (when parsable) the key id — never a header value.
 */
export function createAuthorizerHandler(deps: AuthorizerDeps) {
  let source: ApiKeySource | undefined;
  return async (event: APIGatewayRequestAuthorizerEventV2): Promise<AuthorizerResult> => {
    const scope = requiredScopeFor(event.routeKey, deps.routes ?? ROUTES);
    if (scope === undefined) {
      // Fail closed: an authorizer attached to a route this table does not protect is a deploy mistake.
      logger.warn('api key authorizer called for an unprotected route', { routeKey: event.routeKey });
      return { isAuthorized: false };
    }
    source ??= deps.source();
    try {
      const caller = await authorize(event.headers ?? {}, scope, source, deps.now?.() ?? new Date(), deps.options);
      logger.debug('api key accepted', { routeKey: event.routeKey, keyId: caller.keyId });
      return { isAuthorized: true, context: { keyId: caller.keyId, scopes: caller.scopes } };
    } catch (err) {
      if (err instanceof AppError && (err.status === 401 || err.status === 403)) {
        logger.info('api key denied', { routeKey: event.routeKey, code: err.code, status: err.status });
        return { isAuthorized: false };
      }
      logger.error('api key check failed', { routeKey: event.routeKey, error: (err as { name?: string }).name ?? 'Error' });
      throw err;
    }
  };
}
