/**
 * CSAF 2.0 advisory → `advisory` (one item per tracking version), `advisory-latest` (pointer to the newest
 * version) and `advisory-ref` (name index: under each vendor and each product name). Versions are events:
 * the initial release and "Update A" of ICSMA-25-030-01 are two `advisory` items of one id.
 */
import type { BaseItem, ItemSource } from '../../domain/item.js';
import { firmKey, modelTokens } from '../../domain/names.js';
import { ref, refGsi1 } from '../../store/keys.js';
import { sealItem, type MapOptions } from '../item.js';
import { compact, isoDate, isoTimestamp, normalizeProductName, truncateUtf8 } from '../normalize.js';
import { CsafDocumentSchema, type CsafBranch, type CsafDocument } from './schema.js';

/** Bytes kept of the advisory's text notes. */
export const NOTES_SUMMARY_MAX_BYTES = 2048;

export interface AdvisoryProduct {
  vendor?: string;
  name: string;
  version?: string;
  productId?: string;
}

export interface AdvisoryCvss {
  version?: string;
  baseScore?: number;
  baseSeverity?: string;
  vectorString?: string;
}

export interface AdvisoryCve {
  cve: string;
  title?: string;
  cwe?: string;
  cvss: AdvisoryCvss[];
}

/** Walk the product tree: vendor → product_name → product_version(_range) leaves. */
function productsOf(branches: CsafBranch[]): { vendors: string[]; products: AdvisoryProduct[] } {
  const vendors: string[] = [];
  const products: AdvisoryProduct[] = [];
  const walk = (list: CsafBranch[], ctx: { vendor?: string; name?: string }) => {
    for (const b of list) {
      const next = { ...ctx };
      if (b.category === 'vendor' && b.name !== undefined) {
        next.vendor = b.name;
        if (!vendors.includes(b.name)) vendors.push(b.name);
      }
      if (b.category === 'product_name' && b.name !== undefined) next.name = b.name;
      const isVersion = b.category === 'product_version' || b.category === 'product_version_range';
      if (b.product !== undefined && (next.name !== undefined || b.product.name !== undefined)) {
        products.push(
          compact({
            vendor: next.vendor,
            name: next.name ?? (b.product.name as string),
            version: isVersion ? b.name : undefined,
            productId: b.product.product_id,
          }),
        );
      }
      walk(b.branches, next);
    }
  };
  walk(branches, {});
  return { vendors, products };
}

/**
 * The tracking version as an integer: CSAF integer versioning ("2") as is; semantic versioning ("1.2.0") by
 * the number of revision-history entries (CSAF requires one per version), else the major number.
 */
export function trackingVersionOf(doc: CsafDocument): number {
  const v = doc.document.tracking.version;
  if (v !== undefined && /^\d+$/.test(v)) return Number(v);
  const history = doc.document.tracking.revision_history.length;
  if (history > 0) return history;
  const major = v === undefined ? NaN : Number(v.split('.')[0]);
  return Number.isInteger(major) ? major : 1;
}

function notesSummary(doc: CsafDocument): string | undefined {
  const parts: string[] = [];
  for (const n of doc.document.notes) {
    if (n.category === 'legal_disclaimer' || n.text === undefined) continue;
    parts.push(n.title === undefined ? n.text : `${n.title}: ${n.text}`);
  }
  return parts.length === 0 ? undefined : truncateUtf8(parts.join('\n'), NOTES_SUMMARY_MAX_BYTES);
}

/** The normalised advisory of one CSAF document (undefined without a tracking id). */
export function normalizeCsaf(input: unknown) {
  const parsed = CsafDocumentSchema.safeParse(input);
  if (!parsed.success) return undefined;
  const doc = parsed.data;
  const id = doc.document.tracking.id?.toUpperCase();
  if (id === undefined) return undefined;
  const version = trackingVersionOf(doc);
  const { vendors, products } = productsOf(doc.product_tree.branches);
  const revision = doc.document.tracking.revision_history.find((r) => r.number !== undefined && Number(r.number.split('.')[0]) === version);

  const cves: AdvisoryCve[] = [];
  const remediations: { category?: string; details: string; url?: string }[] = [];
  for (const v of doc.vulnerabilities) {
    if (v.cve !== undefined && !cves.some((c) => c.cve === v.cve)) {
      const cvss: AdvisoryCvss[] = [];
      for (const s of v.scores) {
        for (const c of [s.cvss_v3, s.cvss_v2]) {
          if (c.baseScore === undefined && c.vectorString === undefined) continue;
          const entry = compact({ version: c.version, baseScore: c.baseScore, baseSeverity: c.baseSeverity, vectorString: c.vectorString });
          if (!cvss.some((x) => x.vectorString === entry.vectorString && x.version === entry.version)) cvss.push(entry);
        }
      }
      cves.push(compact({ cve: v.cve.toUpperCase(), title: v.title, cwe: v.cwe.id, cvss }));
    }
    for (const r of v.remediations) {
      if (r.details === undefined) continue;
      if (!remediations.some((x) => x.details === r.details && x.category === r.category && x.url === r.url)) {
        remediations.push(compact({ category: r.category, details: r.details, url: r.url }));
      }
    }
  }
  const scores = cves.flatMap((c) => c.cvss.map((s) => s.baseScore ?? 0));

  return compact({
    id,
    version,
    versionLabel: revision?.legacy_version,
    title: doc.document.title,
    status: doc.document.tracking.status,
    publisher: doc.document.publisher.name,
    tlp: doc.document.distribution.tlp.label,
    initialReleaseDate: isoTimestamp(doc.document.tracking.initial_release_date),
    currentReleaseDate: isoTimestamp(doc.document.tracking.current_release_date),
    revisionHistory: doc.document.tracking.revision_history.map((r) => compact({ number: r.number, date: isoTimestamp(r.date), summary: r.summary, label: r.legacy_version })),
    vendors,
    products,
    cves,
    maxBaseScore: scores.length === 0 ? undefined : Math.max(...scores),
    remediations,
    references: doc.document.references.flatMap((r) => (r.url === undefined ? [] : [compact({ url: r.url, summary: r.summary, category: r.category })])),
    notesSummary: notesSummary(doc),
  });
}
export type AdvisoryAttributes = NonNullable<ReturnType<typeof normalizeCsaf>>;

/** Product-name keys of an advisory: each product name normalised (lower-case, spaces collapsed). */
export function productNameKeys(advisory: AdvisoryAttributes): string[] {
  return [...new Set(advisory.products.map((p) => normalizeProductName(p.name)).filter((n) => n.length > 0))].sort();
}

/** One CSAF document → `advisory` + `advisory-latest` + `advisory-ref` items. */
export function mapCsafAdvisory(input: unknown, options: MapOptions = {}): BaseItem[] {
  const a = normalizeCsaf(input);
  if (a === undefined) return [];
  const source: ItemSource = options.source ?? 'cisa-csaf';
  const date = isoDate(a.currentReleaseDate) ?? isoDate(a.initialReleaseDate);
  const items: BaseItem[] = [
    sealItem(ref.advisory(a.id, a.version), 'advisory', source, date, {
      ...a,
      gsi1pk: refGsi1.feed('advisory'),
      gsi1sk: refGsi1.feedSk(a.currentReleaseDate ?? a.initialReleaseDate ?? '0000-00-00', `${a.id}#V${String(a.version).padStart(4, '0')}`),
    }),
    sealItem(ref.advisoryLatest(a.id), 'advisory-latest', source, date, {
      id: a.id,
      version: a.version,
      versionLabel: a.versionLabel,
      title: a.title,
      initialReleaseDate: a.initialReleaseDate,
      currentReleaseDate: a.currentReleaseDate,
    }),
  ];
  const summary = {
    id: a.id,
    version: a.version,
    title: a.title,
    currentReleaseDate: a.currentReleaseDate,
    vendors: a.vendors,
    productNames: [...new Set(a.products.map((p) => p.name))].sort(),
    cves: a.cves.map((c) => c.cve),
    maxBaseScore: a.maxBaseScore,
  };
  const refs = new Map<string, { matchedBy: 'vendor' | 'product' | 'model'; matchedValue: string }>();
  for (const v of a.vendors) {
    const key = firmKey(v);
    if (key.length > 0 && !refs.has(ref.vendorPartition(key))) refs.set(ref.vendorPartition(key), { matchedBy: 'vendor', matchedValue: key });
  }
  for (const p of productNameKeys(a)) {
    if (!refs.has(ref.productNamePartition(p))) refs.set(ref.productNamePartition(p), { matchedBy: 'product', matchedValue: p });
  }
  // Model tokens ("cms8000") connect the advisory to FDA listings of any labeler (lib/sources/family.ts).
  for (const token of [...new Set(a.products.flatMap((p) => modelTokens(p.name)))].sort()) {
    if (!refs.has(ref.modelPartition(token))) refs.set(ref.modelPartition(token), { matchedBy: 'model', matchedValue: token });
  }
  for (const [pk, match] of [...refs.entries()].sort(([x], [y]) => (x < y ? -1 : 1))) {
    items.push(sealItem({ pk, sk: ref.advisoryRefSk(a.id) }, 'advisory-ref', source, date, { ...summary, ...match }));
  }
  return items;
}

/**
 * Several documents (any order, possibly several versions of one advisory) → items where each id has one
 * `advisory` per version, and exactly one `advisory-latest` and one `advisory-ref` per name key — those of
 * the highest version (ties: the later current_release_date).
 */
export function mapCsafAdvisories(inputs: readonly unknown[], options: MapOptions = {}): BaseItem[] {
  const byKey = new Map<string, BaseItem>();
  for (const input of inputs) {
    for (const item of mapCsafAdvisory(input, options)) {
      const k = `${item.pk}\u0000${item.sk}`;
      const prev = byKey.get(k);
      byKey.set(k, prev === undefined ? item : newerAdvisoryItem(prev, item));
    }
  }
  return [...byKey.values()].sort((x, y) => (x.pk === y.pk ? (x.sk < y.sk ? -1 : 1) : x.pk < y.pk ? -1 : 1));
}

/** Of two items at the same key, the one describing the newer advisory version (deterministic on ties). */
export function newerAdvisoryItem(a: BaseItem, b: BaseItem): BaseItem {
  const va = typeof a.version === 'number' ? a.version : 0;
  const vb = typeof b.version === 'number' ? b.version : 0;
  if (va !== vb) return va > vb ? a : b;
  const da = String(a.currentReleaseDate ?? '');
  const db = String(b.currentReleaseDate ?? '');
  if (da !== db) return da > db ? a : b;
  return a.hash >= b.hash ? a : b;
}
