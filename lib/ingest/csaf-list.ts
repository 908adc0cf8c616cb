/**
 * The list of CISA CSAF advisories and their `current_release_date`, from `changes.csv` (primary) or the
 * ROLIE feed (fallback). Only ICSMA (medical) advisories are kept. Every path is reduced to
 * `<YYYY>/<icsma-…>.json` relative to the folder that holds the list, so nothing in an upstream file can
 * make us fetch another host or another folder.
 */
import { z } from 'zod';

export interface CsafListRow {
  /** Path relative to the CSAF base folder, e.g. `2025/icsma-25-030-01.json`. */
  path: string;
  /** Upper-cased tracking id from the file name, e.g. `ICSMA-25-030-01`. */
  id: string;
  /** `current_release_date` normalised to an ISO timestamp (`2025-02-25T07:00:00.000Z`). */
  timestamp: string;
}

export interface CsafList {
  rows: CsafListRow[];
  /** Lines/entries that were not an ICSMA advisory (ICSA rows, headers, unreadable lines). */
  ignored: number;
}

/** `<YYYY>/icsma-YY-DDD-NN[a].json` at the end of a path or URL (CISA names files by lower-cased tracking id). */
const ICSMA_TAIL = /(?:^|\/)(\d{4})\/(icsma-\d{2}-\d{3}-\d{2}[a-z]?)\.json$/;

function rowOf(rawPath: string, rawTimestamp: string): CsafListRow | undefined {
  const m = ICSMA_TAIL.exec(rawPath.trim());
  if (!m) return undefined;
  const t = Date.parse(rawTimestamp.trim());
  if (Number.isNaN(t)) return undefined;
  const [, year, name] = m as unknown as [string, string, string];
  return { path: `${year}/${name}.json`, id: name.toUpperCase(), timestamp: new Date(t).toISOString() };
}

/** One row per path (the newest timestamp wins). */
function dedupe(rows: CsafListRow[]): CsafListRow[] {
  const byPath = new Map<string, CsafListRow>();
  for (const r of rows) {
    const prev = byPath.get(r.path);
    if (prev === undefined || r.timestamp > prev.timestamp) byPath.set(r.path, r);
  }
  return [...byPath.values()];
}

/**
 * `changes.csv`. The real file is unquoted, CRLF-terminated, repository-relative
 * (`csaf_files/OT/white/2025/icsma-25-030-01.json,2025-02-25T07:00:00.000000Z`) and ordered by file NAME;
 * quoted fields and base-relative paths are accepted as well.
 */
export function parseChangesCsv(text: string): CsafList {
  const rows: CsafListRow[] = [];
  let ignored = 0;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const m = /^\s*"?([^",]+)"?\s*,\s*"?([^",]+)"?\s*$/.exec(line);
    const row = m ? rowOf(m[1] as string, m[2] as string) : undefined;
    if (row === undefined) ignored++;
    else rows.push(row);
  }
  return { rows: dedupe(rows), ignored };
}

const RolieSchema = z.object({
  feed: z.object({
    entry: z.array(
      z.looseObject({
        updated: z.string().optional(),
        link: z.array(z.looseObject({ rel: z.string().optional(), href: z.string().optional() })).optional(),
      }),
    ),
  }),
});

/** The ROLIE feed (`cisa-csaf-ot-feed-tlp-white.json`): each entry's `self` link and `updated`. */
export function parseRolieFeed(text: string): CsafList {
  const feed = RolieSchema.parse(JSON.parse(text));
  const rows: CsafListRow[] = [];
  let ignored = 0;
  for (const entry of feed.feed.entry) {
    const href = entry.link?.find((l) => l.rel === 'self')?.href;
    let pathname: string | undefined;
    try {
      pathname = href === undefined ? undefined : new URL(href).pathname;
    } catch {
      pathname = undefined;
    }
    const row = pathname === undefined || entry.updated === undefined ? undefined : rowOf(pathname, entry.updated);
    if (row === undefined) ignored++;
    else rows.push(row);
  }
  return { rows: dedupe(rows), ignored };
}
