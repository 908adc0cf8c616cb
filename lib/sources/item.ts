/** Building sealed items: the one place mappers turn attributes into a `BaseItem`. */
import { withHash, type BaseItem, type ItemSource } from '../domain/item.js';
import type { Key } from '../store/keys.js';
import { compact } from './normalize.js';

/** Schema version of every entity produced by lib/sources (bump per entity when its shape changes). */
export const ENTITY_VERSION = 1;

export interface MapOptions {
  /** Item source; defaults to the adapter's own (`openfda`, `gudid-xml`, `cisa-csaf`, `fda-rss`). */
  source?: ItemSource;
}

/**
 * A sealed item: key + entity + version + source + sourceDate + attributes, undefined attributes dropped,
 * content hash computed. Attribute names must not collide with the base ones (`pk`, `sk`, `entity`, …).
 */
export function sealItem(
  key: Key,
  entity: string,
  source: ItemSource,
  sourceDate: string | undefined,
  attributes: Record<string, unknown>,
): BaseItem {
  const item = compact({ ...attributes, pk: key.pk, sk: key.sk, entity, v: ENTITY_VERSION, source, sourceDate });
  return withHash(item as Omit<BaseItem, 'hash'>) as BaseItem;
}

/** The latest of some ISO dates (undefined when none). */
export function latestDate(...dates: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const d of dates) if (d !== undefined && (best === undefined || d > best)) best = d;
  return best;
}
