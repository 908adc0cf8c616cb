/**
 * A SYNTHETIC openFDA /device/udi bulk partition for the ingest benchmark (test/bench/ingest.bench.ts).
 *
 * Templates are the UDI records of data/sample: the real open.fda.gov site-example record (found by shape
 * inside its envelope, de-duplicated by primary DI) and the synthetic Contec/Epsimed records. Record i is
 * template i mod n with:
 *   - every GS1 DI replaced by a valid GTIN-14 under GS1's example company prefix 0614141: indicator digit
 *     0 for the primary DI and 1, 2, … for the record's other DIs, item reference = i (5 digits), check
 *     digit by `gtinCheckDigit` and checked with `normalizeGtin14` — so DIs are unique across records;
 *   - `unit_of_use_id` re-pointed at the record's new DIs;
 *   - a unique `public_device_record_key` (UUID shape, derived from i);
 *   - varied `brand_name`, `version_or_model_number` and `catalog_number`.
 * Nothing here is an FDA record; the file's `meta` says so.
 *
 * Output is written as a stream (one record in memory at a time): the pretty-printed document
 * `{ meta, results: [...] }` as `.json`, and the same bytes as the single entry
 * `device-udi-0001-of-0001.json` of a `.json.zip`, the format of openFDA's bulk downloads.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { REPO_ROOT } from '../../../lib/paths.js';
import { looksLikeOpenFdaRecord, mapOpenFdaRecord, naturalKeyOf } from '../../../lib/sources/openfda/map.js';
import { gtinCheckDigit, normalizeGtin14 } from '../../../lib/udi/index.js';

/** GS1's example company prefix (used in GS1 documentation; assigned to no real company). */
export const EXAMPLE_PREFIX = '0614141';
/** Item references have 5 digits under a 7-digit prefix: at most this many records. */
export const MAX_RECORDS = 100_000;
export const ZIP_ENTRY = 'device-udi-0001-of-0001.json';

export const TEMPLATE_FILES = [
  'data/sample/real/openfda/udi/udi-site-examples-coroent-00887517567062.json',
  'data/sample/synthetic/openfda/udi/udi-contec-epsimed-example-devices.synthetic.json',
] as const;

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

function findUdiRecords(node: unknown, out: Raw[], depth = 0): void {
  if (depth > 6) return;
  if (Array.isArray(node)) {
    for (const n of node) findUdiRecords(n, out, depth + 1);
    return;
  }
  if (!isObj(node)) return;
  if (looksLikeOpenFdaRecord('udi', node)) {
    out.push(node);
    return;
  }
  for (const [key, value] of Object.entries(node)) if (key !== 'meta' && key !== 'openfda') findUdiRecords(value, out, depth + 1);
}

export interface Template {
  file: string;
  record: Raw;
}

/** The UDI records of the sample files, one per primary DI (site examples repeat a record under several keys). */
export async function loadTemplates(): Promise<Template[]> {
  const byKey = new Map<string, Template>();
  for (const file of TEMPLATE_FILES) {
    const found: Raw[] = [];
    findUdiRecords(JSON.parse(await readFile(join(REPO_ROOT, file), 'utf8')), found);
    for (const record of found) {
      const key = naturalKeyOf('udi', record);
      if (key === undefined || byKey.has(key)) continue;
      if (mapOpenFdaRecord('udi', record).length === 0) throw new Error(`template ${key} in ${file} does not map`);
      byKey.set(key, { file, record });
    }
  }
  if (byKey.size === 0) throw new Error('no UDI template records found in data/sample');
  return [...byKey.values()];
}

/** A valid GTIN-14 under the example prefix: indicator digit + 0614141 + 5-digit item reference + check digit. */
export function exampleGtin14(indicator: number, itemReference: number): string {
  if (!Number.isInteger(indicator) || indicator < 0 || indicator > 8) throw new RangeError(`indicator ${indicator}`);
  if (!Number.isInteger(itemReference) || itemReference < 0 || itemReference >= MAX_RECORDS) throw new RangeError(`item reference ${itemReference}`);
  const body = `${indicator}${EXAMPLE_PREFIX}${String(itemReference).padStart(5, '0')}`;
  const check = gtinCheckDigit(body);
  if (check === undefined) throw new Error(`no check digit for ${body}`);
  const gtin = normalizeGtin14(`${body}${check}`);
  if (gtin === undefined || gtin.length !== 14) throw new Error(`invalid GTIN-14 ${body}${check}`);
  return gtin;
}

/** A UUID-shaped record key derived from i (deterministic, unique per i). */
function recordKey(i: number): string {
  const h = createHash('sha1').update(`udi-sentinel-bench-${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const FINISHES = ['', ' Plus', ' Pro', ' XL', ' Mini', ' II', ' Lite', ' Max'];

/** Record i of the synthetic partition. */
export function variant(templates: readonly Template[], i: number): Raw {
  const t = templates[i % templates.length];
  if (t === undefined) throw new Error('no templates');
  const r = structuredClone(t.record);
  const ids = Array.isArray(r.identifiers) ? (r.identifiers as unknown[]).filter(isObj) : [];
  const renamed = new Map<string, string>();
  let nextIndicator = 1;
  const primaryFirst = [...ids].sort((a, b) => Number(/^primary$/i.test(String(b.type))) - Number(/^primary$/i.test(String(a.type))));
  for (const row of primaryFirst) {
    const old = String(row.id);
    let di = renamed.get(old);
    if (di === undefined) {
      di = exampleGtin14(renamed.size === 0 ? 0 : nextIndicator++, i);
      renamed.set(old, di);
    }
    row.id = di;
    row.issuing_agency = 'GS1';
  }
  const primaryDi = primaryFirst[0]?.id;
  for (const row of ids) {
    if (typeof row.unit_of_use_id === 'string' && row.unit_of_use_id !== '') row.unit_of_use_id = renamed.get(row.unit_of_use_id) ?? primaryDi;
  }
  r.identifiers = ids;
  r.public_device_record_key = recordKey(i);
  const brand = typeof r.brand_name === 'string' ? r.brand_name : 'Device';
  const model = typeof r.version_or_model_number === 'string' ? r.version_or_model_number : 'M';
  r.brand_name = `${brand}${FINISHES[i % FINISHES.length] ?? ''} ${(i % 997) + 1}`;
  r.version_or_model_number = `${model}-${i.toString(36).toUpperCase().padStart(4, '0')}`;
  r.catalog_number = `BENCH-${String(i).padStart(6, '0')}`;
  return r;
}

export interface PartitionFiles {
  json: string;
  zip: string;
  records: number;
  jsonBytes: number;
}

const META_NOTE =
  'SYNTHETIC benchmark partition generated by udi-sentinel test/bench (not an FDA record, not a GUDID record): ' +
  'variations of the real open.fda.gov site-example UDI record and of the synthetic sample records in data/sample. ' +
  `All DIs are invented GTIN-14s under GS1's example company prefix ${EXAMPLE_PREFIX}.`;

/** Write a synthetic partition of `records` records to `<dir>/<name>.json` and `<dir>/<name>.json.zip`, streaming. */
export async function writeSyntheticPartition(dir: string, name: string, records: number, templates: readonly Template[]): Promise<PartitionFiles> {
  if (!Number.isInteger(records) || records < 1 || records > MAX_RECORDS) throw new RangeError(`records must be 1..${MAX_RECORDS}`);
  const json = join(dir, `${name}.json`);
  const zip = join(dir, `${name}.json.zip`);
  const out = createWriteStream(json);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  const meta = {
    synthetic: true,
    note: META_NOTE,
    disclaimer: 'SYNTHETIC data for a benchmark. Do not rely on it for anything.',
    last_updated: '2025-02-28',
    results: { skip: 0, limit: records, total: records },
  };
  const indent = (text: string) => text.replace(/\n/g, '\n    ');
  await write(`{\n  "meta": ${JSON.stringify(meta, null, 2).replace(/\n/g, '\n  ')},\n  "results": [\n`);
  for (let i = 0; i < records; i++) {
    await write(`    ${indent(JSON.stringify(variant(templates, i), null, 2))}${i + 1 < records ? ',' : ''}\n`);
  }
  await write('  ]\n}\n');
  out.end();
  await once(out, 'finish');

  const zipFile = new yazl.ZipFile();
  zipFile.addFile(json, ZIP_ENTRY);
  zipFile.end();
  await pipeline(zipFile.outputStream, createWriteStream(zip));
  return { json, zip, records, jsonBytes: bytes };
}
