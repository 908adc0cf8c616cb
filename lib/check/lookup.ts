import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { firmKey } from '../domain/names.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { HttpResult } from '../http/api.js';
import { pathParams, queryParams, type ApiEvent } from '../http/api.js';
import type { Runtime } from '../runtime.js';
import { ref } from '../store/keys.js';
import { normalizeGtin14 } from '../udi/index.js';
import { withoutStorage } from './api.js';
import { runCheck } from './engine.js';
import type { Item } from './types.js';

export const diPathSchema = z.object({ di: z.string().min(1).max(64).regex(/^[A-Za-z0-9+$/.\-=&,]+$/, 'not a device identifier') });

export const recallQuerySchema = z
  .object({
    di: z.string().min(1).max(64).regex(/^[A-Za-z0-9+$/.\-=&,]+$/, 'not a device identifier').optional(),
    productCode: z.string().regex(/^[A-Za-z]{3}$/, 'a product code is three letters').optional(),
    firm: z.string().trim().min(2).max(200).optional(),
  })
  .strict()
  .refine((q) => [q.di, q.productCode, q.firm].filter((v) => v !== undefined).length === 1, { message: 'give exactly one of di, productCode or firm', path: ['di'] });

const unique = (items: Item[], key: string) => [...new Map(items.map((i) => [String(i[key]), i])).values()];
const strip = (item: Item) => withoutStorage(item) as Item;

/** GET /v1/devices/{di}: the device as GUDID knows it, its family, recalls, advisories and freshness. */
export async function getDevice(rt: Runtime, event: ApiEvent): Promise<HttpResult> {
  const { di: raw } = pathParams(event, diPathSchema);
  const di = normalizeGtin14(raw) ?? raw;
  const evidence = await rt.evidence.gather(di);
  if (!evidence.device) throw new NotFoundError(`No device with DI ${di} in GUDID (mirror and AccessGUDID).`);
  // The engine is the one place that resolves a family; the labeler as claimant leaves only facts.
  const view = runCheck({ di, manufacturer: String(evidence.device.companyName ?? 'unknown') }, evidence, new Date(), 'lookup');
  return {
    status: 200,
    body: {
      di,
      device: strip(evidence.device),
      family: view.family,
      recalls: unique(evidence.recallRefs, 'recallNumber').map(strip),
      advisories: unique(evidence.advisories, 'id').map(strip),
      findings: view.findings.filter((f) => f.code !== 'MANUFACTURER_MISMATCH' && f.code !== 'DATA_STALE'),
      dataAsOf: view.dataAsOf,
    },
  };
}

/** GET /v1/recalls?di=|productCode=|firm= — one Query of the matching reference partition. */
export async function listRecalls(rt: Runtime, event: ApiEvent): Promise<HttpResult> {
  const q = queryParams(event, recallQuerySchema);
  const pk = q.di
    ? ref.diPartition(normalizeGtin14(q.di) ?? q.di)
    : q.productCode
      ? ref.productCodePartition(q.productCode)
      : ref.firmPartition(firmKey(q.firm as string));
  if (pk === 'FIRM#') throw new ValidationError('The firm name has no letters or digits.', [{ path: 'query.firm', message: 'empty after normalisation' }]);
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await rt.clients.doc.send(
      new QueryCommand({
        TableName: rt.config.REFERENCE_TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
        ExpressionAttributeValues: { ':pk': pk, ':r': 'RECALL#' },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((out.Items ?? []) as Item[]));
    start = out.LastEvaluatedKey;
  } while (start && items.length < 1000);
  return { status: 200, body: { items: items.map(strip) } };
}
