/**
 * The EventBridge endpoint of the local stack: the AWS JSON 1.1 protocol the AWS SDK and the AWS CLI
 * speak (`POST /`, `X-Amz-Target: AWSEvents.PutEvents`), so they work unchanged with
 * `--endpoint-url http://127.0.0.1:4010`. Requests are not signature-checked: any credentials do.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PutEventsRequestError, type PutEventsResponse } from '#local/bus/put-events.js';

export interface EventsEndpointOptions {
  readonly putEvents: (request: unknown) => Promise<PutEventsResponse>;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Far above PutEvents' 10 entries x 256 KB; larger bodies are refused before they are read whole. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const send = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
};

/** The error shape of the AWS JSON protocols, which the SDK and the CLI turn into named exceptions. */
const sendError = (res: ServerResponse, status: number, type: string, message: string) =>
  send(res, status, { __type: type, message });

const readBody = (req: IncomingMessage): Promise<string | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export const createEventsEndpoint = (options: EventsEndpointOptions): Server =>
  createServer(async (req, res) => {
    try {
      if (req.method !== 'POST') {
        sendError(
          res,
          404,
          'UnknownOperationException',
          'The local EventBridge endpoint answers POST / only.',
        );
        return;
      }
      const target = req.headers['x-amz-target'];
      if (target !== 'AWSEvents.PutEvents') {
        sendError(
          res,
          400,
          'UnknownOperationException',
          `The local EventBridge endpoint implements PutEvents only${typeof target === 'string' ? `, not ${target.replace('AWSEvents.', '')}` : ''}.`,
        );
        return;
      }
      const body = await readBody(req);
      if (body === undefined) {
        sendError(res, 413, 'ValidationException', 'Request body too large.');
        return;
      }
      let request: unknown;
      try {
        request = body.length === 0 ? {} : JSON.parse(body);
      } catch {
        sendError(res, 400, 'SerializationException', 'The request body is not valid JSON.');
        return;
      }
      send(res, 200, await options.putEvents(request));
    } catch (error) {
      if (error instanceof PutEventsRequestError) {
        sendError(res, 400, error.type, error.message);
        return;
      }
      sendError(res, 500, 'InternalException', error instanceof Error ? error.message : String(error));
    }
  });
