/**
 * Read-through to AccessGUDID for a DI the mirror does not hold. Found → the `gudid.device` object is mapped
 * (lib/sources/gudid/xml.ts renames the GUDID names onto the openFDA raw shape; lib/sources/openfda/udi.ts
 * builds the items) and stored with source `accessgudid`, so the next lookup is a GetItem. Not found (HTTP
 * 404) → a `gudid-miss` item with a 24 h `expiresAt` TTL; an expired miss counts as absent because DynamoDB
 * deletes expired items lazily. Upstream errors are thrown and never cached as a miss.
 */
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { BaseItem } from '../domain/item.js';
import { UpstreamError, ValidationError } from '../errors.js';
import { HttpClient, type HttpClientOptions } from '../net/http-client.js';
import { gudidDeviceToUdiRecord } from '../sources/gudid/xml.js';
import { sealItem } from '../sources/item.js';
import { gs1CheckDigit } from '../sources/normalize.js';
import { mapUdiRecord } from '../sources/openfda/udi.js';
import { ref } from '../store/keys.js';
import type { IngestContext } from './context.js';

export type GudidLookupResult = { found: true; items: BaseItem[] } | { found: false; cached: boolean };

export const GUDID_MISS_TTL_SECONDS = 24 * 60 * 60;
export const ACCESSGUDID_LOOKUP_PATH = '/api/v2/devices/lookup.json';

export interface GudidReadThroughOptions {
  /** HttpClient settings. Defaults suit a request path: 5 s timeout, 2 attempts. */
  http?: Partial<Omit<HttpClientOptions, 'baseURL' | 'responseType'>>;
  missTtlSeconds?: number;
}

/**
 * The DI in key form, or a ValidationError. GS1: exactly 14 digits with a valid check digit. HIBCC / ICCBBA:
 * 6–23 letters and digits starting with a letter (HIBC LIC 4 + product 1–18 + unit of measure 1; ICCBBA
 * PPICs are alphanumeric). Case is kept (GUDID DIs are case-sensitive); surrounding whitespace is dropped.
 */
export function parseLookupDi(input: unknown): string {
  const di = typeof input === 'string' ? input.trim() : '';
  if (/^\d{14}$/.test(di)) {
    if (gs1CheckDigit(di.slice(0, 13)) === Number(di[13])) return di;
    throw new ValidationError('The DI is not a valid GTIN-14 (check digit).', [{ path: 'di', message: 'bad GS1 check digit' }]);
  }
  if (/^[A-Za-z][A-Za-z0-9]{5,22}$/.test(di)) return di;
  throw new ValidationError('The DI must be a GTIN-14 or a HIBCC/ICCBBA DI (letters and digits, at most 23).', [
    { path: 'di', message: 'not a device identifier' },
  ]);
}

const LookupSchema = z.looseObject({ gudid: z.looseObject({ device: z.record(z.string(), z.unknown()) }) });

type Deps = Pick<IngestContext, 'config' | 'doc' | 'write' | 'now'>;

export class GudidReadThrough {
  private readonly http: HttpClient;
  private readonly missTtl: number;
  /** Concurrent lookups of one DI share one upstream call. */
  private readonly inflight = new Map<string, Promise<GudidLookupResult>>();

  constructor(
    private readonly ctx: Deps,
    options: GudidReadThroughOptions = {},
  ) {
    this.http = new HttpClient({
      timeoutMs: 5_000,
      maxAttempts: 2,
      maxResponseBytes: 2 * 1024 * 1024,
      ...options.http,
      baseURL: ctx.config.ACCESSGUDID_BASE_URL,
      responseType: 'json',
    });
    this.missTtl = options.missTtlSeconds ?? GUDID_MISS_TTL_SECONDS;
  }

  /** The device for `di`: from the mirror, else from AccessGUDID (then stored), else a (cached) miss. */
  async lookup(input: string): Promise<GudidLookupResult> {
    const di = parseLookupDi(input);
    let running = this.inflight.get(di);
    if (running === undefined) {
      running = this.resolve(di).finally(() => this.inflight.delete(di));
      this.inflight.set(di, running);
    }
    return running;
  }

  private async get(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const out = await this.ctx.doc.send(new GetCommand({ TableName: this.ctx.config.REFERENCE_TABLE, Key: key }));
    return out.Item;
  }

  private async resolve(di: string): Promise<GudidLookupResult> {
    const stored = await this.get(ref.deviceByDi(di));
    if (stored !== undefined) return { found: true, items: [stored as BaseItem] };

    const nowSec = Math.floor(this.ctx.now().getTime() / 1000);
    const miss = await this.get(ref.gudidMiss(di));
    const missLive = typeof miss?.expiresAt === 'number' && miss.expiresAt > nowSec;
    if (missLive) return { found: false, cached: true };

    const res = await this.http.get<unknown>(ACCESSGUDID_LOOKUP_PATH, { params: { di }, acceptStatus: [404] });
    if (res.status === 404) {
      await this.remember(di, nowSec);
      return { found: false, cached: false };
    }
    const body = LookupSchema.safeParse(res.data);
    if (!body.success) throw new UpstreamError('AccessGUDID answered a body without gudid.device.');
    const items = mapUdiRecord(gudidDeviceToUdiRecord(body.data.gudid.device), { source: 'accessgudid' });
    const key = ref.deviceByDi(di);
    const answersDi = items.some((i) => i.pk === key.pk && i.sk === key.sk);
    if (items.length > 0) await this.ctx.write(items);
    if (!answersDi) {
      // A record that does not list this DI is not an answer for it (stored anyway: it is a genuine record).
      await this.remember(di, nowSec);
      return { found: false, cached: false };
    }
    if (miss !== undefined) await this.ctx.doc.send(new DeleteCommand({ TableName: this.ctx.config.REFERENCE_TABLE, Key: ref.gudidMiss(di) }));
    return { found: true, items };
  }

  private async remember(di: string, nowSec: number): Promise<void> {
    const item = sealItem(ref.gudidMiss(di), 'gudid-miss', 'accessgudid', undefined, {
      di,
      checkedAt: new Date(nowSec * 1000).toISOString(),
      expiresAt: nowSec + this.missTtl,
    });
    await this.ctx.write([item]);
  }
}
