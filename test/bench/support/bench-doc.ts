import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../lib/paths.js';

/**
 * Write one benchmark's section of docs/benchmarks.md (heading `section`), replacing that section only and
 * keeping every other benchmark's. Returns the file written.
 */
export function writeBenchSection(section: string, body: string): string {
  const file = join(REPO_ROOT, 'docs', 'benchmarks.md');
  const block = `${section}\n\n${body.trim()}\n`;
  if (!existsSync(file)) {
    writeFileSync(file, `# Benchmarks\n\n${block}`);
    return file;
  }
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(section);
  if (start === -1) {
    writeFileSync(file, `${text.trimEnd()}\n\n${block}`);
    return file;
  }
  const next = text.indexOf('\n## ', start + section.length);
  const rest = next === -1 ? '' : `\n${text.slice(next + 1)}`;
  writeFileSync(file, `${text.slice(0, start)}${block}${rest}`);
  return file;
}

/** The machine line every benchmark section records: cores, CPU model, Node version, load at start. */
export function machineLine(load = loadavg()[0]?.toFixed(2) ?? '?'): string {
  let model = cpus()[0]?.model ?? 'unknown CPU';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) model = line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // not Linux: keep os.cpus()
  }
  return `${availableParallelism()} CPUs (nproc), ${model}, Node ${process.version}, load average at start ${load}`;
}
