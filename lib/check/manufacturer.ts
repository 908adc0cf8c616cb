import { normalizeFirmName } from '../domain/names.js';

/** An organisation-maintained alias: `name` is known also as `aliasOf` (parent/subsidiary, renamed firm). */
export interface Alias {
  name: string;
  aliasOf: string;
  note?: string;
}

export type NameMatch =
  | { kind: 'exact'; name: string }
  | { kind: 'alias'; name: string; via: string }
  | { kind: 'similar'; name: string; score: number }
  | { kind: 'none'; best?: { name: string; score: number } };

/**
 * Similarity at which two normalised firm names are taken as the same firm. Chosen on real variants in
 * the openFDA data (see test/unit/check/manufacturer.test.ts): "Nuvasive" / "NuVasive Incorporated",
 * "Becton Dickinson & Co." / "BECTON, DICKINSON AND COMPANY" normalise equal; one-token typos and
 * dropped words ("Arrow Intl" / "Arrow International") score ≥ 0.8; real different firms sharing words
 * ("American Contract Systems" / "American Surgical Company") score ≤ 0.67. Table in docs/checks.md.
 */
export const SIMILARITY_THRESHOLD = 0.8;

const GENERIC = new Set(['medical', 'systems', 'system', 'health', 'healthcare', 'technologies', 'technology', 'international', 'intl', 'industries', 'devices', 'device', 'group', 'products', 'the', 'of', 'and', 'usa', 'us', 'america', 'surgical', 'instruments', 'labs', 'laboratories']);

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  const t = ` ${s} `;
  for (let i = 0; i < t.length - 1; i++) {
    const g = t.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** The words of a firm name that carry identity: normalised, generic words ("Medical", "Systems") dropped. */
export function distinctiveWords(name: string): string[] {
  return normalizeFirmName(name)
    .split(' ')
    .filter((w) => w !== '' && !GENERIC.has(w));
}

/** Sørensen–Dice over character bigrams of the distinctive (non-generic) words, 0…1. */
export function firmSimilarity(a: string, b: string): number {
  const na = normalizeFirmName(a);
  const nb = normalizeFirmName(b);
  if (na === nb) return 1;
  const distinctive = (n: string) => n.split(' ').filter((w) => !GENERIC.has(w)).join(' ') || n;
  const da = distinctive(na).replace(/\bintl\b/g, 'international');
  const db = distinctive(nb).replace(/\bintl\b/g, 'international');
  if (da === db) return 0.95;
  const ga = bigrams(da);
  const gb = bigrams(db);
  let overlap = 0;
  let total = 0;
  for (const [g, n] of ga) {
    overlap += Math.min(n, gb.get(g) ?? 0);
    total += n;
  }
  for (const n of gb.values()) total += n;
  return total === 0 ? 0 : (2 * overlap) / total;
}

/**
 * Names an alias table connects to `name` (both directions, transitively, at most four hops). The table is
 * entered where `name` is one of its names — equal after normalisation or similar (≥ SIMILARITY_THRESHOLD),
 * so "Tyco Healthcare" reaches the entry "Tyco Healthcare Group LP" and what it is an alias of.
 */
function aliasClosure(name: string, aliases: readonly Alias[]): Map<string, string> {
  const seen = new Map<string, string>([[normalizeFirmName(name), name]]);
  for (const a of aliases) {
    for (const raw of [a.name, a.aliasOf]) {
      const key = normalizeFirmName(raw);
      if (!seen.has(key) && firmSimilarity(name, raw) >= SIMILARITY_THRESHOLD) seen.set(key, raw);
    }
  }
  let frontier = [...seen.keys()];
  for (let depth = 0; depth < 4 && frontier.length; depth++) {
    const next: string[] = [];
    for (const a of aliases) {
      const x = normalizeFirmName(a.name);
      const y = normalizeFirmName(a.aliasOf);
      for (const [from, to, raw] of [[x, y, a.aliasOf], [y, x, a.name]] as const) {
        if (frontier.includes(from) && !seen.has(to)) {
          seen.set(to, raw);
          next.push(to);
        }
      }
    }
    frontier = next;
  }
  return seen;
}

/** Does the claimed manufacturer name the firm `candidate`? Exact after normalisation, via aliases, or similar. */
export function matchFirm(claimed: string, candidate: string, aliases: readonly Alias[] = []): NameMatch {
  const nc = normalizeFirmName(claimed);
  if (nc === '' ) return { kind: 'none' };
  if (nc === normalizeFirmName(candidate)) return { kind: 'exact', name: candidate };
  const closure = aliasClosure(claimed, aliases);
  const viaAlias = closure.get(normalizeFirmName(candidate));
  if (viaAlias !== undefined) return { kind: 'alias', name: candidate, via: [...closure.values()].find((v) => normalizeFirmName(v) !== nc) ?? viaAlias };
  let best = 0;
  for (const variant of closure.values()) best = Math.max(best, firmSimilarity(variant, candidate));
  if (best >= SIMILARITY_THRESHOLD) return { kind: 'similar', name: candidate, score: Math.round(best * 100) / 100 };
  return { kind: 'none', best: { name: candidate, score: Math.round(best * 100) / 100 } };
}

export const isMatch = (m: NameMatch): boolean => m.kind !== 'none';
