import { z } from 'zod';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { Scope } from '../http/routes.js';
import { KEY_ID_PATTERN, scopeSchema } from './keys.js';

/**
 * What the authorizer hands to the integration, at `event.requestContext.authorizer.lambda` — returned as
 * the SIMPLE response `context` by functions/api/authorizer.ts in AWS, and put there by the local host.
 */
export interface AuthContext {
  keyId: string;
  scopes: Scope[];
}

// Scopes arrive as a JSON array from our authorizer; accept a space/comma separated string too, so a
// context that went through a string-only hop still reads the same.
const scopesSchema = z.union([
  z.array(z.string()),
  z.string().transform((s) => s.split(/[\s,]+/).filter(Boolean)),
]);

const contextSchema = z.object({
  keyId: z.string().regex(KEY_ID_PATTERN),
  scopes: scopesSchema.transform((list) => list.flatMap((s) => (scopeSchema.safeParse(s).success ? [s as Scope] : []))),
});

/** The authorizer context of an API event, or undefined (public route, or no/garbled context). */
export function authContext(event: Pick<APIGatewayProxyEventV2, 'requestContext'>): AuthContext | undefined {
  const authorizer = (event.requestContext as { authorizer?: { lambda?: unknown } } | undefined)?.authorizer;
  const parsed = contextSchema.safeParse(authorizer?.lambda);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The caller of a non-public route; with `scope`, also re-checks the scope (defence in depth: an API Gateway
 * authorizer cache keyed only on the key headers would reuse one route's "allow" for another route).
 */
export function requireCaller(event: Pick<APIGatewayProxyEventV2, 'requestContext'>, scope?: Scope): AuthContext {
  const ctx = authContext(event);
  if (!ctx) throw new UnauthorizedError('This route needs an API key.');
  if (scope !== undefined && !ctx.scopes.includes(scope)) throw new ForbiddenError(`This API key lacks the "${scope}" scope.`);
  return ctx;
}
