import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleIfEmpty } from '../../lib/local/sample-load.js';
import type { Runtime } from '../../lib/runtime.js';
import { countByEntity } from '../../lib/store/stats.js';
import { readSampleDataset } from '../../lib/sample/dataset.js';
import { freshRuntime } from '../support/store.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await freshRuntime();
});
afterAll(() => rt.clients.dynamodb.destroy());

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe('sample data set load', () => {
  it('loads every item into an empty store, and a second load adds nothing', async () => {
    const expected = await readSampleDataset();
    const first = await loadSampleIfEmpty(rt);
    expect(first.loaded).toBe(true);
    expect(first.stats?.written).toBe(expected.length);
    const afterFirst = await countByEntity(rt.clients.doc, rt.config.REFERENCE_TABLE);
    expect(total(afterFirst)).toBe(expected.length);

    // A store that holds data is left as it is…
    expect(await loadSampleIfEmpty(rt)).toEqual({ loaded: false });
    // …and even a forced reload writes nothing that is already stored unchanged.
    const forced = await loadSampleIfEmpty(rt, true);
    expect(forced.stats).toEqual({ seen: expected.length, written: 0, unchanged: expected.length });
    expect(await countByEntity(rt.clients.doc, rt.config.REFERENCE_TABLE)).toEqual(afterFirst);
  });

  it('holds the main entities of every source', async () => {
    const counts = await countByEntity(rt.clients.doc, rt.config.REFERENCE_TABLE);
    for (const entity of ['device', 'device-identifier', 'recall', 'enforcement', 'clearance', 'listing', 'classification', 'advisory', 'safety-communication', 'source-status']) {
      expect(counts[entity], entity).toBeGreaterThan(0);
    }
  });
});
