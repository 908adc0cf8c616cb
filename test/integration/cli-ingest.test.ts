import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { IngestSummary } from '../../lib/ingest/context.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { openFdaPaging } from '../support/openfda-replay.js';
import { sequence, startReplayServer, type ReplayServer } from '../support/replay-server.js';

/** Real records from the sample data set's verbatim API responses, plus the synthetic Contec/Epsimed UDIs. */
const results = (rel: string) => (JSON.parse(readFileSync(join(REPO_ROOT, rel), 'utf8')) as { results: Record<string, unknown>[] }).results;
const OPENFDA: Record<string, string[]> = {
  udi: ['data/sample/synthetic/openfda/udi/udi-contec-epsimed-example-devices.synthetic.json'],
  recall: ['data/sample/real/openfda/recall/recall-Z-1022-2003-terminated.response.json'],
  enforcement: ['data/sample/real/openfda/enforcement/enforcement-Z-2308-2026-classII-ongoing.response.json', 'data/sample/real/openfda/enforcement/enforcement-Z-1973-2023-classIII-ongoing.response.json'],
  '510k': ['data/sample/real/openfda/510k/510k-K001142.response.json'],
  registrationlisting: ['data/sample/real/openfda/registrationlisting/registrationlisting-ethicon-1628808-repack-relabel-K032676.response.json'],
  classification: ['data/sample/real/openfda/classification/classification-GBY.response.json'],
};
const file = (rel: string) => readFileSync(join(REPO_ROOT, rel));

let replay: ReplayServer;
const work = mkdtempSync(join(tmpdir(), 'udi-sentinel-cli-'));
beforeAll(async () => {
  replay = await startReplayServer();
  for (const [dataset, files] of Object.entries(OPENFDA)) {
    replay.route(`/device/${dataset}.json`, openFdaPaging(() => replay.url, files.flatMap(results), { pageSize: 2 }));
  }
  // CISA: the real changes.csv rows and the real Update A advisory with its published SHA-512.
  replay.route('/csaf/changes.csv', sequence({ text: 'csaf_files/OT/white/2025/icsma-25-030-01.json,2025-02-25T07:00:00.000000Z\n' }));
  replay.route('/csaf/2025/icsma-25-030-01.json', sequence({ text: file('data/sample/real/cisa/icsma-25-030-01.json') }));
  replay.route('/csaf/2025/icsma-25-030-01.json.sha512', sequence({ text: file('data/sample/real/cisa/icsma-25-030-01.json.sha512') }));
  replay.route('/rss.xml', sequence({ text: file('data/sample/synthetic/fda-safety-rss.xml'), headers: { 'content-type': 'application/rss+xml' } }));
});
afterAll(async () => {
  await replay.close();
  rmSync(work, { recursive: true, force: true });
});

const suffix = randomUUID().slice(0, 8);
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/udi-sentinel.mjs', ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      REFERENCE_TABLE: `cli-ref-${suffix}`,
      RECORDS_TABLE: `cli-rec-${suffix}`,
      OPENFDA_BASE_URL: replay.url,
      CISA_CSAF_BASE_URL: `${replay.url}/csaf`,
      FDA_SAFETY_RSS_URL: `${replay.url}/rss.xml`,
      LOG_LEVEL: 'WARN',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return once(child, 'close').then(([code]) => ({ code: code as number | null, stdout, stderr }));
}

describe('udi-sentinel ingest (CLI, replay server, DynamoDB Local)', () => {
  it('ingests every dataset with --dataset all and ends with a summary per dataset', async () => {
    const r = await cli(['ingest', '--dataset', 'all', '--since', '2000-01-01', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summaries = JSON.parse(r.stdout) as IngestSummary[];
    expect(summaries.map((s) => s.dataset)).toEqual(['udi', 'recall', 'enforcement', '510k', 'registrationlisting', 'classification', 'csaf', 'safety']);
    for (const s of summaries) {
      expect(s.status, s.dataset).toBe('completed');
      expect(s.seen, s.dataset).toBeGreaterThan(0);
      expect(s.failed, s.dataset).toBe(0);
    }
  });

  it('a second run writes nothing, and stats counts the stored entities', async () => {
    const r = await cli(['ingest', '--dataset', 'all', '--since', '2000-01-01', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as IngestSummary[]).map((s) => s.written)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const stats = await cli(['stats', '--json']);
    const counts = JSON.parse(stats.stdout) as { reference: Record<string, number>; records: Record<string, number> };
    expect(counts.reference).toMatchObject({ enforcement: 2, recall: 1, clearance: 1, classification: 1, advisory: 1, 'advisory-latest': 1, 'safety-communication': 1 });
    expect(counts.reference.device).toBeGreaterThan(0);
    expect(counts.records.cursor).toBeGreaterThan(0);
  });

  it('loads a zipped bulk partition, and skips it when run again', async () => {
    const zipPath = join(work, 'device-enforcement-0001-of-0001.json.zip');
    const zip = new yazl.ZipFile();
    const doc = { meta: { last_updated: '2026-03-18', results: { skip: 0, limit: 9, total: 9 } }, results: OPENFDA.enforcement?.flatMap(results) ?? [] };
    zip.addBuffer(Buffer.from(JSON.stringify(doc, null, 2)), 'device-enforcement-0001-of-0001.json');
    zip.end();
    await new Promise<void>((resolve, reject) => zip.outputStream.pipe(createWriteStream(zipPath)).on('close', resolve).on('error', reject));
    const first = await cli(['ingest', '--dataset', 'enforcement', '--file', zipPath, '--json']);
    expect(first.code).toBe(0);
    expect((JSON.parse(first.stdout) as IngestSummary[])[0]).toMatchObject({ dataset: 'enforcement', status: 'completed', seen: 2, failed: 0 });
    const again = await cli(['ingest', '--dataset', 'enforcement', '--file', zipPath, '--json']);
    expect((JSON.parse(again.stdout) as IngestSummary[])[0]).toMatchObject({ seen: 0, written: 0 });
  });

  it.each([
    [['ingest'], /--dataset is required/],
    [['ingest', '--dataset', 'nope'], /Unknown dataset "nope"/],
    [['ingest', '--dataset', 'udi', '--since', '2025-13-45'], /--since must be a date/],
    [['ingest', '--dataset', 'csaf', '--file', 'x.zip'], /--file and --manifest load one openFDA dataset/],
    [['ingest', '--dataset', 'udi', '--file', '/nonexistent.zip'], /No such file/],
  ])('usage errors exit 2 with a clear message: %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('exits 1 and names the failure when an upstream is down, keeping what was stored', async () => {
    replay.route('/device/classification.json', sequence({ status: 500, json: {} }));
    const r = await cli(['ingest', '--dataset', 'classification', '--json']);
    expect(r.code).toBe(1);
    const [summary] = JSON.parse(r.stdout) as IngestSummary[];
    expect(summary).toMatchObject({ dataset: 'classification', status: 'failed' });
    expect(summary?.error).toMatch(/still failing/);
    const stats = JSON.parse((await cli(['stats', '--json'])).stdout) as { reference: Record<string, number> };
    expect(stats.reference.classification).toBe(1);
  });
});
