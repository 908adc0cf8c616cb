import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ref } from './keys.js';

export const sourceStatusSchema = z.object({
  source: z.string(),
  lastUpdated: z.string().optional(),
  ingestedAt: z.string().optional(),
  records: z.number().optional(),
});
export type SourceStatus = z.infer<typeof sourceStatusSchema>;

/** Reads of the public FDA mirror. Every read is a Get or a Query: no request path scans. */
export class ReferenceRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  /** Freshness per data source: one Query of the SOURCE partition. */
  async listSourceStatus(): Promise<SourceStatus[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': ref.sourceStatusPartition },
      }),
    );
    return (out.Items ?? []).map((item) => sourceStatusSchema.parse({ ...item, source: item.sk }));
  }

  /** Whether the mirror holds anything at all (admin/start-up path only, never a request path). */
  async isEmpty(): Promise<boolean> {
    const out = await this.doc.send(new ScanCommand({ TableName: this.table, Limit: 1, ProjectionExpression: 'pk' }));
    return (out.Items ?? []).length === 0 && out.LastEvaluatedKey === undefined;
  }
}
