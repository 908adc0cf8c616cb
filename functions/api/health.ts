import { healthReport } from '../../lib/health.js';
import { apiHandler } from '../../lib/http/api.js';
import { runtime } from '../../lib/runtime.js';

/** GET /health — public liveness, DynamoDB reachability and data freshness. 503 when the store is down. */
export const handler = apiHandler(async () => {
  const report = await healthReport(runtime());
  return { status: report.status === 'ok' ? 200 : 503, body: report };
});
