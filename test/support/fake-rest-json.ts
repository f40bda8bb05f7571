import type { IncomingHttpHeaders } from 'node:http';
import { type FakeHttp, fakeHttp, type HttpAnswer, type RawRequest } from './fake-http.js';

/** One request as a REST-JSON fake received it. */
export interface RestRequest {
  readonly method: string;
  /** The path as sent (still percent-encoded), without the query. */
  readonly path: string;
  /** Each query parameter's values, decoded, in the order sent. */
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly headers: IncomingHttpHeaders;
  /** The body parsed as JSON; undefined when there was none. */
  readonly body: unknown;
}

/** What the fake answers: a status, headers, and a body sent as JSON (nothing when undefined), or as `text`. */
export interface RestAnswer {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** The body as it is, instead of `body` as JSON (an answer that is not JSON). */
  readonly text?: string;
}

export interface FakeRestJson {
  readonly url: string;
  readonly requests: RestRequest[];
  /** How every following request is answered (`{}` with a 200 until told otherwise). */
  answer(with_: (request: RestRequest) => RestAnswer | Promise<RestAnswer>): void;
  close(): Promise<void>;
}

/** A REST-JSON error answer, as AWS sends one: the code in `x-amzn-errortype`, the message in the body. */
export const restJsonError = (status: number, code: string, message: string): RestAnswer => ({
  status,
  headers: { 'x-amzn-errortype': `${code}:http://internal.amazon.com/coral/com.amazonaws.connect/` },
  body: { message },
});

const readRest = ({ method, url, headers, text }: RawRequest): RestRequest => {
  const queryAt = url.indexOf('?');
  const query: Record<string, string[]> = {};
  if (queryAt >= 0) {
    for (const [name, value] of new URLSearchParams(url.slice(queryAt + 1))) (query[name] ??= []).push(value);
  }
  return {
    method,
    path: queryAt >= 0 ? url.slice(0, queryAt) : url,
    query,
    headers,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
};

const onTheWire = async (answer: RestAnswer | Promise<RestAnswer>): Promise<HttpAnswer> => {
  const { status, headers, body, text } = await answer;
  return {
    ...(status === undefined ? {} : { status }),
    headers: { 'content-type': 'application/json', ...headers },
    text: text ?? (body === undefined ? '' : JSON.stringify(body)),
  };
};

/**
 * A REST-JSON endpoint on loopback (Amazon Connect's protocol): records each request, method, path, query
 * and JSON body, and answers what the test says.
 */
export const fakeRestJson = async (): Promise<FakeRestJson> => {
  const http: FakeHttp<RestRequest> = await fakeHttp(readRest, () => onTheWire({ body: {} }));
  return {
    url: http.url,
    requests: http.requests,
    answer: (with_) => http.answer((request) => onTheWire(with_(request))),
    close: () => http.close(),
  };
};
