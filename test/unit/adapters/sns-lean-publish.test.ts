import { type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishOver, snsQueryClient } from '#adapters/sns/lean-publish.js';
import { SNS_MAX_ATTEMPTS } from '#adapters/sns/publish.js';
import { sdkSnsPublish } from '#adapters/sns/sdk-publish.js';
import {
  type FakeAwsQuery,
  fakeAwsQuery,
  publishAnswer,
  publishInputOf,
  queryError,
} from '#test/support/fake-aws-query.js';

const REGION = 'eu-central-1';
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session-token' };
const TOPIC = 'arn:aws:sns:eu-central-1:123456789012:peakline-test-ops';

/** The inputs peakline publishes, and the characters a form body must carry safely. */
const INPUTS: ReadonlyArray<readonly [string, PublishCommandInput]> = [
  [
    'a transactional SMS with both message attributes',
    {
      PhoneNumber: '+48601234567',
      Message: 'Sklep Peak: zamówienie PL-1 wysłane.',
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'PEAKSHOP' },
      },
    },
  ],
  [
    'a topic message with a subject',
    {
      TopicArn: TOPIC,
      Subject: 'peakline: primary queue NORMAL -> OVERFLOW',
      Message: 'The primary queue went from NORMAL to OVERFLOW.\nCallers are routed to the second line.',
    },
  ],
  [
    'unicode and emoji',
    {
      PhoneNumber: '+48601234567',
      Message: 'Zażółć gęślą jaźń 🚚📦 — dostawa jutro ✓ 日本語',
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      },
    },
  ],
  [
    'characters a form encodes, line breaks, and what XML escapes',
    {
      TopicArn: TOPIC,
      Subject: "a&b=c+d%20e !'()* ~_.-",
      Message: 'a&b=c+d%e?f#g/h\r\nline 2\n\ttab <x> "q" \'s\' & ; =',
      MessageAttributes: {
        'key & = +': { DataType: 'String', StringValue: '100% + 1 = 2&3' },
        binary: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 250, 255]) },
      },
    },
  ],
];

const [[, SMS_INPUT]] = INPUTS as readonly [readonly [string, PublishCommandInput]];

/** The SDK's SNS client and the lean one, each to the fake: the same call through both carriers. */
const carriers = (fake: FakeAwsQuery) => {
  const sdk = new SNSClient({
    region: REGION,
    endpoint: fake.url,
    credentials: CREDENTIALS,
    maxAttempts: SNS_MAX_ATTEMPTS,
  });
  const lean = snsQueryClient({ region: REGION, endpoint: fake.url, credentials: CREDENTIALS });
  return {
    sdk: sdkSnsPublish(sdk),
    lean: publishOver(lean),
    destroy: () => {
      sdk.destroy();
      lean.destroy();
    },
  };
};

/** What a caller can tell of an error: its name, status, fault and message. */
const described = (error: unknown) => {
  const e = error as Error & { $metadata?: { httpStatusCode?: number }; $fault?: string };
  return {
    isError: e instanceof Error,
    name: e.name,
    status: e.$metadata?.httpStatusCode,
    fault: e.$fault,
    message: e.message,
  };
};

describe('SNS Publish on the signed query request, against the SDK on the same endpoint', () => {
  let fake: FakeAwsQuery;
  let clients: ReturnType<typeof carriers>;

  beforeEach(async () => {
    fake = await fakeAwsQuery();
    clients = carriers(fake);
  });

  afterEach(async () => {
    clients.destroy();
    await fake.close();
  });

  it.each(INPUTS)('sends %s as the same form parameters and reads the same MessageId', async (_, input) => {
    // Prepare
    fake.answer(() => publishAnswer('567910cd-659e-55d4-8ccb-5aaf14679dc0'));

    // Act
    const bySdk = await clients.sdk(input);
    const byLean = await clients.lean(input);

    // Assess: the same parameters, and they carry the input unchanged.
    const [sdkRequest, leanRequest] = fake.requests;
    expect(fake.requests).toHaveLength(2);
    expect(leanRequest?.parameters).toEqual(sdkRequest?.parameters);
    expect(leanRequest?.parameters).toMatchObject({ Action: 'Publish', Version: '2010-03-31' });
    expect(leanRequest && publishInputOf(leanRequest)).toEqual(input);
    expect(byLean.MessageId).toBe('567910cd-659e-55d4-8ccb-5aaf14679dc0');
    expect(byLean.MessageId).toBe(bySdk.MessageId);
  });

  it('signs a form POST for sns in the region, with the session token', async () => {
    // Act
    await clients.lean(SMS_INPUT);

    // Assess
    const headers = fake.requests[0]?.headers;
    expect(headers?.['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
    expect(headers?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/sns\/aws4_request, /,
    );
    expect(headers?.['x-amz-security-token']).toBe('session-token');
  });

  it.each([
    [400, 'Throttling', 'Rate exceeded', 'Throttling'],
    [429, 'Throttled', 'Rate exceeded', 'ThrottledException'],
    [
      400,
      'InvalidParameter',
      'Invalid parameter: PhoneNumber Reason: +48 is not valid',
      'InvalidParameterException',
    ],
    [
      403,
      'AuthorizationError',
      'User is not authorized to perform: SNS:Publish',
      'AuthorizationErrorException',
    ],
    [500, 'InternalError', 'Internal error & <retry>', 'InternalErrorException'],
  ])(
    'an answer %i %s: the same error on both sides (%s), after one attempt each',
    async (status, code, message, name) => {
      // Prepare
      fake.answer(() => queryError(status, code, message));

      // Act
      const bySdk = await clients.sdk(SMS_INPUT).catch((error: unknown) => error);
      const byLean = await clients.lean(SMS_INPUT).catch((error: unknown) => error);

      // Assess
      expect(described(byLean)).toEqual(described(bySdk));
      expect(described(byLean)).toMatchObject({ isError: true, name, status, message });
      expect(fake.requests).toHaveLength(2);
    },
  );

  it('never sends a Publish twice: a lost answer is one attempt and a timeout error', async () => {
    // Prepare
    const hasty = snsQueryClient({
      region: REGION,
      endpoint: fake.url,
      credentials: CREDENTIALS,
      attemptTimeoutMs: 50,
    });
    fake.answer(() => 'hang');

    // Act
    const error = await publishOver(hasty)(SMS_INPUT).catch((e: unknown) => e);

    // Assess
    hasty.destroy();
    expect(described(error)).toMatchObject({ name: 'TimeoutError', status: undefined, fault: 'server' });
    expect(fake.requests).toHaveLength(1);
  });

  it('refuses a success it cannot read rather than guess a MessageId, without sending again', async () => {
    // Prepare
    fake.answer(() => ({ xml: '<PublishResponse><PublishResult><MessageId>m-1</PublishResult>' }));

    // Act
    const error = await clients.lean(SMS_INPUT).catch((e: unknown) => e);

    // Assess
    expect(described(error)).toMatchObject({ name: 'SerializationError', status: 200 });
    expect(fake.requests).toHaveLength(1);
  });
});
