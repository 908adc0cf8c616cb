import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { EnvironmentError } from '../errors.js';

export interface DynamoDbLocalOptions {
  /** Keep data in memory only (tests, `serve --in-memory`). */
  inMemory: boolean;
  /** Folder for the on-disk database when not in memory. */
  dataDir?: string;
  /** Port to bind; default a free one. */
  port?: number;
  /** How long to wait for the first answer. */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** Unique marker on the java command line, so tests can prove the process is gone. */
  instanceId: string;
  pid: number;
  stop(): Promise<void>;
}

const JAVA_HELP =
  'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH. Install a headless JRE ' +
  '(Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless`; macOS: `brew install openjdk@17`), ' +
  'or point DYNAMODB_ENDPOINT at a DynamoDB you already run.';

/** Fail at once, with install instructions, when Java is missing or too old. */
export function assertJava(javaBin = 'java'): void {
  const probe = spawnSync(javaBin, ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new EnvironmentError(JAVA_HELP);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${probe.stderr}${probe.stdout}`);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  if (major < 17) throw new EnvironmentError(`Found Java ${major || 'of unknown version'}; ${JAVA_HELP}`);
}

/** The JAR that ships in the npm package amplify-dynamodb-simulator. */
export function dynamoDbLocalJar(): { jar: string; libDir: string } {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('amplify-dynamodb-simulator/package.json');
  const emulator = join(dirname(pkg), 'emulator');
  return { jar: join(emulator, 'DynamoDBLocal.jar'), libDir: join(emulator, 'DynamoDBLocal_lib') };
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Java runs under a small /bin/sh watchdog: it ends java when told to (TERM/INT/HUP) and also when the
 * Node process that started it disappears — even by SIGKILL, which Node cannot intercept. So no java
 * process outlives a test run, a crash or a Ctrl-C.
 */
const WATCHDOG = [
  '"$@" & j=$!',
  "trap 'kill $j 2>/dev/null; wait $j; exit 0' TERM INT HUP",
  'while kill -0 "$UDI_SENTINEL_PARENT" 2>/dev/null && kill -0 $j 2>/dev/null; do sleep 0.5 & wait $!; done',
  'kill $j 2>/dev/null; wait $j',
].join('\n');

async function answers(endpoint: string): Promise<boolean> {
  try {
    // Any HTTP answer means the server is up; DynamoDB Local replies 400 to an unsigned request.
    const res = await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  assertJava();
  const { jar, libDir } = dynamoDbLocalJar();
  const port = options.port ?? (await freePort());
  const instanceId = randomUUID();
  const storage: string[] = ['-sharedDb'];
  // DynamoDB Local drops a metadata file in its working directory: keep it out of the checkout.
  let cwd = tmpdir();
  if (options.inMemory) storage.unshift('-inMemory');
  else {
    cwd = resolve(options.dataDir ?? '.data/dynamodb');
    mkdirSync(cwd, { recursive: true });
    storage.unshift('-dbPath', cwd);
  }
  const javaArgs = [
    `-Dudi-sentinel.instance=${instanceId}`,
    '-Xms64m',
    '-Xmx512m',
    `-Djava.library.path=${libDir}`,
    '-jar',
    jar,
    ...storage,
    '-port',
    String(port),
    '-disableTelemetry',
  ];
  const child: ChildProcess = spawn('/bin/sh', ['-c', WATCHDOG, 'dynamodb-local', 'java', ...javaArgs], {
    cwd,
    // The child inherits the environment (PATH, JAVA_HOME); this is not configuration being read.
    // eslint-disable-next-line no-restricted-properties
    env: { ...process.env, UDI_SENTINEL_PARENT: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (hasExited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  // Generous: a loaded 2-core CI machine can take tens of seconds to start a JVM.
  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  while (!(await answers(endpoint))) {
    if (hasExited) throw new EnvironmentError(`DynamoDB Local exited before answering:\n${output.trim()}`);
    if (Date.now() > deadline) {
      await stop();
      throw new EnvironmentError(`DynamoDB Local did not answer on ${endpoint} within the start timeout:\n${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint, port, instanceId, pid: child.pid ?? -1, stop };
}
