/**
 * The dashboard of the local stack: the page at `/`, a JSON API under `/api/` (each resource a JSON
 * array), documents of other types under `/api/` (the charts as SVG), `/api/stream`, a Server-Sent
 * Events stream that tells the page when to refresh, and a few actions taking a JSON body by POST
 * (`/api/calls` places a test call).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type ApiRoutes = Readonly<Record<string, () => unknown | Promise<unknown>>>;

/** `/api/<name>` -> what a POST of a JSON body does and answers. */
export type ActionRoutes = Readonly<Record<string, (body: unknown) => Promise<unknown>>>;

/** Thrown by an action for a body it refuses: the client gets a 400 with the message. */
export class RefusedBody extends Error {
  override readonly name = 'RefusedBody';
}

/** A test call's body is a few dozen bytes; anything near this is not one. */
export const MAX_BODY_BYTES = 16 * 1024;

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
  /** `/api/<name>` -> an action taking a JSON body by POST. @default none */
  readonly actions?: ActionRoutes;
  /** The largest body an action takes, in bytes. @default MAX_BODY_BYTES */
  readonly maxBodyBytes?: number;
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

/** An HTTP error with the message the client reads. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The request's body as JSON, refused when it is larger than `limit` bytes or is not JSON. */
const readJson = async (req: IncomingMessage, limit: number): Promise<unknown> => {
  const declared = Number(req.headers['content-length']);
  const tooLarge = () => new HttpError(413, `the body is larger than ${limit} bytes`);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks = await new Promise<Buffer[]>((resolve, reject) => {
    const read: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep nothing more of a client streaming megabytes; the answer closes the connection.
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
      } else read.push(chunk);
    });
    req.on('end', () => resolve(read));
    req.on('error', reject);
  });
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'the body is empty: send a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(
      400,
      `the body is not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
};

export const createDashboardEndpoint = (options: DashboardEndpointOptions): Server => {
  const subscribers = new Set<ServerResponse>();
  const page = readFileSync(PAGE);
  const documents = options.documents ?? {};
  const actions = options.actions ?? {};

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const name = path.startsWith('/api/') ? path.slice(5) : undefined;
    const isAction = name !== undefined && Object.hasOwn(actions, name);
    try {
      if (isAction && req.method === 'POST') {
        const body = await readJson(req, options.maxBodyBytes ?? MAX_BODY_BYTES);
        const action = actions[name];
        json(res, 200, action ? await action(body) : {});
      } else if (isAction) {
        res.setHeader('allow', 'POST');
        json(res, 405, { error: `${path} takes a JSON body by POST` });
      } else if (req.method !== 'GET') {
        res.setHeader('allow', 'GET');
        json(res, 405, {
          error: `${path} is read-only: use GET${
            Object.keys(actions).length === 0
              ? ''
              : ` (POST takes ${Object.keys(actions)
                  .map((a) => `/api/${a}`)
                  .join(', ')})`
          }`,
        });
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
      if (error instanceof HttpError) {
        // The rest of an oversized body is not read: close the connection rather than drain it.
        if (error.status === 413) res.setHeader('connection', 'close');
        json(res, error.status, { error: error.message });
      } else if (error instanceof RefusedBody) json(res, 400, { error: error.message });
      else json(res, 500, { error: error instanceof Error ? error.message : String(error) });
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
