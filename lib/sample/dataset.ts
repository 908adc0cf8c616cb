/**
 * The sample data set (data/sample): real public records plus a clearly marked synthetic Contec CMS8000 /
 * Epsimed MN-120 scenario, mapped by the same mappers ingestion uses. See data/sample/README.md.
 *
 * Routing (by folder, relative to the sample root):
 *   <tier>/openfda/<dataset>/*.json    openFDA envelopes or open.fda.gov site-example files (udi, recall,
 *                                      enforcement, 510k, registrationlisting, classification)
 *   <tier>/openfda/udi/*.xml           GUDID XML (`<device>` elements)
 *   <tier>/cisa/**\/*.json              CSAF 2.0 advisories (a sibling `.sha512` is verified; mismatch throws)
 *   <tier>/**\/*rss*.xml                RSS 2.0 safety communications
 * `<tier>` is `real` or `synthetic`; everything under `synthetic/` (or with `meta.synthetic: true`) gets item
 * source `synthetic`. Other files (`*.md`) are ignored.
 *
 * Site-example files hide records under `record`, `anatomy`, `header`, `result`…: records are found by shape
 * and de-duplicated by natural key (the richer copy wins). Recall and enforcement halves are joined by recall
 * number across all files.
 *
 * Item de-duplication by pk+sk (order-independent, so output never depends on file order):
 *   1. same hash → one item;
 *   2. `device` beats `device-identifier` (a DI that is one record's Primary and another's Previous DI);
 *   3. advisory entities: the higher tracking version wins (then the later release date);
 *   4. otherwise the later `sourceDate` wins; on a tie the lexicographically greater hash.
 * Output is sorted by pk, then sk.
 */
import { familyAdvisoryRefs } from '../sources/family.js';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson, type BaseItem, type ItemSource } from '../domain/item.js';
import { mapCsafAdvisories, newerAdvisoryItem, verifySha512 } from '../sources/csaf/index.js';
import { mapSafetyRss, parseRss } from '../sources/fda-rss/index.js';
import { mapGudidXml, parseGudidXml } from '../sources/gudid/xml.js';
import { latestDate } from '../sources/item.js';
import { isoDate, isoTimestamp } from '../sources/normalize.js';
import { looksLikeOpenFdaRecord, mapOpenFdaRecord, mapRecall, naturalKeyOf } from '../sources/openfda/map.js';
import { OPENFDA_DATASETS, type OpenFdaDataset } from '../sources/openfda/schemas.js';
import { sourceStatusItem } from '../sources/status.js';

/** `<repo>/data/sample`, resolved from this module's location. */
export const DEFAULT_SAMPLE_DIR = fileURLToPath(new URL('../../data/sample/', import.meta.url));

export interface SampleDatasetOptions {
  /** `ingestedAt` of the `source-status` items (ISO timestamp). Default: now. Pass a fixed value for repeatable output. */
  ingestedAt?: string;
}

export interface SkippedRecord {
  file: string;
  reason: string;
}

export interface SampleDataset {
  items: BaseItem[];
  /** Records found but not mappable (e.g. the site-example enforcement record without a recall number). */
  skipped: SkippedRecord[];
  /** Files read, relative to the sample root, sorted. */
  files: string[];
}

interface RawRecord {
  dataset: OpenFdaDataset;
  raw: Record<string, unknown>;
  synthetic: boolean;
  file: string;
}

interface StatusAcc {
  lastUpdated?: string;
  syntheticLastUpdated?: string;
  records: number;
  syntheticRecords: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const child = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listFiles(root, child)));
    else if (e.isFile()) out.push(child);
  }
  return out;
}

/** Objects of `dataset` shape anywhere in a JSON document (not descending into a found record). */
function findRecords(dataset: OpenFdaDataset, node: unknown, out: Record<string, unknown>[], depth = 0): void {
  if (depth > 6) return;
  if (Array.isArray(node)) {
    for (const n of node) findRecords(dataset, n, out, depth + 1);
    return;
  }
  if (!isObj(node)) return;
  if (looksLikeOpenFdaRecord(dataset, node)) {
    out.push(node);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'meta' || key === 'openfda') continue;
    findRecords(dataset, value, out, depth + 1);
  }
}

/** The latest `meta.last_updated` anywhere in a document (site examples nest envelopes). */
function findLastUpdated(node: unknown, depth = 0): string | undefined {
  if (depth > 4 || !isObj(node)) return undefined;
  let best: string | undefined;
  const meta = node.meta;
  if (isObj(meta)) best = latestDate(best, isoDate(meta.last_updated));
  for (const value of Object.values(node)) if (isObj(value)) best = latestDate(best, findLastUpdated(value, depth + 1));
  return best;
}

function isSyntheticDoc(node: unknown): boolean {
  return isObj(node) && isObj(node.meta) && node.meta.synthetic === true;
}

/** Of two copies of one record: the one with more keys, then the greater canonical JSON (deterministic). */
function richer(a: RawRecord, b: RawRecord): RawRecord {
  const ka = Object.keys(a.raw).length;
  const kb = Object.keys(b.raw).length;
  if (ka !== kb) return ka > kb ? a : b;
  return canonicalJson(a.raw) >= canonicalJson(b.raw) ? a : b;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Deterministic choice between two different items at the same pk+sk (see the module comment). */
export function mergeItems(a: BaseItem, b: BaseItem): BaseItem {
  if (a.hash === b.hash) return a;
  if (a.entity === 'device' && b.entity === 'device-identifier') return a;
  if (b.entity === 'device' && a.entity === 'device-identifier') return b;
  if (a.entity.startsWith('advisory') && b.entity.startsWith('advisory')) return newerAdvisoryItem(a, b);
  const da = a.sourceDate ?? '';
  const db = b.sourceDate ?? '';
  if (da !== db) return da > db ? a : b;
  return a.hash >= b.hash ? a : b;
}

/** Read, route, map, join and de-duplicate the whole sample directory. */
export async function loadSampleDataset(dir: string = DEFAULT_SAMPLE_DIR, options: SampleDatasetOptions = {}): Promise<SampleDataset> {
  const ingestedAt = options.ingestedAt ?? new Date().toISOString();
  const files = await listFiles(dir);
  const skipped: SkippedRecord[] = [];
  const status = new Map<string, StatusAcc>();
  const bump = (sourceId: string, synthetic: boolean, records: number, lastUpdated: string | undefined) => {
    const s = status.get(sourceId) ?? { records: 0, syntheticRecords: 0 };
    s.records += records;
    if (synthetic) {
      s.syntheticRecords += records;
      s.syntheticLastUpdated = latestDate(s.syntheticLastUpdated, lastUpdated);
    } else {
      s.lastUpdated = latestDate(s.lastUpdated, lastUpdated);
    }
    status.set(sourceId, s);
  };

  const raws = new Map<string, RawRecord>();
  const produced: BaseItem[] = [];
  const csafDocs: { doc: unknown; synthetic: boolean }[] = [];

  for (const file of files) {
    const parts = file.split('/');
    const synthetic = parts[0] === 'synthetic';
    const ext = path.extname(file).toLowerCase();
    const abs = path.join(dir, file);
    const openfdaAt = parts.indexOf('openfda');
    const dataset = openfdaAt >= 0 ? (OPENFDA_DATASETS as readonly string[]).find((d) => d === parts[openfdaAt + 1]) : undefined;

    if (dataset !== undefined && ext === '.json') {
      const doc: unknown = JSON.parse(await readFile(abs, 'utf8'));
      const syn = synthetic || isSyntheticDoc(doc);
      const found: Record<string, unknown>[] = [];
      findRecords(dataset as OpenFdaDataset, doc, found);
      let count = 0;
      for (const raw of found) {
        const key = naturalKeyOf(dataset as OpenFdaDataset, raw);
        if (key === undefined) {
          skipped.push({ file, reason: `${dataset} record without a natural key` });
          continue;
        }
        const rec: RawRecord = { dataset: dataset as OpenFdaDataset, raw, synthetic: syn, file };
        const mapKey = `${dataset}\u0000${key}`;
        const prev = raws.get(mapKey);
        if (prev === undefined) count++;
        raws.set(mapKey, prev === undefined ? rec : richer(prev, rec));
      }
      bump(`openfda:${dataset}`, syn, count, findLastUpdated(doc));
    } else if (dataset === 'udi' && ext === '.xml') {
      const xml = await readFile(abs, 'utf8');
      const source: ItemSource = synthetic ? 'synthetic' : 'gudid-xml';
      produced.push(...mapGudidXml(xml, { source }));
      bump('gudid-xml', synthetic, parseGudidXml(xml).length, undefined);
    } else if (parts.includes('cisa') && ext === '.json') {
      const bytes = await readFile(abs);
      if (files.includes(`${file}.sha512`)) {
        const published = await readFile(`${abs}.sha512`, 'utf8');
        if (!verifySha512(bytes, published)) throw new Error(`sample: SHA-512 mismatch for ${file}`);
      }
      const doc: unknown = JSON.parse(bytes.toString('utf8'));
      csafDocs.push({ doc, synthetic });
      const tracking = isObj(doc) && isObj(doc.document) && isObj(doc.document.tracking) ? doc.document.tracking : {};
      bump('cisa-csaf', synthetic, 1, isoTimestamp(tracking.current_release_date));
    } else if (ext === '.xml' && /rss/i.test(path.basename(file))) {
      const xml = await readFile(abs, 'utf8');
      const channel = parseRss(xml);
      produced.push(...mapSafetyRss(xml, { source: synthetic ? 'synthetic' : 'fda-rss' }));
      bump('fda-rss', synthetic, channel.items.length, channel.lastBuildDate);
    }
  }

  // openFDA records: recall/enforcement joined by recall number, the rest one by one.
  const halves = new Map<string, { recall?: RawRecord; enforcement?: RawRecord }>();
  for (const [mapKey, rec] of [...raws.entries()].sort(([a], [b]) => cmp(a, b))) {
    if (rec.dataset === 'recall' || rec.dataset === 'enforcement') {
      const n = mapKey.split('\u0000')[1] as string;
      const h = halves.get(n) ?? {};
      h[rec.dataset] = rec;
      halves.set(n, h);
      continue;
    }
    produced.push(...mapOpenFdaRecord(rec.dataset, rec.raw, { source: rec.synthetic ? 'synthetic' : 'openfda' }));
  }
  for (const [, h] of [...halves.entries()].sort(([a], [b]) => cmp(a, b))) {
    const synthetic = (h.recall?.synthetic ?? false) || (h.enforcement?.synthetic ?? false);
    produced.push(...mapRecall(h.recall?.raw, h.enforcement?.raw, { source: synthetic ? 'synthetic' : 'openfda' }));
  }
  for (const { doc, synthetic } of csafDocs) {
    produced.push(...mapCsafAdvisories([doc], { source: synthetic ? 'synthetic' : 'cisa-csaf' }));
  }

  for (const [sourceId, s] of status) {
    produced.push(
      sourceStatusItem(sourceId, {
        lastUpdated: s.lastUpdated ?? s.syntheticLastUpdated,
        ingestedAt,
        records: s.records,
        syntheticRecords: s.syntheticRecords,
        syntheticLastUpdated: s.syntheticLastUpdated,
      }),
    );
  }

  // Advisories linked to clearance families through shared model names (lib/sources/family.ts).
  produced.push(...familyAdvisoryRefs(produced));

  const byKey = new Map<string, BaseItem>();
  for (const item of produced) {
    const k = `${item.pk}\u0000${item.sk}`;
    const prev = byKey.get(k);
    byKey.set(k, prev === undefined ? item : mergeItems(prev, item));
  }
  const items = [...byKey.values()].sort((a, b) => cmp(a.pk, b.pk) || cmp(a.sk, b.sk));
  return { items, skipped, files };
}

/** The sample data set as sealed items (see loadSampleDataset), `source-status` items included. */
export async function readSampleDataset(dir: string = DEFAULT_SAMPLE_DIR, options: SampleDatasetOptions = {}): Promise<BaseItem[]> {
  return (await loadSampleDataset(dir, options)).items;
}
