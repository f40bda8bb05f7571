import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { keyedPhoneHash } from '#adapters/dynamodb/suppression-store.js';
import { phoneHash } from '#core/phone.js';
import lambdaContext from '#test/fixtures/lambda-context.json' with { type: 'json' };
import { deliveredSample, sqsRecord } from '#test/support/events.js';
import { type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';
import {
  fakeAwsEnvironment,
  queueUrlOn,
  secretHeld,
  sentMessages,
  sqsAccepts,
  TEST_PHONE_HASH_SECRET,
} from '#test/support/fake-aws-services.js';
import {
  conditionalCheckFailed,
  documentInput,
  documentInputs,
  nothingStored,
  throughputExceeded,
} from '#test/support/fake-dynamodb.js';

// DynamoDB (the suppression table), SQS (the rejected-events queue) and Secrets Manager on loopback, each
// reached through its AWS_ENDPOINT_URL_<SERVICE>.
let dynamo: FakeAwsJson;
let sqs: FakeAwsJson;
/** The rejected-events queue, on the fake SQS. */
let queueUrl: string;
// Never cleared: the key is read once per container, and the count of reads across the file is the proof.
let secrets: FakeAwsJson;
const puts = () => documentInputs(dynamo, 'PutItem');
const { arn: SECRET_ARN, value: SECRET } = TEST_PHONE_HASH_SECRET;
const storedKey = (phone: string) => keyedPhoneHash(Buffer.from(SECRET, 'utf8'), phoneHash(phone));

let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let output: string[];

beforeAll(async () => {
  [dynamo, sqs, secrets] = await Promise.all([fakeAwsJson(), fakeAwsJson(), fakeAwsJson()]);
  secrets.answer(secretHeld(SECRET_ARN, SECRET));
  for (const [name, value] of Object.entries(
    fakeAwsEnvironment({ dynamodb: dynamo, sqs, secretsManager: secrets }),
  )) {
    vi.stubEnv(name, value);
  }
  vi.stubEnv('SUPPRESSION_TABLE_NAME', 'peakline-test-suppression');
  queueUrl = queueUrlOn(sqs, 'peakline-test-rejected-events');
  vi.stubEnv('REJECTED_EVENTS_QUEUE_URL', queueUrl);
  vi.stubEnv('SUPPRESSION_RETENTION_DAYS', '1095');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'peakline-customer-opt-out');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'peakline');
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'peakline-test-customer-opt-out');
  vi.stubEnv('PHONE_HASH_KEY_SECRET_ARN', SECRET_ARN);
  ({ handler } = await import('#functions/customer-opt-out/handler.js'));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([dynamo.close(), sqs.close(), secrets.close()]);
});

beforeEach(() => {
  dynamo.requests.length = 0;
  dynamo.answer(nothingStored);
  sqs.requests.length = 0;
  sqs.answer(sqsAccepts);
  output = [];
  // Everything Powertools logs and every EMF blob goes to stdout: that is what CloudWatch would keep.
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const context = () => structuredClone(lambdaContext) as unknown as Context;

const optOut = (phone: string) => {
  const event = deliveredSample('customer-opted-out');
  (event.detail.customer as { phone: string }).phone = phone;
  event.detail.at = '2026-11-27T19:30:00+01:00';
  return event;
};

describe('customer-opt-out handler', () => {
  it('writes the exact suppression item, keyed by the secret-keyed hash of the phone', async () => {
    // Prepare
    const event = optOut('+48601234567');

    // Act
    const result = await handler({ Records: [sqsRecord(event)] }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(puts()).toEqual([
      {
        TableName: 'peakline-test-suppression',
        Item: {
          phoneHash: storedKey('+48601234567'),
          channel: 'sms',
          optedOutAt: '2026-11-27T18:30:00.000Z',
          sourceEventId: event.id,
          expiresAt: Date.parse('2026-11-27T18:30:00Z') / 1000 + 1095 * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(phoneHash) OR optedOutAt < :at',
        ExpressionAttributeValues: { ':at': '2026-11-27T18:30:00.000Z' },
      },
    ]);
  });

  it('counts an older opt-out than the stored one as done, not as a failure', async () => {
    // Prepare
    dynamo.answer(() => conditionalCheckFailed('newer exists'));

    // Act
    const result = await handler({ Records: [sqsRecord(optOut('+48601234567'))] }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
  });

  it('sends a malformed event to the rejected-events queue with its reason, and acknowledges it', async () => {
    // Prepare
    const event = optOut('601 234 567');
    const record = sqsRecord(event);

    // Act
    const result = await handler({ Records: [record] }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(puts()).toHaveLength(0);
    const reason =
      'detail.customer.phone: expected an E.164 phone number such as +48601234567 (got "60* *** *67")';
    expect(sentMessages(sqs)).toEqual([
      {
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify({ reason, refusedBy: 'customer-opt-out', event }),
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: reason },
          refusedBy: { DataType: 'String', StringValue: 'customer-opt-out' },
        },
      },
    ]);
  });

  it('returns only a throttled record to the queue, and keeps the others', async () => {
    // Prepare
    const phones = ['+48601000001', '+48601000002', '+48601000003'];
    // Throttled at every attempt: the client's own retries (three attempts) do not get it through.
    dynamo.answer((request) =>
      documentInput(request).Item?.phoneHash === storedKey('+48601000002')
        ? throughputExceeded()
        : nothingStored(request),
    );
    const records = phones.map((p) => sqsRecord(optOut(p)));

    // Act
    const result = await handler({ Records: records }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]?.messageId }] });
    // Each record written (the throttled one as often as the client tried it), the one after it too.
    expect([...new Set(puts().map((put) => put.Item?.phoneHash))]).toEqual(phones.map(storedKey));
  });

  it('never writes a phone number in clear to the logs', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    const records = [sqsRecord(optOut('+48601234567')), sqsRecord(optOut('601234567'))];

    // Act
    await handler({ Records: records }, context());

    // Assess
    const logs = output.join('');
    expect(logs).toContain('opt-out recorded');
    expect(logs).toContain('+48*****4567');
    expect(logs).not.toMatch(/601234567|601 ?234 ?567/);
  });

  it('reads the phone-hash key from Secrets Manager once, however many invocations follow', async () => {
    // Act: three invocations of the same container (earlier tests in this file invoked it too).
    for (const phone of ['+48601000011', '+48601000012', '+48601000013']) {
      await handler({ Records: [sqsRecord(optOut(phone))] }, context());
    }

    // Assess
    expect(secrets.requests.filter((r) => r.operation === 'GetSecretValue').map((r) => r.body)).toEqual([
      { SecretId: SECRET_ARN },
    ]);
    expect(puts().map((put) => put.Item?.phoneHash)).toEqual(
      ['+48601000011', '+48601000012', '+48601000013'].map(storedKey),
    );
    expect(output.join('')).not.toContain(SECRET);
  });
});
