import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withHash, type BaseItem } from '../../lib/domain/item.js';
import type { Runtime } from '../../lib/runtime.js';
import { writeItems } from '../../lib/store/batch-write.js';
import { StoreUnavailableError } from '../../lib/errors.js';
import { freshRuntime } from '../support/store.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await freshRuntime();
});
afterAll(() => rt.clients.dynamodb.destroy());

const item = (i: number, payload = 'a'): BaseItem =>
  withHash({ pk: `T#${i}`, sk: 'X', entity: 'test', v: 1, source: 'synthetic', payload });

async function count(): Promise<number> {
  const out = await rt.clients.doc.send(new ScanCommand({ TableName: rt.config.REFERENCE_TABLE, Select: 'COUNT' }));
  return out.Count ?? 0;
}

/**
 * DynamoDB Local never throttles, so UnprocessedItems cannot come from the real part: this SDK middleware
 * sends each BatchWriteItem for real and then hands back the last `k` requests as unprocessed (as if the
 * table had throttled them), for the first `times` calls. The mock is the fault only; storage is real.
 */
function injectUnprocessed(k: number, times: number): () => void {
  let calls = 0;
  const name = `unprocessed-${Math.random()}`;
  rt.clients.dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand' || calls >= times) return next(args);
      calls++;
      const input = args.input as { RequestItems: Record<string, { PutRequest: unknown }[]> };
      const [table, requests] = Object.entries(input.RequestItems)[0] as [string, { PutRequest: unknown }[]];
      const keep = requests.slice(0, Math.max(0, requests.length - k));
      const dropped = requests.slice(keep.length);
      const result = keep.length ? await next({ ...args, input: { RequestItems: { [table]: keep } } }) : await next(args).then(() => ({ output: {} }));
      if (!keep.length) return { ...result, output: { UnprocessedItems: { [table]: requests } } } as never;
      return { ...result, output: { ...(result.output as object), UnprocessedItems: { [table]: dropped } } } as never;
    },
    { step: 'initialize', name },
  );
  return () => rt.clients.dynamodb.middlewareStack.remove(name);
}

describe('idempotent batch writer', () => {
  it('writes new items, then writes nothing when the same data comes again', async () => {
    const items = Array.from({ length: 60 }, (_, i) => item(i));
    expect(await writeItems(rt.clients.doc, rt.config.REFERENCE_TABLE, items)).toEqual({ seen: 60, written: 60, unchanged: 0 });
    expect(await writeItems(rt.clients.doc, rt.config.REFERENCE_TABLE, items)).toEqual({ seen: 60, written: 0, unchanged: 60 });
    expect(await count()).toBe(60);
  });

  it('rewrites only the items whose content changed', async () => {
    const items = Array.from({ length: 60 }, (_, i) => item(i, i % 10 === 0 ? 'b' : 'a'));
    expect(await writeItems(rt.clients.doc, rt.config.REFERENCE_TABLE, items)).toEqual({ seen: 60, written: 6, unchanged: 54 });
  });

  it('collapses duplicate keys in one call (last wins) instead of failing the batch', async () => {
    const stats = await writeItems(rt.clients.doc, rt.config.REFERENCE_TABLE, [item(100, 'x'), item(100, 'y')]);
    expect(stats).toEqual({ seen: 2, written: 1, unchanged: 1 });
  });

  it('retries UnprocessedItems under backoff until every item is stored', async () => {
    const restore = injectUnprocessed(7, 3);
    const delays: number[] = [];
    try {
      const items = Array.from({ length: 25 }, (_, i) => item(200 + i));
      const stats = await writeItems(rt.clients.doc, rt.config.REFERENCE_TABLE, items, {
        sleep: async (ms) => void delays.push(ms),
        random: () => 1,
      });
      expect(stats.written).toBe(25);
    } finally {
      restore();
    }
    // Exponential: base 50 ms × 2^attempt with full jitter at its ceiling.
    expect(delays).toEqual([100, 200, 400]);
    expect(await count()).toBe(60 + 1 + 25);
  });

  it('throws, never drops silently, when the retry budget runs out', async () => {
    const restore = injectUnprocessed(25, 100);
    try {
      const items = Array.from({ length: 5 }, (_, i) => item(300 + i));
      await expect(
        writeItems(rt.clients.doc, rt.config.REFERENCE_TABLE, items, { maxAttempts: 3, sleep: async () => undefined }),
      ).rejects.toThrow(StoreUnavailableError);
    } finally {
      restore();
    }
  });
});

describe('concurrent slices', () => {
  it('stores every item of a large write once, whatever the number of slices in flight', async () => {
    const items = Array.from({ length: 450 }, (_, i) => item(10_000 + i, 'c'));
    expect(await writeItems(rt.clients.doc, rt.config.REFERENCE_TABLE, items, { concurrency: 3 })).toEqual({ seen: 450, written: 450, unchanged: 0 });
    expect(await writeItems(rt.clients.doc, rt.config.REFERENCE_TABLE, items, { concurrency: 1 })).toEqual({ seen: 450, written: 0, unchanged: 450 });
    const out = await rt.clients.doc.send(new ScanCommand({ TableName: rt.config.REFERENCE_TABLE, Select: 'COUNT', FilterExpression: 'payload = :c', ExpressionAttributeValues: { ':c': 'c' } }));
    expect(out.Count).toBe(450);
  });
});

describe('write precedence between items sharing a key', () => {
  const device = withHash({ pk: 'DI#00000000000017', sk: 'DEVICE', entity: 'device', v: 1, source: 'synthetic' as const, brandName: 'A' });
  const identifier = withHash({ pk: 'DI#00000000000017', sk: 'DEVICE', entity: 'device-identifier', v: 1, source: 'synthetic' as const, primaryDi: 'X' });

  it('a device item is never replaced by another record’s identifier item, in either order', async () => {
    await writeItems(rt.clients.doc, rt.config.REFERENCE_TABLE, [device]);
    expect((await writeItems(rt.clients.doc, rt.config.REFERENCE_TABLE, [identifier])).written).toBe(0);
    const out = await rt.clients.doc.send(new ScanCommand({ TableName: rt.config.REFERENCE_TABLE, FilterExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': device.pk } }));
    expect(out.Items?.[0]?.entity).toBe('device');
  });

  it('an advisory-latest pointer never moves back to an older version', async () => {
    const latest = (version: number) => withHash({ pk: 'ADV#T-1', sk: 'LATEST', entity: 'advisory-latest', v: 1, source: 'synthetic' as const, version });
    await writeItems(rt.clients.doc, rt.config.REFERENCE_TABLE, [latest(2)]);
    expect((await writeItems(rt.clients.doc, rt.config.REFERENCE_TABLE, [latest(1)])).written).toBe(0);
    expect((await writeItems(rt.clients.doc, rt.config.REFERENCE_TABLE, [latest(3)])).written).toBe(1);
  });
});
