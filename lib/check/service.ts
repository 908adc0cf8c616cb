import { randomUUID } from 'node:crypto';
import { diOf, parseInput, runCheck } from './engine.js';
import type { AuditRepository, CheckCaller } from './audit-repo.js';
import type { EvidenceRepository } from './evidence.js';
import type { CheckInput, CheckResult } from './types.js';

export interface CheckDeps {
  evidence: EvidenceRepository;
  audit: AuditRepository;
  now?: () => Date;
  newId?: () => string;
}

export const newCheckId = (): string => `chk_${randomUUID().replace(/-/g, '')}`;

/** One check: read the evidence, run the pure engine, store the audit record, answer. */
export async function performCheck(deps: CheckDeps, input: CheckInput, caller: CheckCaller): Promise<CheckResult> {
  const now = (deps.now ?? (() => new Date()))();
  const id = (deps.newId ?? newCheckId)();
  const parsed = parseInput(input, now);
  const di = parsed && !parsed.ok ? undefined : diOf(input, parsed);
  const evidence = di ? await deps.evidence.gather(di) : undefined;
  const result = runCheck(input, evidence, now, id);
  await deps.audit.put(result, caller);
  return result;
}
