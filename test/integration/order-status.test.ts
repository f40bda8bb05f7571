import { createHash, randomUUID } from 'node:crypto';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { ConnectContactFlowEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { LeanDynamoDb } from '#adapters/dynamodb/lean-dynamodb.js';
import { DynamoOrderIndex } from '#adapters/dynamodb/order-index.js';
import { DynamoOrderLedger } from '#adapters/dynamodb/order-ledger.js';
import { DynamoSuppressionStore } from '#adapters/dynamodb/suppression-store.js';
import { LOCAL_PHONE_HASH_KEY } from '#adapters/secrets/phone-hash-key.js';
import { sdkSnsPublish } from '#adapters/sns/sdk-publish.js';
import { SnsSmsSender } from '#adapters/sns/sms-sender.js';
import { NOT_FOUND_ANSWER } from '#core/orders/lookup.js';
import type { IndexedOrder, OrderStatusAnswer, TrackingLinkAnswer } from '#core/orders/types.js';
import { phoneHash } from '#core/phone.js';
import type { CallerSmsSenderDeps } from '#functions/deflection-sms/answer.js';
import { drainDeflections } from '#functions/deflection-sms-sender/drain.js';
import { answerOrderStatus } from '#functions/order-status/answer.js';
import { orderStatusPorts } from '#functions/order-status/wiring.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import invocation from '#test/fixtures/connect/order-status-invocation.json' with { type: 'json' };
import { localDocumentClient, tableName } from '#test/support/dynamodb.js';
import { type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';

const documents = localDocumentClient();
/** The order-status function's own reads: the signed request without the SDK, on DynamoDB Local. */
const lean = new LeanDynamoDb({
  endpoint: inject('dynamodbEndpoint'),
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
});
const sns = mockClient(SNSClient);
afterAll(() => {
  documents.destroy();
  lean.destroy();
});
afterEach(() => {
  sns.reset();
});

/** Black Friday, 21:30 in Warsaw (inside the default quiet hours, which a requested SMS ignores). */
const NOW = new Date('2026-11-27T20:30:00Z');
const clock = { now: () => NOW };
const EXPIRES = new Date('2026-12-27T20:30:00Z');

/** A Polish mobile number of its own per test, so the shared tables do not mix tests. */
const mobile = () => `+4860${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

const order = (overrides: Partial<IndexedOrder> = {}): IndexedOrder => ({
  orderId: `PL-${randomUUID().slice(0, 8)}`,
  status: 'SHIPPED',
  changedAt: '2026-11-26T09:15:00.000Z',
  carrier: 'DPD',
  trackingUrl: 'https://tracking.example.com/pl/abc123',
  estimatedDelivery: '2026-11-28',
  language: 'pl',
  timeZone: 'Europe/Warsaw',
  smsConsent: true,
  ...overrides,
});

const index = (table = tableName('orders'), now = clock.now) =>
  new DynamoOrderIndex(documents, table, { key: LOCAL_PHONE_HASH_KEY, maxOrdersPerPhone: 5, now });

/** Connect's invocation of the order-status function, cloned per test. */
const invoke = (
  action: string,
  phone: string,
  attributes: Record<string, string> = {},
): ConnectContactFlowEvent => {
  const event = structuredClone(invocation) as unknown as ConnectContactFlowEvent;
  event.Details.Parameters = { action };
  const contact = event.Details.ContactData as unknown as Record<string, unknown>;
  contact.ContactId = randomUUID();
  contact.CustomerEndpoint = { Address: phone, Type: 'TELEPHONE_NUMBER' };
  contact.Attributes = attributes;
  return event;
};

const recorder = () => {
  const counts: string[] = [];
  const logs: { message: string; fields: Record<string, unknown> }[] = [];
  return {
    counts,
    logs,
    record: {
      log: (message: string, fields: Record<string, unknown>) => void logs.push({ message, fields }),
      count: (metric: string) => void counts.push(metric),
    },
  };
};

describe('the lookup on the DynamoDB order index', () => {
  const lookupPorts = (table?: string) =>
    orderStatusPorts(
      {
        ORDERS_TABLE_NAME: table ?? tableName('orders'),
        ORDER_STATUS_MAX_ORDERS: 5,
        ORDER_LOOKUP_BUDGET_MS: 2_500,
        CALLER_SMS_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/q',
        CONTACT_CENTRE_TIME_ZONE: 'Europe/Warsaw',
      },
      { clock, reads: lean, key: LOCAL_PHONE_HASH_KEY, enqueue: async () => {} },
    );

  it('finds the caller’s order by the keyed hash of their number and tells it', async () => {
    // Prepare
    const phone = mobile();
    const told = order();
    await index().record(phoneHash(phone), told, EXPIRES);
    const r = recorder();

    // Act
    const answer = (await answerOrderStatus(
      invoke('lookup', phone),
      lookupPorts(),
      r.record,
    )) as OrderStatusAnswer;

    // Assess
    expect(answer).toMatchObject({
      found: 'true',
      orderId: told.orderId,
      status: 'SHIPPED',
      carrier: 'DPD',
      trackingUrl: told.trackingUrl,
      linkOffered: 'true',
      voice: 'Ola',
    });
    expect(answer.statusSsml).toContain('Wysłaliśmy je wczoraj przez DPD.');
    expect(r.counts).toEqual(['OrderStatusTold']);
  });

  it('answers "not found" for a number the index does not know', async () => {
    // Prepare
    const r = recorder();

    // Act
    const answer = await answerOrderStatus(invoke('lookup', mobile()), lookupPorts(), r.record);

    // Assess
    expect(answer).toEqual(NOT_FOUND_ANSWER);
    expect(r.counts).toEqual(['OrderStatusNotFound']);
  });

  it('fails open when the index table does not exist: "not found", counted, the caller goes on to the queue', async () => {
    // Prepare
    const r = recorder();

    // Act
    const answer = await answerOrderStatus(
      invoke('lookup', mobile()),
      lookupPorts('peakline-no-such-table'),
      r.record,
    );

    // Assess
    expect(answer).toEqual(NOT_FOUND_ANSWER);
    expect(r.counts).toEqual(['OrderStatusLookupFailed']);
    expect(String(r.logs[0]?.fields.error)).toContain('ResourceNotFoundException');
  });
});

describe('the tracking-link SMS, sent by the caller-SMS sender', () => {
  const world = () => {
    const published: { detailType: string; detail: Record<string, unknown> }[] = [];
    const deps: CallerSmsSenderDeps = {
      clock,
      ledger: new DynamoOrderLedger(documents, tableName('ledger'), 30, clock.now),
      suppression: new DynamoSuppressionStore(documents, tableName('suppression'), {
        key: LOCAL_PHONE_HASH_KEY,
      }),
      sender: new SnsSmsSender(sdkSnsPublish(new SNSClient({ region: 'eu-central-1' })), {
        senderId: 'PeakShop',
        partsPerSecond: 1_000,
      }),
      events: { publish: async (detailType, detail) => void published.push({ detailType, detail }) },
      index: index(),
      settings: {
        shopName: 'Sklep Peak',
        segmentCap: 3,
        dailySegmentCap: 10_000,
        fallbackTimeZone: 'Europe/Warsaw',
      },
    };
    return { deps, published, ...recorder() };
  };
  const queued = (phone: string, orderId: string, contactId = randomUUID(), messageId = randomUUID()) => ({
    messageId,
    body: JSON.stringify({ kind: 'tracking', contactId, phone, orderId }),
  });

  it('sends the order’s link in the customer’s language, once per call however often it is delivered', async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const w = world();
    const phone = mobile();
    const told = order();
    await index().record(phoneHash(phone), told, EXPIRES);
    const message = queued(phone, told.orderId);

    // Act: Connect ran send-link twice for the call, and SQS delivered one message twice
    const results = [
      await drainDeflections([message], w.deps, w.record),
      await drainDeflections([message], w.deps, w.record),
      await drainDeflections([{ ...message, messageId: 'another' }], w.deps, w.record),
    ];

    // Assess
    expect(results.map((r) => r.batchItemFailures)).toEqual([[], [], []]);
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      PhoneNumber: phone,
      Message: `Sklep Peak: zgodnie z prośbą, link do śledzenia zamówienia ${told.orderId}: https://tracking.example.com/pl/abc123`,
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'PeakShop' },
      },
    });
    expect(w.published.map((p) => [p.detailType, p.detail.kind, p.detail.reason])).toEqual([
      ['SmsSent', 'tracking', undefined],
      ['SmsSuppressed', 'tracking', 'already-sent'],
      ['SmsSuppressed', 'tracking', 'already-sent'],
    ]);
    expect(w.counts).toContain('TrackingSmsSent');
    expect(JSON.stringify(w.logs)).not.toContain(phone);
  });

  it.each([
    ['the customer gave no SMS consent', { smsConsent: false }, 'no-consent'],
    ['the order has no tracking link', { trackingUrl: undefined }, 'no-tracking-link'],
  ] as const)('sends nothing when %s', async (_, overrides, reason) => {
    // Prepare
    const w = world();
    const phone = mobile();
    const told = order(overrides);
    await index().record(phoneHash(phone), told, EXPIRES);

    // Act
    const result = await drainDeflections([queued(phone, told.orderId)], w.deps, w.record);

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(w.published).toMatchObject([
      { detailType: 'SmsSuppressed', detail: { kind: 'tracking', reason } },
    ]);
  });

  it('sends nothing for an order of another number (the order id alone opens nothing)', async () => {
    // Prepare
    const w = world();
    const told = order();
    await index().record(phoneHash(mobile()), told, EXPIRES);

    // Act
    await drainDeflections([queued(mobile(), told.orderId)], w.deps, w.record);

    // Assess
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(w.published[0]?.detail.reason).toBe('no-tracking-link');
  });

  it('sends nothing to a number on the suppression list', async () => {
    // Prepare
    const w = world();
    const phone = mobile();
    const told = order();
    await index().record(phoneHash(phone), told, EXPIRES);
    await w.deps.suppression.suppress({
      phoneHash: phoneHash(phone),
      channel: 'sms',
      optedOutAt: '2026-11-01T10:00:00Z',
      sourceEventId: 'e-1',
      expiresAt: Math.floor(NOW.getTime() / 1000) + 86_400,
    });

    // Act
    await drainDeflections([queued(phone, told.orderId)], w.deps, w.record);

    // Assess
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(w.published[0]?.detail.reason).toBe('opted-out');
  });

  it('hands a request SNS refused back to the queue, and the retry sends it once', async () => {
    // Prepare: SNS throttles the first try (it took nothing), then takes it
    sns
      .on(PublishCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' }))
      .resolves({ MessageId: 'm-retry' });
    const w = world();
    const phone = mobile();
    const told = order();
    await index().record(phoneHash(phone), told, EXPIRES);
    const message = queued(phone, told.orderId);

    // Act
    const failed = await drainDeflections([message], w.deps, w.record);
    const retried = await drainDeflections([message], w.deps, w.record);
    const again = await drainDeflections([message], w.deps, w.record);

    // Assess
    expect([failed, retried, again].map((r) => r.batchItemFailures.length)).toEqual([1, 0, 0]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
    expect(w.published.filter((p) => p.detailType === 'SmsSent').map((p) => p.detail.messageId)).toEqual([
      'm-retry',
    ]);
  });

  it('never sends again once SNS may have taken it (its answer lost)', async () => {
    // Prepare: a 5xx after SNS may have taken the SMS
    sns.on(PublishCommand).rejectsOnce(
      Object.assign(new Error('Internal error'), {
        name: 'InternalErrorException',
        $metadata: { httpStatusCode: 500 },
      }),
    );
    const w = world();
    const phone = mobile();
    const told = order();
    await index().record(phoneHash(phone), told, EXPIRES);
    const message = queued(phone, told.orderId);

    // Act
    const failed = await drainDeflections([message], w.deps, w.record);
    const retried = await drainDeflections([message], w.deps, w.record);

    // Assess
    expect([failed, retried].map((r) => r.batchItemFailures.length)).toEqual([1, 0]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('suppresses a deflection as not configured where the stage has no request page, without a retry', async () => {
    // Prepare: a sender that exists for order status only
    const w = world();
    const body = JSON.stringify({ contactId: randomUUID(), phone: mobile(), locale: 'pl-PL' });

    // Act
    const result = await drainDeflections([{ messageId: 'd-1', body }], w.deps, w.record);

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(w.published).toMatchObject([
      { detailType: 'SmsSuppressed', detail: { kind: 'deflection', reason: 'not-configured' } },
    ]);
  });
});

describe('the order-status Lambda handler, as Connect invokes it', () => {
  const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-test-deflection-sms';
  const context = {
    functionName: 'peakline-test-order-status',
    awsRequestId: 'req-1',
    getRemainingTimeInMillis: () => 3_000,
  } as unknown as Context;
  let handler: (
    event: ConnectContactFlowEvent,
    context: Context,
  ) => Promise<OrderStatusAnswer | TrackingLinkAnswer>;

  /** SQS on loopback, answering as SQS does (the body's MD5): the function queues through its JSON protocol. */
  let sqsEndpoint: FakeAwsJson;

  beforeAll(async () => {
    sqsEndpoint = await fakeAwsJson();
    sqsEndpoint.answer((request) => ({
      body: {
        MessageId: `q-${sqsEndpoint.requests.length}`,
        MD5OfMessageBody: createHash('md5').update(String(request.body.MessageBody), 'utf8').digest('hex'),
      },
    }));
    vi.stubEnv('AWS_ENDPOINT_URL_SQS', sqsEndpoint.url);
    vi.stubEnv('ORDERS_TABLE_NAME', tableName('orders'));
    vi.stubEnv('ORDER_STATUS_MAX_ORDERS', '5');
    vi.stubEnv('ORDER_LOOKUP_BUDGET_MS', '2500');
    vi.stubEnv('CALLER_SMS_QUEUE_URL', QUEUE_URL);
    vi.stubEnv('CONTACT_CENTRE_TIME_ZONE', 'Europe/Warsaw');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'peakline-order-status');
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'peakline');
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', inject('dynamodbEndpoint'));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    ({ handler } = await import('#functions/order-status/handler.js'));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    await sqsEndpoint.close();
  });

  it('queues exactly the tracking request for the sender when the caller presses 1', async () => {
    // Prepare
    const event = invoke('send-link', '+48601234567', {
      peaklineOrderId: 'PL-2026-00123',
      peaklineOrderLanguage: 'pl-PL',
    });

    // Act
    const answer = await handler(event, context);

    // Assess
    expect(answer).toMatchObject({ sent: 'true', reason: '' });
    expect(sqsEndpoint.requests.map((r) => [r.operation, r.body])).toEqual([
      [
        'SendMessage',
        {
          QueueUrl: QUEUE_URL,
          MessageBody: JSON.stringify({
            kind: 'tracking',
            contactId: event.Details.ContactData.ContactId,
            phone: '+48601234567',
            orderId: 'PL-2026-00123',
          }),
        },
      ],
    ]);
  });

  it('looks the caller up on the index and answers every key Connect reads', async () => {
    // Prepare: an entry that expires long after any day this test runs (the handler has the system clock)
    const phone = mobile();
    const told = order({ status: 'PACKED' });
    await index(tableName('orders'), () => new Date()).record(
      phoneHash(phone),
      told,
      new Date('2100-01-01T00:00:00Z'),
    );

    // Act
    const answer = await handler(invoke('lookup', phone), context);

    // Assess
    expect(answer).toMatchObject({
      found: 'true',
      orderId: told.orderId,
      status: 'PACKED',
      linkOffered: 'true',
    });
    expect(Object.keys(answer).sort()).toEqual(Object.keys(NOT_FOUND_ANSWER).sort());
  });
});
