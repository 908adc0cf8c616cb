import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { REPO_ROOT } from '../../lib/paths.js';

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  dynamoPort: number;
  output: () => string;
  /** Send a signal and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawn `udi-sentinel serve` as a user would and wait for it to print its URL. */
export async function spawnServe(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['bin/udi-sentinel.mjs', 'serve', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DYNAMODB_ENDPOINT: '', LOG_LEVEL: 'WARN', ...env },
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => (out += c));
  // 'close' rather than 'exit': it fires after stdout and stderr are drained.
  const exited = once(child, 'close') as Promise<[number | null]>;
  let ready: RegExpExecArray | null = null;
  while (!(ready = /running at (http:\/\/\S+)/.exec(out))) {
    const next = await Promise.race([once(child.stdout, 'data') as Promise<[string]>, exited.then(([code]) => code)]);
    if (!Array.isArray(next)) throw new Error(`serve exited with code ${next} before it was ready:\n${out}`);
    out += next[0];
  }
  child.stdout.on('data', (c: string) => (out += c));
  const dynamo = /DynamoDB Local on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
  return {
    child,
    url: ready[1] as string,
    dynamoPort: dynamo ? Number(dynamo[1]) : -1,
    output: () => out,
    stop: async (signal = 'SIGINT') => {
      if (child.exitCode === null) child.kill(signal);
      const [code] = await exited;
      return code;
    },
  };
}
