import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { clients } from '../aws/clients.js';
import { config } from '../config.js';
import { ValidationError } from '../errors.js';
import { logger, metrics } from '../observability.js';
import { loadPartition, manifestPartitionSchema } from './bulk.js';
import { createIngestContext, type IngestSummary } from './context.js';
import type { OpenFdaDataset } from './openfda.js';

/** What the Step Functions Distributed Map hands each invocation (infra/constructs/bulk-load.ts). */
const partitionEvent = z.looseObject({
  runId: z.string().regex(/^[\w.-]{1,64}$/),
  index: z.number().int().min(0).optional(),
  partition: manifestPartitionSchema,
});

/** One bulk partition per invocation: download, stream, store; a partition done in this run is skipped. */
export function bulkPartitionHandler(dataset: OpenFdaDataset) {
  return middy<unknown, IngestSummary & { skipped?: boolean }>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event: unknown, context: Context) => {
      const parsed = partitionEvent.safeParse(event);
      if (!parsed.success) {
        throw new ValidationError('Not a bulk-partition event.', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      }
      const { runId, partition } = parsed.data;
      const ctx = createIngestContext({ config: config(), doc: clients().doc, owner: context.awsRequestId || randomUUID(), remainingMs: () => context.getRemainingTimeInMillis() });
      logger.appendKeys({ dataset, runId, partition: partition.file.split('/').pop() });
      const summary = await loadPartition(ctx, dataset, runId, partition);
      metrics.addDimension('dataset', `openfda:${dataset}`);
      metrics.addMetric('BulkRecordsSeen', MetricUnit.Count, summary.seen);
      metrics.addMetric('BulkItemsWritten', MetricUnit.Count, summary.written);
      metrics.addMetric('BulkRecordsFailed', MetricUnit.Count, summary.failed);
      logger.info('partition loaded', { ...summary });
      return summary;
    });
}
