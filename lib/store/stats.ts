import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Item count per entity of one table. An admin read: it scans, so no request path may call it. */
export async function countByEntity(doc: DynamoDBDocumentClient, table: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({
        TableName: table,
        ProjectionExpression: '#e',
        ExpressionAttributeNames: { '#e': 'entity' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      const entity = typeof item.entity === 'string' ? item.entity : '(none)';
      counts[entity] = (counts[entity] ?? 0) + 1;
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
