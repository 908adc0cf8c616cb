/**
 * The check engine, one finding code at a time. Unless a test says otherwise, evidence is SYNTHETIC and built
 * by hand in ./helpers.ts (firm "Northwind Medical, Inc.", clearance K990001, GS1 example prefix 0614141);
 * each test changes one thing from a clean case that is `accept` with no findings, so the decision asserted is
 * that finding's own effect. The last block runs the real EvidenceRepository over the sample data set
 * (data/sample: real records plus the synthetic Contec CMS8000 / Epsimed MN-120 scenario).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { STALE_AFTER_DAYS, runCheck } from '../../../lib/check/engine.js';
import type { EvidenceRepository } from '../../../lib/check/evidence.js';
import { FINDING_CODES, type CheckInput, type CheckResult, type Decision, type Evidence, type FindingCode, type Item, type Severity } from '../../../lib/check/types.js';
import { readSampleDataset } from '../../../lib/sample/dataset.js';
import {
  CASE_DI,
  CHECK_ID,
  DI,
  EFFECT,
  K,
  LABELER,
  NOW,
  UDI,
  check,
  clearance,
  codes,
  device,
  evidence,
  freshSources,
  gtin,
  listing,
  memoryEvidence,
  recall,
  sole,
} from './helpers.js';

const ORIGINAL = 'Zephyr Devices GmbH'; // SYNTHETIC original manufacturer (clearance holder) in relabel cases
const WRONG_DIGIT = `${DI.slice(0, 13)}${(Number(DI[13]) + 1) % 10}`;
const CLOSED = { status: 'Terminated', enforcementStatus: 'Terminated', terminatedDate: '2021-09-30' };
const relabeledEvidence = (extra: Partial<Evidence> = {}) =>
  evidence({ clearances: [clearance(ORIGINAL)], listings: [listing(ORIGINAL, ['ZP-500']), listing(LABELER, ['NW-500'], { isRelabeler: true })], ...extra });
const advisory = (id: string, extra: Item = {}): Item => ({
  entity: 'advisory-ref',
  source: 'cisa-csaf',
  id,
  version: 1,
  title: 'Northwind NW-500 Infusion Pump (synthetic)',
  currentReleaseDate: '2025-02-25T07:00:00.000Z',
  cves: ['CVE-2099-0001', 'CVE-2099-0002'],
  maxBaseScore: 9.8,
  matchedBy: 'family-model',
  matchedValue: 'nw500',
  ...extra,
});
const communication = (title: string, description = ''): Item => ({
  entity: 'safety-communication',
  source: 'synthetic',
  id: 'sc1',
  title,
  description,
  publishedDate: '2025-03-10',
  link: 'https://www.fda.gov/medical-devices/safety-communications/example-synthetic',
});
const unknownDiEvidence = (extra: Partial<Evidence> = {}) => evidence({ device: undefined, clearances: [], listings: [], ...extra });

it('the clean baseline is accept with no findings, and resolves the family', () => {
  const r = check();
  expect(r).toMatchObject({ id: CHECK_ID, checkedAt: NOW.toISOString(), decision: 'accept', findings: [] });
  expect(r.family).toEqual({ labeler: LABELER, labelerDuns: '999000100', originalManufacturer: LABELER, submissions: [K], otherLabelers: [], proprietaryNames: ['NW-500'] });
  expect(r.udi?.di).toBe(DI);
  expect(Object.keys(r.dataAsOf).sort()).toEqual(Object.keys(STALE_AFTER_DAYS).sort());
});

describe('every finding code fires with its severity and decision effect', () => {
  // A Record over FindingCode: adding a code without a case here is a type error.
  const cases: Record<FindingCode, [Severity, () => CheckResult][]> = {
    UDI_MALFORMED: [['critical', () => check({ udi: '(01)123' })]],
    UDI_CHECK_DIGIT: [['critical', () => check({ udi: `(01)${WRONG_DIGIT}(10)LOT42` })]],
    DI_NOT_IN_GUDID: [['critical', () => check({ di: DI }, unknownDiEvidence())]],
    RECORD_DEACTIVATED: [['critical', () => check({}, evidence({ device: device({ recordStatus: 'Deactivated' }) }))]],
    NOT_IN_COMMERCIAL_DISTRIBUTION: [['warning', () => check({}, evidence({ device: device({ commercialDistributionStatus: 'Not in Commercial Distribution' }) }))]],
    PACKAGE_DISCONTINUED: [['warning', () => check({ di: CASE_DI }, evidence({ di: CASE_DI, identifier: { di: CASE_DI, type: 'Package', packageStatus: 'Not in Commercial Distribution' } }))]],
    MANUFACTURER_MISMATCH: [
      ['critical', () => check({ manufacturer: 'Acme Orthopedics LLC' })],
      ['warning', () => check({ manufacturer: 'Southwind Supply LLC' }, evidence({ listings: [listing(LABELER, ['NW-500']), listing('Southwind Supply LLC', ['SW-5'])] }))],
    ],
    RELABELED: [['warning', () => check({}, evidence({ clearances: [clearance(ORIGINAL)] }))]],
    LABELER_IS_RELABELER: [['warning', () => check({}, evidence({ labelerEstablishments: [{ registrationNumber: '9990100', isRelabeler: true, relabelerTypes: ['Repack or Relabel Medical Device'] }] }))]],
    COMPANY_PREFIX_MISMATCH: [['critical', () => check({ di: DI }, unknownDiEvidence({ prefixDevices: [device({ companyName: ORIGINAL, primaryDi: gtin('0061414130001') })] }))]],
    PI_MISSING: [['warning', () => check({ udi: `(01)${DI}(17)270131` })]],
    PI_UNEXPECTED: [['warning', () => check({ udi: `${UDI}(21)SN0001` })]],
    EXPIRED: [['critical', () => check({ udi: `(01)${DI}(17)250531(10)LOT42` })]],
    RECALL_OPEN: [
      ['critical', () => check({}, evidence({ recallRefs: [recall('Z-9101-2025', { classification: 'Class I' })] }))],
      ['warning', () => check({}, evidence({ recallRefs: [recall('Z-9102-2025', { classification: 'Class II' })] }))],
      ['info', () => check({}, evidence({ recallRefs: [recall('Z-9103-2025', { classification: 'Class III' })] }))],
    ],
    RECALL_LOT_MATCH: [
      ['critical', () => check({}, evidence({ recallRefs: [recall('Z-9104-2025', { lots: ['LOT42'] })] }))],
      ['warning', () => check({}, evidence({ recallRefs: [recall('Z-9105-2021', { lots: ['LOT42'], ...CLOSED })] }))],
    ],
    RECALL_HISTORY: [['info', () => check({}, evidence({ recallRefs: [recall('Z-9106-2021', CLOSED)] }))]],
    SECURITY_ADVISORY: [['warning', () => check({}, evidence({ advisories: [advisory('ICSMA-99-001-01')] }))]],
    SAFETY_COMMUNICATION: [['warning', () => check({}, evidence({ safetyCommunications: [communication('Problems with Northwind NW-500 Infusion Pumps: FDA Safety Communication')] }))]],
    SUPPLIER_NOT_AUTHORIZED: [['warning', () => check({ supplier: 'Grey Market Surplus LLC' }, evidence({ suppliers: ['Owens & Minor Distribution, Inc.'] }))]],
    DATA_STALE: [
      ['warning', () => check({}, evidence({ sources: freshSources('2025-05-28T00:00:00.000Z') }))],
      ['info', () => check({}, evidence({ sources: [] }))],
    ],
  };
  const rows = FINDING_CODES.flatMap((code) => cases[code].map(([severity, run]) => [code, severity, run] as const));

  it.each(rows)('%s (%s)', (code, severity, run) => {
    const r = run();
    const f = r.findings.find((x) => x.code === code && x.severity === severity);
    expect(f, `${code} ${severity} in ${JSON.stringify(codes(r))}`).toBeDefined();
    // Every other finding of these minimal cases is no more severe, so the decision is this severity's effect.
    expect(r.decision).toBe(EFFECT[severity]);
  });

  it('covers every code in FINDING_CODES', () => {
    expect(new Set(rows.map(([c]) => c))).toEqual(new Set(FINDING_CODES));
  });
});

describe('the decision rule', () => {
  it('any critical → reject, even with warnings and info', () => {
    const r = check({ manufacturer: 'Acme Orthopedics LLC' }, evidence({ recallRefs: [recall('Z-9103-2025', { classification: 'Class III' })], sources: freshSources('2025-05-01T00:00:00.000Z') }));
    expect(r.findings.map((f) => f.severity).sort()).toEqual(['critical', 'info', 'warning']);
    expect(r.decision).toBe<Decision>('reject');
  });

  it('else any warning → review', () => {
    const r = check({}, evidence({ recallRefs: [recall('Z-9103-2025', { classification: 'Class III' })], sources: freshSources('2025-05-01T00:00:00.000Z') }));
    expect(r.findings.map((f) => f.severity).sort()).toEqual(['info', 'warning']);
    expect(r.decision).toBe<Decision>('review');
  });

  it('else (info only, or nothing) → accept', () => {
    const r = check({}, evidence({ recallRefs: [recall('Z-9106-2021', CLOSED), recall('Z-9103-2025', { classification: 'Class III' })], sources: [] }));
    expect(new Set(r.findings.map((f) => f.severity))).toEqual(new Set(['info']));
    expect(r.decision).toBe<Decision>('accept');
  });
});

describe('UDI_MALFORMED / UDI_CHECK_DIGIT', () => {
  it('an unreadable UDI is UDI_MALFORMED with the parser reason; nothing else is checked', () => {
    const f = sole(check({ udi: 'hello world' }, evidence({ sources: [] })), 'UDI_MALFORMED', 'critical', 'reject');
    expect(f.message).toMatch(/cannot be read: not a UDI/);
    expect(f.evidence).toEqual([]);
  });

  it('a wrong length is UDI_MALFORMED, not UDI_CHECK_DIGIT', () => {
    expect(sole(check({ udi: '(01)123' }), 'UDI_MALFORMED', 'critical', 'reject').message).toMatch(/14/);
  });

  it('a wrong GTIN check digit names the digit expected', () => {
    const f = sole(check({ udi: `(01)${WRONG_DIGIT}(17)270131(10)LOT42` }), 'UDI_CHECK_DIGIT', 'critical', 'reject');
    expect(f.message).toMatch(/check digit is wrong/);
    expect(f.message).toContain(`expected ${DI[13]}`);
  });

  it('a wrong HIBC check character is UDI_CHECK_DIGIT too', () => {
    sole(check({ udi: '+H123ABC01231' }, undefined), 'UDI_CHECK_DIGIT', 'critical', 'reject');
  });

  it('does not fire for a valid UDI, nor for a bare DI (which is not parsed)', () => {
    expect(codes(check())).toEqual([]);
    expect(codes(check({ di: DI }))).toEqual([]);
  });
});

describe('DI_NOT_IN_GUDID / COMPANY_PREFIX_MISMATCH', () => {
  const other = (name: string, body: string) => device({ companyName: name, primaryDi: gtin(body) });

  it('an unknown DI is critical, names the DI and cites AccessGUDID', () => {
    const f = sole(check({ di: DI }, unknownDiEvidence()), 'DI_NOT_IN_GUDID', 'critical', 'reject');
    expect(f.message).toContain(DI);
    expect(f.evidence).toEqual([{ source: 'accessgudid', recordId: DI, url: `https://accessgudid.nlm.nih.gov/devices/${DI}` }]);
  });

  it('the DI prefix used only by other labelers is COMPANY_PREFIX_MISMATCH naming them and the claim', () => {
    const r = check({ di: DI }, unknownDiEvidence({ prefixDevices: [other(ORIGINAL, '0061414130001'), other('Baltic Catheter AB', '0061414130002'), other('ZEPHYR DEVICES GMBH', '0061414130003')] }));
    expect(codes(r)).toEqual(['DI_NOT_IN_GUDID', 'COMPANY_PREFIX_MISMATCH']);
    const f = r.findings[1];
    expect(f?.severity).toBe('critical');
    expect(f?.message).toContain('Baltic Catheter AB');
    expect(f?.message).toMatch(/Zephyr Devices GmbH|ZEPHYR DEVICES GMBH/);
    expect(f?.message).toContain(`not by ${LABELER}`);
    expect(f?.evidence.map((e) => e.recordId)).toEqual([gtin('0061414130001'), gtin('0061414130002'), gtin('0061414130003')]);
    expect(r.decision).toBe('reject');
  });

  it('does not fire when the claimed firm is among the prefix users (normalised), or nobody uses the prefix', () => {
    expect(codes(check({ di: DI, manufacturer: 'NORTHWIND MEDICAL INC' }, unknownDiEvidence({ prefixDevices: [other(ORIGINAL, '0061414130001'), other(LABELER, '0061414130004')] })))).toEqual(['DI_NOT_IN_GUDID']);
    expect(codes(check({ di: DI }, unknownDiEvidence()))).toEqual(['DI_NOT_IN_GUDID']);
  });

  it('does not fire when the prefix user is the claimed firm via an alias', () => {
    const aliases = [{ name: LABELER, aliasOf: 'Northwind Holdings plc' }];
    expect(codes(check({ di: DI, manufacturer: 'Northwind Holdings' }, unknownDiEvidence({ aliases, prefixDevices: [other(LABELER, '0061414130004')] })))).toEqual(['DI_NOT_IN_GUDID']);
  });

  it('still checks the supplier and data freshness for an unknown DI', () => {
    const r = check({ di: DI, supplier: 'Grey Market Surplus' }, unknownDiEvidence({ suppliers: ['Owens & Minor'], sources: [] }));
    expect(codes(r)).toEqual(['DI_NOT_IN_GUDID', 'SUPPLIER_NOT_AUTHORIZED', 'DATA_STALE']);
  });
});

describe('record status', () => {
  it('RECORD_DEACTIVATED is critical and names the DI', () => {
    const f = sole(check({}, evidence({ device: device({ recordStatus: 'Deactivated' }) })), 'RECORD_DEACTIVATED', 'critical', 'reject');
    expect(f.message).toContain(DI);
    expect(f.evidence[0]).toMatchObject({ source: 'synthetic', recordId: DI, date: '2024-02-01' });
  });

  it('NOT_IN_COMMERCIAL_DISTRIBUTION is a warning naming the labeler, brand and end date', () => {
    const ev = evidence({ device: device({ commercialDistributionStatus: 'Not in Commercial Distribution', commercialDistributionEndDate: '2023-12-31' }) });
    const f = sole(check({}, ev), 'NOT_IN_COMMERCIAL_DISTRIBUTION', 'warning', 'review');
    expect(f.message).toContain(LABELER);
    expect(f.message).toContain('NW-500');
    expect(f.message).toContain('since 2023-12-31');
  });

  it('PACKAGE_DISCONTINUED names the package DI, type and date — by status or by a past discontinue date', () => {
    const row = { di: CASE_DI, type: 'Package', packageType: 'Case', packageStatus: 'In Commercial Distribution', packageDiscontinueDate: '2024-06-30' };
    const f = sole(check({ di: CASE_DI }, evidence({ di: CASE_DI, identifier: row })), 'PACKAGE_DISCONTINUED', 'warning', 'review');
    expect(f.message).toContain(CASE_DI);
    expect(f.message).toContain('Case');
    expect(f.message).toContain('2024-06-30');
    expect(f.evidence[0]?.recordId).toBe(CASE_DI);
  });

  it('no PACKAGE_DISCONTINUED for a package in distribution, or discontinued only in the future', () => {
    const row = { di: CASE_DI, type: 'Package', packageType: 'Case', packageStatus: 'In Commercial Distribution' };
    expect(codes(check({ di: CASE_DI }, evidence({ di: CASE_DI, identifier: row })))).toEqual([]);
    expect(codes(check({ di: CASE_DI }, evidence({ di: CASE_DI, identifier: { ...row, packageDiscontinueDate: '2026-01-01' } })))).toEqual([]);
  });

  it('no status findings for a published record in distribution (other statuses are not guessed at)', () => {
    expect(codes(check({}, evidence({ device: device({ recordStatus: 'Published', commercialDistributionStatus: 'In Commercial Distribution' }) })))).toEqual([]);
    expect(codes(check({}, evidence({ device: device({ recordStatus: undefined, commercialDistributionStatus: undefined }) })))).toEqual([]);
  });
});

describe('who made it: MANUFACTURER_MISMATCH, RELABELED, LABELER_IS_RELABELER', () => {
  it('MANUFACTURER_MISMATCH is critical for an unrelated firm and names the claim, the labeler and the DI', () => {
    const f = sole(check({ manufacturer: 'Acme Orthopedics LLC' }), 'MANUFACTURER_MISMATCH', 'critical', 'reject');
    expect(f.message).toContain('Acme Orthopedics LLC');
    expect(f.message).toContain(LABELER);
    expect(f.message).toContain(DI);
    expect(f.evidence[0]?.recordId).toBe(DI);
  });

  it('critical for an unrelated firm on a relabeled unit names the original manufacturer too', () => {
    const r = check({ manufacturer: 'Acme Orthopedics LLC' }, relabeledEvidence());
    expect(codes(r)).toEqual(['RELABELED', 'MANUFACTURER_MISMATCH']);
    expect(r.findings[1]).toMatchObject({ severity: 'critical' });
    expect(r.findings[1]?.message).toContain(`made by ${ORIGINAL}`);
  });

  it('MANUFACTURER_MISMATCH is a warning when the claimed firm sells under the same clearance', () => {
    const ev = evidence({ listings: [listing(LABELER, ['NW-500']), listing('Southwind Supply LLC', ['SW-5'])] });
    const f = sole(check({ manufacturer: 'SOUTHWIND SUPPLY' }, ev), 'MANUFACTURER_MISMATCH', 'warning', 'review');
    expect(f.message).toContain('SOUTHWIND SUPPLY');
    expect(f.message).toContain('same clearance');
    expect(f.message).toContain(`labeled by ${LABELER}`);
  });

  it.each([
    ['case, punctuation and legal suffix', 'NORTHWIND MEDICAL INC'],
    ['a one-letter typo', 'Northwynd Medical Inc.'],
    ['a dropped generic word', 'Northwind, Inc.'],
  ])('no MANUFACTURER_MISMATCH for %s (%j)', (_why, claim) => {
    expect(codes(check({ manufacturer: claim }))).toEqual([]);
  });

  it('no MANUFACTURER_MISMATCH for a claim that names the labeler through the alias table', () => {
    const aliases = [{ name: 'Northwind Holdings plc', aliasOf: LABELER, note: 'parent' }];
    expect(codes(check({ manufacturer: 'Northwind Holdings' }, evidence({ aliases })))).toEqual([]);
  });

  it('a firm sharing only generic words with the labeler is a mismatch', () => {
    expect(codes(check({ manufacturer: 'Eastwind Medical Systems, Inc.' }))).toEqual(['MANUFACTURER_MISMATCH']);
  });

  it('RELABELED is a warning that names the original manufacturer, the clearance and the other names', () => {
    const r = check({}, relabeledEvidence());
    const f = sole(r, 'RELABELED', 'warning', 'review');
    expect(f.message).toContain(`held by ${ORIGINAL}`);
    expect(f.message).toContain(K);
    expect(f.message).toContain('also sold as ZP-500, NW-500');
    expect(f.message).toContain(`Recalls and advisories for ${ORIGINAL}'s device apply to it`);
    expect(f.evidence.map((e) => e.recordId)).toEqual([K, DI]);
    expect(f.evidence[0]?.url).toContain(K);
    expect(r.family).toMatchObject({ labeler: LABELER, originalManufacturer: ORIGINAL, otherLabelers: [ORIGINAL], proprietaryNames: ['ZP-500', 'NW-500'] });
  });

  it('a relabeled unit claimed as the original manufacturer: RELABELED still surfaces, the claim fits', () => {
    expect(codes(check({ manufacturer: 'ZEPHYR DEVICES' }, relabeledEvidence()))).toEqual(['RELABELED']);
  });

  it('no RELABELED when the labeler is the clearance holder — exactly, after normalisation or via an alias', () => {
    expect(codes(check())).toEqual([]);
    expect(codes(check({}, evidence({ clearances: [clearance('NORTHWIND MEDICAL INC.')] })))).toEqual([]);
    const aliases = [{ name: ORIGINAL, aliasOf: LABELER, note: 'renamed' }];
    expect(codes(check({}, evidence({ clearances: [clearance(ORIGINAL)], aliases })))).toEqual([]);
  });

  it('no RELABELED without a clearance (exempt device)', () => {
    const r = check({}, evidence({ clearances: [] }));
    expect(codes(r)).toEqual([]);
    expect(r.family.originalManufacturer).toBe(LABELER);
  });

  it('LABELER_IS_RELABELER is a warning naming the registration and what it says', () => {
    const est = { registrationNumber: '9990100', firmName: LABELER, isRelabeler: true, relabelerTypes: ['Repack or Relabel Medical Device', 'Foreign Private Label Distributor'] };
    const f = sole(check({}, evidence({ labelerEstablishments: [est] })), 'LABELER_IS_RELABELER', 'warning', 'review');
    expect(f.message).toContain(LABELER);
    expect(f.message).toContain('9990100');
    expect(f.message).toContain('Repack or Relabel Medical Device; Foreign Private Label Distributor');
    expect(f.evidence).toEqual([{ source: 'openfda', recordId: '9990100' }]);
  });

  it('no LABELER_IS_RELABELER for a manufacturing establishment', () => {
    expect(codes(check({}, evidence({ labelerEstablishments: [{ registrationNumber: '9990100', isRelabeler: false, relabelerTypes: [] }] })))).toEqual([]);
  });
});

describe('production identifiers: PI_MISSING, PI_UNEXPECTED, EXPIRED', () => {
  it('PI_MISSING names every identifier GUDID expects and the scan lacks', () => {
    const f = sole(check({ udi: `(01)${DI}` }), 'PI_MISSING', 'warning', 'review');
    expect(f.message).toContain('lot or batch number, expiration date');
    expect(f.evidence[0]?.recordId).toBe(DI);
  });

  it('PI_UNEXPECTED names an identifier the scan carries but GUDID says the label has not', () => {
    const f = sole(check({ udi: `${UDI}(11)240101` }), 'PI_UNEXPECTED', 'warning', 'review');
    expect(f.message).toContain('manufacturing date');
  });

  it('no PI_MISSING when only a DI was given', () => {
    expect(codes(check({ di: DI }))).toEqual([]);
  });

  it('no PI findings when GUDID does not say (flags unknown)', () => {
    const ev = evidence({ device: device({ hasLotOrBatchNumber: undefined, hasSerialNumber: undefined, hasExpirationDate: undefined, hasManufacturingDate: undefined }) });
    expect(codes(check({ udi: `(01)${DI}(21)S1` }, ev))).toEqual([]);
  });

  it('EXPIRED is critical and names the date', () => {
    const f = sole(check({ udi: `(01)${DI}(17)250531(10)LOT42` }), 'EXPIRED', 'critical', 'reject');
    expect(f.message).toContain('2025-05-31');
  });

  it('not EXPIRED on the day of expiry', () => {
    expect(codes(check({ udi: `(01)${DI}(17)250601(10)LOT42` }))).toEqual([]);
  });
});

describe('recalls: RECALL_OPEN, RECALL_LOT_MATCH, RECALL_HISTORY', () => {
  it.each([
    ['Class I', 'critical'],
    ['Class II', 'warning'],
    ['Class III', 'info'],
    [undefined, 'warning'],
  ] as const)('RECALL_OPEN of %s is %s', (classification, severity) => {
    const f = sole(check({}, evidence({ recallRefs: [recall('Z-9102-2025', { classification })] })), 'RECALL_OPEN', severity, EFFECT[severity]);
    expect(f.message).toContain('Z-9102-2025');
    expect(f.message).toContain(LABELER);
    expect(f.message).toContain(classification ?? 'unclassified');
    expect(f.evidence).toEqual([{ source: 'synthetic', recordId: 'Z-9102-2025', date: '2025-04-02', url: expect.stringContaining('Z-9102-2025') }]);
  });

  it('RECALL_LOT_MATCH on an open recall is critical and names the lot; the recall is open as well', () => {
    const r = check({}, evidence({ recallRefs: [recall('Z-9104-2025', { lots: ['LOT41', 'LOT42'] })] }));
    expect(codes(r)).toEqual(['RECALL_LOT_MATCH', 'RECALL_OPEN']);
    expect(r.findings[0]).toMatchObject({ severity: 'critical', message: expect.stringContaining('lot LOT42') });
    expect(r.findings[0]?.message).toContain('Z-9104-2025');
    expect(r.decision).toBe('reject');
  });

  it('RECALL_LOT_MATCH when the recall names this DI and no lot or serial (every unit is covered)', () => {
    const r = check({}, evidence({ recallRefs: [recall('Z-9108-2025', { dis: [DI] })] }));
    expect(codes(r)).toEqual(['RECALL_LOT_MATCH', 'RECALL_OPEN']);
    expect(r.findings[0]).toMatchObject({ severity: 'critical', message: expect.stringContaining(`DI ${DI}, with no lot or serial limit`) });
    // A recall naming the DI but limited to other lots does not match this unit.
    const other = check({}, evidence({ recallRefs: [recall('Z-9109-2025', { dis: [DI], lots: ['LOT7'] })] }));
    expect(codes(other)).toEqual(['RECALL_OPEN']);
  });

  it('RECALL_LOT_MATCH by serial number', () => {
    const ev = evidence({ device: device({ hasSerialNumber: true }), recallRefs: [recall('Z-9107-2025', { serials: ['SN0001'] })] });
    const r = check({ udi: `${UDI}(21)SN0001` }, ev);
    expect(r.findings[0]).toMatchObject({ code: 'RECALL_LOT_MATCH', severity: 'critical', message: expect.stringContaining('serial SN0001') });
  });

  it('RECALL_LOT_MATCH on a closed recall is a warning asking to confirm the remedy; the recall goes to history', () => {
    const r = check({}, evidence({ recallRefs: [recall('Z-9105-2021', { lots: ['LOT42'], ...CLOSED })] }));
    expect(codes(r)).toEqual(['RECALL_LOT_MATCH', 'RECALL_HISTORY']);
    expect(r.findings[0]).toMatchObject({ severity: 'warning', message: expect.stringContaining('closed') });
    expect(r.decision).toBe('review');
  });

  it('no RECALL_LOT_MATCH for another lot, or when no lot was scanned', () => {
    const ev = evidence({ recallRefs: [recall('Z-9104-2025', { lots: ['LOT41'] })] });
    expect(codes(check({}, ev))).toEqual(['RECALL_OPEN']);
    expect(codes(check({ di: DI }, evidence({ recallRefs: [recall('Z-9104-2025', { lots: ['LOT42'] })] })))).toEqual(['RECALL_OPEN']);
  });

  it('RECALL_HISTORY is info listing every closed recall (terminated or completed) with its own evidence', () => {
    const refs = [recall('Z-9106-2021', CLOSED), recall('Z-9108-2022', { status: 'Completed', enforcementStatus: 'Completed' })];
    const f = sole(check({}, evidence({ recallRefs: refs })), 'RECALL_HISTORY', 'info', 'accept');
    expect(f.message).toContain('2 closed recalls');
    expect(f.message).toContain('Z-9106-2021, Z-9108-2022');
    expect(f.evidence.map((e) => [e.recordId, e.date])).toEqual([['Z-9106-2021', '2021-09-30'], ['Z-9108-2022', undefined]]);
  });

  it('product-code recalls of other firms are ignored; the labeler\'s and the original manufacturer\'s count', () => {
    const byCode = (n: string, firm: string) => recall(n, { firm, matchedBy: 'product-code', matchedValue: 'FRN' });
    expect(codes(check({}, evidence({ recallRefs: [byCode('Z-9201-2025', 'Baltic Catheter AB')] })))).toEqual([]);
    expect(codes(check({}, evidence({ recallRefs: [byCode('Z-9202-2025', 'NORTHWIND MEDICAL INC')] })))).toEqual(['RECALL_OPEN']);
    expect(codes(check({ manufacturer: ORIGINAL }, relabeledEvidence({ recallRefs: [byCode('Z-9203-2025', ORIGINAL)] })))).toEqual(['RELABELED', 'RECALL_OPEN']);
  });

  it('a recall found by DI and by submission is reported once', () => {
    const r = check({}, evidence({ recallRefs: [recall('Z-9102-2025', { matchedBy: 'di', matchedValue: DI }), recall('Z-9102-2025')] }));
    expect(codes(r)).toEqual(['RECALL_OPEN']);
  });
});

describe('SECURITY_ADVISORY and SAFETY_COMMUNICATION', () => {
  it('SECURITY_ADVISORY is a warning naming the advisory, title, model, CVEs and score; cites CISA', () => {
    const f = sole(check({}, evidence({ advisories: [advisory('ICSMA-99-001-01'), advisory('ICSMA-99-001-01', { matchedBy: 'vendor' })] })), 'SECURITY_ADVISORY', 'warning', 'review');
    expect(f.message).toContain('ICSMA-99-001-01');
    expect(f.message).toContain('Northwind NW-500 Infusion Pump (synthetic)');
    expect(f.message).toContain('products named nw500');
    expect(f.message).toContain('CVE-2099-0001, CVE-2099-0002; CVSS up to 9.8');
    expect(f.evidence).toEqual([{ source: 'cisa-csaf', recordId: 'ICSMA-99-001-01', date: '2025-02-25', url: 'https://www.cisa.gov/news-events/ics-medical-advisories/icsma-99-001-01' }]);
  });

  it('SAFETY_COMMUNICATION is a warning naming the name it found, the date and the title', () => {
    const f = sole(check({}, evidence({ safetyCommunications: [communication('Risks with Certain Infusion Pumps', 'The FDA warns about NW-500 pumps.')] })), 'SAFETY_COMMUNICATION', 'warning', 'review');
    expect(f.message).toContain('names NW-500');
    expect(f.message).toContain('2025-03-10');
    expect(f.message).toContain('"Risks with Certain Infusion Pumps"');
    expect(f.evidence[0]).toMatchObject({ source: 'fda-rss', recordId: 'sc1', date: '2025-03-10', url: expect.stringContaining('fda.gov') });
  });

  it('finds the original manufacturer of a relabeled unit by its distinctive first word', () => {
    const r = check({}, relabeledEvidence({ safetyCommunications: [communication('Cybersecurity Vulnerabilities with Certain Pumps from Zephyr')] }));
    expect(codes(r)).toEqual(['RELABELED', 'SAFETY_COMMUNICATION']);
    expect(r.findings[1]?.message).toContain(`names ${ORIGINAL}`);
  });

  it('no SAFETY_COMMUNICATION for an unrelated communication, or a name inside another word', () => {
    expect(codes(check({}, evidence({ safetyCommunications: [communication('Do Not Use Certain Surgical Gowns')] })))).toEqual([]);
    expect(codes(check({}, evidence({ safetyCommunications: [communication('Northwindow Labs recalls blinds')] })))).toEqual([]);
  });

  it('no SAFETY_COMMUNICATION from a generic first word of a brand or a firm name', () => {
    // "Blood Pressure Monitor BPM-7" must not hit every communication that says "blood"; nor "Medical Action
    // Industries" every communication that says "medical".
    const ev = evidence({
      device: device({ companyName: 'Medical Action Industries', brandName: 'Blood Pressure Monitor BPM-7' }),
      clearances: [clearance('Medical Action Industries')],
      listings: [listing('Medical Action Industries', ['Blood Pressure Monitor BPM-7'])],
      safetyCommunications: [communication('Blood Glucose Meters: FDA Safety Communication', 'Medical device users should check blood glucose results.')],
    });
    expect(codes(check({ manufacturer: 'Medical Action Industries' }, ev))).toEqual([]);
  });
});

describe('SUPPLIER_NOT_AUTHORIZED', () => {
  const suppliers = ['Owens & Minor Distribution, Inc.', 'Cardinal Health 200, LLC'];

  it('is a warning naming the supplier', () => {
    const f = sole(check({ supplier: 'Grey Market Surplus LLC' }, evidence({ suppliers })), 'SUPPLIER_NOT_AUTHORIZED', 'warning', 'review');
    expect(f.message).toContain('Grey Market Surplus LLC');
  });

  it('not when the supplier is on the list (normalised) or via an alias', () => {
    expect(codes(check({ supplier: 'OWENS AND MINOR DISTRIBUTION' }, evidence({ suppliers })))).toEqual([]);
    expect(codes(check({ supplier: 'O&M Halyard' }, evidence({ suppliers, aliases: [{ name: 'O&M Halyard', aliasOf: 'Owens & Minor Distribution, Inc.' }] })))).toEqual([]);
  });

  it('not when the organisation keeps no list, or no supplier was given', () => {
    expect(codes(check({ supplier: 'Grey Market Surplus LLC' }, evidence({ suppliers: [] })))).toEqual([]);
    expect(codes(check({}, evidence({ suppliers })))).toEqual([]);
  });
});

describe('DATA_STALE', () => {
  it('a source ingested longer ago than its allowance is a warning naming it and the date', () => {
    const sources = freshSources().map((s) => (s.sourceId === 'openfda:recall' ? { ...s, ingestedAt: '2025-05-29T11:00:00.000Z' } : s));
    const f = sole(check({}, evidence({ sources })), 'DATA_STALE', 'warning', 'review');
    expect(f.message).toBe('This answer rests on data that may be out of date: openfda:recall (last ingested 2025-05-29).');
  });

  it('a source never ingested is info naming it', () => {
    const sources = freshSources().filter((s) => s.sourceId !== 'cisa-csaf');
    const f = sole(check({}, evidence({ sources })), 'DATA_STALE', 'info', 'accept');
    expect(f.message).toBe('No data has been ingested yet from: cisa-csaf.');
  });

  it('stale and never-ingested sources give one finding each', () => {
    const sources = freshSources('2025-05-01T00:00:00.000Z').filter((s) => s.sourceId !== 'fda-rss');
    expect(check({}, evidence({ sources })).findings.map((f) => [f.code, f.severity])).toEqual([['DATA_STALE', 'warning'], ['DATA_STALE', 'info']]);
  });

  it('not at exactly the allowance (two days for the recall feed), nor for sources it does not watch', () => {
    const sources = [...freshSources().map((s) => (s.sourceId === 'openfda:recall' ? { ...s, ingestedAt: '2025-05-30T12:00:00.000Z' } : s)), { sourceId: 'gudid-xml' }];
    expect(codes(check({}, evidence({ sources })))).toEqual([]);
  });
});

describe('determinism and purity', () => {
  const input: CheckInput = { udi: `(01)${DI}(17)250531(10)LOT42(21)SN1`, manufacturer: 'Acme', supplier: 'Grey Market', model: 'NW-500', poNumber: 'PO-1' };
  const ev = () =>
    relabeledEvidence({
      recallRefs: [recall('Z-9104-2025', { lots: ['LOT42'] }), recall('Z-9106-2021', CLOSED), recall('Z-9101-2025', { classification: 'Class I' })],
      advisories: [advisory('ICSMA-99-001-01')],
      safetyCommunications: [communication('Northwind NW-500 pumps')],
      labelerEstablishments: [{ registrationNumber: '9990100', isRelabeler: true, relabelerTypes: ['Repack or Relabel Medical Device'] }],
      suppliers: ['Owens & Minor'],
      sources: freshSources('2025-05-01T00:00:00.000Z').slice(1),
    });

  it('the same input, evidence and clock give deep-equal results', () => {
    const a = runCheck(input, ev(), NOW, CHECK_ID);
    const b = runCheck(structuredClone(input), ev(), new Date(NOW.getTime()), CHECK_ID);
    expect(a.findings.length).toBeGreaterThan(8);
    expect(b).toEqual(a);
  });

  it('the order of recall references does not change the result', () => {
    const e = ev();
    const reversed = { ...e, recallRefs: [...e.recallRefs].reverse() };
    expect(runCheck(input, reversed, NOW, CHECK_ID)).toEqual(runCheck(input, e, NOW, CHECK_ID));
  });

  it('does not modify its input or evidence', () => {
    const e = ev();
    const before = structuredClone(e);
    runCheck(input, e, NOW, CHECK_ID);
    expect(e).toEqual(before);
  });
});

describe('never throws, whatever the evidence looks like (property)', () => {
  const loose = fc.oneof(fc.string(), fc.constant(undefined), fc.constant(null), fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 3 }), fc.constant({}));
  const name = fc.oneof(fc.string(), fc.constantFrom(LABELER, ORIGINAL, 'NORTHWIND MEDICAL INC', 'Medical Systems', 'Co., Ltd.', '', ' ', 'Dräger & Co. KG'));
  const date = fc.oneof(fc.constantFrom('2024-01-01', '2025-06-01', '9999-12-31', 'not a date', '2025-05-31T23:59:59Z'), fc.string(), fc.constant(undefined));
  const item = (fields: Record<string, fc.Arbitrary<unknown>>) => fc.record({ ...fields, extra: loose }, { requiredKeys: [] }) as fc.Arbitrary<Item>;
  const items = (fields: Record<string, fc.Arbitrary<unknown>>) => fc.array(item(fields), { maxLength: 4 });
  const submission = fc.oneof(item({ number: fc.oneof(fc.constant(K), fc.string()) }), fc.constant(null), fc.string());

  const deviceArb = item({
    companyName: name,
    primaryDi: fc.oneof(fc.constant(DI), fc.string()),
    recordStatus: fc.oneof(fc.constantFrom('Deactivated', 'Published'), loose),
    commercialDistributionStatus: fc.oneof(fc.constant('Not in Commercial Distribution'), loose),
    commercialDistributionEndDate: date,
    brandName: name,
    versionDate: date,
    premarketSubmissions: fc.oneof(fc.array(submission, { maxLength: 3 }), loose),
    hasLotOrBatchNumber: loose,
    hasSerialNumber: loose,
    hasExpirationDate: loose,
    hasManufacturingDate: loose,
  });
  const evidenceArb: fc.Arbitrary<Evidence> = fc.record(
    {
      di: fc.oneof(fc.constant(DI), fc.string()),
      device: fc.option(deviceArb, { nil: undefined }),
      identifier: fc.option(item({ di: fc.string(), packageStatus: fc.oneof(fc.constant('Not in Commercial Distribution'), loose), packageDiscontinueDate: date, packageType: loose }), { nil: undefined }),
      recallRefs: items({
        recallNumber: fc.oneof(fc.constantFrom('Z-1-2025', 'Z-2-2025'), loose),
        firm: name,
        matchedBy: fc.oneof(fc.constantFrom('product-code', 'submission', 'di'), loose),
        classification: fc.oneof(fc.constantFrom('Class I', 'Class II', 'Class III'), loose),
        status: fc.oneof(fc.constantFrom('Terminated', 'Open, Classified', 'Completed'), loose),
        enforcementStatus: loose,
        terminatedDate: date,
        lots: fc.oneof(fc.array(fc.constantFrom('LOT42', 'X'), { maxLength: 2 }), loose),
        serials: loose,
        productDescription: loose,
      }),
      clearances: items({ applicant: name, kNumber: loose, decisionDate: date }),
      listings: items({ firmName: name, proprietaryNames: loose }),
      labelerEstablishments: items({ isRelabeler: loose, registrationNumber: loose, relabelerTypes: loose }),
      advisories: items({ id: loose, title: loose, cves: loose, maxBaseScore: fc.oneof(fc.double(), loose), matchedValue: loose, currentReleaseDate: date }),
      safetyCommunications: items({ id: loose, title: fc.oneof(name, loose), description: fc.oneof(name, loose), publishedDate: date, link: loose }),
      prefixDevices: fc.array(deviceArb, { maxLength: 3 }),
      sources: items({ sourceId: fc.oneof(fc.constantFrom(...Object.keys(STALE_AFTER_DAYS)), loose), sk: loose, ingestedAt: date, lastUpdated: loose }),
      aliases: fc.array(fc.record({ name, aliasOf: name }), { maxLength: 3 }),
      suppliers: fc.array(name, { maxLength: 3 }),
    },
    { requiredKeys: ['di', 'recallRefs', 'clearances', 'listings', 'labelerEstablishments', 'advisories', 'safetyCommunications', 'prefixDevices', 'sources', 'aliases', 'suppliers'] },
  );
  const inputArb: fc.Arbitrary<CheckInput> = fc.record(
    {
      udi: fc.oneof(fc.string(), fc.constantFrom(UDI, `(01)${DI}(17)250531(10)LOT42(21)SN1`, `(01)${WRONG_DIGIT}`, '+H123ABC01231')),
      di: fc.oneof(fc.string(), fc.constant(DI)),
      manufacturer: name,
      supplier: name,
      model: fc.string(),
      poNumber: fc.string(),
    },
    { requiredKeys: ['manufacturer'] },
  );
  const SEVERITY_DECISION: Record<Severity, Decision> = EFFECT;

  it('returns a well-formed result whose decision follows the findings', () => {
    fc.assert(
      fc.property(inputArb, fc.option(evidenceArb, { nil: undefined }), (input, ev) => {
        const r = runCheck(input, ev, NOW, CHECK_ID);
        for (const f of r.findings) {
          expect(FINDING_CODES).toContain(f.code);
          expect(typeof f.message).toBe('string');
          expect(Array.isArray(f.evidence)).toBe(true);
        }
        const worst = (['critical', 'warning'] as const).find((sev) => r.findings.some((f) => f.severity === sev));
        expect(r.decision).toBe(worst ? SEVERITY_DECISION[worst] : 'accept');
        expect(runCheck(input, ev, NOW, CHECK_ID)).toEqual(r);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the sample data set through the real evidence reads (Contec CMS8000 / Epsimed MN-120, synthetic)', () => {
  let repo: EvidenceRepository;
  // Sample items' source-status `ingestedAt` is fixed at NOW minus 12 hours: no source is stale.
  beforeAll(async () => {
    const items = (await readSampleDataset(undefined, { ingestedAt: '2025-06-01T00:00:00.000Z' })) as unknown as Item[];
    repo = memoryEvidence(items);
  });
  const run = async (input: CheckInput) => {
    const parsed = input.udi ? runCheck(input, undefined, NOW, CHECK_ID).udi?.di : input.di;
    return runCheck(input, await repo.gather(String(parsed)), NOW, CHECK_ID);
  };

  it('an Epsimed MN-120 claimed as Epsimed → review: relabeled Contec, registration says relabeler, advisory, communication, open Class II recall', async () => {
    const r = await run({ udi: '(01)00614141100026(11)240115(10)SYN2401B(21)EPS000123', manufacturer: 'Epsimed LLC' });
    expect(codes(r).sort()).toEqual(['LABELER_IS_RELABELER', 'RECALL_OPEN', 'RELABELED', 'SAFETY_COMMUNICATION', 'SECURITY_ADVISORY']);
    expect(r.decision).toBe('review');
    expect(r.findings.find((f) => f.code === 'RELABELED')?.message).toContain('held by Contec Medical Systems Co., Ltd.');
    expect(r.findings.find((f) => f.code === 'RECALL_OPEN')).toMatchObject({ severity: 'warning', evidence: [{ recordId: 'Z-9001-2025' }] });
    expect(r.findings.find((f) => f.code === 'SECURITY_ADVISORY')?.evidence[0]?.recordId).toBe('ICSMA-25-030-01');
    expect(r.findings.find((f) => f.code === 'LABELER_IS_RELABELER')?.message).toContain('9990002');
  });

  it('the Contec CMS8000 with the recalled lot → reject on RECALL_LOT_MATCH, no RELABELED', async () => {
    const r = await run({ udi: '(01)00614141100019(11)250101(10)SYN2501A(21)C1', manufacturer: 'CONTEC MEDICAL SYSTEMS CO LTD' });
    expect(r.decision).toBe('reject');
    expect(r.findings.find((f) => f.code === 'RECALL_LOT_MATCH')).toMatchObject({ severity: 'critical', evidence: [{ recordId: 'Z-9001-2025' }] });
    expect(codes(r)).not.toContain('RELABELED');
    expect(codes(r)).not.toContain('MANUFACTURER_MISMATCH');
  });

  it('EXM-100: not in commercial distribution; its case DI discontinued', async () => {
    expect(codes(await run({ di: '00614141100033', manufacturer: 'Example Monitor Co.' }))).toEqual(['NOT_IN_COMMERCIAL_DISTRIBUTION']);
    expect(codes(await run({ di: '10614141100030', manufacturer: 'Example Monitor Co.' }))).toEqual(['NOT_IN_COMMERCIAL_DISTRIBUTION', 'PACKAGE_DISCONTINUED']);
  });

  it('EXM-200: deactivated record → reject', async () => {
    const r = await run({ di: '00614141100040', manufacturer: 'Example Monitor Co.' });
    expect(codes(r)).toContain('RECORD_DEACTIVATED');
    expect(r.decision).toBe('reject');
  });

  it('an unknown DI under the 0614141 prefix claimed as another firm → COMPANY_PREFIX_MISMATCH naming its labelers', async () => {
    const unknown = gtin('0061414199999');
    const r = await run({ di: unknown, manufacturer: 'Acme Orthopedics' });
    expect(codes(r)).toEqual(['DI_NOT_IN_GUDID', 'COMPANY_PREFIX_MISMATCH']);
    expect(r.findings[1]?.message).toMatch(/Contec Medical Systems Co\., Ltd\..*Epsimed LLC.*Example Monitor Co\./);
    expect(codes(await run({ di: unknown, manufacturer: 'Epsimed' }))).toEqual(['DI_NOT_IN_GUDID']);
  });

  it('a real GUDID record (NuVasive CoRoent, openFDA site example) claimed as "NuVasive Incorporated" → no mismatch', async () => {
    const r = await run({ di: '00887517567062', manufacturer: 'NuVasive Incorporated' });
    expect(codes(r)).not.toContain('MANUFACTURER_MISMATCH');
    expect(r.family.labeler).toBe('Nuvasive, Inc.');
  });
});
