/**
 * /device/recall + /device/enforcement → `recall`, `enforcement` and `recall-ref` items.
 *
 * The two endpoints are two halves of one recall (join: recall.product_res_number = enforcement.recall_number):
 * the recall half has product code, K/PMA numbers and firm; only the enforcement half has the class (I/II/III).
 * `mapRecall(recall, enforcement)` joins whichever halves are present so the references carry both.
 */
import { canonicalJson, type BaseItem, type ItemSource } from '../../domain/item.js';
import { firmKey, normalizeFirmName } from '../../domain/names.js';
import { ref, refGsi1 } from '../../store/keys.js';
import { latestDate, sealItem, type MapOptions } from '../item.js';
import { compact, isoDate, truncate } from '../normalize.js';
import { extractTextIdentifiers, type TextIdentifiers } from './code-info.js';
import { EnforcementRecordSchema, RecallRecordSchema, type EnforcementRecord, type RecallRecord } from './schemas.js';

export type RecallRefMatch = 'product-code' | 'submission' | 'firm' | 'di';

/** Length of the product description kept in a `recall-ref` summary. */
export const REF_DESCRIPTION_MAX = 300;

/** `"Class II"`, `"II"`, `"2"` → `"Class II"`; anything else → undefined. */
export function normalizeRecallClass(value: string | undefined): 'Class I' | 'Class II' | 'Class III' | undefined {
  const m = value === undefined ? null : /^(?:class\s*)?(iii|ii|i|3|2|1)$/i.exec(value.trim());
  if (!m) return undefined;
  const n = (m[1] as string).toLowerCase();
  if (n === 'iii' || n === '3') return 'Class III';
  if (n === 'ii' || n === '2') return 'Class II';
  return 'Class I';
}

/** PMA numbers carry supplements (`P960009S007`); references go under the full number and the base number. */
function submissionKeys(kNumbers: string[], pmaNumbers: string[]): string[] {
  const out = new Set<string>();
  for (const k of kNumbers) out.add(k.toUpperCase());
  for (const p of pmaNumbers) {
    const up = p.toUpperCase();
    out.add(up);
    const base = /^(P\d{6})S\d+$/.exec(up)?.[1];
    if (base !== undefined) out.add(base);
  }
  return [...out].sort();
}

function mergeIdentifiers(a: TextIdentifiers, b: TextIdentifiers): TextIdentifiers {
  const u = (x: string[], y: string[]) => [...new Set([...x, ...y])].sort();
  return { dis: u(a.dis, b.dis), lots: u(a.lots, b.lots), serials: u(a.serials, b.serials) };
}

function recallAttributes(r: RecallRecord, recallNumber: string, ids: TextIdentifiers) {
  const firm = r.recalling_firm;
  return compact({
    recallNumber,
    cfresId: r.cfres_id,
    eventId: r.res_event_number,
    status: r.recall_status,
    firm,
    firmNorm: firm === undefined ? undefined : normalizeFirmName(firm),
    firmFeiNumber: r.firm_fei_number,
    country: r.country,
    productCode: r.product_code?.toUpperCase(),
    productDescription: r.product_description,
    codeInfo: r.code_info,
    reasonForRecall: r.reason_for_recall,
    action: r.action,
    productQuantity: r.product_quantity,
    distributionPattern: r.distribution_pattern,
    rootCause: r.root_cause_description,
    kNumbers: r.k_numbers.map((k) => k.toUpperCase()),
    pmaNumbers: r.pma_numbers.map((p) => p.toUpperCase()),
    otherSubmissionDescription: r.other_submission_description,
    initiatedDate: isoDate(r.event_date_initiated),
    createdDate: isoDate(r.event_date_created),
    postedDate: isoDate(r.event_date_posted),
    terminatedDate: isoDate(r.event_date_terminated),
    dis: ids.dis,
    lots: ids.lots,
    serials: ids.serials,
  });
}

function enforcementAttributes(e: EnforcementRecord, recallNumber: string, ids: TextIdentifiers) {
  const firm = e.recalling_firm;
  return compact({
    recallNumber,
    eventId: e.event_id,
    classification: normalizeRecallClass(e.classification) ?? e.classification,
    status: e.status,
    productType: e.product_type,
    recallingFirm: firm,
    recallingFirmNorm: firm === undefined ? undefined : normalizeFirmName(firm),
    country: e.country,
    voluntaryMandated: e.voluntary_mandated,
    initialFirmNotification: e.initial_firm_notification,
    distributionPattern: e.distribution_pattern,
    productDescription: e.product_description,
    productQuantity: e.product_quantity,
    reasonForRecall: e.reason_for_recall,
    codeInfo: e.code_info,
    moreCodeInfo: e.more_code_info,
    recallInitiationDate: isoDate(e.recall_initiation_date),
    centerClassificationDate: isoDate(e.center_classification_date),
    reportDate: isoDate(e.report_date),
    terminationDate: isoDate(e.termination_date),
    dis: ids.dis,
    lots: ids.lots,
    serials: ids.serials,
  });
}

/** The recall number of a raw recall or enforcement record (upper-cased), if any. */
export function recallNumberOf(raw: unknown, half: 'recall' | 'enforcement'): string | undefined {
  const parsed = half === 'recall' ? RecallRecordSchema.safeParse(raw) : EnforcementRecordSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const n = half === 'recall' ? (parsed.data as RecallRecord).product_res_number : (parsed.data as EnforcementRecord).recall_number;
  return n?.toUpperCase();
}

/**
 * Join the two halves of one recall into items. Either half may be missing; when both are given their recall
 * numbers must agree (else an error: joining two different recalls would corrupt both). Returns [] when no
 * half carries a recall number.
 */
export function mapRecall(recallRaw: unknown, enforcementRaw: unknown, options: MapOptions = {}): BaseItem[] {
  const source: ItemSource = options.source ?? 'openfda';
  const r = recallRaw === undefined ? undefined : RecallRecordSchema.parse(recallRaw);
  const e = enforcementRaw === undefined ? undefined : EnforcementRecordSchema.parse(enforcementRaw);
  const rn = r?.product_res_number?.toUpperCase();
  const en = e?.recall_number?.toUpperCase();
  if (rn !== undefined && en !== undefined && rn !== en) {
    throw new Error(`mapRecall: recall ${rn} and enforcement ${en} are different recalls`);
  }
  const recallNumber = rn ?? en;
  if (recallNumber === undefined) return [];

  const rIds = r === undefined ? { dis: [], lots: [], serials: [] } : extractTextIdentifiers(r.code_info, r.product_description);
  const eIds =
    e === undefined ? { dis: [], lots: [], serials: [] } : extractTextIdentifiers(e.code_info, e.more_code_info, e.product_description);
  const ids = mergeIdentifiers(rIds, eIds);

  const items: BaseItem[] = [];
  let recallAttrs: ReturnType<typeof recallAttributes> | undefined;
  let enfAttrs: ReturnType<typeof enforcementAttributes> | undefined;

  if (r !== undefined) {
    recallAttrs = recallAttributes(r, recallNumber, rIds);
    const date = recallAttrs.postedDate ?? recallAttrs.initiatedDate ?? recallAttrs.createdDate;
    const sourceDate = latestDate(recallAttrs.postedDate, recallAttrs.createdDate, recallAttrs.terminatedDate, recallAttrs.initiatedDate);
    items.push(
      sealItem(ref.recall(recallNumber), 'recall', source, sourceDate, {
        ...recallAttrs,
        // The upstream record itself, so the other half can be joined when it arrives later.
        raw: canonicalJson(recallRaw),
        gsi1pk: refGsi1.feed('recall'),
        gsi1sk: refGsi1.feedSk(date ?? '0000-00-00', recallNumber),
      }),
    );
  }
  if (e !== undefined) {
    enfAttrs = enforcementAttributes(e, recallNumber, eIds);
    const date = enfAttrs.reportDate ?? enfAttrs.centerClassificationDate ?? enfAttrs.recallInitiationDate;
    const sourceDate = latestDate(enfAttrs.reportDate, enfAttrs.centerClassificationDate, enfAttrs.terminationDate, enfAttrs.recallInitiationDate);
    items.push(
      sealItem(ref.enforcement(recallNumber), 'enforcement', source, sourceDate, {
        ...enfAttrs,
        raw: canonicalJson(enforcementRaw),
        gsi1pk: refGsi1.feed('enforcement'),
        gsi1sk: refGsi1.feedSk(date ?? '0000-00-00', recallNumber),
      }),
    );
  }

  // ----- references: one summary, written under every partition that should find this recall.
  const firm = recallAttrs?.firm ?? enfAttrs?.recallingFirm;
  const description = recallAttrs?.productDescription ?? enfAttrs?.productDescription;
  const summary = compact({
    recallNumber,
    firm,
    firmNorm: firm === undefined ? undefined : normalizeFirmName(firm),
    classification: enfAttrs === undefined ? undefined : normalizeRecallClass(enfAttrs.classification),
    status: recallAttrs?.status ?? enfAttrs?.status,
    enforcementStatus: enfAttrs?.status,
    productCode: recallAttrs?.productCode,
    kNumbers: recallAttrs?.kNumbers,
    pmaNumbers: recallAttrs?.pmaNumbers,
    initiatedDate: recallAttrs?.initiatedDate ?? enfAttrs?.recallInitiationDate,
    postedDate: recallAttrs?.postedDate,
    classifiedDate: enfAttrs?.centerClassificationDate,
    reportDate: enfAttrs?.reportDate,
    terminatedDate: recallAttrs?.terminatedDate ?? enfAttrs?.terminationDate,
    productDescription: description === undefined ? undefined : truncate(description, REF_DESCRIPTION_MAX),
    dis: ids.dis,
    lots: ids.lots,
    serials: ids.serials,
  });
  const refDate = latestDate(...items.map((i) => i.sourceDate));

  const partitions = new Map<string, { matchedBy: RecallRefMatch; matchedValue: string }>();
  const add = (pk: string, matchedBy: RecallRefMatch, matchedValue: string) => {
    if (!partitions.has(pk)) partitions.set(pk, { matchedBy, matchedValue });
  };
  for (const di of ids.dis) add(ref.diPartition(di), 'di', di);
  const pc = recallAttrs?.productCode;
  if (pc !== undefined && /^[A-Z]{3}$/.test(pc)) add(ref.productCodePartition(pc), 'product-code', pc);
  for (const s of submissionKeys(recallAttrs?.kNumbers ?? [], recallAttrs?.pmaNumbers ?? [])) add(ref.submissionPartition(s), 'submission', s);
  for (const name of [recallAttrs?.firm, enfAttrs?.recallingFirm]) {
    if (name === undefined) continue;
    const key = firmKey(name);
    if (key.length > 0) add(ref.firmPartition(key), 'firm', key);
  }

  for (const [pk, match] of [...partitions.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    items.push(sealItem({ pk, sk: ref.recallRefSk(recallNumber) }, 'recall-ref', source, refDate, { ...summary, ...match }));
  }
  return items;
}

/** Only the recall half (the enforcement half may arrive later; see mapRecall). */
export function mapRecallRecord(raw: unknown, options: MapOptions = {}): BaseItem[] {
  return mapRecall(raw, undefined, options);
}

/** Only the enforcement half. */
export function mapEnforcementRecord(raw: unknown, options: MapOptions = {}): BaseItem[] {
  return mapRecall(undefined, raw, options);
}
