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
  documentInputs,
  nothingStored,
  throughputExceeded,
} from '#test/support/fake-dynamodb.js';
import { metricTotals } from '#test/support/emf.js';

const TABLE = 'peakline-test-orders';
// DynamoDB (the orders table), SQS (the rejected-events queue) and Secrets Manager on loopback, each
// reached through its AWS_ENDPOINT_URL_<SERVICE>.
let dynamo: FakeAwsJson;
let sqs: FakeAwsJson;
let secrets: FakeAwsJson;
const updates = () => documentInputs(dynamo, 'UpdateItem');
const { arn: SECRET_ARN, value: SECRET } = TEST_PHONE_HASH_SECRET;
/** The sample's customer. */
const PHONE = '+48601234567';

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
  vi.stubEnv('ORDERS_TABLE_NAME', TABLE);
  vi.stubEnv('REJECTED_EVENTS_QUEUE_URL', queueUrlOn(sqs, 'peakline-test-rejected-events'));
  vi.stubEnv('ORDER_INDEX_RETENTION_DAYS', '30');
  vi.stubEnv('MAX_ORDERS_PER_PHONE', '5');
  vi.stubEnv('CONTACT_CENTRE_TIME_ZONE', 'Europe/Warsaw');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'peakline-order-index');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'peakline');
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'peakline-test-order-index');
  vi.stubEnv('PHONE_HASH_KEY_SECRET_ARN', SECRET_ARN);
  ({ handler } = await import('#functions/order-index/handler.js'));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([dynamo.close(), sqs.close(), secrets.close()]);
});

beforeEach(() => {
  // The handler runs on the system clock: here the moment the sample's status changed, so the retention
  // counts from the change (as it does for an event that arrives when it happens) whatever today's date.
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-11-29T15:20:03Z') });
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
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const context = () => structuredClone(lambdaContext) as unknown as Context;

describe('order-index handler', () => {
  it('writes the order under the keyed hash of the phone from the secret, and logs the phone masked only', async () => {
    // Prepare: the sample order is new to the phone (the table holds nothing: no older orders to trim).
    dynamo.answer(nothingStored);

    // Act
    const result = await handler(
      { Records: [sqsRecord(deliveredSample('order-status-changed'))] },
      context(),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const [update] = updates();
    expect(update?.TableName).toBe(TABLE);
    expect(update?.Key).toEqual({
      phoneKey: keyedPhoneHash(Buffer.from(SECRET, 'utf8'), phoneHash(PHONE)),
      orderId: 'PL-2025-118734',
    });
    expect(update?.ExpressionAttributeValues).toMatchObject({
      ':status': 'SHIPPED',
      ':changedAt': '2025-11-29T15:20:03.000Z',
      ':expiresAt': Date.parse('2025-12-29T15:20:03Z') / 1000,
    });
    expect(metricTotals(output)).toMatchObject({ OrderIndexRecorded: 1 });
    const logged = output.join('');
    expect(logged).toContain('+48*****4567');
    expect(logged).not.toContain(PHONE.slice(1));
    expect(logged).not.toContain(phoneHash(PHONE));
  });

  it('counts an event older than the kept status as stale, with no second write when it brings nothing', async () => {
    // Prepare: the kept entry is DELIVERED, later, with the same details.
    const kept = {
      phoneKey: 'k1.x',
      orderId: 'PL-2025-118734',
      status: 'DELIVERED',
      changedAt: '2025-12-01T10:00:00.000Z',
      carrier: 'InPost',
      trackingUrl: 'https://inpost.pl/sledzenie-przesylek?number=620123456789012345678901',
      estimatedDelivery: '2025-12-01',
      language: 'pl',
      timeZone: 'Europe/Warsaw',
      smsConsent: true,
      expiresAt: Date.parse('2025-12-31T10:00:00Z') / 1000,
    };
    dynamo.answer((request) =>
      request.operation === 'UpdateItem' ? conditionalCheckFailed('refused', kept) : nothingStored(request),
    );

    // Act
    const result = await handler(
      { Records: [sqsRecord(deliveredSample('order-status-changed'))] },
      context(),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(updates()).toHaveLength(1);
    expect(metricTotals(output)).toMatchObject({ OrderIndexStale: 1 });
  });

  it('gives a throttled write back as a batch item failure, and a malformed event to the rejected events', async () => {
    // Prepare
    // Throttled at every attempt: the client's own retries (three attempts) do not get it through.
    dynamo.answer((request) =>
      request.operation === 'UpdateItem' ? throughputExceeded() : nothingStored(request),
    );
    const good = sqsRecord(deliveredSample('order-status-changed'));

    // Act
    const result = await handler({ Records: [good, sqsRecord('not json')] }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: good.messageId }] });
    const bodies = sentMessages(sqs).map((message) => JSON.parse(String(message.MessageBody)));
    expect(bodies).toEqual([
      { reason: 'the message body is not JSON', refusedBy: 'order-index', event: 'not json' },
    ]);
    expect(metricTotals(output)).toMatchObject({ EventsDeadLettered: 1 });
  });
});
