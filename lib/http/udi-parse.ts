import { z } from 'zod';
import { UdiInvalidError } from '../errors.js';
import { MAX_UDI_LENGTH, parseUdi, type Udi } from '../udi/index.js';

export const udiParseQuery = z.object({
  udi: z.string().min(1, 'udi is required').max(MAX_UDI_LENGTH, `UDIs are at most ${MAX_UDI_LENGTH} characters`),
});
export const udiParseBody = udiParseQuery.strict();

/** Parse for the API: the parsed UDI, or a 422 naming the field. */
export function parseForApi(input: string, path: string): Udi {
  const result = parseUdi(input);
  if (!result.ok) throw new UdiInvalidError(result.error.code, result.error.message, path, result.error.position);
  return result.udi;
}
