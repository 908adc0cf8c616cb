import { requireCaller } from '../../lib/auth/context.js';
import { getDevice, listRecalls } from '../../lib/check/lookup.js';
import { apiHandler } from '../../lib/http/api.js';
import { runtime } from '../../lib/runtime.js';

/** GET /v1/devices/{di} and GET /v1/recalls — scope `check`. */
export const handler = apiHandler(async (event) => {
  requireCaller(event, 'check');
  return event.routeKey === 'GET /v1/recalls' ? listRecalls(runtime(), event) : getDevice(runtime(), event);
});
