import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { rec } from '../store/keys.js';

export const cursorSchema = z.object({
  dataset: z.string(),
  checkpoint: z.string().optional(),
  leaseOwner: z.string().optional(),
  leaseUntil: z.number().optional(),
  lastRunAt: z.string().optional(),
  lastRunStats: z.record(z.string(), z.number()).optional(),
});
export type Cursor = z.infer<typeof cursorSchema>;

/** Lost the lease: another run took over after this one's lease expired. */
export class LeaseLostError extends Error {}

/**
 * A dataset's poll cursor in the records table. The lease makes runs single-flight (Scheduler and
 * Lambda's async retries are at-least-once); the checkpoint only moves forward, and only by the lease
 * holder.
 */
export class CursorRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(dataset: string): Promise<Cursor | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: rec.cursor(dataset), ConsistentRead: true }));
    return out.Item ? cursorSchema.parse(out.Item) : undefined;
  }

  /** Take the lease if it is free, expired or already ours. False when another run holds it. */
  async acquire(dataset: string, owner: string, nowMs: number, leaseMs: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: rec.cursor(dataset),
          UpdateExpression: 'SET #entity = :entity, dataset = :ds, leaseOwner = :me, leaseUntil = :until',
          ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :me',
          ExpressionAttributeNames: { '#entity': 'entity' },
          ExpressionAttributeValues: {
            ':entity': 'cursor',
            ':ds': dataset,
            ':me': owner,
            ':until': nowMs + leaseMs,
            ':now': nowMs,
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Move the checkpoint forward (never back). Throws LeaseLostError if the lease is no longer ours. */
  async advance(dataset: string, owner: string, checkpoint: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: rec.cursor(dataset),
          UpdateExpression: 'SET checkpoint = :cp',
          ConditionExpression: 'leaseOwner = :me AND (attribute_not_exists(checkpoint) OR checkpoint < :cp)',
          ExpressionAttributeValues: { ':me': owner, ':cp': checkpoint },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const old = err.Item ? cursorSchema.parse(unwrap(err.Item)) : undefined;
      if (old?.leaseOwner !== owner) throw new LeaseLostError(`Lease on ${dataset} was taken by another run.`);
      // Already at or beyond this checkpoint: nothing to do.
    }
  }

  /** Give the lease back and record the run. Conditional: a run that lost its lease records nothing. */
  async release(dataset: string, owner: string, at: string, stats: Record<string, number>): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: rec.cursor(dataset),
          UpdateExpression: 'SET lastRunAt = :at, lastRunStats = :stats REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'leaseOwner = :me',
          ExpressionAttributeValues: { ':me': owner, ':at': at, ':stats': stats },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
}

/** The error's Item is in wire format (AttributeValue maps) even from the document client. */
function unwrap(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    const av = v as Record<string, unknown>;
    out[k] = 'S' in av ? av.S : 'N' in av ? Number(av.N) : av;
  }
  return out;
}
