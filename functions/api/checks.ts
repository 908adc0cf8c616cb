import { requireCaller } from '../../lib/auth/context.js';
import { getCheck, listChecks, postBatch, postCheck } from '../../lib/check/api.js';
import { apiHandler } from '../../lib/http/api.js';
import { runtime } from '../../lib/runtime.js';

/** POST /v1/checks, POST /v1/checks/batch, GET /v1/checks/{id}, GET /v1/checks — scope `check`. */
export const handler = apiHandler(async (event) => {
  const caller = requireCaller(event, 'check');
  const who = { principal: caller.keyId, channel: 'api' as const };
  switch (event.routeKey) {
    case 'POST /v1/checks':
      return postCheck(runtime(), event, who);
    case 'POST /v1/checks/batch':
      return postBatch(runtime(), event, who);
    case 'GET /v1/checks/{id}':
      return getCheck(runtime(), event);
    default:
      return listChecks(runtime(), event);
  }
});
