/**
 * FDA medical-device safety communications RSS ingest (dataset `safety`). The feed is small and holds only
 * recent items, so every run reads it whole and stores idempotently (an unchanged item is not rewritten;
 * items that drop off the feed stay stored). A body that is not well-formed RSS 2.0 fails the run and
 * stores nothing; what earlier runs stored is never touched.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { UpstreamError } from '../errors.js';
import { HttpClient, type HttpClientOptions } from '../net/http-client.js';
import { mapSafetyRss, parseRss } from '../sources/fda-rss/index.js';
import { putSourceStatus } from './source-status.js';
import type { IngestContext, IngestSummary } from './context.js';
import { LeaseLostError } from './cursor-repo.js';

export const SAFETY_DATASET = 'safety';
export const SAFETY_SOURCE_ID = 'fda-rss';

export interface SafetyRssIngestOptions {
  http?: Partial<Omit<HttpClientOptions, 'baseURL' | 'responseType'>>;
  /** Lease length. Default 5 min. */
  leaseMs?: number;
}

/** Why `xml` is not an RSS 2.0 document, or undefined when it is one. */
function notRss(xml: string): string | undefined {
  if (XMLValidator.validate(xml) !== true) return 'malformed XML';
  const doc = new XMLParser({ ignoreAttributes: true, parseTagValue: false }).parse(xml) as Record<string, unknown>;
  const rss = doc.rss as Record<string, unknown> | undefined;
  if (rss === null || typeof rss !== 'object' || rss.channel === null || typeof rss.channel !== 'object') return 'not an RSS 2.0 feed';
  return undefined;
}

export async function runSafetyRssIngest(ctx: IngestContext, options: SafetyRssIngestOptions = {}): Promise<IngestSummary> {
  const summary: IngestSummary = { dataset: SAFETY_DATASET, status: 'completed', seen: 0, written: 0, unchanged: 0, failed: 0 };
  const http = new HttpClient({
    timeoutMs: 30_000,
    maxAttempts: 4,
    maxResponseBytes: 5 * 1024 * 1024,
    ...options.http,
    baseURL: ctx.config.FDA_SAFETY_RSS_URL,
    responseType: 'text',
  });
  if (!(await ctx.cursors.acquire(SAFETY_DATASET, ctx.owner, ctx.now().getTime(), options.leaseMs ?? 300_000))) {
    return { ...summary, status: 'lease-held' };
  }
  try {
    summary.checkpoint = (await ctx.cursors.get(SAFETY_DATASET))?.checkpoint;
    let xml: string;
    try {
      xml = String((await http.get<string>('')).data);
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      return { ...summary, status: 'failed', error: err.message };
    }
    const problem = notRss(xml);
    if (problem !== undefined) return { ...summary, status: 'failed', error: `Safety communications feed: ${problem}.` };

    const channel = parseRss(xml);
    const items = mapSafetyRss(xml);
    summary.seen = items.length;
    const stats = await ctx.write(items);
    summary.written = stats.written;
    summary.unchanged = stats.unchanged;

    const newest = channel.items.map((i) => i.publishedAt).filter((d): d is string => d !== undefined).sort().at(-1);
    summary.lastUpdated = channel.lastBuildDate ?? newest;
    // The checkpoint is informational here (the feed is re-read whole): the newest pubDate stored.
    if (newest !== undefined && (summary.checkpoint === undefined || newest > summary.checkpoint)) {
      await ctx.cursors.advance(SAFETY_DATASET, ctx.owner, newest);
      summary.checkpoint = newest;
    }
    await putSourceStatus(ctx, SAFETY_SOURCE_ID, { lastUpdated: summary.lastUpdated, ingestedAt: ctx.now().toISOString(), records: items.length });
    return summary;
  } catch (err) {
    if (err instanceof LeaseLostError) return { ...summary, status: 'lease-lost' };
    throw err;
  } finally {
    await ctx.cursors.release(SAFETY_DATASET, ctx.owner, ctx.now().toISOString(), {
      seen: summary.seen,
      written: summary.written,
      unchanged: summary.unchanged,
      failed: summary.failed,
    });
  }
}
