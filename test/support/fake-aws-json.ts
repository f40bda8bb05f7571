import type { IncomingHttpHeaders } from 'node:http';
import { fakeHttp, type HttpAnswer } from './fake-http.js';

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

/** An answer as the JSON protocol puts it on the wire. */
const onWire = (answer: FakeAnswer): HttpAnswer =>
  answer === 'hang'
    ? 'hang'
    : {
        status: answer.status ?? 200,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        text: JSON.stringify(answer.body),
      };

/**
 * An AWS JSON-protocol endpoint on loopback (DynamoDB, SQS, Secrets Manager alike): records each request
 * and answers what the test says, `{}` until told otherwise.
 */
export const fakeAwsJson = async (): Promise<FakeAwsJson> => {
  const http = await fakeHttp(
    ({ headers, text }): ReceivedRequest => {
      const target = String(headers['x-amz-target'] ?? '');
      return {
        operation: target.slice(target.indexOf('.') + 1),
        headers,
        body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      };
    },
    () => onWire({ body: {} }),
  );
  return { ...http, answer: (with_) => http.answer((request) => onWire(with_(request))) };
};
