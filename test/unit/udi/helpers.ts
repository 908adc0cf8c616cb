import type { ParseUdiResult } from '../../../lib/udi/index.js';

/** The parsed UDI, or a failure naming the error the parser gave. */
export function ok(r: ParseUdiResult) {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.udi;
}

/** The parser's error, or a failure showing what it accepted. */
export function fail(r: ParseUdiResult) {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.udi)}`);
  return r.error;
}
