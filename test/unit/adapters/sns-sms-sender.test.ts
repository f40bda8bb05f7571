import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SnsSmsSender } from '#adapters/sns/sms-sender.js';
import { type OutgoingSms, SmsRetryableError } from '#core/ports.js';

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
    sender = new SnsSmsSender(new SNSClient({ region: 'eu-central-1' }), {
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
    ['InternalErrorException', 500, SmsRetryableError],
    ['InvalidParameterException', 400, Error],
  ])('a %s (HTTP %i) is %o', async (name, status, kind) => {
    // Prepare
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error(`SNS says ${name}`), { name, $metadata: { httpStatusCode: status } }));

    // Act
    const sending = sender.send(sms);

    // Assess
    await expect(sending).rejects.toThrow(kind);
    const error = await sending.catch((e: unknown) => e);
    expect(error instanceof SmsRetryableError).toBe(kind === SmsRetryableError);
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
