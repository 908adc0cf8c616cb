import type { RouteDefinition } from '../http/routes.js';
import { runtime } from '../runtime.js';
import { authorize, type AuthorizeOptions } from './authorize.js';
import type { AuthContext } from './context.js';
import { ApiKeyRepository, type ApiKeySource } from './keys.js';

export type LocalAuthorizer = (route: RouteDefinition, headers: Readonly<Record<string, string | undefined>>) => Promise<AuthContext | undefined>;

/**
 * The local host's stand-in for the Lambda authorizer, running the same authorize(). Public routes give
 * undefined; others give the context API Gateway would put at `requestContext.authorizer.lambda`, or throw
 * UnauthorizedError (401) / ForbiddenError (403). Unlike API Gateway, which answers every denial with 403,
 * the local host can tell 401 from 403.
 */
export function createLocalAuthorizer(source: () => ApiKeySource, now: () => Date = () => new Date(), options?: AuthorizeOptions): LocalAuthorizer {
  let resolved: ApiKeySource | undefined;
  return async (route, headers) => {
    if (route.auth === 'public') return undefined;
    resolved ??= source();
    const caller = await authorize(headers, route.auth, resolved, now(), options);
    return { keyId: caller.keyId, scopes: caller.scopes };
  };
}

/** Uses the process runtime (the host calls useConfig() before serving), built on first use. */
export const localAuthorizer: LocalAuthorizer = createLocalAuthorizer(() => {
  const rt = runtime();
  return new ApiKeyRepository(rt.clients.doc, rt.config.RECORDS_TABLE);
});
