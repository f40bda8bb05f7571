import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqsDeadLetterSink } from '#adapters/sqs/dead-letter-queue.js';
import { rejectedEventsQueue } from '#adapters/sqs/rejected-events.js';
import { sqsJsonClient } from '#adapters/signed-json/sqs.js';
import type { DeadLetter } from '#core/ports.js';
import { awsError, type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';
import { sentMessages, sqsAccepts } from '#test/support/fake-aws-services.js';

const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-test-rejected-events';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const letter: DeadLetter = {
  reason: 'the message body is not JSON',
  refusedBy: 'order-index',
  event: 'not json',
};

let fake: FakeAwsJson;
beforeAll(async () => {
  fake = await fakeAwsJson();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.answer(sqsAccepts);
});
afterEach(() => vi.unstubAllEnvs());

/** The sink on the fake, with no wait between attempts (the backoff's length is not what is tested). */
const sink = (maxAttempts?: number) =>
  new SqsDeadLetterSink(
    sqsJsonClient({
      endpoint: fake.url,
      region: 'eu-central-1',
      credentials,
      retryDelayMs: () => 0,
      ...(maxAttempts === undefined ? {} : { maxAttempts }),
    }),
    QUEUE_URL,
  );

describe('SqsDeadLetterSink', () => {
  it('sends the refused event with its reason in the body and as message attributes', async () => {
    // Act
    await sink().put(letter);

    // Assess: the request SQS receives, as the SDK's SendMessageCommand sent it
    expect(fake.requests.map((r) => r.headers['x-amz-target'])).toEqual(['AmazonSQS.SendMessage']);
    expect(fake.requests[0]?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(fake.requests[0]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/eu-central-1\/sqs\/aws4_request/,
    );
    expect(sentMessages(fake)).toEqual([
      {
        QueueUrl: QUEUE_URL,
        MessageBody: JSON.stringify({
          reason: 'the message body is not JSON',
          refusedBy: 'order-index',
          event: 'not json',
        }),
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: 'the message body is not JSON' },
          refusedBy: { DataType: 'String', StringValue: 'order-index' },
        },
      },
    ]);
  });

  it('keeps the whole reason in the body and its first 1024 characters in the attribute', async () => {
    // Prepare
    const reason = `detail.customer.phone: ${'x'.repeat(2_000)}`;

    // Act
    await sink().put({ ...letter, reason });

    // Assess
    const [sent] = sentMessages(fake);
    expect(JSON.parse(String(sent?.MessageBody))).toMatchObject({ reason });
    expect(sent?.MessageAttributes).toMatchObject({
      reason: { DataType: 'String', StringValue: reason.slice(0, 1024) },
    });
  });

  it('tries three times when SQS fails, as the SDK client did, and succeeds on the third', async () => {
    // Prepare
    let attempts = 0;
    fake.answer((request) => {
      attempts += 1;
      return attempts < 3 ? awsError(500, 'InternalError', 'try again') : sqsAccepts(request);
    });

    // Act
    await sink().put(letter);

    // Assess
    expect(sentMessages(fake)).toHaveLength(3);
  });

  it('gives up after three attempts and says why, so the record is retried by its queue', async () => {
    // Prepare
    fake.answer(() => awsError(503, 'ServiceUnavailable', 'down'));

    // Act
    const outcome = await sink()
      .put(letter)
      .catch((error: unknown) => error);

    // Assess
    expect(outcome).toMatchObject({ name: 'ServiceUnavailable', message: 'down' });
    expect(sentMessages(fake)).toHaveLength(3);
  });

  it('does not retry a request SQS refuses', async () => {
    // Prepare
    fake.answer(() => awsError(400, 'QueueDoesNotExist', 'The specified queue does not exist.'));

    // Act
    const outcome = await sink()
      .put(letter)
      .catch((error: unknown) => error);

    // Assess
    expect(outcome).toMatchObject({ name: 'QueueDoesNotExist' });
    expect(sentMessages(fake)).toHaveLength(1);
  });

  it('does not take a message whose body SQS answers with another MD5 as sent', async () => {
    // Prepare
    fake.answer(() => ({ body: { MessageId: 'm-1', MD5OfMessageBody: '0'.repeat(32) } }));

    // Act
    const outcome = await sink()
      .put(letter)
      .catch((error: unknown) => error);

    // Assess
    expect(String(outcome)).toMatch(/SendMessage: SQS answered the MD5 0{32}/);
  });
});

describe('rejectedEventsQueue', () => {
  it('sends each letter to the queue, through the SQS endpoint the environment names', async () => {
    // Prepare: the function's environment, as Lambda (and the SDK's endpoint variable) gives it
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('AWS_ENDPOINT_URL_SQS', fake.url);
    const queue = rejectedEventsQueue(QUEUE_URL);

    // Act
    await queue.put(letter);
    await queue.put({ ...letter, event: 'still not json' });

    // Assess
    expect(sentMessages(fake).map((r) => [r.QueueUrl, JSON.parse(String(r.MessageBody))])).toEqual([
      [QUEUE_URL, letter],
      [QUEUE_URL, { ...letter, event: 'still not json' }],
    ]);
  });
});
