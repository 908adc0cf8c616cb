import { AppError, ConfigError } from '../errors.js';
import { EXIT, UsageError, processIo, type CliIo } from './io.js';
import * as checkCmd from './commands/check.js';
import * as ingestCmd from './commands/ingest.js';
import * as keysCmd from './commands/keys.js';
import * as parseCmd from './commands/parse.js';
import * as serveCmd from './commands/serve.js';
import * as statsCmd from './commands/stats.js';

interface Command {
  summary: string;
  usage: string;
  run: (args: string[], io: CliIo) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  serve: { summary: 'run the service locally (DynamoDB Local, sample data, API on :3000)', usage: serveCmd.usage, run: serveCmd.serve },
  check: { summary: 'is this unit what the PO says it is? accept / review / reject', usage: checkCmd.usage, run: checkCmd.check },
  ingest: { summary: 'mirror FDA/CISA data: pollers, bulk files, manifests', usage: ingestCmd.usage, run: ingestCmd.ingest },
  keys: { summary: 'create, list and revoke API keys', usage: keysCmd.usage, run: keysCmd.keys },
  parse: { summary: 'parse and validate UDIs (arguments or stdin), one JSON line each', usage: parseCmd.usage, run: parseCmd.parse },
  stats: { summary: 'item counts per entity in each table', usage: statsCmd.usage, run: statsCmd.stats },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'udi-sentinel — is this medical device what it claims to be?',
    '',
    'Usage: udi-sentinel <command> [options]',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `udi-sentinel <command> --help` for a command’s options.',
  ].join('\n');
}

/** Entry point: returns the exit code. 0 ok, 1 failure, 2 usage or configuration error. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${help()}`);
    return EXIT.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(err as Error).message}\n\n${command.usage}`);
      return EXIT.usage;
    }
    if (err instanceof ConfigError) {
      io.err(err.message);
      return EXIT.usage;
    }
    if (err instanceof AppError) {
      io.err(err.message);
      return EXIT.failure;
    }
    const e = err as { name?: string; message?: string };
    io.err(`udi-sentinel ${name} failed: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`);
    return EXIT.failure;
  }
}
