import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AwsSignedClient } from '#adapters/signed-json/aws-json-client.js';
import { publishOver, snsQueryClient } from '#adapters/sns/lean-publish.js';
import type { SnsPublish } from '#adapters/sns/publish.js';
import { sdkSnsPublish } from '#adapters/sns/sdk-publish.js';
import { SnsSmsSender } from '#adapters/sns/sms-sender.js';
import { type OutgoingSms, SmsNotSentError, SmsRetryableError } from '#core/ports.js';
import {
  type FakeAwsQuery,
  fakeAwsQuery,
  publishAnswer,
  publishInputOf,
  queryError,
} from '#test/support/fake-aws-query.js';

const sns = mockClient(SNSClient);
const sms: OutgoingSms = {
  to: '+48601234567',
  body: 'Sklep Peak: zamówienie PL-1 wysłane.',
  kind: 'order-shipped',
  segments: 1,
  encoding: 'UCS-2',
  orderId: 'PL-1',
};

describe('SNS SMS sender', () => {
  let now: number;
  let slept: number[];
  let sender: SnsSmsSender;

  beforeEach(() => {
    sns.reset();
    now = 0;
    slept = [];
    sender = new SnsSmsSender(sdkSnsPublish(new SNSClient({ region: 'eu-central-1' })), {
      senderId: 'PEAKSHOP',
      partsPerSecond: 2,
      nowMs: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    });
  });

  it('publishes a transactional SMS to the phone number with the sender ID', async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });

    // Act
    const result = await sender.send(sms);

    // Assess
    expect(result).toEqual({ messageId: 'sns-1' });
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([
      {
        PhoneNumber: '+48601234567',
        Message: 'Sklep Peak: zamówienie PL-1 wysłane.',
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'PEAKSHOP' },
        },
      },
    ]);
  });

  it('turns throttling into a retryable error, and the next try succeeds', async () => {
    // Prepare
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottledException',
      $metadata: { httpStatusCode: 400 },
    });
    sns.on(PublishCommand).rejectsOnce(throttled).resolves({ MessageId: 'sns-2' });

    // Act
    const first = sender.send(sms);

    // Assess
    await expect(first).rejects.toThrow(SmsRetryableError);
    await expect(sender.send(sms)).resolves.toEqual({ messageId: 'sns-2' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  it.each([
    // SNS may have taken it: passed on as it is, so the caller never sends it again.
    ['InternalErrorException', 500, 'unknown'],
    ['TimeoutError', 0, 'unknown'],
    // SNS took nothing: the caller may give its claim back and retry.
    ['InvalidParameterException', 400, 'not sent'],
    ['ThrottlingException', 400, 'not sent'],
  ])('a %s (HTTP %i): outcome %s', async (name, status, outcome) => {
    // Prepare
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error(`SNS says ${name}`), { name, $metadata: { httpStatusCode: status } }));

    // Act
    const error = await sender.send(sms).catch((e: unknown) => e);

    // Assess
    expect(error instanceof SmsNotSentError).toBe(outcome === 'not sent');
    expect(error instanceof Error).toBe(true);
  });

  it("never sends a Publish twice: the functions' client makes one attempt, retries go through the queue", async () => {
    // Prepare: the Publish the functions get, built from the environment as on Lambda, against an
    // endpoint that always answers 500 (SNS may have taken the SMS).
    const fake = await fakeAwsQuery();
    fake.answer(() => queryError(500, 'InternalError', 'boom'));
    vi.stubEnv('AWS_ENDPOINT_URL_SNS', fake.url);
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.resetModules();
    const { getSnsPublish } = await import('#adapters/sns/shared-publish.js');

    // Act
    const real = new SnsSmsSender(getSnsPublish(), { senderId: 'PEAKSHOP', partsPerSecond: 1000 });
    const error = await real.send(sms).catch((e: unknown) => e);

    // Assess
    try {
      expect(error).toMatchObject({ name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } });
      expect(error instanceof SmsNotSentError).toBe(false);
      expect(fake.requests).toHaveLength(1);
    } finally {
      await fake.close();
      vi.unstubAllEnvs();
    }
  });

  it('paces parts to the configured rate', async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: 'x' });

    // Act: 2 parts per second; three 1-part SMS and one 3-part SMS.
    for (const segments of [1, 1, 1, 3]) await sender.send({ ...sms, segments });
    await sender.send(sms);

    // Assess: each part takes 500 ms of the rate; nothing is sent early.
    expect(slept).toEqual([500, 500, 500, 1500]);
  });
});

describe('SnsSmsSender on the lean Publish (what the functions deploy)', () => {
  let fake: FakeAwsQuery;
  let client: AwsSignedClient;
  let publish: SnsPublish;

  beforeEach(async () => {
    fake = await fakeAwsQuery();
    client = snsQueryClient({
      region: 'eu-central-1',
      endpoint: fake.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    publish = publishOver(client);
  });

  afterEach(async () => {
    client.destroy();
    await fake.close();
  });

  it.each([
    // SNS took nothing and said to slow down: back to the queue.
    [429, 'Throttled', 'retry later'],
    [400, 'Throttling', 'retry later'],
    // SNS refused it: nothing sent, not worth sending again as it is.
    [400, 'InvalidParameter', 'not sent'],
    // SNS may have taken it: neither, so the caller never sends it again.
    [500, 'InternalError', 'unknown'],
  ])('an answer %i %s: %s', async (status, code, outcome) => {
    // Prepare
    fake.answer(() => queryError(status, code, 'no'));
    const sender = new SnsSmsSender(publish, { senderId: 'PEAKSHOP', partsPerSecond: 1000 });

    // Act
    const error = await sender.send(sms).catch((e: unknown) => e);

    // Assess
    expect(error instanceof SmsRetryableError).toBe(outcome === 'retry later');
    expect(error instanceof SmsNotSentError).toBe(outcome !== 'unknown');
    expect(fake.requests).toHaveLength(1);
  });

  it('sends the SMS and answers the MessageId SNS gave it', async () => {
    // Prepare
    fake.answer(() => publishAnswer('sns-1'));
    const sender = new SnsSmsSender(publish, { senderId: 'PEAKSHOP', partsPerSecond: 1000 });

    // Act
    const result = await sender.send(sms);

    // Assess
    expect(result).toEqual({ messageId: 'sns-1' });
    expect(fake.requests.map(publishInputOf)).toEqual([
      {
        PhoneNumber: '+48601234567',
        Message: 'Sklep Peak: zamówienie PL-1 wysłane.',
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'PEAKSHOP' },
        },
      },
    ]);
  });
});
