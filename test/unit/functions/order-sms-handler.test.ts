import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import lambdaContext from '#test/fixtures/lambda-context.json' with { type: 'json' };
import { deliveredSample, sqsRecord } from '#test/support/events.js';
import { ORDER_SMS_TEST_ENVIRONMENT } from '#test/support/order-sms-environment.js';

const dynamo = mockClient(DynamoDBClient);
const documents = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const bus = mockClient(EventBridgeClient);

let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let output: string[];

const ENV = { ...ORDER_SMS_TEST_ENVIRONMENT, POWERTOOLS_LOG_LEVEL: 'DEBUG' };

beforeAll(async () => {
  for (const [name, value] of Object.entries(ENV)) vi.stubEnv(name, value);
  // Noon in Warsaw: outside the quiet hours, whenever the tests run.
  vi.useFakeTimers({ now: new Date('2026-11-27T11:00:00Z'), toFake: ['Date'] });
  ({ handler } = await import('#functions/order-sms/handler.js'));
});

afterAll(() => {
  vi.useRealTimers();
});

beforeEach(() => {
  for (const mock of [dynamo, documents, sns, bus]) mock.reset();
  // The idempotency layer and the ledger find nothing stored and may write.
  dynamo.on(GetItemCommand).resolves({}).on(PutItemCommand).resolves({}).on(UpdateItemCommand).resolves({});
  documents.on(GetCommand).resolves({}).on(PutCommand).resolves({});
  // The batch's opt-out read finds no phone on the list.
  documents.on(BatchGetCommand).resolves({ Responses: {}, UnprocessedKeys: {} });
  // The ledger's claim goes through (nothing stored before), and the batch's outcomes are recorded.
  documents.on(UpdateCommand).resolves({});
  documents.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
  sns.on(PublishCommand).resolves({ MessageId: 'sns-message-1' });
  bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
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
    const publishes = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
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
    const entries = bus.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ Source: 'peakline', DetailType: 'SmsSent', EventBusName: 'peakline' });
    const detail = JSON.parse(entries[0]?.Detail ?? '{}');
    expect(detail).toMatchObject({ to: '+48*****4567', kind: 'order-placed', messageId: 'sns-message-1' });
  });

  it('returns a throttled SMS to the queue as a batch item failure', async () => {
    // Prepare
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException', $metadata: {} }));
    const record = sqsRecord(deliveredSample('order-placed'));

    // Act
    const result = await handler({ Records: [record] }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
  });

  it('does not fail the record when PutEvents fails after the send, and keeps the outcome for the sweeper', async () => {
    // Prepare
    bus.on(PutEventsCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalException' }));
    const record = sqsRecord(deliveredSample('order-placed'));

    // Act
    const result = await handler({ Records: [record] }, context());

    // Assess: sent once, the record done, the outcome written as pending and not marked announced.
    expect(result).toEqual({ batchItemFailures: [] });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    const writes = documents.commandCalls(BatchWriteCommand).map((c) => c.args[0].input);
    expect(writes).toHaveLength(1);
    const item = Object.values(writes[0]?.RequestItems ?? {})[0]?.[0]?.PutRequest?.Item;
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
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
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
