import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lib/aws/clients.js';
import { loadConfig } from '../../lib/config.js';
import { EnvironmentError } from '../../lib/errors.js';
import { assertJava, startDynamoDbLocal } from '../../lib/local/dynamodb-local.js';
import { ensureTables } from '../../lib/store/ensure-tables.js';
import { eventually, processesMatching } from '../support/processes.js';

// The sh watchdog's command line names the marker too; only the JVM itself counts.
const javaOf = (instanceId: string) =>
  processesMatching(`-Dudi-sentinel.instance=${instanceId}`).filter((p) => /^\S*java /.test(p.cmdline));

/** Start the child script, read its first line, return the child and what it printed. */
async function startChild(mode: 'crash' | 'wait') {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/dynamo-child.ts', mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  while (!out.includes('\n')) {
    const [chunk] = (await once(child.stdout, 'data')) as [string];
    out += chunk;
  }
  return { child, info: JSON.parse(out.split('\n')[0] as string) as { instanceId: string; endpoint: string } };
}

describe('DynamoDB Local harness', () => {
  it('starts on a free port, answers, creates tables, and leaves no java behind after stop()', async () => {
    const dynamo = await startDynamoDbLocal({ inMemory: true });
    try {
      expect(javaOf(dynamo.instanceId)).toHaveLength(1);
      const config = loadConfig({ DYNAMODB_ENDPOINT: dynamo.endpoint, REFERENCE_TABLE: 'ref-h', RECORDS_TABLE: 'rec-h' });
      const { dynamodb } = createClients(config);
      expect(await ensureTables(dynamodb, { reference: 'ref-h', records: 'rec-h' })).toEqual(['ref-h', 'rec-h']);
      // Idempotent: a second call creates nothing.
      expect(await ensureTables(dynamodb, { reference: 'ref-h', records: 'rec-h' })).toEqual([]);
      const tables = await dynamodb.send(new ListTablesCommand({}));
      expect(tables.TableNames).toEqual(expect.arrayContaining(['ref-h', 'rec-h']));
      dynamodb.destroy();
    } finally {
      await dynamo.stop();
    }
    expect(javaOf(dynamo.instanceId)).toEqual([]);
  });

  it('two instances run side by side on different ports', async () => {
    const [a, b] = await Promise.all([startDynamoDbLocal({ inMemory: true }), startDynamoDbLocal({ inMemory: true })]);
    try {
      expect(a.port).not.toBe(b.port);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect([...javaOf(a.instanceId), ...javaOf(b.instanceId)]).toEqual([]);
  });

  it('leaves no java behind when the process that started it crashes', async () => {
    const { child, info } = await startChild('crash');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).not.toBe(0);
    expect(await eventually(() => javaOf(info.instanceId).length === 0)).toBe(true);
  });

  it('leaves no java behind when the process that started it is killed with SIGKILL', async () => {
    const { child, info } = await startChild('wait');
    try {
      expect(javaOf(info.instanceId)).toHaveLength(1);
    } finally {
      // Killed whatever the assertion said: a failing test must not leave the child (and its java) running.
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    expect(await eventually(() => javaOf(info.instanceId).length === 0)).toBe(true);
  });

  it('fails at once, saying how to install Java, when java is missing', () => {
    expect(() => assertJava('/nonexistent/java')).toThrow(EnvironmentError);
    expect(() => assertJava('/nonexistent/java')).toThrow(/apt-get install -y openjdk-17-jre-headless/);
  });
});
