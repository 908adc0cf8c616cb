import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withHash, type BaseItem } from '../../lib/domain/item.js';
import { CursorRepository } from '../../lib/ingest/cursor-repo.js';
import { minusDays, runPoll, type PollDeps, type PollSource } from '../../lib/ingest/poll.js';
import type { Runtime } from '../../lib/runtime.js';
import { writeItems } from '../../lib/store/batch-write.js';
import { freshRuntime } from '../support/store.js';

interface Rec {
  id: string;
  date: string;
  v: string;
}

/** Synthetic records: 3 pages of 4, dates ascending, two records sharing a date across a page edge. */
const RECORDS: Rec[] = Array.from({ length: 12 }, (_, i) => ({
  id: `R${String(i).padStart(2, '0')}`,
  date: `2026-01-${String(Math.min(28, 1 + i * 2 - (i === 4 ? 2 : 0))).padStart(2, '0')}`,
  v: 'a',
}));

function source(records: Rec[], pageSize = 4): PollSource<Rec> & { requestedSince: (string | undefined)[] } {
  const requestedSince: (string | undefined)[] = [];
  return {
    dataset: 'synthetic',
    requestedSince,
    async *pages(since) {
      requestedSince.push(since);
      const rows = records.filter((r) => !since || r.date >= since).sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
      for (let i = 0; i < rows.length; i += pageSize) yield { records: rows.slice(i, i + pageSize), lastUpdated: '2026-02-01' };
    },
    dateOf: (r) => r.date,
    toItems: async (rs) => ({
      items: rs.map((r) => withHash({ pk: `SYN#${r.id}`, sk: 'SYN', entity: 'synthetic', v: 1, source: 'synthetic', sourceDate: r.date, value: r.v })),
      failed: 0,
    }),
  };
}

let rt: Runtime;
beforeAll(async () => {
  rt = await freshRuntime();
});
afterAll(() => rt.clients.dynamodb.destroy());

async function fresh() {
  const r = await freshRuntime();
  const cursors = new CursorRepository(r.clients.doc, r.config.RECORDS_TABLE);
  const statuses: unknown[] = [];
  const deps = (overrides: Partial<PollDeps> = {}): PollDeps => ({
    cursors,
    write: (items: BaseItem[]) => writeItems(r.clients.doc, r.config.REFERENCE_TABLE, items),
    recordStatus: async (s) => void statuses.push(s),
    owner: 'run-1',
    now: () => new Date('2026-02-02T00:00:00Z'),
    remainingMs: () => 60_000,
    ...overrides,
  });
  const dump = async () => {
    const out = await r.clients.doc.send(new ScanCommand({ TableName: r.config.REFERENCE_TABLE }));
    return (out.Items ?? []).sort((a, b) => String(a.pk).localeCompare(String(b.pk)));
  };
  return { r, cursors, deps, dump, statuses };
}

const options = { overlapDays: 3, marginMs: 5_000, leaseMs: 900_000 };

describe('incremental poll loop (DynamoDB Local)', () => {
  it('stores every record once, advances the checkpoint to the newest date, and re-runs write nothing', async () => {
    const { deps, cursors, dump, statuses } = await fresh();
    const first = await runPoll(source(RECORDS), deps(), options);
    expect(first).toMatchObject({ status: 'completed', pages: 3, seen: 12, written: 12, unchanged: 0, checkpoint: '2026-01-23' });
    expect(await dump()).toHaveLength(12);
    expect(statuses).toEqual([{ lastUpdated: '2026-02-01', ingestedAt: '2026-02-02T00:00:00.000Z', records: 12 }]);

    const src = source(RECORDS);
    const second = await runPoll(src, deps(), options);
    // The overlap window re-reads the last days and finds nothing changed.
    expect(src.requestedSince).toEqual([minusDays('2026-01-23', 3)]);
    expect(second).toMatchObject({ status: 'completed', written: 0 });
    expect((await cursors.get('synthetic'))?.leaseOwner).toBeUndefined();
  });

  it('a run that crashes mid-page and is resumed ends with the same table as an uninterrupted run', async () => {
    const clean = await fresh();
    await runPoll(source(RECORDS), clean.deps(), options);
    const expected = (await clean.dump()).map(({ ingestedAt: _i, ...rest }) => rest);

    const crashy = await fresh();
    let writes = 0;
    const failingWrite = async (items: BaseItem[]) => {
      // Store part of the second page, then die as a Lambda would at its deadline.
      if (writes + items.length > 6) {
        await writeItems(crashy.r.clients.doc, crashy.r.config.REFERENCE_TABLE, items.slice(0, 6 - writes));
        throw new Error('simulated crash mid-page');
      }
      writes += items.length;
      return writeItems(crashy.r.clients.doc, crashy.r.config.REFERENCE_TABLE, items);
    };
    await expect(runPoll(source(RECORDS), crashy.deps({ write: failingWrite }), options)).rejects.toThrow('simulated crash');
    // The checkpoint covers only the first, durable page.
    expect((await crashy.cursors.get('synthetic'))?.checkpoint).toBe(RECORDS[3]?.date);
    const resumed = await runPoll(source(RECORDS), crashy.deps({ owner: 'run-2' }), options);
    expect(resumed.status).toBe('completed');
    expect((await crashy.dump()).map(({ ingestedAt: _i, ...rest }) => rest)).toEqual(expected);
  });

  it('stops before the deadline and the next run carries on from the checkpoint', async () => {
    const { deps, cursors, dump } = await fresh();
    let left = 20_000;
    const stopped = await runPoll(source(RECORDS), deps({ remainingMs: () => (left -= 7_000) }), options);
    expect(stopped.status).toBe('stopped-at-deadline');
    expect(stopped.pages).toBe(2);
    expect((await cursors.get('synthetic'))?.checkpoint).toBe(stopped.checkpoint);
    const rest = await runPoll(source(RECORDS), deps(), options);
    expect(rest.status).toBe('completed');
    expect(await dump()).toHaveLength(12);
  });

  it('is single-flight: a second run while the lease is held does nothing', async () => {
    const { deps, cursors } = await fresh();
    expect(await cursors.acquire('synthetic', 'other-run', Date.parse('2026-02-02T00:00:00Z'), 900_000)).toBe(true);
    const blocked = await runPoll(source(RECORDS), deps(), options);
    expect(blocked).toMatchObject({ status: 'lease-held', pages: 0 });
    // An expired lease can be taken over.
    const later = await runPoll(source(RECORDS), deps({ now: () => new Date('2026-02-03T00:00:00Z') }), options);
    expect(later.status).toBe('completed');
  });

  it('a run whose lease was taken over stops without moving the checkpoint', async () => {
    const { deps, cursors } = await fresh();
    const thief = async (items: BaseItem[]) => {
      // Another run takes over (as if this one's lease had expired) while this one writes.
      await cursors.acquire('synthetic', 'thief', Date.parse('2030-01-01T00:00:00Z'), 900_000);
      return { seen: items.length, written: 0, unchanged: items.length };
    };
    const result = await runPoll(source(RECORDS), deps({ write: thief }), options);
    expect(result.status).toBe('lease-lost');
    expect((await cursors.get('synthetic'))?.checkpoint).toBeUndefined();
    expect((await cursors.get('synthetic'))?.leaseOwner).toBe('thief');
  });

  it('the checkpoint never moves backwards', async () => {
    const { cursors } = await fresh();
    await cursors.acquire('synthetic', 'me', 0, 1_000);
    await cursors.advance('synthetic', 'me', '2026-01-10');
    await cursors.advance('synthetic', 'me', '2026-01-05');
    expect((await cursors.get('synthetic'))?.checkpoint).toBe('2026-01-10');
  });
});
