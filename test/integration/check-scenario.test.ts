import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditRepository } from '../../lib/check/audit-repo.js';
import { EvidenceRepository } from '../../lib/check/evidence.js';
import { performCheck } from '../../lib/check/service.js';
import type { CheckInput, FindingCode } from '../../lib/check/types.js';
import { loadSampleIfEmpty } from '../../lib/local/sample-load.js';
import type { Runtime } from '../../lib/runtime.js';
import { freshRuntime } from '../support/store.js';

let rt: Runtime;
let deps: Parameters<typeof performCheck>[0];
/** Every DynamoDB request, with when it started and ended, to measure round trips. */
const requests: { name: string; start: number; end: number }[] = [];
let clock = 0;

beforeAll(async () => {
  rt = await freshRuntime();
  await loadSampleIfEmpty(rt);
  rt.clients.dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      const entry = { name: String(context.commandName), start: ++clock, end: Number.POSITIVE_INFINITY };
      requests.push(entry);
      try {
        return await next(args);
      } finally {
        entry.end = ++clock;
      }
    },
    { step: 'initialize', name: 'round-trip-recorder' },
  );
  deps = {
    evidence: new EvidenceRepository({ doc: rt.clients.doc, referenceTable: rt.config.REFERENCE_TABLE, recordsTable: rt.config.RECORDS_TABLE }),
    audit: new AuditRepository(rt.clients.doc, rt.config.RECORDS_TABLE),
    // The sample data was loaded just now, so no source is stale.
    now: () => new Date(),
  };
});
afterAll(() => rt.clients.dynamodb.destroy());

const caller = { principal: 'test', channel: 'api' as const };
const codes = (r: { findings: { code: FindingCode }[] }) => r.findings.map((f) => f.code);

/** Sequential depth of the requests: a request depends on every request that ended before it started. */
function roundTrips(reqs: typeof requests): number {
  const depth = new Map<(typeof requests)[number], number>();
  for (const r of [...reqs].sort((a, b) => a.start - b.start)) {
    const before = reqs.filter((o) => o.end < r.start).map((o) => depth.get(o) ?? 1);
    depth.set(r, 1 + Math.max(0, ...before));
  }
  return Math.max(0, ...depth.values());
}

// Synthetic scenario from data/sample/synthetic: Epsimed MN-120 (DI 00614141100026) is a relabeled
// Contec CMS8000 (DI 00614141100019), both under K101692.
const EPSIMED_UDI = '(01)00614141100026(11)240115(10)SYN2401B(21)EPS000123';

describe('the Contec CMS8000 / Epsimed MN-120 scenario (sample data in DynamoDB Local)', () => {
  it('an "Epsimed MN-120" claimed as Epsimed → review: relabeled Contec CMS8000, ICSMA-25-030-01 applies', async () => {
    const r = await performCheck(deps, { udi: EPSIMED_UDI, manufacturer: 'Epsimed LLC' }, caller);
    expect(r.decision).toBe('review');
    const relabeled = r.findings.find((f) => f.code === 'RELABELED');
    expect(relabeled?.message).toMatch(/Contec Medical Systems/);
    expect(relabeled?.evidence.map((e) => e.recordId)).toContain('K101692');
    const advisory = r.findings.find((f) => f.code === 'SECURITY_ADVISORY');
    expect(advisory?.evidence[0]?.recordId).toBe('ICSMA-25-030-01');
    expect(codes(r)).toEqual(expect.arrayContaining(['RELABELED', 'LABELER_IS_RELABELER', 'SECURITY_ADVISORY', 'SAFETY_COMMUNICATION', 'RECALL_OPEN']));
    expect(codes(r)).not.toContain('MANUFACTURER_MISMATCH');
    expect(r.family).toMatchObject({ labeler: 'Epsimed LLC', originalManufacturer: 'Contec Medical Systems Co., Ltd.', otherLabelers: ['Contec Medical Systems Co., Ltd.'] });
    expect(r.family.proprietaryNames).toEqual(expect.arrayContaining(['CMS8000', 'MN-120']));
  });

  it('the same unit claimed as "Acme Medical" → reject with MANUFACTURER_MISMATCH', async () => {
    const r = await performCheck(deps, { udi: EPSIMED_UDI, manufacturer: 'Acme Medical' }, caller);
    expect(r.decision).toBe('reject');
    expect(r.findings.find((f) => f.code === 'MANUFACTURER_MISMATCH')).toMatchObject({ severity: 'critical' });
  });

  it('claimed as the original maker, "Contec Medical Systems", the relabel is still surfaced but the claim fits', async () => {
    const r = await performCheck(deps, { udi: EPSIMED_UDI, manufacturer: 'CONTEC MEDICAL SYSTEMS CO LTD' }, caller);
    expect(codes(r)).toContain('RELABELED');
    expect(codes(r)).not.toContain('MANUFACTURER_MISMATCH');
  });

  it('a package DI resolves to its device', async () => {
    const r = await performCheck(deps, { di: '10614141100023', manufacturer: 'Epsimed' }, caller);
    expect(r.device?.primaryDi).toBe('00614141100026');
    expect(codes(r)).toContain('RELABELED');
  });

  it('the CMS8000 itself with the recalled lot → reject on RECALL_LOT_MATCH', async () => {
    const r = await performCheck(deps, { udi: '(01)00614141100019(10)SYN2501A(21)C1', manufacturer: 'Contec Medical Systems' }, caller);
    expect(r.decision).toBe('reject');
    expect(r.findings.find((f) => f.code === 'RECALL_LOT_MATCH')?.evidence[0]?.recordId).toBe('Z-9001-2025');
    expect(codes(r)).not.toContain('RELABELED');
  });

  it('reads its evidence in at most two DynamoDB round trips on the common path', async () => {
    requests.length = 0;
    await deps.evidence.gather('00614141100026');
    expect(requests.length).toBeGreaterThan(4);
    expect(requests.every((r) => r.name === 'QueryCommand')).toBe(true);
    expect(roundTrips(requests)).toBe(2);
  });

  it('reads shared by every check (freshness, aliases, suppliers, safety communications) are cached per process', async () => {
    deps.evidence.invalidateShared();
    requests.length = 0;
    await deps.evidence.gather('00614141100026');
    const cold = requests.length;
    requests.length = 0;
    await deps.evidence.gather('00614141100026');
    // Warm: the DI partition plus the device's own partitions; the 4 shared reads are not repeated.
    expect(requests.length).toBe(cold - 4);
    expect(roundTrips(requests)).toBe(2);
  });

  it('every check is stored once as an audit record that cannot be overwritten', async () => {
    const input: CheckInput = { udi: EPSIMED_UDI, manufacturer: 'Epsimed' };
    const r = await performCheck({ ...deps, newId: () => 'chk_fixed' }, input, caller);
    const stored = await deps.audit.get(r.id);
    expect(stored).toMatchObject({ id: 'chk_fixed', decision: r.decision, input, caller });
    await expect(performCheck({ ...deps, newId: () => 'chk_fixed' }, { ...input, manufacturer: 'Acme' }, caller)).rejects.toThrow(/never overwritten/);
    expect((await deps.audit.get('chk_fixed'))?.input.manufacturer).toBe('Epsimed');
  });
});
