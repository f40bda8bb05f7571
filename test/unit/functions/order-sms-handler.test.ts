import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import lambdaContext from '#test/fixtures/lambda-context.json' with { type: 'json' };
import { deliveredSample, sqsRecord } from '#test/support/events.js';
import { awsError, type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';
import {
  type FakeAwsQuery,
  fakeAwsQuery,
  publishAnswer,
  publishedInputs,
  queryError,
  snsEndpointEnvironment,
} from '#test/support/fake-aws-query.js';
import { busAccepts, fakeAwsEnvironment, putEntries } from '#test/support/fake-aws-services.js';
import { documentInputs, nothingStored } from '#test/support/fake-dynamodb.js';
import { ORDER_SMS_TEST_ENVIRONMENT } from '#test/support/order-sms-environment.js';

// DynamoDB (the ledger, the suppression list, the routing state), EventBridge and SNS on loopback, each
// reached through its AWS_ENDPOINT_URL_<SERVICE>.
let dynamo: FakeAwsJson;
let bus: FakeAwsJson;
let sns: FakeAwsQuery;

let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let output: string[];

const ENV = { ...ORDER_SMS_TEST_ENVIRONMENT, POWERTOOLS_LOG_LEVEL: 'DEBUG' };

beforeAll(async () => {
  [dynamo, bus, sns] = await Promise.all([fakeAwsJson(), fakeAwsJson(), fakeAwsQuery()]);
  for (const [name, value] of Object.entries({
    ...ENV,
    ...fakeAwsEnvironment({ dynamodb: dynamo, eventBridge: bus }),
    ...snsEndpointEnvironment(sns),
  })) {
    vi.stubEnv(name, value);
  }
  // Noon in Warsaw: outside the quiet hours, whenever the tests run.
  vi.useFakeTimers({ now: new Date('2026-11-27T11:00:00Z'), toFake: ['Date'] });
  ({ handler } = await import('#functions/order-sms/handler.js'));
});

afterAll(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  await Promise.all([dynamo.close(), bus.close(), sns.close()]);
});

beforeEach(() => {
  sns.requests.length = 0;
  dynamo.requests.length = 0;
  bus.requests.length = 0;
  // The ledger finds nothing stored, so its claim goes through; the batch's opt-out read finds no phone on
  // the list; the routing state is unknown; the batch's outcomes are recorded.
  dynamo.answer(nothingStored);
  sns.answer(() => publishAnswer('sns-message-1'));
  bus.answer(busAccepts);
  output = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});

const context = () =>
  ({ ...structuredClone(lambdaContext), getRemainingTimeInMillis: () => 30_000 }) as unknown as Context;

describe('order-sms handler', () => {
  it('publishes the confirmation to the phone with SNS, transactional, from the sender ID', async () => {
    // Prepare
    const event = deliveredSample('order-placed');

    // Act
    const result = await handler({ Records: [sqsRecord(event)] }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const publishes = publishedInputs(sns);
    expect(publishes).toHaveLength(1);
    expect(publishes[0]).toEqual({
      PhoneNumber: '+48601234567',
      Message: expect.stringContaining(String(event.detail.orderId)),
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'PEAKSHOP' },
      },
    });
    expect(publishes[0]?.Message).toMatch(/^Sklep Peak: /);
  });

  it('announces SmsSent on the bus with the phone masked', async () => {
    // Act
    await handler({ Records: [sqsRecord(deliveredSample('order-placed'))] }, context());

    // Assess
    const entries = putEntries(bus);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ Source: 'peakline', DetailType: 'SmsSent', EventBusName: 'peakline' });
    const detail = JSON.parse(String(entries[0]?.Detail ?? '{}'));
    expect(detail).toMatchObject({ to: '+48*****4567', kind: 'order-placed', messageId: 'sns-message-1' });
  });

  it('returns a throttled SMS to the queue as a batch item failure', async () => {
    // Prepare
    sns.answer(() => queryError(429, 'Throttled', 'Rate exceeded'));
    const record = sqsRecord(deliveredSample('order-placed'));

    // Act
    const result = await handler({ Records: [record] }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
  });

  it('does not fail the record when PutEvents fails after the send, and keeps the outcome for the sweeper', async () => {
    // Prepare: EventBridge fails at every attempt (the client's own retries do not get it through).
    bus.answer(() => awsError(500, 'InternalException', 'boom'));
    const record = sqsRecord(deliveredSample('order-placed'));

    // Act
    const result = await handler({ Records: [record] }, context());

    // Assess: sent once, the record done, the outcome written as pending and not marked announced.
    expect(result).toEqual({ batchItemFailures: [] });
    expect(publishedInputs(sns)).toHaveLength(1);
    const writes = documentInputs(dynamo, 'BatchWriteItem');
    expect(writes).toHaveLength(1);
    const requestItems = writes[0]?.RequestItems as
      Record<string, { PutRequest?: { Item?: Record<string, unknown> } }[]> | undefined;
    const item = Object.values(requestItems ?? {})[0]?.[0]?.PutRequest?.Item;
    expect(item).toMatchObject({
      outcome: 'SENT',
      deferred: 'ANNOUNCE',
      detail: { messageId: 'sns-message-1' },
    });
  });

  it('starts no record with too little time left before the timeout: it comes back instead', async () => {
    // Prepare
    const record = sqsRecord(deliveredSample('order-placed'));
    const late = { ...context(), getRemainingTimeInMillis: () => 1_000 } as Context;

    // Act
    const result = await handler({ Records: [record] }, late);

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(publishedInputs(sns)).toHaveLength(0);
  });

  it('never writes a phone number in clear to the logs', async () => {
    // Prepare: a good event and one with a malformed phone.
    const bad = deliveredSample('order-placed');
    (bad.detail.customer as { phone: string }).phone = '601234567';

    // Act
    await handler({ Records: [sqsRecord(deliveredSample('order-placed')), sqsRecord(bad)] }, context());

    // Assess
    const logs = output.join('');
    expect(logs).toContain('sms decision');
    expect(logs).toContain('+48*****4567');
    expect(logs).not.toMatch(/601234567|601 ?234 ?567/);
  });
});
