/**
 * FDA safety communications RSS 2.0 → `safety-communication` items at `SAFETY#<sha256(link) base64url, 16>`.
 * The link is the identity (titles get edited); description HTML is reduced to text.
 */
import { XMLParser } from 'fast-xml-parser';
import type { BaseItem } from '../../domain/item.js';
import { ref, refGsi1 } from '../../store/keys.js';
import { sealItem, type MapOptions } from '../item.js';
import { cleanString, isoDate, isoTimestamp, shortHash, stripHtml } from '../normalize.js';

export interface RssItem {
  title?: string;
  link: string;
  publishedDate?: string;
  publishedAt?: string;
  description?: string;
  guid?: string;
}

export interface RssChannel {
  title?: string;
  link?: string;
  description?: string;
  lastBuildDate?: string;
  items: RssItem[];
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object' && !Array.isArray(v);

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string' || typeof v === 'number') return cleanString(String(v));
  if (isNode(v)) return textOf(v['#text'] ?? v['__cdata']);
  return undefined;
}

/** The 16-character id of a safety communication: sha256 of its link (trimmed), base64url. */
export function linkHash(link: string): string {
  return shortHash(link.trim(), 16);
}

/** Parse an RSS 2.0 document. Items without a link are dropped (they cannot be keyed). */
export function parseRss(xml: string): RssChannel {
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true,
    processEntities: true,
    cdataPropName: '__cdata',
    isArray: (name) => name === 'item',
  });
  const doc = parser.parse(xml) as Node;
  const rss = isNode(doc.rss) ? doc.rss : doc;
  const channel = isNode(rss.channel) ? rss.channel : {};
  const rawItems = Array.isArray(channel.item) ? channel.item.filter(isNode) : [];
  const items: RssItem[] = [];
  for (const it of rawItems) {
    const link = textOf(it.link);
    if (link === undefined) continue;
    const description = textOf(it.description);
    const pub = textOf(it.pubDate) ?? textOf(it['dc:date']);
    items.push({
      title: textOf(it.title) === undefined ? undefined : stripHtml(textOf(it.title) as string),
      link,
      publishedDate: isoDate(pub),
      publishedAt: isoTimestamp(pub),
      description: description === undefined ? undefined : stripHtml(description),
      guid: textOf(it.guid),
    });
  }
  return {
    title: textOf(channel.title),
    link: textOf(channel.link),
    description: textOf(channel.description),
    lastBuildDate: isoTimestamp(textOf(channel.lastBuildDate)),
    items,
  };
}

/** An RSS document → `safety-communication` items (default source `fda-rss`). */
export function mapSafetyRss(xml: string, options: MapOptions = {}): BaseItem[] {
  const source = options.source ?? 'fda-rss';
  return parseRss(xml).items.map((it) => {
    const id = linkHash(it.link);
    return sealItem(ref.safetyCommunication(id), 'safety-communication', source, it.publishedDate, {
      id,
      title: it.title,
      link: it.link.trim(),
      publishedDate: it.publishedDate,
      publishedAt: it.publishedAt,
      description: it.description,
      gsi1pk: refGsi1.feed('safety-communication'),
      gsi1sk: refGsi1.feedSk(it.publishedDate ?? '0000-00-00', id),
    });
  });
}
