import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { sourceStatusItem, type SourceStatus } from '../sources/status.js';
import { ref } from '../store/keys.js';
import type { IngestContext } from './context.js';

/**
 * Record a source's freshness after a run. An update, not a hashed write: `ingestedAt` must move on every
 * run, changed data or not, and a run that saw no records keeps the last known upstream `lastUpdated`.
 */
export async function putSourceStatus(ctx: Pick<IngestContext, 'doc' | 'config'>, source: string, status: SourceStatus): Promise<void> {
  const item = sourceStatusItem(source, status);
  const values: Record<string, unknown> = {
    ':entity': item.entity,
    ':v': item.v,
    ':source': item.source,
    ':sourceId': source,
    ':ingestedAt': status.ingestedAt,
    ':records': status.records,
  };
  const sets = ['#entity = :entity', 'v = :v', '#source = :source', 'sourceId = :sourceId', 'ingestedAt = :ingestedAt', '#records = :records'];
  if (status.lastUpdated) {
    values[':lastUpdated'] = status.lastUpdated;
    sets.push('lastUpdated = :lastUpdated');
  }
  await ctx.doc.send(
    new UpdateCommand({
      TableName: ctx.config.REFERENCE_TABLE,
      Key: ref.sourceStatus(source),
      // The content hash belongs to whole-item writes; this partial update makes it stale, so drop it.
      UpdateExpression: `SET ${sets.join(', ')} REMOVE #hash`,
      ExpressionAttributeNames: { '#entity': 'entity', '#source': 'source', '#records': 'records', '#hash': 'hash' },
      ExpressionAttributeValues: values,
    }),
  );
}

