import { readSampleDataset } from '../sample/dataset.js';
import { writeItems, type WriteStats } from '../store/batch-write.js';
import type { Runtime } from '../runtime.js';

export interface SampleLoadResult {
  loaded: boolean;
  stats?: WriteStats;
}

/**
 * Load the sample data set into an empty mirror. A store that already holds data is left as it is, so a
 * second start adds nothing (and never overwrites what an ingest wrote).
 */
export async function loadSampleIfEmpty(rt: Runtime, force = false): Promise<SampleLoadResult> {
  if (!force && !(await rt.reference.isEmpty())) return { loaded: false };
  const items = await readSampleDataset();
  const stats = await writeItems(rt.clients.doc, rt.config.REFERENCE_TABLE, items);
  return { loaded: true, stats };
}
