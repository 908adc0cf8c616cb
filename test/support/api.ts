import { ApiKeyRepository } from '../../lib/auth/keys.js';
import { createLocalAuthorizer } from '../../lib/auth/local-authorizer.js';
import { useConfig } from '../../lib/config.js';
import { ROUTES } from '../../lib/http/routes.js';
import { startApiHost, type ApiHost } from '../../lib/local/api-host.js';
import { REPO_ROOT } from '../../lib/paths.js';
import type { Runtime } from '../../lib/runtime.js';

export interface TestApi {
  host: ApiHost;
  /** A fresh API key with these scopes (plaintext). */
  key(...scopes: string[]): Promise<string>;
  /** fetch against the host with `Authorization: Bearer <key>`. */
  call(path: string, init?: RequestInit & { key?: string }): Promise<Response>;
}

/** The real routes and handlers behind the local host, with the real authorizer, on a test runtime. */
export async function startTestApi(rt: Runtime): Promise<TestApi> {
  // Handlers read the process configuration, as in Lambda.
  useConfig(rt.config);
  const keys = new ApiKeyRepository(rt.clients.doc, rt.config.RECORDS_TABLE);
  const host = await startApiHost({ routes: ROUTES, root: REPO_ROOT, authorize: createLocalAuthorizer(() => keys) });
  return {
    host,
    key: async (...scopes) => (await keys.create({ name: `test-${scopes.join('-')}`, scopes })).key,
    call: (path, init = {}) => {
      const { key, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (key) headers.set('authorization', `Bearer ${key}`);
      return fetch(`${host.url}${path}`, { ...rest, headers });
    },
  };
}
