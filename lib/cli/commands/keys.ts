import { parseArgs } from 'node:util';
import { ApiKeyRepository, KEY_ID_PATTERN, normalizeScopes, parseKey, SCOPES, type ApiKeyInfo } from '../../auth/keys.js';
import { createClients } from '../../aws/clients.js';
import { loadConfig } from '../../config.js';
import { ValidationError } from '../../errors.js';
import { prepareStore } from '../../local/stack.js';
import { createRuntime } from '../../runtime.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

export const usage = `udi-sentinel keys <create|list|revoke> [options]

  keys create --scope <scope> [--scope <scope> …] [--name <name>] [--expires-in-days <n>] [--json]
      Issue an API key. Scopes: ${SCOPES.join(', ')} (independent: admin does not imply the others).
      The key is printed once; only a SHA-256 hash of its secret is stored.
  keys list [--json]
      Every key with its id, name, scopes, status, creation and last use (never a secret or hash).
  keys revoke <keyId|key> [--json]
      Revoke a key (idempotent). Takes effect within the authorizer caches' lifetime (docs/auth.md).

Needs DYNAMODB_ENDPOINT (local; tables are created if missing) or AWS credentials, and RECORDS_TABLE.`;

const NOT_STORED =
  'Store this key now: it is shown only once. udi-sentinel keeps only a hash of its secret and cannot show it again.';

/** An argument quoted back in an error message, unless it may be a key. */
const shown = (arg: string): string => (/uds_/i.test(arg) ? '(an API key — not shown)' : JSON.stringify(arg));

/** Parse and validate everything before touching configuration or the store. */
function parse(args: string[]) {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new UsageError('Say which keys command: create, list or revoke.');
  if (sub === 'create') {
    const { values, positionals } = parseArgs({
      args: rest,
      options: {
        scope: { type: 'string', multiple: true },
        name: { type: 'string' },
        'expires-in-days': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length) throw new UsageError(`Unexpected argument ${shown(positionals[0] as string)}.`);
    if (!values.scope?.length) throw new UsageError(`--scope is required (one or more of ${SCOPES.join(', ')}).`);
    let scopes;
    try {
      scopes = normalizeScopes(values.scope.flatMap((s) => s.split(',')));
    } catch (err) {
      if (err instanceof ValidationError) throw new UsageError(err.message);
      throw err;
    }
    let validUntil: Date | undefined;
    const days = values['expires-in-days'];
    if (days !== undefined) {
      if (!/^\d{1,4}$/.test(days) || Number(days) < 1) throw new UsageError('--expires-in-days must be a whole number of days ≥ 1.');
      validUntil = new Date(Date.now() + Number(days) * 86_400_000);
    }
    return { sub, scopes, name: values.name ?? 'unnamed', validUntil, json: values.json } as const;
  }
  if (sub === 'list') {
    const { values, positionals } = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false } }, strict: true, allowPositionals: true });
    if (positionals.length) throw new UsageError(`Unexpected argument ${shown(positionals[0] as string)}.`);
    return { sub, json: values.json } as const;
  }
  if (sub === 'revoke') {
    const { values, positionals } = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false } }, strict: true, allowPositionals: true });
    if (positionals.length !== 1) throw new UsageError('keys revoke takes exactly one key id.');
    const arg = (positionals[0] as string).trim();
    // A leaked key pasted whole is fine: only its id is used (and the key is never echoed).
    const keyId = parseKey(arg)?.keyId ?? arg;
    if (!KEY_ID_PATTERN.test(keyId)) throw new UsageError('A key id is 12 letters and digits (the part after "uds_").');
    return { sub, keyId, json: values.json } as const;
  }
  throw new UsageError(`Unknown keys command ${shown(sub)}; use create, list or revoke.`);
}

function describe(k: ApiKeyInfo): string {
  const parts = [
    k.keyId,
    k.status.padEnd(7),
    k.scopes.join(',').padEnd(22),
    `created ${k.createdAt}`,
    `last used ${k.lastUsedAt ?? 'never'}`,
    ...(k.validUntil ? [`valid until ${k.validUntil}`] : []),
    JSON.stringify(k.name),
  ];
  return parts.join('  ');
}

export async function keys(args: string[], io: CliIo): Promise<number> {
  const cmd = parse(args);
  const config = loadConfig();
  const rt = createRuntime(config, createClients(config));
  try {
    await prepareStore(rt);
    const repo = new ApiKeyRepository(rt.clients.doc, config.RECORDS_TABLE);
    switch (cmd.sub) {
      case 'create': {
        const { key, record } = await repo.create({ name: cmd.name, scopes: cmd.scopes, ...(cmd.validUntil ? { validUntil: cmd.validUntil } : {}) });
        if (cmd.json) {
          io.out(JSON.stringify({ key, ...record, note: NOT_STORED }));
        } else {
          io.out(`Created API key ${record.keyId} (${JSON.stringify(record.name)}) with scopes ${record.scopes.join(', ')}.`);
          io.out('');
          io.out(`  ${key}`);
          io.out('');
          io.out(NOT_STORED);
          io.out('Send it as "Authorization: Bearer <key>" or "x-api-key: <key>".');
        }
        return EXIT.ok;
      }
      case 'list': {
        const list = await repo.list();
        if (cmd.json) io.out(JSON.stringify(list));
        else if (!list.length) io.out('No API keys.');
        else for (const k of list) io.out(describe(k));
        return EXIT.ok;
      }
      case 'revoke': {
        const record = await repo.revoke(cmd.keyId);
        if (cmd.json) io.out(JSON.stringify(record));
        else io.out(`Revoked API key ${record.keyId} (${JSON.stringify(record.name)}) at ${record.revokedAt}.`);
        return EXIT.ok;
      }
    }
  } finally {
    rt.clients.dynamodb.destroy();
  }
}
