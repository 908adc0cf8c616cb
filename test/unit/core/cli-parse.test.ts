import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse } from '../../../lib/cli/commands/parse.js';
import { main } from '../../../lib/cli/main.js';
import { UsageError, type CliIo } from '../../../lib/cli/io.js';

function capture(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (t) => lines.push(t), err: (t) => errors.push(t), isTty: false };
}

const GOOD = '(01)00643169001763(17)160712(21)21A11F4855';
const BAD_CHECK = '(01)00643169001764(17)160712';

describe('udi-sentinel parse', () => {
  it('parses arguments, one JSON object per line, exit 0 when all are valid', async () => {
    const io = capture();
    expect(await parse([GOOD, '+H123ABC01234567890D'], io)).toBe(0);
    expect(io.lines).toHaveLength(2);
    const first = JSON.parse(io.lines[0] as string);
    expect(first).toMatchObject({ input: GOOD, ok: true, udi: { issuingAgency: 'GS1', di: '00643169001763', serialNumber: '21A11F4855' } });
  });

  it('exits 1 when any UDI is invalid and says why', async () => {
    const io = capture();
    expect(await parse([GOOD, BAD_CHECK], io)).toBe(1);
    expect(JSON.parse(io.lines[1] as string)).toMatchObject({ ok: false, error: { code: 'GTIN_CHECK_DIGIT' } });
  });

  it('reads standard input line by line, understanding typed GS separators', async () => {
    const io = capture();
    const stdin = Readable.from(['0100367457153032101724847.1<GS>1721033121118165795226\n', '\n', '0107032069804988100329\\u001d15210526\r\n']);
    expect(await parse(['-'], io, stdin)).toBe(0);
    expect(io.lines.map((l) => JSON.parse(l).udi.lotNumber)).toEqual(['1724847.1', '0329']);
  });

  it('is a usage error (exit 2) with nothing to parse or an unknown option', async () => {
    const io = capture();
    expect(await main(['parse', '--frobnicate'], io)).toBe(2);
    expect(io.errors.join('\n')).toMatch(/Unknown option --frobnicate/);
    await expect(parse([], capture(), Readable.from(['\n']))).rejects.toThrow(UsageError);
  });
});
