import { parseArgs } from 'node:util';
import { createClients } from '../../aws/clients.js';
import { present } from '../../check/api.js';
import { performCheck } from '../../check/service.js';
import { checkInputSchema, type CheckResult, type Decision, type Severity } from '../../check/types.js';
import { loadConfig } from '../../config.js';
import { AppError } from '../../errors.js';
import { prepareStore } from '../../local/stack.js';
import { createRuntime } from '../../runtime.js';
import { decodeTypedSeparators } from '../../udi/index.js';
import type { CliIo } from '../io.js';

export const usage = `udi-sentinel check <UDI or DI> --manufacturer "…" [--supplier "…"] [--model "…"] [--po "…"] [--json]
                   [--api URL --key KEY]

Is this unit what the purchase order says it is? Prints the verdict with its reasons and evidence.
Without --api it checks against the store in DYNAMODB_ENDPOINT (e.g. the one \`npm start\` runs) and
records the check there; with --api it asks a deployed udi-sentinel (API key with the check scope).
A 14-digit GTIN or a HIBCC/ICCBBA DI alone is checked as a DI. Typed GS separators (<GS>, \\u001d) work.
Exit status: 0 accept, 1 review, 2 reject, 3 error (including usage errors).`;

/** A usage or input mistake, or an API answer that is not a check: exit 3 with the message. */
class AppErrorLike extends Error {}

const EXIT_BY_DECISION: Record<Decision, number> = { accept: 0, review: 1, reject: 2 };
const EXIT_ERROR = 3;

const paint = (tty: boolean, code: string, text: string) => (tty ? `\u001b[${code}m${text}\u001b[0m` : text);
const MARK: Record<Severity, string> = { critical: '✖', warning: '!', info: 'i' };
const COLOR: Record<Severity, string> = { critical: '31', warning: '33', info: '36' };
const DECISION_COLOR: Record<Decision, string> = { accept: '32;1', review: '33;1', reject: '31;1' };

/** The verdict in words a buyer reads at the dock. */
export function renderVerdict(r: ReturnType<typeof present>, tty: boolean): string {
  const d = r.device as Record<string, unknown> | undefined;
  const what = d ? `${String(d.brandName ?? 'device')} ${d.versionModelNumber && d.versionModelNumber !== d.brandName ? String(d.versionModelNumber) + ' ' : ''}(${String(d.primaryDi)})` : (r.udi?.di ?? r.input.di ?? 'unreadable UDI');
  const who = r.family.labeler ? ` — labeled by ${r.family.labeler}${r.family.originalManufacturer && r.family.originalManufacturer !== r.family.labeler ? `, made by ${r.family.originalManufacturer}` : ''}` : '';
  const lines = [`${paint(tty, DECISION_COLOR[r.decision], r.decision.toUpperCase())}  ${what}${who}`];
  for (const f of r.findings) {
    lines.push(`  ${paint(tty, COLOR[f.severity], `${MARK[f.severity]} ${f.code}`)}  ${f.message}`);
    for (const e of f.evidence) lines.push(`      ${[e.source, e.recordId, e.date, e.url].filter(Boolean).join('  ')}`);
  }
  if (!r.findings.length) lines.push('  No findings: the unit matches GUDID and the claimed manufacturer.');
  const asOf = Object.entries(r.dataAsOf).map(([s, v]) => `${s} ${v.lastUpdated ?? '?'}${v.ingestedAt ? ` (ingested ${v.ingestedAt.slice(0, 10)})` : ''}`);
  lines.push(`check ${r.id} at ${r.checkedAt}${asOf.length ? `; data as of: ${asOf.join(', ')}` : ''}`);
  return lines.join('\n');
}

async function viaApi(api: string, key: string, input: unknown): Promise<ReturnType<typeof present>> {
  const url = new URL('/v1/checks', api);
  if (!/^https?:$/.test(url.protocol)) throw new AppErrorLike('--api must be an http(s) URL.');
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(input), signal: AbortSignal.timeout(30_000) });
  const body = (await res.json().catch(() => undefined)) as { error?: { code: string; message: string } } | undefined;
  if (!res.ok) throw new AppErrorLike(`The API answered ${res.status}${body?.error ? ` ${body.error.code}: ${body.error.message}` : ''}.`);
  return body as unknown as ReturnType<typeof present>;
}


export async function check(args: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: {
        manufacturer: { type: 'string' },
        supplier: { type: 'string' },
        model: { type: 'string' },
        po: { type: 'string' },
        json: { type: 'boolean', default: false },
        api: { type: 'string' },
        key: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) throw new AppErrorLike('Give exactly one UDI or DI.');
    if (!values.manufacturer) throw new AppErrorLike('--manufacturer is required: the manufacturer as claimed on the purchase order.');
    if ((values.api === undefined) !== (values.key === undefined)) throw new AppErrorLike('--api and --key go together.');
    const scanned = decodeTypedSeparators(positionals[0] as string).trim();
    // A bare GTIN or a DI-only string is a DI; anything with AIs, flags or symbology ids is a UDI.
    const isDi = /^\d{14}$/.test(scanned);
    const parsed = checkInputSchema.safeParse({
      ...(isDi ? { di: scanned } : { udi: scanned }),
      manufacturer: values.manufacturer,
      supplier: values.supplier,
      model: values.model,
      poNumber: values.po,
    });
    if (!parsed.success) throw new AppErrorLike(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));

    let result: ReturnType<typeof present>;
    if (values.api && values.key) {
      result = await viaApi(values.api, values.key, parsed.data);
    } else {
      const config = loadConfig();
      const rt = createRuntime(config, createClients(config));
      try {
        await prepareStore(rt);
        result = present((await performCheck({ evidence: rt.evidence, audit: rt.audit }, parsed.data, { principal: 'cli', channel: 'cli' })) as CheckResult);
      } finally {
        rt.clients.dynamodb.destroy();
      }
    }
    io.out(values.json ? JSON.stringify(result) : renderVerdict(result, io.isTty));
    return EXIT_BY_DECISION[result.decision];
  } catch (err) {
    const message = err instanceof AppErrorLike || err instanceof AppError ? err.message : (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? (err as Error).message : `${(err as Error).name}: ${(err as Error).message}`;
    io.err(`udi-sentinel check: ${message}${err instanceof AppErrorLike || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? `\n\n${usage}` : ''}`);
    return EXIT_ERROR;
  }
}
