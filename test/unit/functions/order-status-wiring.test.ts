import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretsManagerJsonClient, secretStringReader } from '#adapters/signed-json/secrets-manager.js';
import { callerSqsClient } from '#adapters/signed-json/sqs.js';
import { enqueueOn } from '#functions/order-status/wiring.js';
import { type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';

const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-test-deflection-sms';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const REQUEST = { kind: 'tracking', contactId: 'c-1', phone: '+48601234567', orderId: 'PL-1' } as const;
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

let fake: FakeAwsJson;
beforeEach(async () => {
  fake = await fakeAwsJson();
});
afterEach(async () => {
  await fake.close();
});

describe('the tracking link onto the caller-SMS queue (SQS JSON protocol)', () => {
  it('sends the request as the message body to the queue', async () => {
    // Prepare
    fake.answer((request) => ({
      body: { MessageId: 'm-1', MD5OfMessageBody: md5(String(request.body.MessageBody)) },
    }));
    const sqs = callerSqsClient({ endpoint: fake.url, region: 'eu-central-1', credentials: CREDENTIALS });

    // Act
    await enqueueOn(sqs, QUEUE_URL)(REQUEST);
    sqs.destroy();

    // Assess
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.headers['x-amz-target']).toBe('AmazonSQS.SendMessage');
    expect(fake.requests[0]?.body).toEqual({ QueueUrl: QUEUE_URL, MessageBody: JSON.stringify(REQUEST) });
  });

  it('does not take a message as queued when SQS answers another body’s MD5', async () => {
    // Prepare
    fake.answer(() => ({ body: { MessageId: 'm-1', MD5OfMessageBody: md5('something else') } }));
    const sqs = callerSqsClient({ endpoint: fake.url, region: 'eu-central-1', credentials: CREDENTIALS });

    // Act
    const outcome = await enqueueOn(sqs, QUEUE_URL)(REQUEST).catch((error: unknown) => error);
    sqs.destroy();

    // Assess
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(/^SendMessage: SQS answered the MD5/);
  });

  it('passes on SQS’s refusal by its code', async () => {
    // Prepare
    fake.answer(() => ({
      status: 400,
      body: { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
    }));
    const sqs = callerSqsClient({ endpoint: fake.url, region: 'eu-central-1', credentials: CREDENTIALS });

    // Act
    const outcome = await enqueueOn(sqs, QUEUE_URL)(REQUEST).catch((error: unknown) => error);
    sqs.destroy();

    // Assess
    expect(outcome).toMatchObject({
      name: 'QueueDoesNotExist',
      message: 'The specified queue does not exist.',
    });
  });
});

describe('the phone-hash secret through Secrets Manager’s JSON protocol', () => {
  it('reads the secret string by its ARN', async () => {
    // Prepare
    fake.answer((request) => ({ body: { ARN: request.body.SecretId, SecretString: 'k'.repeat(64) } }));
    const client = secretsManagerJsonClient({
      endpoint: fake.url,
      region: 'eu-central-1',
      credentials: CREDENTIALS,
    });

    // Act
    const secret = await secretStringReader(client)('arn:aws:secretsmanager:eu-central-1:1:secret:key');
    client.destroy();

    // Assess
    expect(secret).toBe('k'.repeat(64));
    expect(fake.requests[0]?.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(fake.requests[0]?.headers['content-type']).toBe('application/x-amz-json-1.1');
  });
});
