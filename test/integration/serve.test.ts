import type { HealthReport } from '../../lib/health.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, processesMatching } from '../support/processes.js';
import { spawnServe } from '../support/serve-process.js';

const javaOnPort = (port: number) =>
  processesMatching(`-port ${port} `).filter((p) => /^\S*java /.test(p.cmdline) && p.cmdline.includes('DynamoDBLocal.jar'));

const dataDir = mkdtempSync(join(tmpdir(), 'udi-sentinel-serve-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start (udi-sentinel serve)', () => {
  it('serves /health, prints a ready-to-paste request, and leaves no java behind after Ctrl-C', async () => {
    const serve = await spawnServe(['--in-memory', '--port', '0']);
    try {
      expect(serve.output()).toMatch(/curl -s http:\/\/localhost:\d+\/health/);
      expect(serve.dynamoPort).toBeGreaterThan(0);
      expect(javaOnPort(serve.dynamoPort)).toHaveLength(1);
      const res = await fetch(`${serve.url}/health`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as HealthReport;
      expect(body.dynamodb.reachable).toBe(true);
      expect(body.sources.some((s) => s.known)).toBe(true);
      // The printed example works as pasted: an Epsimed MN-120 is a relabeled Contec CMS8000.
      const key = /Bearer (uds_[A-Za-z0-9_-]+)/.exec(serve.output())?.[1] as string;
      const udi = /"udi":"([^"]+)"/.exec(serve.output())?.[1] as string;
      const check = await fetch(`${serve.url}/v1/checks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ udi, manufacturer: 'Epsimed' }),
      });
      expect(check.status).toBe(201);
      const verdict = (await check.json()) as { decision: string; findings: { code: string }[] };
      expect(verdict.decision).toBe('review');
      expect(verdict.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['RELABELED', 'SECURITY_ADVISORY']));
    } finally {
      expect(await serve.stop('SIGINT')).toBe(0);
    }
    expect(await eventually(() => javaOnPort(serve.dynamoPort).length === 0)).toBe(true);
  });

  it('keeps data on disk: a second start finds the store full and loads nothing again', async () => {
    const first = await spawnServe(['--data-dir', dataDir, '--port', '0']);
    expect(first.output()).toMatch(/sample data loaded \((\d+) items\)/);
    const firstHealth = (await (await fetch(`${first.url}/health`)).json()) as HealthReport;
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await spawnServe(['--data-dir', dataDir, '--port', '0']);
    try {
      expect(second.output()).toContain('store already holds data; sample not loaded again');
      const secondHealth = (await (await fetch(`${second.url}/health`)).json()) as HealthReport;
      expect(secondHealth.sources).toEqual(firstHealth.sources);
    } finally {
      expect(await second.stop('SIGINT')).toBe(0);
    }
  });

  it('exits with a clear message and status 2 on a bad option', async () => {
    await expect(spawnServe(['--port', 'abc'])).rejects.toThrow(/exited with code 2 before it was ready:\n--port must be a number/);
  });
});
