/**
 * The local stack's AWS endpoint, for the AWS SDK and the AWS CLI with
 * `--endpoint-url http://127.0.0.1:4010`:
 * - EventBridge: the AWS JSON 1.1 protocol (`POST /`, `X-Amz-Target: AWSEvents.PutEvents`);
 * - Amazon Connect's user API: the REST-JSON protocol (`PUT /users/{InstanceId}`, `POST /search-users`, …)
 *   over the contact-centre simulator, see `connect-endpoint.ts`.
 * One port for both, told apart as the protocols differ: EventBridge always posts to `/` with an
 * `X-Amz-Target`, Connect never does. Requests are not signature-checked: any credentials do.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PutEventsRequestError, type PutEventsResponse } from '#local/bus/put-events.js';
import type { ConnectSimulator } from '#simulator/connect/index.js';
import type { FaultInjector } from '#local/faults/fault-plan.js';
import { connectError, createConnectHandler, type HttpAnswer } from './connect-endpoint.js';

export interface EventsEndpointOptions {
  readonly putEvents: (request: unknown) => Promise<PutEventsResponse>;
  /**
   * The simulator to serve as Amazon Connect's user API on the same port. Left out, Connect requests
   * are answered 404.
   */
  readonly contactCentre?: ConnectSimulator;
  /**
   * The chaos switch's `events` share: PutEvents answered as EventBridge answers when it fails (400
   * ThrottlingException, 500 InternalException), or routed and then the connection dropped, so the
   * sender cannot know its events arrived. @default none
   */
  readonly faults?: FaultInjector;
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

const write = (res: ServerResponse, answer: HttpAnswer) => {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
};

/** EventBridge's requests: JSON 1.1 always names its operation in a header and posts to the root. */
const isEventBridgeRequest = (req: IncomingMessage): boolean =>
  req.headers['x-amz-target'] !== undefined || (req.url ?? '/').split('?')[0] === '/';

export const createEventsEndpoint = (options: EventsEndpointOptions): Server => {
  const connect = options.contactCentre
    ? createConnectHandler({ simulator: options.contactCentre })
    : undefined;

  const serveConnect = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Read even when unanswered, so that a keep-alive connection is left ready for the next request.
    const body = await readBody(req);
    if (body === undefined) {
      write(res, connectError(413, 'InvalidRequestException', 'Request body too large.'));
    } else if (connect === undefined) {
      write(
        res,
        connectError(
          404,
          'UnknownOperationException',
          'This local endpoint serves no Connect API: the stack was started without a contact centre.',
        ),
      );
    } else {
      write(res, await connect(req.method ?? 'GET', req.url ?? '/', body));
    }
  };

  return createServer(async (req, res) => {
    try {
      if (!isEventBridgeRequest(req)) {
        await serveConnect(req, res);
        return;
      }
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
      const fault = options.faults?.draw('events');
      if (fault === 'throttling') {
        sendError(res, 400, 'ThrottlingException', 'Rate exceeded: injected fault (--faults events)');
        return;
      }
      if (fault === 'server-error') {
        sendError(res, 500, 'InternalException', 'Internal error: injected fault (--faults events)');
        return;
      }
      const answer = await options.putEvents(request);
      if (fault === 'acted-then-timeout') {
        // The events are on the bus; the sender sees its connection drop and cannot know that.
        res.destroy();
        return;
      }
      send(res, 200, answer);
    } catch (error) {
      if (error instanceof PutEventsRequestError) {
        sendError(res, 400, error.type, error.message);
        return;
      }
      sendError(res, 500, 'InternalException', error instanceof Error ? error.message : String(error));
    }
  });
};
