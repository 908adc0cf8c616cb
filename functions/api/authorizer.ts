import { ApiKeyRepository } from '../../lib/auth/keys.js';
import { createAuthorizerHandler } from '../../lib/auth/lambda-authorizer.js';
import { runtime } from '../../lib/runtime.js';

/**
 * HTTP API REQUEST authorizer (SIMPLE responses): checks the API key against the route's scope in
 * lib/http/routes.ts and passes `{ keyId, scopes }` to the integration. Logic lives in lib/auth.
 */
export const handler = createAuthorizerHandler({
  source: () => {
    const rt = runtime();
    return new ApiKeyRepository(rt.clients.doc, rt.config.RECORDS_TABLE);
  },
});
