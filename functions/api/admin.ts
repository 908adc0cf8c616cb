import { requireCaller } from '../../lib/auth/context.js';
import { admin } from '../../lib/check/admin.js';
import { apiHandler } from '../../lib/http/api.js';
import { runtime } from '../../lib/runtime.js';

/** /v1/admin/* — aliases, authorised suppliers, API keys. Scope `admin`. */
export const handler = apiHandler(async (event) => admin(runtime(), event, requireCaller(event, 'admin').keyId));
