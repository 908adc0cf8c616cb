// Argument handling of `udi-sentinel keys` (no store needed: usage errors come before any configuration).
import { describe, expect, it } from 'vitest';
import { keys, usage } from '../../../lib/cli/commands/keys.js';
import { UsageError, type CliIo } from '../../../lib/cli/io.js';

const io: CliIo = { out: () => undefined, err: () => undefined, isTty: false };

describe('udi-sentinel keys (arguments)', () => {
  it.each([
    [[], /Say which keys command/],
    [['rotate'], /Unknown keys command "rotate"/],
    [['create'], /--scope is required/],
    [['create', '--scope', 'root'], /Unknown scope "root"/],
    [['create', '--scope', 'check', 'extra'], /Unexpected argument "extra"/],
    [['create', '--scope', 'check', '--expires-in-days', '0'], /--expires-in-days/],
    [['create', '--scope', 'check', '--expires-in-days', '1.5'], /--expires-in-days/],
    [['revoke'], /exactly one key id/],
    [['revoke', 'a', 'b'], /exactly one key id/],
    [['revoke', 'not-a-key-id'], /12 letters and digits/],
    [['list', 'x'], /Unexpected argument/],
  ])('%j is a usage error', async (args, message) => {
    const err = await keys(args, io).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  });

  it('rejects unknown options (parseArgs, exit 2 in main)', async () => {
    const err = await keys(['list', '--nope'], io).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toMatch(/^ERR_PARSE_ARGS/);
  });

  it('documents every subcommand', () => {
    for (const s of ['keys create', 'keys list', 'keys revoke', '--scope', '--name', '--json']) expect(usage).toContain(s);
  });
});
