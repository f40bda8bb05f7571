import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake received it. */
export interface ReceivedRequest {
  /** The operation, from `X-Amz-Target` (`GetItem`, `Query`, `SendMessage`). */
  readonly operation: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** What the fake answers: a JSON body with a status, or nothing at all (the connection hangs). */
export type FakeAnswer = { readonly status?: number; readonly body: unknown } | 'hang';

export interface FakeAwsJson {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** How every following request is answered. */
  answer(with_: (request: ReceivedRequest) => FakeAnswer): void;
  close(): Promise<void>;
}

/** An AWS error answer as the JSON protocol sends it. */
export const awsError = (status: number, code: string, message: string): FakeAnswer => ({
  status,
  body: { __type: `com.amazonaws.dynamodb.v20120810#${code}`, message },
});

/**
 * An AWS JSON-protocol endpoint on loopback (DynamoDB, SQS, Secrets Manager alike): records each request
 * and answers what the test says, `{}` until told otherwise.
 */
export const fakeAwsJson = async (): Promise<FakeAwsJson> => {
  const requests: ReceivedRequest[] = [];
  let answerOf: (request: ReceivedRequest) => FakeAnswer = () => ({ body: {} });
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const target = String(request.headers['x-amz-target'] ?? '');
      const received: ReceivedRequest = {
        operation: target.slice(target.indexOf('.') + 1),
        headers: request.headers,
        body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      };
      requests.push(received);
      const answer = answerOf(received);
      if (answer === 'hang') return;
      response.writeHead(answer.status ?? 200, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': `fake-${requests.length}`,
      });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answer: (with_) => {
      answerOf = with_;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
