/**
 * CISA CSAF ingest (dataset `csaf`): ICSMA (medical) advisories from the cisagov/CSAF OT/white folder.
 *
 * The list comes from `changes.csv` (one `<path>,<current_release_date>` row per advisory, ordered by file
 * NAME), read whole and compared by timestamp with the checkpoint; the ROLIE feed is read only when
 * `changes.csv` cannot be fetched or holds no readable row. Each new or updated advisory is fetched as text
 * with its `.sha512`, verified over the exact bytes, parsed, mapped (lib/sources/csaf) and stored. An older
 * version never replaces a newer `advisory-latest`. Rows are processed in timestamp order and the
 * checkpoint moves to a timestamp only once every row up to it is stored, so it is never beyond what is
 * stored: a failed row is fetched again by the next run.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { BaseItem } from '../domain/item.js';
import { UpstreamError } from '../errors.js';
import { HttpClient, type HttpClientOptions } from '../net/http-client.js';
import { mapCsafAdvisory, verifySha512 } from '../sources/csaf/index.js';
import { putSourceStatus } from './source-status.js';
import { ref } from '../store/keys.js';
import type { IngestContext, IngestSummary } from './context.js';
import { LeaseLostError } from './cursor-repo.js';
import { parseChangesCsv, parseRolieFeed, type CsafList, type CsafListRow } from './csaf-list.js';

export const CSAF_DATASET = 'csaf';
export const CSAF_SOURCE_ID = 'cisa-csaf';
export const CSAF_CHANGES_FILE = 'changes.csv';
export const CSAF_ROLIE_FILE = 'cisa-csaf-ot-feed-tlp-white.json';

export interface CsafIngestOptions {
  /** HttpClient settings (tests inject `sleep`, `requestsPerMinute: 0`); base URL and text mode are fixed. */
  http?: Partial<Omit<HttpClientOptions, 'baseURL' | 'responseType'>>;
  /** Lease length; at least the function timeout. Default 15 min. */
  leaseMs?: number;
  /** Stop before starting another timestamp group when less time than this remains. Default 30 s. */
  marginMs?: number;
  /** Re-read rows newer than this ISO timestamp instead of the checkpoint; `''` re-reads the whole list. */
  since?: string;
  /** Extra fetches of an advisory + `.sha512` pair after a digest mismatch or unparseable JSON. Default 1. */
  integrityRetries?: number;
  /**
   * A file older than its list row is refused as a stale CDN copy while the row is younger than this
   * (default 24 h); older disagreements are data quirks and the file is stored.
   */
  staleWindowMs?: number;
}

type RowOutcome = { ok: true; written: number; unchanged: number } | { ok: false; reason: string };

/** Keep the stored `advisory-latest` when it describes a newer version than the candidate. */
function storedIsNewer(stored: Record<string, unknown>, candidate: BaseItem): boolean {
  const sv = typeof stored.version === 'number' ? stored.version : 0;
  const cv = typeof candidate.version === 'number' ? candidate.version : 0;
  if (sv !== cv) return sv > cv;
  return String(stored.currentReleaseDate ?? '') > String(candidate.currentReleaseDate ?? '');
}

async function readList(http: HttpClient, progress?: (m: string) => void): Promise<CsafList & { from: string }> {
  let problem: string;
  try {
    const res = await http.get<string>(CSAF_CHANGES_FILE);
    const list = parseChangesCsv(String(res.data));
    if (list.rows.length > 0) return { ...list, from: CSAF_CHANGES_FILE };
    problem = 'changes.csv holds no ICSMA row';
  } catch (err) {
    if (!(err instanceof UpstreamError)) throw err;
    problem = `changes.csv: ${err.message}`;
  }
  progress?.(`csaf: ${problem}; falling back to the ROLIE feed`);
  try {
    const res = await http.get<string>(CSAF_ROLIE_FILE);
    return { ...parseRolieFeed(String(res.data)), from: CSAF_ROLIE_FILE };
  } catch (err) {
    const why = err instanceof UpstreamError ? err.message : 'unreadable feed';
    throw new UpstreamError(`No advisory list: ${problem}; ROLIE feed: ${why}`);
  }
}

async function fetchVerified(http: HttpClient, row: CsafListRow, retries: number): Promise<{ doc: unknown } | { reason: string }> {
  let reason = 'not fetched';
  for (let attempt = 0; attempt <= retries; attempt++) {
    let body: string;
    let digest: string;
    try {
      body = String((await http.get<string>(row.path)).data);
      digest = String((await http.get<string>(`${row.path}.sha512`)).data);
    } catch (err) {
      if (err instanceof UpstreamError) return { reason: err.message };
      throw err;
    }
    // Axios decoded the body as UTF-8; CSAF JSON is UTF-8 without BOM, so re-encoding gives the exact bytes.
    if (!verifySha512(Buffer.from(body, 'utf8'), digest)) {
      reason = 'SHA-512 mismatch';
      continue;
    }
    try {
      return { doc: JSON.parse(body) as unknown };
    } catch {
      reason = 'malformed JSON';
    }
  }
  return { reason };
}

async function storeRow(ctx: IngestContext, http: HttpClient, row: CsafListRow, retries: number, staleWindowMs: number): Promise<RowOutcome> {
  const fetched = await fetchVerified(http, row, retries);
  if ('reason' in fetched) return { ok: false, reason: fetched.reason };
  const items = mapCsafAdvisory(fetched.doc);
  const version = items.find((i) => i.entity === 'advisory');
  const latest = items.find((i) => i.entity === 'advisory-latest');
  if (version === undefined || latest === undefined) return { ok: false, reason: 'not a CSAF advisory' };
  if (latest.id !== row.id) return { ok: false, reason: `tracking id ${String(latest.id)} does not match the file name` };
  const docDate = Date.parse(String(latest.currentReleaseDate ?? ''));
  const rowDate = Date.parse(row.timestamp);
  if (!(docDate >= rowDate)) {
    // A recently listed file that is older than its row is a stale (CDN) copy: storing it would let the
    // checkpoint pass the update. An old row that disagrees with its file is a data quirk: store the file.
    if (ctx.now().getTime() - rowDate < staleWindowMs) return { ok: false, reason: 'file is older than its list entry (stale copy)' };
    ctx.progress?.(`csaf: ${row.id}: file current_release_date ${String(latest.currentReleaseDate)} is older than its list row; stored as is`);
  }
  const key = ref.advisoryLatest(row.id);
  const stored = await ctx.doc.send(new GetCommand({ TableName: ctx.config.REFERENCE_TABLE, Key: key, ConsistentRead: true }));
  // An older version fetched late is kept as a version, but never replaces the newer latest and its name index.
  const toWrite = stored.Item !== undefined && storedIsNewer(stored.Item, latest) ? [version] : items;
  const stats = await ctx.write(toWrite);
  return { ok: true, written: stats.written, unchanged: stats.unchanged };
}

/** Rows newer than `since`, grouped by timestamp, groups ascending (the checkpoint advances per group). */
function groupsAfter(rows: CsafListRow[], since: string | undefined): CsafListRow[][] {
  const selected = rows
    .filter((r) => since === undefined || since === '' || r.timestamp > since)
    .sort((a, b) => (a.timestamp === b.timestamp ? a.path.localeCompare(b.path) : a.timestamp < b.timestamp ? -1 : 1));
  const groups: CsafListRow[][] = [];
  for (const r of selected) {
    const last = groups.at(-1);
    if (last !== undefined && last[0]?.timestamp === r.timestamp) last.push(r);
    else groups.push([r]);
  }
  return groups;
}

/** One run of the CSAF ingest. Upstream failures end in a `failed` summary; store failures throw. */
export async function runCsafIngest(ctx: IngestContext, options: CsafIngestOptions = {}): Promise<IngestSummary> {
  const summary: IngestSummary = { dataset: CSAF_DATASET, status: 'completed', seen: 0, written: 0, unchanged: 0, failed: 0 };
  const leaseMs = options.leaseMs ?? 900_000;
  const marginMs = options.marginMs ?? 30_000;
  const retries = options.integrityRetries ?? 1;
  const staleWindowMs = options.staleWindowMs ?? 86_400_000;
  const http = new HttpClient({ timeoutMs: 30_000, maxAttempts: 4, ...options.http, baseURL: `${ctx.config.CISA_CSAF_BASE_URL}/`, responseType: 'text' });

  // Normalise `since` to the checkpoint's form so the string comparison below is a time comparison.
  let since = options.since;
  if (since !== undefined && since !== '') {
    const t = Date.parse(since);
    if (Number.isNaN(t)) return { ...summary, status: 'failed', error: '`since` is not an ISO timestamp.' };
    since = new Date(t).toISOString();
  }
  if (!(await ctx.cursors.acquire(CSAF_DATASET, ctx.owner, ctx.now().getTime(), leaseMs))) return { ...summary, status: 'lease-held' };
  try {
    const cursor = await ctx.cursors.get(CSAF_DATASET);
    summary.checkpoint = cursor?.checkpoint;
    let list: CsafList & { from: string };
    try {
      list = await readList(http, ctx.progress);
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      return { ...summary, status: 'failed', error: err.message };
    }
    summary.lastUpdated = list.rows.map((r) => r.timestamp).sort().at(-1);
    const groups = groupsAfter(list.rows, since ?? cursor?.checkpoint);
    ctx.progress?.(`csaf: ${list.rows.length} ICSMA advisories in ${list.from}, ${groups.flat().length} new or updated`);

    let blocked = false;
    for (const group of groups) {
      if (ctx.remainingMs() < marginMs) {
        summary.status = 'stopped-at-deadline';
        break;
      }
      let groupOk = true;
      for (const row of group) {
        summary.seen++;
        const outcome = await storeRow(ctx, http, row, retries, staleWindowMs);
        if (outcome.ok) {
          summary.written += outcome.written;
          summary.unchanged += outcome.unchanged;
        } else {
          summary.failed++;
          groupOk = false;
          ctx.progress?.(`csaf: ${row.id} (${row.timestamp}) refused: ${outcome.reason}`);
        }
      }
      // Later groups are still stored (idempotent on the re-read), but the checkpoint stays before a failure.
      blocked ||= !groupOk;
      const ts = group[0]?.timestamp;
      if (!blocked && ts !== undefined && (summary.checkpoint === undefined || ts > summary.checkpoint)) {
        await ctx.cursors.advance(CSAF_DATASET, ctx.owner, ts);
        summary.checkpoint = ts;
      }
    }

    // Not the hash-skipping write: `ingestedAt` must say when we last looked.
    await putSourceStatus(ctx, CSAF_SOURCE_ID, { lastUpdated: summary.lastUpdated, ingestedAt: ctx.now().toISOString(), records: list.rows.length });
    return summary;
  } catch (err) {
    if (err instanceof LeaseLostError) return { ...summary, status: 'lease-lost' };
    throw err;
  } finally {
    await ctx.cursors.release(CSAF_DATASET, ctx.owner, ctx.now().toISOString(), {
      seen: summary.seen,
      written: summary.written,
      unchanged: summary.unchanged,
      failed: summary.failed,
    });
  }
}
