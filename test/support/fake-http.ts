import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as it arrived: the protocol's fakes read it into what their tests look at. */
export interface RawRequest {
  readonly method: string;
  /** The request target: the path and the query, as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** What a fake answers: a status, headers and a body, or nothing at all (the connection hangs). */
export type HttpAnswer =
  | { readonly status?: number; readonly headers?: Readonly<Record<string, string>>; readonly text?: string }
  | 'hang';

export interface FakeHttp<Request> {
  readonly url: string;
  /** Every request received, as `read` made it, in order. */
  readonly requests: Request[];
  /** How every following request is answered. */
  answer(with_: (request: Request) => HttpAnswer | Promise<HttpAnswer>): void;
  close(): Promise<void>;
}

/**
 * A recording HTTP endpoint on loopback, the ground the AWS fakes stand on (fake-rest-json.ts, …): each
 * request is read by `read`, recorded, and answered by what the test said (`first` until told otherwise),
 * with a request id as AWS gives one.
 */
export const fakeHttp = async <Request>(
  read: (raw: RawRequest) => Request,
  first: (request: Request) => HttpAnswer | Promise<HttpAnswer>,
): Promise<FakeHttp<Request>> => {
  const requests: Request[] = [];
  let answerOf = first;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received = read({
        method: request.method ?? '',
        url: request.url ?? '/',
        headers: request.headers,
        text: Buffer.concat(chunks).toString('utf8'),
      });
      requests.push(received);
      const requestId = `fake-${requests.length}`;
      void Promise.resolve(answerOf(received)).then(
        (answer) => {
          if (answer === 'hang') return;
          response.writeHead(answer.status ?? 200, { 'x-amzn-requestid': requestId, ...answer.headers });
          response.end(answer.text ?? '');
        },
        (error: unknown) => {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end(`the fake failed to answer: ${String(error)}`);
        },
      );
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
