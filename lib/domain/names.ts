/**
 * Firm-name normalisation shared by indexing (keys) and matching (the check). Case, punctuation,
 * diacritics and legal-form suffixes carry no identity: "Contec Medical Systems Co., Ltd." and
 * "CONTEC MEDICAL SYSTEMS CO LTD" are the same firm.
 */

const LEGAL_SUFFIXES = new Set([
  'inc', 'incorporated', 'llc', 'llp', 'lp', 'ltd', 'limited', 'co', 'company', 'corp', 'corporation',
  'gmbh', 'mbh', 'ag', 'kg', 'se', 'sa', 'spa', 'srl', 'sarl', 'sas', 'bv', 'nv', 'plc', 'pty', 'pte',
  'oy', 'ab', 'as', 'aps', 'kk', 'kft', 'sro', 'zoo', 'lda', 'ltda', 'sl', 'pvt', 'cv', 'de', 'sde',
]);

// Multi-word legal forms collapsed before tokenising ("S.p.A." → "spa", "Co., Ltd." handled by tokens).
const DOTTED = /\b([a-z])\.(?=[a-z]\.)|\b([a-z])\.(?=[a-z]\b)/g;

export function normalizeFirmName(name: string): string {
  const folded = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(DOTTED, '$1$2');
  const tokens = folded.split(/[^a-z0-9]+/).filter((t) => t.length > 0);
  // Strip legal suffixes from the end only: "Co" inside "Contec Co Medical" is part of the name.
  // "Becton Dickinson & Co." leaves a dangling "and" once "co" goes.
  while (tokens.length > 1 && (LEGAL_SUFFIXES.has(tokens.at(-1) as string) || tokens.at(-1) === 'and')) tokens.pop();
  return tokens.join(' ');
}

/** A key-safe form of a normalised name (spaces become hyphens). */
export function firmKey(name: string): string {
  return normalizeFirmName(name).replace(/ /g, '-');
}
