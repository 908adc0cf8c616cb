/**
 * Test helpers for the check engine: hand-built evidence (every item here is SYNTHETIC — invented firms,
 * invented 510(k) numbers K99xxxx, GTINs under GS1's example company prefix 0614141) and an in-memory
 * stand-in for the DynamoDB document client so the real EvidenceRepository can read the sample data set.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { STALE_AFTER_DAYS, runCheck } from '../../../lib/check/engine.js';
import { EvidenceRepository } from '../../../lib/check/evidence.js';
import type { CheckInput, CheckResult, Decision, Evidence, Finding, FindingCode, Item, Severity } from '../../../lib/check/types.js';
import { gtinCheckDigit } from '../../../lib/udi/index.js';

/** The fixed clock of every engine test. */
export const NOW = new Date('2025-06-01T12:00:00.000Z');
export const CHECK_ID = 'chk_test';

/** A valid GTIN-14 from 13 digits (appends the mod-10 check digit). */
export function gtin(body13: string): string {
  const d = gtinCheckDigit(body13);
  if (d === undefined || body13.length !== 13) throw new Error(`bad GTIN body ${body13}`);
  return `${body13}${d}`;
}

// SYNTHETIC: "Northwind Medical, Inc." sells the NW-500 infusion pump under the invented clearance K990001.
export const LABELER = 'Northwind Medical, Inc.';
export const K = 'K990001';
export const DI = gtin('0061414120001');
export const CASE_DI = gtin('1061414120001');
/** A clean scan: lot and expiry on the label, as GUDID says; expires 2027-01-31. */
export const UDI = `(01)${DI}(17)270131(10)LOT42`;

/** Every source the staleness rule watches, ingested six hours before NOW. */
export function freshSources(ingestedAt = '2025-06-01T06:00:00.000Z'): Item[] {
  return Object.keys(STALE_AFTER_DAYS).map((sourceId) => ({ pk: 'SOURCE', sk: sourceId, entity: 'source-status', sourceId, lastUpdated: '2025-05-31', ingestedAt }));
}

export function device(overrides: Item = {}): Item {
  return {
    pk: `DI#${DI}`,
    sk: 'DEVICE',
    entity: 'device',
    source: 'synthetic',
    primaryDi: DI,
    identifiers: [
      { di: DI, type: 'Primary', issuingAgency: 'GS1' },
      { di: CASE_DI, type: 'Package', issuingAgency: 'GS1', containsDi: DI, quantity: 10, packageStatus: 'In Commercial Distribution', packageType: 'Case' },
    ],
    recordStatus: 'Published',
    versionDate: '2024-02-01',
    commercialDistributionStatus: 'In Commercial Distribution',
    labelerDuns: '999000100',
    companyName: LABELER,
    brandName: 'NW-500',
    versionModelNumber: 'NW-500',
    productCodes: [{ code: 'FRN', name: 'Pump, infusion' }],
    premarketSubmissions: [{ number: K }],
    hasLotOrBatchNumber: true,
    hasSerialNumber: false,
    hasExpirationDate: true,
    hasManufacturingDate: false,
    ...overrides,
  };
}

export function clearance(applicant: string, kNumber = K): Item {
  return { pk: `SUB#${kNumber}`, sk: 'CLEARANCE', entity: 'clearance', source: 'synthetic', kNumber, applicant, decisionDate: '2019-03-01' };
}

export function listing(firmName: string, proprietaryNames: string[], extra: Item = {}): Item {
  return { entity: 'listing-ref', source: 'synthetic', firmName, proprietaryNames, kNumber: K, submission: K, isRelabeler: false, ...extra };
}

export function recall(recallNumber: string, extra: Item = {}): Item {
  return {
    pk: `SUB#${K}`,
    sk: `RECALL#${recallNumber}`,
    entity: 'recall-ref',
    source: 'synthetic',
    recallNumber,
    firm: LABELER,
    classification: 'Class II',
    status: 'Open, Classified',
    enforcementStatus: 'Ongoing',
    productCode: 'FRN',
    productDescription: 'NW-500 infusion pump',
    reportDate: '2025-04-02',
    lots: [],
    serials: [],
    matchedBy: 'submission',
    matchedValue: K,
    ...extra,
  };
}

/** A clean case: the device, its clearance held by the labeler, its own listing, fresh sources. */
export function evidence(overrides: Partial<Evidence> = {}): Evidence {
  return {
    di: DI,
    device: device(),
    recallRefs: [],
    clearances: [clearance(LABELER)],
    listings: [listing(LABELER, ['NW-500'])],
    labelerEstablishments: [],
    advisories: [],
    safetyCommunications: [],
    prefixDevices: [],
    sources: freshSources(),
    aliases: [],
    suppliers: [],
    ...overrides,
  };
}

export function check(input: Partial<CheckInput> = {}, ev: Evidence | undefined = evidence()): CheckResult {
  const { udi, di, ...rest } = input;
  const base: CheckInput = di !== undefined ? { di, manufacturer: LABELER } : { udi: udi ?? UDI, manufacturer: LABELER };
  return runCheck({ ...base, ...rest }, ev, NOW, CHECK_ID);
}

export const codes = (r: CheckResult): FindingCode[] => r.findings.map((f) => f.code);

/**
 * Asserts that `code` is the only finding (so the decision is that finding's effect alone), with the given
 * severity and decision; returns it.
 */
export function sole(r: CheckResult, code: FindingCode, severity: Severity, decision: Decision): Finding {
  expect(codes(r)).toEqual([code]);
  const f = r.findings[0] as Finding;
  expect(f.severity).toBe(severity);
  expect(r.decision).toBe(decision);
  return f;
}

/** The decision a severity implies when it is the only finding. */
export const EFFECT: Record<Severity, Decision> = { critical: 'reject', warning: 'review', info: 'accept' };

/**
 * An in-memory DynamoDB document client that answers the four QueryCommand shapes EvidenceRepository uses
 * (pk =, pk = AND begins_with(sk), gsi1pk =, gsi2pk =) from plain item arrays, by table name.
 */
export function memoryDoc(tables: Record<string, Item[]>): DynamoDBDocumentClient {
  const send = async (cmd: { input: Record<string, unknown> }) => {
    const input = cmd.input;
    const values = (input.ExpressionAttributeValues ?? {}) as Record<string, string>;
    const expr = String(input.KeyConditionExpression);
    const items = tables[String(input.TableName)] ?? [];
    const index = input.IndexName as string | undefined;
    const hashAttr = index === undefined ? 'pk' : `${index}pk`;
    const rangeAttr = index === undefined ? 'sk' : `${index}sk`;
    const hashValue = Object.values(values)[0];
    const prefix = /begins_with\(sk, :sk\)/.test(expr) ? values[':sk'] : undefined;
    let out = items.filter((i) => i[hashAttr] === hashValue && (prefix === undefined || String(i.sk).startsWith(prefix)));
    out = out.sort((a, b) => (String(a[rangeAttr]) < String(b[rangeAttr]) ? -1 : 1));
    if (input.ScanIndexForward === false) out.reverse();
    if (typeof input.Limit === 'number') out = out.slice(0, input.Limit);
    return { Items: out };
  };
  return { send } as unknown as DynamoDBDocumentClient;
}

export function memoryEvidence(reference: Item[], records: Item[] = []): EvidenceRepository {
  return new EvidenceRepository({ doc: memoryDoc({ reference, records }), referenceTable: 'reference', recordsTable: 'records' });
}
