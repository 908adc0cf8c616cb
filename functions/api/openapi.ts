import { apiHandler } from '../../lib/http/api.js';
import { buildOpenApi } from '../../lib/http/openapi.js';

let json: string | undefined;

/** GET /openapi.json — public: the OpenAPI 3.1 description of the API (lib/http/openapi.ts), built once per instance. */
export const handler = apiHandler(async () => {
  json ??= JSON.stringify(buildOpenApi());
  return { status: 200, body: json, contentType: 'application/json; charset=utf-8', headers: { 'cache-control': 'public, max-age=300' } };
});
