/**
 * The AWS services a handler's unit test answers from fake JSON endpoints (fake-aws-json.ts) other than
 * DynamoDB (fake-dynamodb.ts): SQS, Secrets Manager and EventBridge all speak the JSON protocol, whether a
 * function calls them through the SDK or through the signed JSON request, so a test that answers them on
 * the wire holds for either.
 */
import { createHash } from 'node:crypto';
import type { FakeAnswer, FakeAwsJson, ReceivedRequest } from './fake-aws-json.js';

/** The variable that points a service's client at an endpoint, as the SDK and aws-json-client.ts read it. */
const ENDPOINT_VARIABLES = {
  dynamodb: 'AWS_ENDPOINT_URL_DYNAMODB',
  sqs: 'AWS_ENDPOINT_URL_SQS',
  secretsManager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  eventBridge: 'AWS_ENDPOINT_URL_EVENTBRIDGE',
} as const;

/**
 * What a function needs in its environment to reach the fakes: each service's endpoint, and credentials
 * to sign with (read from the environment, as on Lambda). Stub them before the handler is imported: its
 * clients are built at load.
 */
export const fakeAwsEnvironment = (
  fakes: Partial<Record<keyof typeof ENDPOINT_VARIABLES, FakeAwsJson>>,
): Readonly<Record<string, string>> => ({
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  ...Object.fromEntries(
    Object.entries(fakes).map(([service, fake]) => [
      ENDPOINT_VARIABLES[service as keyof typeof ENDPOINT_VARIABLES],
      fake.url,
    ]),
  ),
});

const md5Hex = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

/** SQS taking every message, with the body's MD5 a client checks (the SDK and sqs.ts alike). */
export const sqsAccepts = (request: ReceivedRequest): FakeAnswer => ({
  body: {
    MessageId: 'm-1',
    MD5OfMessageBody: md5Hex(String(request.body.MessageBody ?? '')),
  },
});

/**
 * A queue's URL on the fake SQS, as the local stack's queues are: the SDK's SQS client sends to the queue
 * URL's host whatever its endpoint says, the signed JSON request to the endpoint, so either way the message
 * arrives here rather than at AWS.
 */
export const queueUrlOn = (sqs: FakeAwsJson, queueName: string): string =>
  `${sqs.url}/123456789012/${queueName}`;

/** The SendMessage inputs SQS received, in order. */
export const sentMessages = (sqs: FakeAwsJson): Record<string, unknown>[] =>
  sqs.requests.filter((request) => request.operation === 'SendMessage').map((request) => request.body);

/** Secrets Manager holding one secret string under `arn`; any other id is not found. */
/** The phone-hash key the handler tests hold in their fake Secrets Manager (32 bytes or more, as the key must be). */
export const TEST_PHONE_HASH_SECRET = {
  arn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:peakline-test-phone-hash-key-AbCdEf',
  value: 'x7Qm2Lp9Vt4Rk8Ns1Wb6Yc3Hd5Jf0Gz7Ae2Xu9Mq4Tn8Ks1Pv6Rb3Lw5Hy0Cj7Dg',
} as const;

export const secretHeld =
  (arn: string, secretString: string) =>
  (request: ReceivedRequest): FakeAnswer =>
    request.operation === 'GetSecretValue' && request.body.SecretId === arn
      ? { body: { ARN: arn, SecretString: secretString } }
      : {
          status: 400,
          body: {
            __type: 'ResourceNotFoundException',
            message: "Secrets Manager can't find the specified secret.",
          },
        };

/** EventBridge taking every entry of a PutEvents. */
export const busAccepts = (request: ReceivedRequest): FakeAnswer => {
  const entries = Array.isArray(request.body.Entries) ? request.body.Entries : [];
  return {
    body: { FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `e-${i + 1}` })) },
  };
};

/** Every entry of every PutEvents the bus received, in order. */
export const putEntries = (bus: FakeAwsJson): Record<string, unknown>[] =>
  bus.requests
    .filter((request) => request.operation === 'PutEvents')
    .flatMap(
      (request) =>
        (Array.isArray(request.body.Entries) ? request.body.Entries : []) as Record<string, unknown>[],
    );
