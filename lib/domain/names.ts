/**
 * Firm-name normalisation shared by indexing (keys) and matching (the check). Case, punctuation,
 * diacritics and legal-form suffixes carry no identity: "Contec Medical Systems Co., Ltd." and
 * "CONTEC MEDICAL SYSTEMS CO LTD" are the same firm.
 */

const LEGAL_SUFFIXES = new Set([
  'inc', 'incorporated', 'llc', 'llp', 'lp', 'ltd', 'limited', 'co', 'company', 'corp', 'corporation',
  'gmbh', 'mbh', 'ag', 'kg', 'se', 'sa', 'spa', 'srl', 'sarl', 'sas', 'bv', 'nv', 'plc', 'pty', 'pte',
  'oy', 'ab', 'as', 'aps', 'kk', 'kft', 'sro', 'zoo', 'lda', 'ltda', 'sl', 'pvt', 'cv', 'de', 'sde', 'kgaa', 'spzoo',
]);

// Letters NFKD does not decompose: without this "Brüel & Kjær" would lose the "æ" and never equal "Kjaer".
const FOLD: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ı: 'i', þ: 'th' };

// Multi-word legal forms collapsed before tokenising ("S.p.A." → "spa", "Co., Ltd." handled by tokens).
const DOTTED = /\b([a-z])\.(?=[a-z]\.)|\b([a-z])\.(?=[a-z]\b)/g;

export function normalizeFirmName(name: string): string {
  const folded = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[ßæœøłđıþ]/g, (c) => FOLD[c] ?? c)
    .replace(/&/g, ' and ')
    .replace(DOTTED, '$1$2');
  const tokens = folded.split(/[^a-z0-9]+/).filter((t) => t.length > 0);
  // Strip legal suffixes from the end only: "Co" inside "Contec Co Medical" is part of the name.
  // "Becton Dickinson & Co." leaves a dangling "and" once "co" goes.
  // A legal form written as separate letters ("S. p. A.", "A/S", "S.à r.l.", "Sp. z o.o.") is joined first.
  while (tokens.length > 1) {
    const last = tokens.at(-1) as string;
    if (LEGAL_SUFFIXES.has(last) || last === 'and') {
      tokens.pop();
      continue;
    }
    const k = [4, 3, 2].find((n) => tokens.length > n && tokens.slice(-n).every((t) => t.length <= 2) && LEGAL_SUFFIXES.has(tokens.slice(-n).join('')));
    if (k === undefined) break;
    tokens.splice(-k);
  }
  return tokens.join(' ');
}

/** A key-safe form of a normalised name (spaces become hyphens). */
export function firmKey(name: string): string {
  return normalizeFirmName(name).replace(/ /g, '-');
}

/**
 * Model-like tokens of a product name, used to connect CISA advisories to FDA listings: words that mix
 * letters and digits ("CMS8000 Patient Monitor" → cms8000; "MN-120" → mn120). Generic words carry no
 * identity and are dropped.
 */
export function modelTokens(name: string): string[] {
  const out = new Set<string>();
  const folded = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  // Join hyphenated model numbers ("mn-120", "cms-8000") before splitting on other separators.
  for (const raw of folded.replace(/([a-z0-9])-(?=[a-z0-9])/g, '$1').split(/[^a-z0-9]+/)) {
    if (raw.length >= 3 && /[a-z]/.test(raw) && /\d/.test(raw)) out.add(raw);
  }
  return [...out].sort();
}
