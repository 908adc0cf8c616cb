import { apiHandler, jsonBody, queryParams } from '../../lib/http/api.js';
import { parseForApi, udiParseBody, udiParseQuery } from '../../lib/http/udi-parse.js';

/**
 * GET /v1/udi/parse?udi=…  and  POST /v1/udi/parse {"udi": "…"} (for strings with GS bytes).
 * 200 with the parsed UDI; 422 with the parser's error code when the UDI is invalid.
 */
export const handler = apiHandler(async (event) => {
  const input = event.requestContext.http.method === 'POST' ? jsonBody(event, udiParseBody).udi : queryParams(event, udiParseQuery).udi;
  const path = event.requestContext.http.method === 'POST' ? 'body.udi' : 'query.udi';
  return { status: 200, body: { udi: parseForApi(input, path) } };
});
