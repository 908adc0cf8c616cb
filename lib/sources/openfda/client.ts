import { z } from 'zod';
import { UpstreamError } from '../../errors.js';
import type { HttpClient } from '../../net/http-client.js';
import type { Clause, OpenFdaEndpoint } from './query.js';

export interface OpenFdaPage {
  results: unknown[];
  lastUpdated?: string;
  total?: number;
}

export interface SearchOptions {
  search: Clause;
  sort?: string;
  /** Page size, ≤ 1000. */
  limit?: number;
}

const envelope = z.looseObject({
  meta: z
    .looseObject({
      last_updated: z.string().optional(),
      results: z.looseObject({ total: z.coerce.number().optional() }).optional(),
    })
    .optional(),
  results: z.array(z.unknown()),
});

const errorBody = z.looseObject({ error: z.looseObject({ code: z.string().optional() }) });

/** The `search_after` value of a `Link: <…>; rel="next"` header; the rest of the link is not trusted. */
export function nextSearchAfter(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (!m) continue;
    try {
      return new URL(m[1] as string, 'https://api.fda.gov').searchParams.get('search_after') ?? undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * openFDA device endpoints: search with `search_after` paging. A 404 `NOT_FOUND` is an empty result (and,
 * after a `Link`, the end of the walk). Only the `search_after` value of a Link is used: the request
 * keeps our own host, path and parameters, so a response cannot redirect us anywhere.
 */
export class OpenFdaClient {
  constructor(private readonly http: HttpClient) {}

  async *pages(endpoint: OpenFdaEndpoint, options: SearchOptions): AsyncGenerator<OpenFdaPage> {
    const limit = Math.min(1000, Math.max(1, options.limit ?? 1000));
    const params: Record<string, string> = { search: options.search.text, limit: String(limit) };
    if (options.sort) params.sort = options.sort;
    let searchAfter: string | undefined;
    for (let page = 0; ; page++) {
      const res = await this.http.get(`/device/${endpoint}.json`, {
        params: searchAfter ? { ...params, search_after: searchAfter } : params,
        acceptStatus: [404],
      });
      if (res.status === 404) {
        const body = errorBody.safeParse(res.data);
        if (body.success && body.data.error.code === 'NOT_FOUND') return;
        throw new UpstreamError('openFDA answered 404 without NOT_FOUND.');
      }
      const parsed = envelope.safeParse(res.data);
      if (!parsed.success) throw new UpstreamError(`openFDA /device/${endpoint} returned an unexpected body.`);
      yield { results: parsed.data.results, lastUpdated: parsed.data.meta?.last_updated, total: parsed.data.meta?.results?.total };
      const next = nextSearchAfter(res.headers.link);
      if (!next || parsed.data.results.length === 0) return;
      if (next === searchAfter) throw new UpstreamError('openFDA paging did not advance.');
      searchAfter = next;
    }
  }
}
