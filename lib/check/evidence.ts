import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { firmKey, modelTokens, normalizeFirmName } from '../domain/names.js';
import { AppError } from '../errors.js';
import type { BaseItem } from '../domain/item.js';
import { ref, refGsi1, refGsi2 } from '../store/keys.js';
import type { Alias } from './manufacturer.js';
import type { Evidence, Item } from './types.js';

export interface EvidenceDeps {
  doc: DynamoDBDocumentClient;
  referenceTable: string;
  recordsTable: string;
  /** AccessGUDID read-through for a DI the mirror does not hold (stores what it finds). */
  readThrough?: (di: string) => Promise<{ found: true; items: BaseItem[] } | { found: false; cached: boolean }>;
}

/** How many recent safety communications are scanned for names (FDA issues a few dozen a year). */
const RECENT_SAFETY_COMMUNICATIONS = 200;

/**
 * Reads that are the same for every check (source freshness, the organisation's aliases and suppliers,
 * recent safety communications) are kept this long per process, so a warm check starts with one Query.
 * Admin writes in the same process invalidate at once; other processes (Lambda instances) see changes
 * within this time.
 */
export const SHARED_READ_TTL_MS = 60_000;

/**
 * Gathers everything the check needs in two DynamoDB round trips on the common path:
 *  1. the DI's partition (device + recalls naming the DI), source freshness, aliases, suppliers;
 *  2. in parallel, for what the device names: each submission's family partition (clearance holder,
 *     listings of every labeler, recalls, linked advisories), product-code recalls, the labeler's
 *     establishments and vendor advisories, model-token advisories, recent safety communications.
 * A DI the mirror does not hold goes to AccessGUDID first (one HTTP call, cached, including misses).
 */
export class EvidenceRepository {
  private shared = new Map<string, { at: number; value: Promise<Item[]> }>();

  constructor(
    private readonly deps: EvidenceDeps,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Forget the shared reads (after an admin change to aliases or suppliers, or an ingest). */
  invalidateShared(): void {
    this.shared.clear();
  }

  private cached(key: string, read: () => Promise<Item[]>): Promise<Item[]> {
    const hit = this.shared.get(key);
    if (hit && this.clock() - hit.at < SHARED_READ_TTL_MS) return hit.value;
    const value = read();
    this.shared.set(key, { at: this.clock(), value });
    // A failed read is not remembered.
    value.catch(() => this.shared.delete(key));
    return value;
  }

  private async query(input: Omit<QueryCommandInput, 'TableName'>, table = this.deps.referenceTable): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.deps.doc.send(new QueryCommand({ TableName: table, ...input, ExclusiveStartKey: start }));
      items.push(...((out.Items ?? []) as Item[]));
      start = input.Limit ? undefined : out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private partition(pk: string, skPrefix?: string): Promise<Item[]> {
    return skPrefix
      ? this.query({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)', ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix } })
      : this.query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } });
  }

  async gather(di: string): Promise<Evidence> {
    // Round trip 1.
    const [diItems, sources, aliasItems, supplierItems] = await Promise.all([
      this.partition(ref.diPartition(di)),
      this.cached('sources', () => this.partition(ref.sourceStatusPartition)),
      this.cached('aliases', () => this.query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'ALIAS' } }, this.deps.recordsTable)),
      this.cached('suppliers', () => this.query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'SUPPLIER' } }, this.deps.recordsTable)),
    ]);
    const evidence: Evidence = {
      di,
      recallRefs: diItems.filter((i) => i.entity === 'recall-ref'),
      clearances: [],
      listings: [],
      labelerEstablishments: [],
      advisories: [],
      safetyCommunications: [],
      prefixDevices: [],
      sources,
      aliases: aliasItems.map((a) => ({ name: String(a.name), aliasOf: String(a.aliasOf), note: a.note as string | undefined })) satisfies Alias[],
      suppliers: supplierItems.map((sup) => String(sup.name)),
    };
    let record = diItems.find((i) => i.sk === 'DEVICE' && i.entity !== 'gudid-miss');
    if (!record && this.deps.readThrough) {
      try {
        const found = await this.deps.readThrough(di);
        if (found.found) {
          record = found.items.find((i) => i.pk === ref.diPartition(di) && i.sk === 'DEVICE');
          evidence.fromReadThrough = true;
        }
      } catch (err) {
        // AccessGUDID down or the DI unfit for it: answer from the mirror alone, and say so.
        if (!(err instanceof AppError)) throw err;
        evidence.readThroughFailed = true;
      }
    }
    if (!record) {
      // Round trip 2 (unknown DI): who uses this GS1 company prefix?
      if (/^\d{14}$/.test(di)) {
        evidence.prefixDevices = await this.query({
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :p',
          ExpressionAttributeValues: { ':p': refGsi2.gs1Prefix(di) },
          Limit: 50,
        });
      }
      return evidence;
    }
    const device = (record.entity === 'device-identifier' ? record.device : record) as Item;
    evidence.device = device;
    const primaryDi = String(device.primaryDi ?? di);
    evidence.identifier = (Array.isArray(device.identifiers) ? (device.identifiers as Item[]) : []).find((row) => row.di === di && row.type !== 'Primary');

    // Round trip 2: everything the device names, in parallel.
    const submissions = (Array.isArray(device.premarketSubmissions) ? (device.premarketSubmissions as Item[]) : [])
      .map((p) => String(p.number ?? '').toUpperCase())
      .filter((k) => /^(K|P|DEN|BK|BP)\w+$/.test(k));
    const productCodes = (Array.isArray(device.productCodes) ? (device.productCodes as Item[]) : []).map((p) => String(p.code ?? '')).filter((c) => /^[A-Z]{3}$/.test(c));
    const labeler = typeof device.companyName === 'string' ? device.companyName : undefined;
    const tokens = [...new Set([device.brandName, device.versionModelNumber].flatMap((n) => (typeof n === 'string' ? modelTokens(n) : [])))];
    const waves = await Promise.all([
      ...submissions.map((k) => this.partition(ref.submissionPartition(k))),
      ...productCodes.map((c) => this.partition(ref.productCodePartition(c), 'RECALL#')),
      primaryDi !== di ? this.partition(ref.diPartition(primaryDi), 'RECALL#') : Promise.resolve([]),
      labeler && firmKey(labeler) ? this.partition(ref.firmPartition(firmKey(labeler)), 'EST#') : Promise.resolve([]),
      labeler && firmKey(labeler) ? this.partition(ref.vendorPartition(firmKey(labeler))) : Promise.resolve([]),
      ...tokens.map((t) => this.partition(ref.modelPartition(t), 'ADV#')),
      this.cached('safety', () =>
        this.query({
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :f',
          ExpressionAttributeValues: { ':f': refGsi1.feed('safety-communication') },
          ScanIndexForward: false,
          Limit: RECENT_SAFETY_COMMUNICATIONS,
        }),
      ),
    ]);
    const all = waves.flat();
    const labelerNorm = labeler ? normalizeFirmName(labeler) : '';
    for (const item of all) {
      switch (item.entity) {
        case 'clearance':
          evidence.clearances.push(item);
          break;
        case 'listing-ref':
          evidence.listings.push(item);
          break;
        case 'recall-ref':
          evidence.recallRefs.push(item);
          break;
        case 'advisory-ref':
          evidence.advisories.push(item);
          break;
        case 'establishment-ref':
          if (normalizeFirmName(String(item.firmName ?? '')) === labelerNorm || item.matchedBy) evidence.labelerEstablishments.push(item);
          break;
        case 'safety-communication':
          evidence.safetyCommunications.push(item);
          break;
      }
    }
    return evidence;
  }
}
