import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../errors.js';
import { rec, recGsi1 } from '../store/keys.js';
import type { CheckResult } from './types.js';

export interface CheckCaller {
  /** API key id (never the key), or the CLI/Slack principal. */
  principal: string;
  channel: 'api' | 'cli' | 'slack';
}

export interface AuditRecord extends CheckResult {
  caller: CheckCaller;
}

export interface ListOptions {
  from: string;
  to: string;
  decision?: CheckResult['decision'];
  limit: number;
  cursor?: string;
}

function days(from: string, to: string): string[] {
  const out: string[] = [];
  const d = new Date(`${from.slice(0, 10)}T00:00:00Z`);
  const end = new Date(`${to.slice(0, 10)}T00:00:00Z`);
  while (d <= end && out.length < 366) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/**
 * Checks as audit records: each stored once with a conditional put and never overwritten. The audit
 * trail holds who checked (key id, not key), what was asked, the answer, and the data versions it used.
 */
export class AuditRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(result: CheckResult, caller: CheckCaller): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...rec.check(result.id),
            entity: 'check',
            v: 1,
            ...result,
            caller,
            gsi1pk: recGsi1.checksByDay(result.checkedAt.slice(0, 10)),
            gsi1sk: recGsi1.checkSk(result.checkedAt, result.id),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new ConflictError(`Check ${result.id} is already recorded; audit records are never overwritten.`);
      throw err;
    }
  }

  async get(id: string): Promise<AuditRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: rec.check(id) }));
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _e, v: _v, gsi1pk: _g1, gsi1sk: _g2, ...record } = out.Item;
    return record as AuditRecord;
  }

  /** Checks between two instants, oldest first, one day partition at a time; the cursor is opaque. */
  async list(options: ListOptions): Promise<{ items: AuditRecord[]; cursor?: string }> {
    const state = options.cursor ? (JSON.parse(Buffer.from(options.cursor, 'base64url').toString('utf8')) as { day: string; key?: Record<string, unknown> }) : undefined;
    const items: AuditRecord[] = [];
    const allDays = days(options.from, options.to);
    let i = state ? Math.max(0, allDays.indexOf(state.day)) : 0;
    let start = state?.key;
    for (; i < allDays.length; i++) {
      const day = allDays[i] as string;
      do {
        const out = await this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :d AND gsi1sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':d': recGsi1.checksByDay(day),
              ':from': options.from,
              ':to': `${options.to}\uffff`,
              ...(options.decision ? { ':dec': options.decision } : {}),
            },
            ...(options.decision ? { FilterExpression: 'decision = :dec' } : {}),
            Limit: options.limit - items.length,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) {
          const { pk: _pk, sk: _sk, entity: _e, v: _v, gsi1pk: _g1, gsi1sk: _g2, ...record } = item;
          items.push(record as AuditRecord);
        }
        start = out.LastEvaluatedKey;
        if (items.length >= options.limit) {
          const next = start ? { day, key: start } : allDays[i + 1] ? { day: allDays[i + 1] as string } : undefined;
          return { items, cursor: next ? Buffer.from(JSON.stringify(next)).toString('base64url') : undefined };
        }
      } while (start);
    }
    return { items };
  }
}
