import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { clients } from '../aws/clients.js';
import { config } from '../config.js';
import { logger, metrics } from '../observability.js';
import { createIngestContext, type IngestSummary } from './context.js';
import { runDataset, SOURCE_OF, type IngestDataset } from './datasets.js';

/** What a schedule may pass: an optional `since` for a re-run. Anything else is ignored. */
const pollEvent = z.looseObject({ since: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }).catch({});

/** Seconds since the upstream's own `last_updated` that we hold (alarmed on in infra/). */
function lagSeconds(summary: IngestSummary, now: Date): number | undefined {
  if (!summary.lastUpdated) return undefined;
  const t = Date.parse(summary.lastUpdated.length === 10 ? `${summary.lastUpdated}T00:00:00Z` : summary.lastUpdated);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.round((now.getTime() - t) / 1000));
}

/**
 * A scheduled poller for one dataset: lease, checkpoint and deadline handling live in lib/ingest; this
 * adds the Lambda context, Powertools metrics and the failure policy (a run that throws is retried by
 * Lambda's async retries; record-level mapping failures are reported in metrics, not retried).
 */
export function pollHandler(dataset: IngestDataset) {
  return middy<unknown, IngestSummary>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .handler(async (event: unknown, context: Context) => {
      const { since } = pollEvent.parse(event ?? {});
      const ctx = createIngestContext({
        config: config(),
        doc: clients().doc,
        owner: `${context.awsRequestId || randomUUID()}`,
        remainingMs: () => context.getRemainingTimeInMillis(),
      });
      logger.appendKeys({ dataset });
      const summary = await runDataset(ctx, dataset, { since });
      metrics.addDimension('dataset', SOURCE_OF[dataset]);
      metrics.addMetric('RecordsSeen', MetricUnit.Count, summary.seen);
      metrics.addMetric('ItemsWritten', MetricUnit.Count, summary.written);
      metrics.addMetric('ItemsUnchanged', MetricUnit.Count, summary.unchanged);
      metrics.addMetric('RecordsFailed', MetricUnit.Count, summary.failed);
      const lag = lagSeconds(summary, ctx.now());
      if (lag !== undefined) metrics.addMetric('IngestLagSeconds', MetricUnit.Seconds, lag);
      logger.info('ingest finished', { ...summary });
      return summary;
    });
}
