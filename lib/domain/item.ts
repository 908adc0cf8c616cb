import { createHash } from 'node:crypto';

/** Where an item came from. `synthetic` marks constructed sample data, never real FDA records. */
export type ItemSource = 'openfda' | 'gudid-xml' | 'accessgudid' | 'cisa-csaf' | 'fda-rss' | 'synthetic';

/** Attributes every stored item carries. */
export interface BaseItem {
  pk: string;
  sk: string;
  entity: string;
  /** Schema version of this entity's item shape. */
  v: number;
  source: ItemSource;
  /** The upstream's own version date for the record (e.g. openFDA `public_version_date`, report date). */
  sourceDate?: string;
  /** Content hash of everything but `hash` and `ingestedAt`: unchanged records are not rewritten. */
  hash: string;
  ingestedAt?: string;
  [attribute: string]: unknown;
}

export type ItemWithoutHash = Omit<BaseItem, 'hash'>;

/** Canonical JSON (sorted keys, undefined dropped) so equal content always hashes equal. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function contentHash(item: Record<string, unknown>): string {
  const { hash: _hash, ingestedAt: _ingestedAt, ...content } = item;
  return createHash('sha256').update(canonicalJson(content)).digest('base64url').slice(0, 22);
}

/** Seal an item: compute its content hash. */
export function withHash<T extends ItemWithoutHash>(item: T): T & { hash: string } {
  return { ...item, hash: contentHash(item) };
}
