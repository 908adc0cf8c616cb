import { normalizeFirmName } from '../domain/names.js';
import { normalizeGtin14, parseUdi, type ParseUdiResult, type Udi } from '../udi/index.js';
import { distinctiveWords, isMatch, matchFirm, type NameMatch } from './manufacturer.js';
import type { CheckInput, CheckResult, Decision, Evidence, EvidenceRef, Family, Finding, FindingCode, Item, Severity } from './types.js';

const CHECK_DIGIT_CODES = new Set(['GTIN_CHECK_DIGIT', 'HIBC_CHECK_CHARACTER', 'DIN_CHECKSUM', 'CHECK_DIGIT', 'HIBC_LINK_MISMATCH']);
const CLOSED = /terminated|completed|closed/i;

const s = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strs = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');

const ACCESSGUDID = 'https://accessgudid.nlm.nih.gov/devices/';
const ref = (source: string, recordId: string, date?: string, url?: string): EvidenceRef => ({ source, recordId, ...(url ? { url } : {}), ...(date ? { date } : {}) });
const deviceRef = (device: Item, di: string): EvidenceRef => ref(String(device.source ?? 'openfda'), di, s(device.versionDate) ?? s(device.publishDate), `${ACCESSGUDID}${encodeURIComponent(di)}`);
const recallUrl = (n: string) => `https://api.fda.gov/device/enforcement.json?search=recall_number:%22${encodeURIComponent(n)}%22`;
const clearanceUrl = (k: string) => `https://www.accessdata.fda.gov/scripts/cdrh/cfdocs/cfpmn/pmn.cfm?ID=${encodeURIComponent(k)}`;
const advisoryUrl = (id: string) => `https://www.cisa.gov/news-events/ics-medical-advisories/${id.toLowerCase()}`;

/** The DI to look up for an input: from the parsed UDI, or the bare DI (GTINs padded to 14 digits). */
export function diOf(input: CheckInput, parsed?: ParseUdiResult): string | undefined {
  if (input.di !== undefined) return normalizeGtin14(input.di) ?? input.di;
  return parsed?.ok ? parsed.udi.di : undefined;
}

/** Parse the input's UDI the way the engine does (a deterministic reference date). */
export function parseInput(input: CheckInput, now: Date): ParseUdiResult | undefined {
  return input.udi === undefined ? undefined : parseUdi(input.udi, { referenceDate: now });
}

function decide(findings: Finding[]): Decision {
  if (findings.some((f) => f.severity === 'critical')) return 'reject';
  if (findings.some((f) => f.severity === 'warning')) return 'review';
  return 'accept';
}

/** Stale when a source was last ingested longer ago than this (twice its polling cadence). */
export const STALE_AFTER_DAYS: Record<string, number> = {
  'openfda:udi': 2,
  'openfda:recall': 2,
  'openfda:enforcement': 2,
  'openfda:510k': 14,
  'openfda:registrationlisting': 14,
  'cisa-csaf': 1,
  'fda-rss': 1,
};

/**
 * The authenticity check: pure and deterministic. Same input, evidence and clock → same result.
 * Each finding's rule, severity and effect are documented in docs/checks.md.
 */
export function runCheck(input: CheckInput, evidence: Evidence | undefined, now: Date, id: string): CheckResult {
  const findings: Finding[] = [];
  const add = (code: FindingCode, severity: Severity, message: string, refs: EvidenceRef[] = []) => findings.push({ code, severity, message, evidence: refs });
  const parsed = parseInput(input, now);
  const udi: Udi | undefined = parsed?.ok ? parsed.udi : undefined;
  const family: Family = { submissions: [], otherLabelers: [], proprietaryNames: [] };
  const result = (): CheckResult => ({
    id,
    checkedAt: now.toISOString(),
    decision: decide(findings),
    findings,
    input,
    ...(udi ? { udi } : {}),
    ...(evidence?.device ? { device: evidence.device } : {}),
    family,
    dataAsOf: Object.fromEntries(
      (evidence?.sources ?? []).map((src) => [String(src.sourceId ?? src.sk), { lastUpdated: s(src.lastUpdated), ingestedAt: s(src.ingestedAt) }]),
    ),
  });

  // 1. The label itself.
  if (parsed && !parsed.ok) {
    const digit = CHECK_DIGIT_CODES.has(parsed.error.code);
    add(digit ? 'UDI_CHECK_DIGIT' : 'UDI_MALFORMED', 'critical', digit ? `The UDI's check digit is wrong — a sign of a forged or misprinted label: ${parsed.error.message}` : `The UDI cannot be read: ${parsed.error.message}`);
    return result();
  }
  if (!evidence) return result();
  const di = evidence.di;
  const device = evidence.device;

  // 2. Is the device known at all?
  if (!device) {
    if (evidence.readThroughFailed) {
      add('DI_NOT_IN_GUDID', 'warning', `Device identifier ${di} is not in our GUDID mirror, and AccessGUDID could not be asked just now: check again later or look it up by hand.`, [ref('accessgudid', di, undefined, `${ACCESSGUDID}${encodeURIComponent(di)}`)]);
    } else {
      add('DI_NOT_IN_GUDID', 'critical', `Device identifier ${di} is in neither our GUDID mirror nor AccessGUDID. Devices sold in the US carry a DI registered in GUDID; this one cannot be verified.`, [ref('accessgudid', di, undefined, `${ACCESSGUDID}${encodeURIComponent(di)}`)]);
    }
    const owners = new Map<string, string>();
    for (const d of evidence.prefixDevices) if (s(d.companyName)) owners.set(normalizeFirmName(String(d.companyName)), String(d.companyName));
    if (owners.size > 0 && ![...owners.values()].some((o) => isMatch(matchFirm(input.manufacturer, o, evidence.aliases)))) {
      add('COMPANY_PREFIX_MISMATCH', 'critical', `The GS1 company prefix of ${di} is used in GUDID only by ${[...owners.values()].join(', ')} — not by ${input.manufacturer}.`, evidence.prefixDevices.slice(0, 5).map((d) => deviceRef(d, String(d.primaryDi))));
    }
    supplierCheck(input, evidence, add);
    staleCheck(evidence, now, add);
    return result();
  }

  const labeler = s(device.companyName);
  const primaryDi = String(device.primaryDi ?? di);
  const devRef = deviceRef(device, primaryDi);
  family.labeler = labeler;
  family.labelerDuns = s(device.labelerDuns);
  family.submissions = arr(device.premarketSubmissions).map((p) => s((p as Item | null | undefined)?.number)).filter((x): x is string => Boolean(x));

  // 3. Record status.
  if (/deactivated/i.test(String(device.recordStatus ?? ''))) {
    add('RECORD_DEACTIVATED', 'critical', `GUDID lists the record for ${primaryDi} as deactivated: the DI is no longer valid for this device.`, [devRef]);
  }
  if (/not in commercial distribution/i.test(String(device.commercialDistributionStatus ?? ''))) {
    const end = s(device.commercialDistributionEndDate);
    add('NOT_IN_COMMERCIAL_DISTRIBUTION', 'warning', `${labeler ?? 'The labeler'} reports ${s(device.brandName) ?? 'this device'} as no longer in commercial distribution${end ? ` since ${end}` : ''}: new stock is unexpected.`, [devRef]);
  }
  const idRow = evidence.identifier;
  if (idRow && (/not in commercial distribution/i.test(String(idRow.packageStatus ?? '')) || (s(idRow.packageDiscontinueDate) ?? '9999') <= now.toISOString().slice(0, 10))) {
    add('PACKAGE_DISCONTINUED', 'warning', `The package DI ${di} (${s(idRow.packageType) ?? 'package'}) was discontinued${s(idRow.packageDiscontinueDate) ? ` on ${s(idRow.packageDiscontinueDate)}` : ''}.`, [deviceRef(device, di)]);
  }

  // 4. Who made it: labeler, clearance holder, family.
  const holders = new Map<string, { name: string; k: string; date?: string }>();
  for (const c of evidence.clearances) if (s(c.applicant)) holders.set(normalizeFirmName(String(c.applicant)), { name: String(c.applicant), k: String(c.kNumber), date: s(c.decisionDate) });
  const holder = [...holders.values()][0];
  family.originalManufacturer = holder?.name ?? labeler;
  const labelerKey = labeler ? normalizeFirmName(labeler) : '';
  const others = new Map<string, string>();
  for (const l of evidence.listings) {
    for (const n of strs(l.proprietaryNames)) if (!family.proprietaryNames.includes(n)) family.proprietaryNames.push(n);
    const firm = s(l.firmName);
    if (firm && normalizeFirmName(firm) !== labelerKey) others.set(normalizeFirmName(firm), firm);
  }
  family.otherLabelers = [...others.values()].sort();

  const relabeled = labeler && holder && !isMatch(matchFirm(labeler, holder.name, evidence.aliases));
  if (relabeled && holder) {
    add('RELABELED', 'warning', `${labeler} is the labeler, but the device is cleared under ${holder.k}, held by ${holder.name}: this unit is a relabeled ${holder.name} device${family.proprietaryNames.length > 1 ? ` (also sold as ${family.proprietaryNames.join(', ')})` : ''}. Recalls and advisories for ${holder.name}'s device apply to it.`, [ref('openfda', holder.k, holder.date, clearanceUrl(holder.k)), devRef]);
  }
  const relabelerEst = evidence.labelerEstablishments.find((e) => e.isRelabeler === true);
  if (relabelerEst) {
    add('LABELER_IS_RELABELER', 'warning', `${labeler}'s FDA establishment registration (${String(relabelerEst.registrationNumber)}) lists it as: ${strs(relabelerEst.relabelerTypes).join('; ')}.`, [ref(String(relabelerEst.source ?? 'openfda'), String(relabelerEst.registrationNumber), undefined)]);
  }

  // 5. Does the claimed manufacturer fit?
  const claims: [string, NameMatch][] = [];
  if (labeler) claims.push(['labeler', matchFirm(input.manufacturer, labeler, evidence.aliases)]);
  if (holder) claims.push(['holder', matchFirm(input.manufacturer, holder.name, evidence.aliases)]);
  const familyMatch = family.otherLabelers.map((o) => matchFirm(input.manufacturer, o, evidence.aliases)).find(isMatch);
  if (!claims.some(([, m]) => isMatch(m))) {
    if (familyMatch) {
      add('MANUFACTURER_MISMATCH', 'warning', `The PO names ${input.manufacturer}, which sells a device under the same clearance, but this unit is labeled by ${labeler}${holder ? ` (made by ${holder.name})` : ''}.`, [devRef]);
    } else {
      add('MANUFACTURER_MISMATCH', 'critical', `The PO names ${input.manufacturer}, but GUDID says ${primaryDi} is labeled by ${labeler ?? 'another firm'}${holder && relabeled ? ` and made by ${holder.name}` : ''}.`, [devRef]);
    }
  }

  // 6. Production identifiers against GUDID's flags.
  if (udi) {
    const pis: [string, boolean | undefined, unknown][] = [
      ['lot or batch number', device.hasLotOrBatchNumber as boolean | undefined, udi.lotNumber],
      ['serial number', device.hasSerialNumber as boolean | undefined, udi.serialNumber],
      ['expiration date', device.hasExpirationDate as boolean | undefined, udi.expirationDate],
      ['manufacturing date', device.hasManufacturingDate as boolean | undefined, udi.manufacturingDate],
    ];
    const missing = pis.filter(([, flag, value]) => flag === true && value === undefined).map(([n]) => n);
    const unexpected = pis.filter(([, flag, value]) => flag === false && value !== undefined).map(([n]) => n);
    if (missing.length) add('PI_MISSING', 'warning', `GUDID says this label carries a ${missing.join(', ')}, but the scan has none.`, [devRef]);
    if (unexpected.length) add('PI_UNEXPECTED', 'warning', `The scan carries a ${unexpected.join(', ')} that GUDID says this label does not have.`, [devRef]);
    if (udi.expirationDate && udi.expirationDate < now.toISOString().slice(0, 10)) {
      add('EXPIRED', 'critical', `The unit expired on ${udi.expirationDate}.`);
    }
  }

  // 7. Recalls: by DI, by clearance, by product code from the labeler or the original manufacturer.
  const firms = new Set([labelerKey, ...[...holders.keys()]].filter(Boolean));
  const relevant = new Map<string, Item>();
  for (const r of evidence.recallRefs) {
    const n = String(r.recallNumber);
    if (r.matchedBy === 'product-code' && !firms.has(normalizeFirmName(String(r.firm ?? '')))) continue;
    if (!relevant.has(n)) relevant.set(n, r);
  }
  const deviceDis = new Set([di, primaryDi, ...arr(device.identifiers).map((row) => String((row as Item).di ?? ''))]);
  const history: Item[] = [];
  for (const [n, r] of [...relevant].sort(([a], [b]) => a.localeCompare(b))) {
    const status = `${String(r.status ?? '')} ${String(r.enforcementStatus ?? '')}`;
    const closed = CLOSED.test(status) || s(r.terminatedDate) !== undefined;
    const cls = s(r.classification);
    const rRef = ref(String(r.source ?? 'openfda'), n, s(r.reportDate) ?? s(r.postedDate), recallUrl(n));
    const lots = strs(r.lots);
    const serials = strs(r.serials);
    const lotMatch = udi?.lotNumber !== undefined && lots.includes(udi.lotNumber);
    const serialMatch = udi?.serialNumber !== undefined && serials.includes(udi.serialNumber);
    // A recall that names this device's DI and limits itself to no lot or serial covers every unit.
    const namedDi = strs(r.dis).find((d) => deviceDis.has(d));
    const wholeDi = namedDi !== undefined && lots.length === 0 && serials.length === 0;
    if (lotMatch || serialMatch || wholeDi) {
      const what = lotMatch ? `lot ${udi?.lotNumber}` : serialMatch ? `serial ${udi?.serialNumber}` : `DI ${namedDi}, with no lot or serial limit (every unit)`;
      add('RECALL_LOT_MATCH', closed ? 'warning' : 'critical', `Recall ${n} names this unit's ${what}${closed ? ' (the recall is closed; confirm the unit was remedied)' : ''}.`, [rRef]);
    }
    if (closed) {
      history.push(r);
      continue;
    }
    const severity: Severity = cls === 'Class I' ? 'critical' : cls === 'Class III' ? 'info' : 'warning';
    add('RECALL_OPEN', severity, `Open ${cls ?? 'unclassified'} recall ${n} by ${String(r.firm ?? 'the firm')}: ${truncate(String(r.productDescription ?? ''), 160)}`, [rRef]);
  }
  if (history.length) {
    add('RECALL_HISTORY', 'info', `${history.length} closed recall${history.length > 1 ? 's' : ''} touched this device or its family: ${history.map((r) => String(r.recallNumber)).join(', ')}.`, history.map((r) => ref(String(r.source ?? 'openfda'), String(r.recallNumber), s(r.terminatedDate), recallUrl(String(r.recallNumber)))));
  }

  // 8. Security advisories and safety communications for the device or its family.
  const seenAdv = new Set<string>();
  for (const a of evidence.advisories) {
    const advId = String(a.id);
    if (seenAdv.has(advId)) continue;
    seenAdv.add(advId);
    const cves = strs(a.cves);
    add('SECURITY_ADVISORY', 'warning', `CISA advisory ${advId} "${String(a.title)}" applies to ${s(a.matchedValue) ? `products named ${String(a.matchedValue)}` : 'this device family'}${cves.length ? ` (${cves.join(', ')}${typeof a.maxBaseScore === 'number' ? `; CVSS up to ${a.maxBaseScore}` : ''})` : ''}.`, [ref('cisa-csaf', advId, s(a.currentReleaseDate)?.slice(0, 10), advisoryUrl(advId))]);
  }
  // Firms may be found by their distinctive first word ("Contec"); product names only whole.
  const names = [
    ...[labeler, holder?.name].map((n) => ({ n, firm: true })),
    ...[s(device.brandName), ...family.proprietaryNames].map((n) => ({ n, firm: false })),
    ...family.otherLabelers.map((n) => ({ n, firm: true })),
  ].filter((x): x is { n: string; firm: boolean } => Boolean(x.n));
  for (const sc of evidence.safetyCommunications) {
    const body = `${String(sc.title ?? '')} ${String(sc.description ?? '')}`.toLowerCase();
    const hit = names.find(({ n, firm }) => mentions(body, n, firm))?.n;
    if (hit) add('SAFETY_COMMUNICATION', 'warning', `FDA safety communication of ${String(sc.publishedDate)} names ${hit}: "${String(sc.title)}".`, [ref('fda-rss', String(sc.id), s(sc.publishedDate), s(sc.link))]);
  }

  supplierCheck(input, evidence, add);
  staleCheck(evidence, now, add);
  return result();
}

/**
 * Whole-word mention of a name (or, for firms, of its first distinctive word: "Contec" for "Contec Medical
 * Systems Co., Ltd.", never a generic word like "Medical") in lower-cased text.
 */
function mentions(text: string, name: string, firm: boolean): boolean {
  const n = normalizeFirmName(name);
  const candidates = [name.toLowerCase(), n, firm ? (distinctiveWords(name)[0] ?? '') : ''].filter((c) => c.length >= 4);
  return candidates.some((c) => new RegExp(`(^|[^a-z0-9])${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z0-9]|$)`).test(text));
}

function truncate(t: string, n: number): string {
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

type Add = (code: FindingCode, severity: Severity, message: string, refs?: EvidenceRef[]) => void;

function supplierCheck(input: CheckInput, evidence: Evidence, add: Add): void {
  if (!input.supplier || evidence.suppliers.length === 0) return;
  if (!evidence.suppliers.some((sup) => isMatch(matchFirm(input.supplier as string, sup, evidence.aliases)))) {
    add('SUPPLIER_NOT_AUTHORIZED', 'warning', `${input.supplier} is not on the organisation's list of authorised suppliers.`);
  }
}

function staleCheck(evidence: Evidence, now: Date, add: Add): void {
  const stale: string[] = [];
  const never: string[] = [];
  for (const [source, days] of Object.entries(STALE_AFTER_DAYS)) {
    const st = evidence.sources.find((x) => String(x.sourceId ?? x.sk) === source);
    const at = st ? Date.parse(String(st.ingestedAt ?? '')) : Number.NaN;
    if (Number.isNaN(at)) never.push(source);
    else if (now.getTime() - at > days * 86_400_000) stale.push(`${source} (last ingested ${new Date(at).toISOString().slice(0, 10)})`);
  }
  // An answer resting on out-of-date data goes to a person; a source never ingested is only noted.
  if (stale.length) add('DATA_STALE', 'warning', `This answer rests on data that may be out of date: ${stale.join(', ')}.`);
  if (never.length) add('DATA_STALE', 'info', `No data has been ingested yet from: ${never.join(', ')}.`);
}
