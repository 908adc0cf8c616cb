import type { Runtime } from './runtime.js';
import type { SourceStatus } from './store/reference-repo.js';

/** The data sources the mirror tracks; each reports upstream `last_updated` and our last ingest. */
export const DATA_SOURCES = [
  'openfda:udi',
  'openfda:recall',
  'openfda:enforcement',
  'openfda:510k',
  'openfda:registrationlisting',
  'openfda:classification',
  'gudid-xml',
  'cisa-csaf',
  'fda-rss',
] as const;

export interface HealthReport {
  status: 'ok' | 'degraded';
  time: string;
  dynamodb: { reachable: boolean; latencyMs: number; error?: string };
  sources: (SourceStatus & { known: boolean })[];
}

/** Liveness plus DynamoDB reachability and per-source freshness. Never throws: a broken store is data. */
export async function healthReport(rt: Runtime, now: () => Date = () => new Date()): Promise<HealthReport> {
  const started = performance.now();
  let statuses: SourceStatus[] = [];
  let error: string | undefined;
  try {
    [statuses] = await Promise.all([rt.reference.listSourceStatus(), rt.pingRecords()]);
  } catch (err) {
    // Name only: SDK messages can carry table names and endpoints.
    error = (err as { name?: string }).name ?? 'Error';
  }
  const latencyMs = Math.round(performance.now() - started);
  const byName = new Map(statuses.map((s) => [s.source, s]));
  const names = [...new Set<string>([...DATA_SOURCES, ...byName.keys()])];
  return {
    status: error ? 'degraded' : 'ok',
    time: now().toISOString(),
    dynamodb: { reachable: !error, latencyMs, ...(error ? { error } : {}) },
    sources: names.map((source) => ({ source, known: byName.has(source), ...byName.get(source) })),
  };
}
