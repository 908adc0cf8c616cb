/** What test/bench/support/ingest-child.ts reports to test/bench/ingest.bench.ts (one stdout line). */
export const MARK = 'BENCH_RESULT ';

export interface ChildResult {
  seen: number;
  written: number;
  unchanged: number;
  failed: number;
  elapsedMs: number;
  /** RSS after imports and client setup, before loading (bytes). */
  rssBeforeBytes: number;
  /** Highest 50 ms sample of process.memoryUsage().rss (bytes). */
  peakRssSampledBytes: number;
  /** process.resourceUsage().maxRSS, converted to bytes. */
  maxRssBytes: number;
  heapUsedPeakBytes: number;
  samples: number;
}
