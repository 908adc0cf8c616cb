import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { decodeTypedSeparators, parseUdi } from '../../udi/index.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

export const usage = `udi-sentinel parse [UDI …]
udi-sentinel parse -        (or no argument: read standard input, one UDI per line)

Parses and validates UDIs (GS1 element strings and HRI, GS1 Digital Link, HIBCC, ICCBBA) and writes one
JSON object per line: {"input","ok","udi"} or {"input","ok":false,"error":{"code","message","position"}}.
Typed GS separators are understood: \\u001d, <GS>, {GS}, ^] as well as the raw byte.
Exit status: 0 all valid, 1 any invalid, 2 usage error.`;

function line(input: string, io: CliIo): boolean {
  const result = parseUdi(decodeTypedSeparators(input));
  io.out(JSON.stringify({ input, ...result }));
  return result.ok;
}

export async function parse(args: string[], io: CliIo, stdin: Readable = process.stdin): Promise<number> {
  const flags = args.filter((a) => a.startsWith('-') && a !== '-');
  if (flags.length) throw new UsageError(`Unknown option ${flags[0]}.`);
  let allOk = true;
  let count = 0;
  if (args.length > 0 && !args.includes('-')) {
    for (const a of args) allOk = line(a, io) && allOk;
    return allOk ? EXIT.ok : EXIT.failure;
  }
  const rl = createInterface({ input: stdin, crlfDelay: Infinity });
  for await (const raw of rl) {
    const input = raw.replace(/\r$/, '');
    if (input.trim() === '') continue;
    count++;
    allOk = line(input, io) && allOk;
  }
  if (count === 0) throw new UsageError('No UDI given: pass UDIs as arguments or one per line on standard input.');
  return allOk ? EXIT.ok : EXIT.failure;
}
