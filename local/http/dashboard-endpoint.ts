/**
 * The dashboard of the local stack: the page at `/`, a JSON API under `/api/` (each resource a JSON
 * array), documents of other types under `/api/` (the charts as SVG) and `/api/stream`, a Server-Sent
 * Events stream that tells the page when to refresh.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';

export type ApiRoutes = Readonly<Record<string, () => unknown | Promise<unknown>>>;

/** A response that is not JSON: its media type and its text. */
export interface ApiDocument {
  readonly contentType: string;
  readonly body: string;
}

export type DocumentRoutes = Readonly<Record<string, () => ApiDocument | Promise<ApiDocument>>>;

export interface DashboardEndpointOptions {
  /** `/api/<name>` -> what it returns. */
  readonly api: ApiRoutes;
  /** `/api/<name>` -> a document of its own type, e.g. `charts/wait.svg`. @default none */
  readonly documents?: DocumentRoutes;
  /** Sent to every stream subscriber about once a second. */
  readonly pulse: () => unknown;
  /** Real milliseconds between pulses. @default 1000 */
  readonly pulseMs?: number;
}

const PAGE = new URL('../dashboard/index.html', import.meta.url);

const json = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
};

export const createDashboardEndpoint = (options: DashboardEndpointOptions): Server => {
  const subscribers = new Set<ServerResponse>();
  const page = readFileSync(PAGE);
  const documents = options.documents ?? {};

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    try {
      if (req.method !== 'GET') {
        json(res, 405, { error: 'the dashboard API is read-only: use GET' });
      } else if (path === '/' || path === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(page);
      } else if (path === '/api/stream') {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(`data: ${JSON.stringify(options.pulse())}\n\n`);
        subscribers.add(res);
        req.on('close', () => subscribers.delete(res));
      } else if (path === '/api' || path === '/api/') {
        json(
          res,
          200,
          [...Object.keys(options.api), ...Object.keys(documents)].map((name) => `/api/${name}`),
        );
      } else if (path.startsWith('/api/') && Object.hasOwn(options.api, path.slice(5))) {
        const route = options.api[path.slice(5)];
        json(res, 200, route ? await route() : []);
      } else if (path.startsWith('/api/') && Object.hasOwn(documents, path.slice(5))) {
        const route = documents[path.slice(5)];
        const document = route ? await route() : { contentType: 'text/plain; charset=utf-8', body: '' };
        res.writeHead(200, {
          'content-type': document.contentType,
          'content-length': Buffer.byteLength(document.body),
          'cache-control': 'no-store',
        });
        res.end(document.body);
      } else {
        json(res, 404, { error: `no such resource: ${path}; GET /api lists them` });
      }
    } catch (error) {
      json(res, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  });

  const timer = setInterval(() => {
    if (subscribers.size === 0) return;
    const message = `data: ${JSON.stringify(options.pulse())}\n\n`;
    for (const res of subscribers) res.write(message);
  }, options.pulseMs ?? 1000);
  timer.unref();
  server.on('close', () => {
    clearInterval(timer);
    for (const res of subscribers) res.end();
    subscribers.clear();
  });
  return server;
};
