import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the replay server does for one request. */
export type ReplayAction =
  | { status?: number; headers?: Record<string, string>; json: unknown }
  | { status?: number; headers?: Record<string, string>; text: string | Buffer }
  /** Accept the request and never answer (until the server closes). */
  | { fault: 'hang' }
  /** Destroy the connection without an answer (ECONNRESET at the client). */
  | { fault: 'reset' }
  /** Announce a body, send a part of it, then cut the connection. */
  | { fault: 'truncate'; body: string; keep?: number }
  /** 200 with a body that is not JSON. */
  | { fault: 'malformed' };

export type Responder = (req: IncomingMessage, url: URL, hit: number) => ReplayAction;

export interface ReplayServer {
  url: string;
  server: Server;
  /** Answer requests to `pathname` (exact). A new registration replaces the old one and restarts its hit count. */
  route(pathname: string, responder: Responder): void;
  /** Requests seen, in order, as `pathname?query`. */
  requests: string[];
  hits(pathname: string): number;
  close(): Promise<void>;
}

/** Play actions in order, then keep repeating the last one. */
export function sequence(...actions: ReplayAction[]): Responder {
  return (_req, _url, hit) => actions[Math.min(hit, actions.length - 1)] as ReplayAction;
}

function perform(res: ServerResponse, socket: Socket, action: ReplayAction): void {
  if ('fault' in action) {
    switch (action.fault) {
      case 'hang':
        return;
      case 'reset':
        socket.destroy();
        return;
      case 'truncate': {
        const body = Buffer.from(action.body);
        const keep = action.keep ?? Math.floor(body.length / 2);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
        res.write(body.subarray(0, keep), () => socket.destroy());
        return;
      }
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"meta": {"last_updated": "2026-01-01"}, "results": [{"a": 1},');
        return;
    }
  }
  const status = action.status ?? 200;
  if ('json' in action) {
    res.writeHead(status, { 'content-type': 'application/json', ...action.headers }).end(JSON.stringify(action.json));
  } else {
    res.writeHead(status, { 'content-type': 'text/plain', ...action.headers }).end(action.text);
  }
}

/**
 * A local HTTP server that replays recorded upstream payloads and injects faults. Upstreams are never
 * called in tests; this stands in for openFDA, AccessGUDID, CISA and the FDA RSS feed.
 */
export async function startReplayServer(): Promise<ReplayServer> {
  const routes = new Map<string, Responder>();
  const counts = new Map<string, number>();
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://replay');
    requests.push(`${url.pathname}${url.search}`);
    const hit = counts.get(url.pathname) ?? 0;
    counts.set(url.pathname, hit + 1);
    const responder = routes.get(url.pathname);
    if (!responder) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No route in replay server' } }));
      return;
    }
    perform(res, req.socket, responder(req, url, hit));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    requests,
    route: (pathname, responder) => {
      routes.set(pathname, responder);
      counts.set(pathname, 0);
    },
    hits: (pathname) => counts.get(pathname) ?? 0,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
