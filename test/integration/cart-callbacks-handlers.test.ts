/**
 * The cart-callback functions as their handlers wire them (environment from the stage's settings, the
 * deps builders the local stack also uses), on DynamoDB Local, with Connect mocked behind the real
 * adapter: the consumer schedules and cancels, the sweeper makes the task, the payment consumer makes the
 * accounting task and gives a throttled record back to the queue.
 */
import { randomUUID } from 'node:crypto';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { ConnectClient, StartTaskContactCommand } from '@aws-sdk/client-connect';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { TABLES, toCreateTableInput } from '#adapters/dynamodb/tables.js';
import { callbackClientToken } from '#core/callbacks/callback.js';
import { callbackTask } from '#core/callbacks/callback-task.js';
import { paymentClientToken } from '#core/callbacks/payment-task.js';
import { sweepDueCallbacks } from '#core/callbacks/sweep.js';
import type { DeadLetter } from '#core/ports.js';
import { shopDetailSchemas } from '#events/index.js';
import { callbacksPerRun } from '#functions/callback-sweeper/connect-budget.js';
import {
  callbackSweeperEnvironment,
  callbackSweeperEnvironmentFrom,
} from '#functions/callback-sweeper/environment.js';
import { callbackSweeperDeps, connectTaskCentre, sweepMetrics } from '#functions/callback-sweeper/wiring.js';
import { createCartCallbacksConsumer } from '#functions/cart-callbacks/consumer.js';
import { cartCallbacksEnvironment } from '#functions/cart-callbacks/environment.js';
import { cartCallbackDeps } from '#functions/cart-callbacks/wiring.js';
import { createPaymentIssuesConsumer } from '#functions/payment-issues/consumer.js';
import {
  paymentIssuesEnvironment,
  paymentIssuesEnvironmentFrom,
} from '#functions/payment-issues/environment.js';
import { paymentIssuesDeps } from '#functions/payment-issues/wiring.js';
import { isThrottling } from '#adapters/connect/retry.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import lambdaContext from '#test/fixtures/lambda-context.json' with { type: 'json' };
import { localDocumentClient, tableName } from '#test/support/dynamodb.js';
import { deliveredSample, sqsRecord } from '#test/support/events.js';
import {
  cartEvent,
  clockAt,
  DEFAULT_CONFIG,
  orderPlaced,
  recordingEvents,
} from '#test/unit/core/callbacks/fixtures.js';
import { BridgedConnectSender } from '#adapters/connect/sdk-connect-sender.js';

const documents = localDocumentClient();
const dynamo = new DynamoDBClient({
  endpoint: inject('dynamodbEndpoint'),
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
});
const connect = mockClient(ConnectClient);
const connectClient = new ConnectClient({
  region: 'eu-central-1',
  credentials: LOCAL_CREDENTIALS,
  maxAttempts: 1,
});
const tables: string[] = [];

afterEach(() => connect.reset());
afterAll(async () => {
  for (const table of tables) await dynamo.send(new DeleteTableCommand({ TableName: table }));
  documents.destroy();
  dynamo.destroy();
  connectClient.destroy();
});

const INSTANCE_ID = '11111111-2222-3333-4444-555555555555';
const TASK_FLOW_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const CALLBACK_QUEUE_ID = 'cbcbcbcb-0000-1111-2222-333333333333';
const ACCOUNTING_QUEUE_ID = 'acacacac-0000-1111-2222-333333333333';
const REJECTED = 'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-test-rejected-events';
/** The sample cart is abandoned at 10:00 in Warsaw on Wednesday 2026-11-25 and due at 10:30 (09:30 UTC). */
const AFTER_DUE = '2026-11-25T09:31:00Z';
/** The sample customer's number (+48 601 234 567) in any spacing; ids (UUIDs) may hold long digit runs. */
const phoneDigits = /601\s?234\s?567/;

/** A world of its own: a fresh callbacks table, and a routing key nobody else writes (so NORMAL). */
const makeWorld = async () => {
  const callbacksTable = `peakline-it-cb-handlers-${randomUUID().slice(0, 8)}`;
  await dynamo.send(new CreateTableCommand(toCreateTableInput(TABLES.callbacks, callbacksTable)));
  tables.push(callbacksTable);
  const raw = callbackSweeperEnvironmentFrom(DEFAULT_CONFIG, {
    callbacksTable,
    suppressionTable: tableName('suppression'),
    routingTable: tableName('routing'),
    ledgerTable: tableName('ledger'),
    busName: 'peakline',
    callbackQueueId: CALLBACK_QUEUE_ID,
    connectInstanceId: INSTANCE_ID,
    taskContactFlowId: TASK_FLOW_ID,
  });
  const routingKey = `callback-${randomUUID().slice(0, 8)}`;
  const sweeperEnv = callbackSweeperEnvironment.parse({ ...raw, CALLBACK_QUEUE_KEY: routingKey });
  const consumerEnv = cartCallbacksEnvironment.parse({
    ...raw,
    CALLBACK_QUEUE_KEY: routingKey,
    REJECTED_EVENTS_QUEUE_URL: REJECTED,
  });
  const clock = clockAt('2026-11-25T09:00:00Z');
  const events = recordingEvents();
  const deadLetters: DeadLetter[] = [];
  const logs: { message: string; fields: Record<string, unknown> }[] = [];
  const counts: { metric: string; dimensions?: Readonly<Record<string, string>> }[] = [];
  const consume = createCartCallbacksConsumer({
    callbacks: cartCallbackDeps(consumerEnv, { clock, documentClient: documents, events }),
    deadLetters: { put: async (letter) => void deadLetters.push(letter) },
    log: (message, fields) => logs.push({ message, fields }),
    count: (metric, dimensions) => counts.push({ metric, ...(dimensions ? { dimensions } : {}) }),
  });
  const sweepDeps = callbackSweeperDeps(sweeperEnv, {
    clock,
    documentClient: documents,
    events,
    contactCentre: connectTaskCentre(sweeperEnv, BridgedConnectSender.over(connectClient), {
      sleep: async () => {},
      maxAttempts: 1,
    }),
  });
  return { consume, sweepDeps, sweeperEnv, clock, events, deadLetters, logs, counts, callbacksTable };
};

const envelope = (detailType: string, detail: unknown) => ({
  ...deliveredSample('cart-abandoned'),
  id: randomUUID(),
  'detail-type': detailType,
  detail,
});

describe('cart-callbacks consumer on DynamoDB Local', () => {
  it('schedules the callback of an abandoned cart, logs and counts it without the phone', async () => {
    // Prepare
    const w = await makeWorld();
    const cart = cartEvent();
    const event = envelope('CartAbandoned', cart);

    // Act
    await w.consume(sqsRecord(event));

    // Assess
    const stored = await w.sweepDeps.store.get(cart.cartId);
    expect(stored).toMatchObject({ state: 'SCHEDULED', sourceEventId: event.id });
    expect(w.counts).toEqual([{ metric: 'CallbackScheduled' }]);
    expect(w.logs).toEqual([
      {
        message: 'callback scheduling',
        fields: {
          eventId: event.id,
          cartId: cart.cartId,
          outcome: 'SCHEDULED',
          dueAt: '2026-11-25T09:30:00.000Z',
        },
      },
    ]);
    expect(JSON.stringify(w.logs)).not.toMatch(phoneDigits);
    expect(w.events.types()).toEqual(['CallbackScheduled']);
  });

  it('counts a refusal with its reason, and schedules nothing', async () => {
    // Prepare
    const w = await makeWorld();
    const cart = cartEvent({}, { consent: { ...cartEvent().customer.consent, callback: false } });

    // Act
    await w.consume(sqsRecord(envelope('CartAbandoned', cart)));

    // Assess
    expect(w.counts).toEqual([{ metric: 'CallbackNotScheduled', dimensions: { reason: 'no-consent' } }]);
    expect(await w.sweepDeps.store.get(cart.cartId)).toBeUndefined();
    expect(w.events.types()).toEqual([]);
  });

  it('cancels the callback when the cart is ordered', async () => {
    // Prepare
    const w = await makeWorld();
    const cart = cartEvent();
    await w.consume(sqsRecord(envelope('CartAbandoned', cart)));
    const order = orderPlaced(cart);

    // Act
    await w.consume(sqsRecord(envelope('OrderPlaced', order)));

    // Assess
    expect(await w.sweepDeps.store.get(cart.cartId)).toMatchObject({ state: 'CANCELLED' });
    expect(w.counts.map((c) => c.metric)).toEqual(['CallbackScheduled', 'CallbackCancelled']);
    expect(w.logs[1]).toEqual({
      message: 'callback cancellation',
      fields: expect.objectContaining({ orderId: order.orderId, cartId: cart.cartId, outcome: 'CANCELLED' }),
    });
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCancelled']);
  });

  it('refuses a CartAbandoned that comes after its OrderPlaced (a redelivery, a second poller)', async () => {
    // Prepare
    const w = await makeWorld();
    const cart = cartEvent();
    const abandoned = envelope('CartAbandoned', cart);
    await w.consume(sqsRecord(envelope('OrderPlaced', orderPlaced(cart))));

    // Act
    await w.consume(sqsRecord(abandoned));
    await w.consume(sqsRecord(abandoned)); // delivered again
    w.clock.set(AFTER_DUE);
    const sweep = await sweepDueCallbacks(w.sweepDeps, 10);

    // Assess
    expect(w.counts).toEqual([
      { metric: 'CallbackNotCancelled', dimensions: { reason: 'no-callback' } },
      { metric: 'CallbackNotScheduled', dimensions: { reason: 'ordered' } },
      { metric: 'CallbackNotScheduled', dimensions: { reason: 'ordered' } },
    ]);
    expect(await w.sweepDeps.store.get(cart.cartId)).toBeUndefined();
    expect(sweep.due).toBe(0);
    expect(connect.commandCalls(StartTaskContactCommand)).toHaveLength(0);
    expect(w.events.types()).toEqual([]);
  });

  it('rejects a malformed CartAbandoned with the reason, and does not fail the record', async () => {
    // Prepare
    const w = await makeWorld();
    const { cartId: _dropped, ...withoutCart } = cartEvent();
    const event = envelope('CartAbandoned', withoutCart);

    // Act
    await w.consume(sqsRecord(event));

    // Assess
    expect(w.deadLetters).toEqual([
      { reason: expect.stringContaining('cartId'), refusedBy: 'cart-callbacks', event },
    ]);
    expect(w.counts).toEqual([{ metric: 'EventsDeadLettered' }]);
  });
});

describe('callback sweeper on DynamoDB Local, Connect mocked behind the adapter', () => {
  it('starts the task in the task flow, for the callback queue, with the cart-derived client token', async () => {
    // Prepare
    const w = await makeWorld();
    const cart = cartEvent();
    await w.consume(sqsRecord(envelope('CartAbandoned', cart)));
    const waiting = await w.sweepDeps.store.get(cart.cartId);
    if (waiting === undefined) throw new Error('the callback was not scheduled');
    const expected = callbackTask(waiting, w.sweepDeps.settings);
    connect.on(StartTaskContactCommand).resolves({ ContactId: 'contact-1' });
    w.clock.set(AFTER_DUE);

    // Act
    const limit = callbacksPerRun(
      60_000,
      w.sweeperEnv.CONNECT_CALLS_PER_SECOND,
      w.sweeperEnv.CALLBACK_SWEEP_BATCH,
    );
    const result = await sweepDueCallbacks(w.sweepDeps, limit);

    // Assess
    expect(result.outcomes).toEqual([{ cartId: cart.cartId, outcome: 'CREATED', contactId: 'contact-1' }]);
    const calls = connect.commandCalls(StartTaskContactCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      {
        InstanceId: INSTANCE_ID,
        ContactFlowId: TASK_FLOW_ID,
        Name: expected.name,
        Description: expected.description,
        Attributes: { ...expected.attributes, peaklineQueueId: CALLBACK_QUEUE_ID },
        ClientToken: callbackClientToken(cart.cartId),
      },
    ]);
    expect(calls[0]?.Name).toMatch(/\S/);
    expect(calls[0]?.Description).toContain('+48601234567'); // the agent dials it
    expect(await w.sweepDeps.store.get(cart.cartId)).toMatchObject({ state: 'CREATED' });
    expect(sweepMetrics(result, limit)).toMatchObject({
      CallbackCreated: 1,
      CallbacksDue: 1,
      CallbackSweepFull: 0,
    });
  });

  it('stops on throttling that outlives the adapter, and keeps the callback due for the next run', async () => {
    // Prepare
    const w = await makeWorld();
    const cart = cartEvent();
    await w.consume(sqsRecord(envelope('CartAbandoned', cart)));
    connect
      .on(StartTaskContactCommand)
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: {} }),
      );
    w.clock.set(AFTER_DUE);

    // Act
    const result = await sweepDueCallbacks(w.sweepDeps, 10);

    // Assess
    expect(result.stoppedByThrottling).toBe(true);
    expect(result.outcomes).toEqual([
      expect.objectContaining({ cartId: cart.cartId, outcome: 'RELEASED', reason: 'throttled' }),
    ]);
    expect((await w.sweepDeps.store.due(new Date(AFTER_DUE), 10)).map((c) => c.cartId)).toContain(
      cart.cartId,
    );
    expect(sweepMetrics(result, 10)).toMatchObject({ CallbackSweepThrottled: 1, CallbacksReleased: 1 });
  });
});

describe('payment-issues consumer, Connect mocked behind the adapter', () => {
  const env = paymentIssuesEnvironment.parse(
    paymentIssuesEnvironmentFrom(DEFAULT_CONFIG, {
      rejectedEventsQueueUrl: REJECTED,
      connectInstanceId: INSTANCE_ID,
      taskContactFlowId: TASK_FLOW_ID,
      accountingQueueId: ACCOUNTING_QUEUE_ID,
    }),
  );
  const setup = () => {
    const deadLetters: DeadLetter[] = [];
    const counts: string[] = [];
    const consume = createPaymentIssuesConsumer({
      tasks: paymentIssuesDeps(env, {
        contactCentre: connectTaskCentre(env, BridgedConnectSender.over(connectClient), {
          sleep: async () => {},
          maxAttempts: 2,
        }),
      }),
      isThrottling,
      deadLetters: { put: async (letter) => void deadLetters.push(letter) },
      log: () => {},
      count: (metric) => counts.push(metric),
    });
    const processor = new BatchProcessor(EventType.SQS);
    const run = (records: SQSRecord[]) =>
      processPartialResponse({ Records: records }, consume, processor, {
        context: { ...lambdaContext, getRemainingTimeInMillis: () => 60_000 } as unknown as Context,
        processInParallel: false,
        throwOnFullBatchFailure: false,
      });
    return { run, deadLetters, counts };
  };

  it('starts the accounting task in the task flow, with the report-derived client token', async () => {
    // Prepare
    const { run, counts } = setup();
    const event = deliveredSample('payment-issue-reported');
    const detail = shopDetailSchemas.PaymentIssueReported.parse(event.detail);
    connect.on(StartTaskContactCommand).resolves({ ContactId: 'contact-9' });

    // Act
    const result = await run([sqsRecord(event)]);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const calls = connect.commandCalls(StartTaskContactCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      expect.objectContaining({
        InstanceId: INSTANCE_ID,
        ContactFlowId: TASK_FLOW_ID,
        ClientToken: paymentClientToken(detail),
        Attributes: expect.objectContaining({
          peaklineQueueId: ACCOUNTING_QUEUE_ID,
          peaklineKind: 'payment-issue',
          orderId: detail.orderId,
        }),
      }),
    ]);
    expect(JSON.stringify(calls[0]?.Attributes)).not.toContain(detail.customer.phone);
    expect(counts).toEqual(['PaymentTasksCreated']);
  });

  it('gives a throttled report back to the queue as a batch item failure, the others go through', async () => {
    // Prepare
    const { run, counts } = setup();
    const throttled = sqsRecord(deliveredSample('payment-issue-reported', 0));
    const fine = sqsRecord(deliveredSample('payment-issue-reported', 1));
    const throttle = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: {},
    });
    connect
      .on(StartTaskContactCommand)
      .rejectsOnce(throttle)
      .rejectsOnce(throttle)
      .resolves({ ContactId: 'contact-10' });

    // Act
    const result = await run([throttled, fine]);

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: throttled.messageId }] });
    expect(counts).toEqual(['PaymentTasksThrottled', 'PaymentTasksCreated']);
  });

  it('rejects a report of another detail-type with the reason', async () => {
    // Prepare
    const { run, deadLetters, counts } = setup();

    // Act
    const result = await run([sqsRecord(deliveredSample('order-placed'))]);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(deadLetters).toEqual([
      expect.objectContaining({
        refusedBy: 'payment-issues',
        reason: expect.stringContaining('OrderPlaced'),
      }),
    ]);
    expect(counts).toEqual(['EventsDeadLettered']);
    expect(connect.commandCalls(StartTaskContactCommand)).toHaveLength(0);
  });
});
