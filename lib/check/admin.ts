import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ApiKeyRepository } from '../auth/keys.js';
import { normalizeFirmName } from '../domain/names.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { jsonBody, pathParams, type ApiEvent, type HttpResult } from '../http/api.js';
import type { Runtime } from '../runtime.js';
import { rec } from '../store/keys.js';

const name = z.string().trim().min(2).max(200);
export const aliasBodySchema = z.object({ name, aliasOf: name, note: z.string().trim().max(500).optional() }).strict();
export const supplierBodySchema = z.object({ name, note: z.string().trim().max(500).optional() }).strict();
export const keyBodySchema = z.object({ name: z.string().trim().min(1).max(100), scopes: z.array(z.enum(['check', 'inventory', 'admin'])).min(1) }).strict();
export const namePathSchema = z.object({ name: z.string().min(1).max(200) });
export const keyIdPathSchema = z.object({ keyId: z.string().regex(/^[A-Za-z0-9]{12}$/, 'not a key id') });

function keyOf(raw: string): string {
  const k = normalizeFirmName(raw);
  if (!k) throw new ValidationError('The name has no letters or digits.', [{ path: 'name', message: 'empty after normalisation' }]);
  return k;
}

async function listPartition(rt: Runtime, pk: string) {
  const out = await rt.clients.doc.send(new QueryCommand({ TableName: rt.config.RECORDS_TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }));
  return (out.Items ?? []).map(({ pk: _pk, sk, entity: _e, v: _v, ...rest }) => ({ key: sk as string, ...rest }));
}

async function remove(rt: Runtime, key: { pk: string; sk: string }, what: string): Promise<HttpResult> {
  const out = await rt.clients.doc.send(new DeleteCommand({ TableName: rt.config.RECORDS_TABLE, Key: key, ReturnValues: 'ALL_OLD' }));
  if (!out.Attributes) throw new NotFoundError(`No ${what} "${key.sk}".`);
  return { status: 204 };
}

/** Admin routes: the organisation's alias table, authorised suppliers and API keys. */
export async function admin(rt: Runtime, event: ApiEvent, actor: string): Promise<HttpResult> {
  const result = await route(rt, event, actor);
  // Aliases and suppliers are cached by the evidence reads; a change applies at once in this process.
  if (event.requestContext.http.method !== 'GET') rt.evidence.invalidateShared();
  return result;
}

async function route(rt: Runtime, event: ApiEvent, actor: string): Promise<HttpResult> {
  const now = new Date().toISOString();
  switch (event.routeKey) {
    case 'GET /v1/admin/aliases':
      return { status: 200, body: { items: await listPartition(rt, 'ALIAS') } };
    case 'PUT /v1/admin/aliases': {
      const body = jsonBody(event, aliasBodySchema);
      const item = { ...rec.alias(keyOf(body.name)), entity: 'alias', v: 1, ...body, updatedAt: now, updatedBy: actor };
      await rt.clients.doc.send(new PutCommand({ TableName: rt.config.RECORDS_TABLE, Item: item }));
      return { status: 200, body: { key: item.sk, ...body } };
    }
    case 'DELETE /v1/admin/aliases/{name}':
      return remove(rt, rec.alias(keyOf(pathParams(event, namePathSchema).name)), 'alias');
    case 'GET /v1/admin/suppliers':
      return { status: 200, body: { items: await listPartition(rt, 'SUPPLIER') } };
    case 'PUT /v1/admin/suppliers': {
      const body = jsonBody(event, supplierBodySchema);
      const item = { ...rec.supplier(keyOf(body.name)), entity: 'supplier', v: 1, ...body, updatedAt: now, updatedBy: actor };
      await rt.clients.doc.send(new PutCommand({ TableName: rt.config.RECORDS_TABLE, Item: item }));
      return { status: 200, body: { key: item.sk, ...body } };
    }
    case 'DELETE /v1/admin/suppliers/{name}':
      return remove(rt, rec.supplier(keyOf(pathParams(event, namePathSchema).name)), 'supplier');
    case 'GET /v1/admin/keys':
      return { status: 200, body: { items: await new ApiKeyRepository(rt.clients.doc, rt.config.RECORDS_TABLE).list() } };
    case 'POST /v1/admin/keys': {
      const body = jsonBody(event, keyBodySchema);
      const created = await new ApiKeyRepository(rt.clients.doc, rt.config.RECORDS_TABLE).create(body);
      return { status: 201, body: { key: created.key, note: 'Shown once: only a hash of this key is stored.', ...created.record } };
    }
    default: {
      const { keyId } = pathParams(event, keyIdPathSchema);
      return { status: 200, body: await new ApiKeyRepository(rt.clients.doc, rt.config.RECORDS_TABLE).revoke(keyId) };
    }
  }
}
