import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../lib/paths.js';
import type { ReplayAction, Responder } from './replay-server.js';

/** The real enforcement reports of the sample data set (verbatim openFDA API responses), oldest first. */
export function realEnforcementRecords(): Record<string, unknown>[] {
  const dir = join(REPO_ROOT, 'data/sample/real/openfda/enforcement');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.response.json'))
    .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { results: Record<string, unknown>[] }).results)
    .sort((a, b) => String(a.report_date).localeCompare(String(b.report_date)));
}

export interface PagingScenario {
  pageSize: number;
  /** Faults to play instead of the real answer, by request number (0-based, counting every request). */
  faults?: Record<number, ReplayAction>;
  /** After the last page, keep a Link that leads to a 404 NOT_FOUND (openFDA's end-of-walk quirk). */
  notFoundAfterLastLink?: boolean;
  lastUpdated?: string;
}

/**
 * An openFDA endpoint over `records`: `search_after` paging through `Link` headers, as api.fda.gov does.
 * The page is chosen by the `search_after` parameter (our opaque token is the page index).
 */
export function openFdaPaging(baseUrl: () => string, records: Record<string, unknown>[], scenario: PagingScenario): Responder {
  return (_req, url, hit) => {
    const fault = scenario.faults?.[hit];
    if (fault) return fault;
    const page = Number(url.searchParams.get('search_after') ?? '0');
    const slice = records.slice(page * scenario.pageSize, (page + 1) * scenario.pageSize);
    if (slice.length === 0) return { status: 404, json: { error: { code: 'NOT_FOUND', message: 'No matches found!' } } };
    const hasMore = (page + 1) * scenario.pageSize < records.length;
    const headers: Record<string, string> = {};
    if (hasMore || scenario.notFoundAfterLastLink) {
      const next = new URL(url.toString().replace('http://replay', baseUrl()));
      next.searchParams.set('search_after', String(page + 1));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    return {
      headers,
      json: {
        meta: { last_updated: scenario.lastUpdated ?? '2026-03-18', results: { skip: 0, limit: scenario.pageSize, total: records.length } },
        results: slice,
      },
    };
  };
}
