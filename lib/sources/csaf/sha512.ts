/** Integrity of CSAF files: CISA publishes `<file>.sha512` next to each advisory. */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The hex digest from a published `.sha512` file: `<hex>  <filename>` (sha512sum format, optional `*` binary
 * marker) or bare hex; surrounding whitespace ignored. Undefined when no 128-hex-digit digest leads the text.
 */
export function parseSha512File(text: string): string | undefined {
  const m = /^\s*([0-9a-fA-F]{128})(?:\s+\*?\S.*)?\s*$/s.exec(text);
  return m ? (m[1] as string).toLowerCase() : undefined;
}

/**
 * Does `bytes` hash to the published SHA-512? `published` may be the `.sha512` file's whole text or the bare
 * hex. Compared in constant time; a malformed published value is `false`, never a throw.
 */
export function verifySha512(bytes: Uint8Array | string, published: string): boolean {
  const expectedHex = parseSha512File(published);
  if (expectedHex === undefined) return false;
  const actual = createHash('sha512').update(bytes).digest();
  const expected = Buffer.from(expectedHex, 'hex');
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}
