import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { UpstreamError } from '../errors.js';

export interface HttpClientOptions {
  baseURL: string;
  /** Per-request timeout (connect + full body). */
  timeoutMs?: number;
  /** Attempts per request, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest Retry-After we honour; a longer one fails the request instead of stalling a Lambda. */
  maxRetryAfterMs?: number;
  /** Client-side rate limit: requests start at most this often (serially). 0 = unlimited. */
  requestsPerMinute?: number;
  /** Responses larger than this are refused (untrusted upstream). */
  maxResponseBytes?: number;
  userAgent?: string;
  /** Query parameters added to every request (e.g. an API key). */
  defaultParams?: Record<string, string>;
  /** How the response body is read: parsed JSON, or text (XML, CSV). */
  responseType?: 'json' | 'text';
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  data: T;
  /** How many attempts the request took. */
  attempts: number;
}

export interface RequestOptions {
  params?: Record<string, string>;
  /** Statuses returned to the caller as answers instead of being errors (e.g. 404 = no match). */
  acceptStatus?: readonly number[];
}

const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ERR_BAD_RESPONSE', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

/** Seconds or an HTTP date, per RFC 9110 §10.2.3; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Describe a failure without URLs or query strings (they may carry an API key). */
function describe(err: unknown): string {
  if (err instanceof AxiosError) {
    // A JSON parse failure carries the (200) response too: test it first.
    if ((err.cause as Error | undefined)?.name === 'SyntaxError' || /JSON/.test(err.message)) return 'malformed JSON';
    if (err.response) return `HTTP ${err.response.status}`;
    if (err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT') return 'timeout';
    return err.code ?? 'network error';
  }
  return (err as Error)?.name ?? 'error';
}

/**
 * An HTTP client for untrusted upstreams: a timeout on every request, bounded retries with full-jitter
 * exponential backoff on 429, 5xx and network faults (honouring Retry-After), a serial client-side rate
 * limit, a response size cap, and strict JSON (malformed JSON is an error, never a string).
 */
export class HttpClient {
  private readonly http: AxiosInstance;
  private readonly o: Required<Omit<HttpClientOptions, 'baseURL' | 'defaultParams' | 'userAgent'>>;
  private nextStart = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: HttpClientOptions) {
    this.o = {
      timeoutMs: options.timeoutMs ?? 30_000,
      maxAttempts: options.maxAttempts ?? 5,
      baseDelayMs: options.baseDelayMs ?? 500,
      maxDelayMs: options.maxDelayMs ?? 30_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 120_000,
      requestsPerMinute: options.requestsPerMinute ?? 240,
      maxResponseBytes: options.maxResponseBytes ?? 64 * 1024 * 1024,
      responseType: options.responseType ?? 'json',
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
    };
    this.http = axios.create({
      baseURL: options.baseURL,
      timeout: this.o.timeoutMs,
      maxContentLength: this.o.maxResponseBytes,
      maxRedirects: 0,
      responseType: this.o.responseType === 'json' ? 'json' : 'text',
      transitional: { silentJSONParsing: false, forcedJSONParsing: this.o.responseType === 'json', clarifyTimeoutError: false },
      validateStatus: () => true,
      // Full percent-encoding: a literal `+` must reach openFDA as %2B, never as a space.
      paramsSerializer: { serialize: (p) => new URLSearchParams(p as Record<string, string>).toString() },
      headers: {
        'user-agent': options.userAgent ?? 'udi-sentinel (+https://github.com/udi-sentinel)',
        accept: this.o.responseType === 'json' ? 'application/json' : '*/*',
      },
    });
  }

  /** Wait for this request's turn under the rate limit (requests start serially). */
  private async slot(): Promise<void> {
    const turn = this.queue.then(async () => {
      if (this.o.requestsPerMinute > 0) {
        const wait = this.nextStart - this.o.now();
        if (wait > 0) await this.o.sleep(wait);
        this.nextStart = Math.max(this.o.now(), this.nextStart) + 60_000 / this.o.requestsPerMinute;
      }
    });
    this.queue = turn.catch(() => undefined);
    await turn;
  }

  private backoff(attempt: number): number {
    return Math.floor(this.o.random() * Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** attempt));
  }

  async get<T = unknown>(path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const params = { ...this.options.defaultParams, ...options.params };
    let lastProblem = 'no attempt';
    for (let attempt = 1; attempt <= this.o.maxAttempts; attempt++) {
      await this.slot();
      let res: AxiosResponse<T> | undefined;
      let delay: number | undefined;
      try {
        res = await this.http.get<T>(path, { params });
      } catch (err) {
        const code = (err as AxiosError).code ?? '';
        if (!(err instanceof AxiosError) || !RETRYABLE_CODES.has(code)) {
          throw new UpstreamError(`Upstream request failed (${describe(err)}).`);
        }
        lastProblem = describe(err);
      }
      if (res) {
        const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
        if ((res.status >= 200 && res.status < 300) || options.acceptStatus?.includes(res.status)) {
          return { status: res.status, headers, data: res.data, attempts: attempt };
        }
        if (res.status !== 429 && res.status < 500) {
          throw new UpstreamError(`Upstream answered HTTP ${res.status}.`);
        }
        lastProblem = `HTTP ${res.status}`;
        const retryAfter = parseRetryAfter(headers['retry-after'], this.o.now());
        if (retryAfter !== undefined) {
          if (retryAfter > this.o.maxRetryAfterMs) throw new UpstreamError(`Upstream asked to retry after ${Math.round(retryAfter / 1000)} s.`);
          delay = retryAfter;
        }
      }
      if (attempt < this.o.maxAttempts) await this.o.sleep(delay ?? this.backoff(attempt));
    }
    throw new UpstreamError(`Upstream still failing after ${this.o.maxAttempts} attempts (last: ${lastProblem}).`);
  }
}
