import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoreUnavailableError } from '../errors.js';
import type { Key } from './keys.js';

export interface BatchGetOptions {
  projection?: string[];
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

export const keyString = (k: { pk: unknown; sk: unknown }): string => `${String(k.pk)}\u0000${String(k.sk)}`;

/**
 * Read many items by key (BatchGetItem, 100 keys a call), retrying UnprocessedKeys with backoff.
 * Returns a map keyed by `keyString`; absent items are simply missing.
 */
export async function batchGet(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly Key[],
  options: BatchGetOptions = {},
): Promise<Map<string, Record<string, unknown>>> {
  const maxAttempts = options.maxAttempts ?? 8;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const found = new Map<string, Record<string, unknown>>();
  const unique = [...new Map(keys.map((k) => [keyString(k), { pk: k.pk, sk: k.sk }])).values()];
  const names = options.projection ? Object.fromEntries(options.projection.map((p, i) => [`#p${i}`, p])) : undefined;
  const projection = names ? ['pk', 'sk', ...Object.keys(names)].join(', ') : undefined;
  for (let i = 0; i < unique.length; i += 100) {
    let pending: Record<string, unknown>[] = unique.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= maxAttempts) throw new StoreUnavailableError(`DynamoDB left ${pending.length} keys unprocessed after ${maxAttempts} attempts.`);
      if (attempt > 0) await sleep(Math.floor(Math.random() * Math.min(5_000, 50 * 2 ** attempt)));
      const out = await doc.send(
        new BatchGetCommand({
          RequestItems: { [table]: { Keys: pending, ProjectionExpression: projection, ExpressionAttributeNames: names } },
        }),
      );
      for (const row of out.Responses?.[table] ?? []) found.set(keyString(row as Key), row);
      pending = (out.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
  }
  return found;
}
