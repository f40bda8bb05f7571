/**
 * SQS's JSON protocol (AWS JSON 1.0, `AmazonSQS.<Operation>`) on the signed request: what a function that
 * only ever sends a message needs, without @aws-sdk/client-sqs (about 25-30 ms of load at each cold start
 * on the benchmark's machine, and more at the first call).
 */
import { createHash } from 'node:crypto';
import { AwsJsonClient, type ServiceClientOptions, standardRetryDelayMs } from './aws-json-client.js';

export type SqsOptions = ServiceClientOptions;

/**
 * An SQS client on the signed JSON request. Its defaults are the SDK client's: three attempts with the
 * standard jittered backoff between them; a caller on the line asks for fewer and shorter ones.
 */
export const sqsJsonClient = (options: SqsOptions = {}): AwsJsonClient =>
  new AwsJsonClient({
    service: { serviceId: 'SQS', endpointPrefix: 'sqs' },
    signingName: 'sqs',
    targetPrefix: 'AmazonSQS',
    jsonVersion: '1.0',
    maxAttempts: 3,
    retryDelayMs: standardRetryDelayMs,
    ...options,
  });

/**
 * The SQS client of a function a caller waits on (the deflection and order-status functions, inside the
 * contact flow): two tries, each cut short, no backoff between them (the caller is waiting for the goodbye).
 */
export const callerSqsClient = (options: SqsOptions = {}): AwsJsonClient =>
  sqsJsonClient({
    maxAttempts: 2,
    connectionTimeoutMs: 500,
    attemptTimeoutMs: 1_500,
    retryDelayMs: () => 0,
    ...options,
  });

/** A message attribute as SendMessage takes it (only the string ones are sent here). */
export interface StringMessageAttribute {
  readonly DataType: 'String';
  readonly StringValue: string;
}

/** SendMessage's input, the members peakline sends (named as the API and the SDK name them). */
export interface SendMessageInput {
  readonly QueueUrl: string;
  readonly MessageBody: string;
  readonly MessageAttributes?: Readonly<Record<string, StringMessageAttribute>>;
}

export interface SendMessageOutput {
  readonly MessageId?: string;
  readonly MD5OfMessageBody?: string;
}

const md5Hex = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

/**
 * Sends one message. The body's MD5 SQS answers is checked, as the SDK checks it: a message altered on the
 * way is not taken as sent (and, as with the SDK, not sent again: the queue may hold it already).
 */
export const sendMessage = async (
  sqs: AwsJsonClient,
  input: SendMessageInput,
): Promise<SendMessageOutput> => {
  const answer = await sqs.call<SendMessageOutput>('SendMessage', input);
  const expected = md5Hex(input.MessageBody);
  if (answer.MD5OfMessageBody !== expected) {
    throw new Error(`SendMessage: SQS answered the MD5 ${String(answer.MD5OfMessageBody)}, not ${expected}`);
  }
  return answer;
};
