/**
 * A batch of order SMS reads its opt-outs in one BatchGetItem, on DynamoDB Local: the answers are each
 * phone's own, keys DynamoDB leaves unprocessed are asked again, a failed read fails only the SMS that
 * asked (its claim goes back, the retry sends once), and an opt-out recorded while the batch runs is
 * honoured once the batch's read is older than OPT_OUT_MAX_AGE_MS.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BridgedDocumentClient } from '#adapters/dynamodb/sdk-document-client.js';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { GetCommand } from '#adapters/dynamodb/document-client.js';
import { DynamoOrderLedger } from '#adapters/dynamodb/order-ledger.js';
import { EventBridgePublisher, type PutEventsInput } from '#adapters/eventbridge/event-publisher.js';
import { DynamoSuppressionStore } from '#adapters/dynamodb/suppression-store.js';
import { LOCAL_PHONE_HASH_KEY } from '#adapters/secrets/phone-hash-key.js';
import { phoneHash } from '#core/phone.js';
import type { OutgoingSms, SmsOutcomeRecord } from '#core/ports.js';
import { OPT_OUT_MAX_AGE_MS } from '#core/sms/batch-opt-outs.js';
import {
  ANNOUNCE_GRACE_SECONDS,
  announcePending,
  DailyAllowance,
  flushOutcomes,
  type OrderSmsDeps,
  type SmsDecision,
  SmsOutbox,
} from '#core/sms/order-sms.js';
import { createOrderSmsBatchConsumer } from '#functions/order-sms/consumer.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import { tableName } from '#test/support/dynamodb.js';
import { deliveredSample, sqsRecord } from '#test/support/events.js';
import { orderSmsTestSettings } from '#test/support/order-sms-settings.js';

/** 12:00 in Warsaw: no quiet hours. */
const NOON_WARSAW = new Date('2026-11-27T11:00:00Z');
const KEEP_UNTIL = Math.floor(Date.parse('2029-01-01') / 1000);

type Fault =
  /** Every BatchGetItem of the suppression table leaves `keys` unprocessed, `times` times. */
  | { kind: 'unprocessed'; keys: number; times: number }
  /** The next `times` BatchGetItem calls fail as throttled. */
  | { kind: 'throttled'; times: number };

/** A client of its own per test, counting calls by operation, with the faults it is given injected. */
const faultyClient = (faults: Fault[]) => {
  const calls: string[] = [];
  const low = new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  low.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      calls.push(operation);
      if (operation !== 'BatchGetItem') return next(args);
      const fault = faults.find((f) => f.times > 0);
      if (fault?.kind === 'throttled') {
        fault.times -= 1;
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
          name: 'ThrottlingException',
          $fault: 'client',
        });
      }
      const result = await next(args);
      if (fault?.kind === 'unprocessed') {
        // As DynamoDB does under load: some of the keys asked come back unprocessed, their items unsent.
        fault.times -= 1;
        type Key = Record<string, unknown>;
        const output = result.output as {
          Responses?: Record<string, Key[]>;
          UnprocessedKeys?: Record<string, { Keys: Key[] }>;
        };
        // The keys asked, in order (plain values: the SDK converts them to DynamoDB's in its serializer).
        const input = (args.input as { RequestItems: Record<string, { Keys: Key[] }> }).RequestItems;
        const [table, { Keys }] = Object.entries(input)[0] ?? ['', { Keys: [] }];
        const held = Keys.slice(0, fault.keys);
        const heldIds = new Set(held.map((key) => key.phoneHash));
        output.Responses = {
          [table]: (output.Responses?.[table] ?? []).filter((item) => !heldIds.has(item.phoneHash)),
        };
        output.UnprocessedKeys = held.length > 0 ? { [table]: { Keys: held } } : {};
      }
      return result;
    },
    // Before the request is serialized and after its answer is parsed: plain values both ways.
    { step: 'serialize', priority: 'high', name: 'injectFaults' },
  );
  const documents = BridgedDocumentClient.over(low);
  return { documents, calls, destroy: () => documents.destroy() };
};

const clients: { destroy: () => void }[] = [];
afterAll(() => {
  for (const client of clients) client.destroy();
});

interface World {
  clock: { at: Date };
  sent: OutgoingSms[];
  decisions: SmsDecision[];
  calls: string[];
  store: DynamoSuppressionStore;
  consume: ReturnType<typeof createOrderSmsBatchConsumer>;
  /** Called as SNS takes each SMS. */
  onSend?: (sms: OutgoingSms) => Promise<void>;
}

const makeWorld = (faults: Fault[] = []): World => {
  const client = faultyClient(faults);
  clients.push(client);
  const world = {
    clock: { at: NOON_WARSAW },
    sent: [],
    decisions: [],
    calls: client.calls,
  } as unknown as World;
  const clock = { now: () => world.clock.at };
  const ledger = new DynamoOrderLedger(client.documents, tableName('ledger'), 30, clock.now);
  world.store = new DynamoSuppressionStore(client.documents, tableName('suppression'), {
    key: LOCAL_PHONE_HASH_KEY,
  });
  const deps: OrderSmsDeps = {
    clock,
    ledger,
    outbox: new SmsOutbox(),
    allowance: new DailyAllowance(ledger, () => 1_000_000),
    suppression: world.store,
    routing: { stateOf: async () => 'NORMAL' },
    sender: {
      send: async (sms) => {
        world.sent.push(sms);
        await world.onSend?.(sms);
        return { messageId: randomUUID() };
      },
    },
    events: { publish: async () => {} },
    settings: orderSmsTestSettings(),
  };
  world.consume = createOrderSmsBatchConsumer({
    sms: deps,
    deadLetters: { put: async () => {} },
    maxAttempts: 5,
    log: () => {},
    count: () => {},
    onDecision: (decision) => void world.decisions.push(decision),
  });
  return world;
};

/** A phone of its own per order (Polish mobile range), so tests sharing the table never meet. */
const newPhone = () => `+4860${String(Math.floor(Math.random() * 9_000_000) + 1_000_000)}`;
const orderRecords = (count: number) =>
  Array.from({ length: count }, () => {
    const event = deliveredSample('order-placed');
    const orderId = `BT-${randomUUID().slice(0, 8)}`;
    const phone = newPhone();
    event.detail.orderId = orderId;
    (event.detail.customer as { phone: string }).phone = phone;
    return { orderId, phone, record: sqsRecord(event) };
  });
const optOut = (world: World, phone: string) =>
  world.store.suppress({
    phoneHash: phoneHash(phone),
    channel: 'sms',
    optedOutAt: world.clock.at.toISOString(),
    sourceEventId: `opt-out-${randomUUID()}`,
    expiresAt: KEEP_UNTIL,
  });
const outcomeOf = (world: World, orderId: string) =>
  world.decisions
    .filter((d) => d.orderId === orderId)
    .map((d) => (d.outcome === 'SUPPRESSED' ? d.reason : d.outcome));
const redelivered = (record: SQSRecord): SQSRecord => ({
  ...record,
  attributes: { ...record.attributes, ApproximateReceiveCount: '2' },
});

describe('the opt-out list read once per batch, on DynamoDB Local', () => {
  it('answers each phone of the batch from one BatchGetItem: the opted-out ones get nothing', async () => {
    // Prepare
    const world = makeWorld();
    const orders = orderRecords(10);
    await optOut(world, orders[2]?.phone ?? '');
    await optOut(world, orders[7]?.phone ?? '');
    world.calls.length = 0;

    // Act
    const response = await world.consume(orders.map((o) => o.record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(orders.map((o) => outcomeOf(world, o.orderId))).toEqual(
      orders.map((_, i) => (i === 2 || i === 7 ? ['opted-out'] : ['SENT'])),
    );
    expect(world.calls.filter((c) => c === 'BatchGetItem')).toHaveLength(1);
    expect(world.calls.filter((c) => c === 'GetItem')).toHaveLength(0);
  });

  it('asks again for the keys DynamoDB left unprocessed, and still honours an opt-out among them', async () => {
    // Prepare: the first two reads leave 3 keys unprocessed (the batch's first three phones)
    const world = makeWorld([{ kind: 'unprocessed', keys: 3, times: 2 }]);
    const orders = orderRecords(5);
    await optOut(world, orders[0]?.phone ?? '');
    world.calls.length = 0;

    // Act
    await world.consume(orders.map((o) => o.record));

    // Assess
    expect(orders.map((o) => outcomeOf(world, o.orderId))).toEqual([
      ['opted-out'],
      ['SENT'],
      ['SENT'],
      ['SENT'],
      ['SENT'],
    ]);
    expect(world.calls.filter((c) => c === 'BatchGetItem')).toHaveLength(3);
  });

  it('reads a phone on its own when its key stays unprocessed, never taking it for not suppressed', async () => {
    // Prepare: every try leaves the first key unprocessed
    const world = makeWorld([{ kind: 'unprocessed', keys: 1, times: 100 }]);
    const orders = orderRecords(3);
    await optOut(world, orders[0]?.phone ?? '');
    world.calls.length = 0;

    // Act
    await world.consume(orders.map((o) => o.record));

    // Assess
    expect(orders.map((o) => outcomeOf(world, o.orderId))).toEqual([['opted-out'], ['SENT'], ['SENT']]);
    expect(world.sent.map((s) => s.to)).not.toContain(orders[0]?.phone);
    expect(world.calls.filter((c) => c === 'GetItem')).toHaveLength(1);
  });

  it('a throttled batch read fails the SMS that asked: its claim goes back, and the retry sends it once', async () => {
    // Prepare
    const world = makeWorld([{ kind: 'throttled', times: 1 }]);
    const orders = orderRecords(3);
    await optOut(world, orders[2]?.phone ?? '');

    // Act
    const first = await world.consume(orders.map((o) => o.record));
    const failed = orders.filter((o) =>
      first.batchItemFailures.some((f) => f.itemIdentifier === o.record.messageId),
    );
    const retry = await world.consume(failed.map((o) => redelivered(o.record)));

    // Assess
    expect(failed.map((o) => o.orderId)).toEqual([orders[0]?.orderId]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(orders.map((o) => world.sent.filter((s) => s.orderId === o.orderId).length)).toEqual([1, 1, 0]);
    expect(outcomeOf(world, orders[2]?.orderId ?? '')).toEqual(['opted-out']);
  });

  it('honours an opt-out recorded while the batch runs, for the SMS decided after the read has aged', async () => {
    // Prepare: as the first SMS goes, the third customer opts out, and sending takes longer than the age
    const world = makeWorld();
    const orders = orderRecords(3);
    world.onSend = async (sms) => {
      if (sms.orderId !== orders[0]?.orderId) return;
      await optOut(world, orders[2]?.phone ?? '');
      world.clock.at = new Date(world.clock.at.getTime() + OPT_OUT_MAX_AGE_MS + 1);
    };

    // Act
    await world.consume(orders.map((o) => o.record));

    // Assess
    expect(orders.map((o) => outcomeOf(world, o.orderId))).toEqual([['SENT'], ['SENT'], ['opted-out']]);
    expect(world.calls.filter((c) => c === 'BatchGetItem')).toHaveLength(2);
  });

  it('sends one SMS per order when the whole batch is delivered twice', async () => {
    // Prepare
    const world = makeWorld();
    const orders = orderRecords(10);
    await world.consume(orders.map((o) => o.record));

    // Act
    const again = await world.consume(orders.map((o) => redelivered(o.record)));

    // Assess
    expect(again.batchItemFailures).toEqual([]);
    expect(orders.map((o) => world.sent.filter((s) => s.orderId === o.orderId).length)).toEqual(
      orders.map(() => 1),
    );
    expect(orders.map((o) => outcomeOf(world, o.orderId))).toEqual(orders.map(() => ['SENT', 'DUPLICATE']));
  });
});

/** The ledger's pending announcements and the minute sweeper, with a bus that can fail per SMS. */
const announcing = (faults: Fault[] = [], bus: 'one-by-one' | 'put-events' = 'one-by-one') => {
  const client = faultyClient(faults);
  clients.push(client);
  const clock = { at: new Date('2026-11-28T11:00:00Z') };
  const now = () => clock.at;
  const ledger = new DynamoOrderLedger(client.documents, tableName('ledger'), 30, now);
  const published: string[] = [];
  const failing = new Set<string>();
  /** A bus that takes facts one by one. */
  const oneByOne = {
    publish: async (_type: string, detail: Record<string, unknown>) => {
      const orderId = String(detail.orderId);
      if (failing.has(orderId)) throw new Error('EventBridge InternalException');
      published.push(orderId);
    },
  };
  /** EventBridge's PutEvents, 10 entries a call, refusing the failing orders' entries. */
  const putEvents = async (input: PutEventsInput) => {
    const entries = input.Entries.map((entry) => {
      const orderId = String((JSON.parse(entry.Detail) as { orderId: string }).orderId);
      if (failing.has(orderId))
        return { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service error' };
      published.push(orderId);
      return { EventId: randomUUID() };
    });
    return { FailedEntryCount: entries.filter((e) => 'ErrorCode' in e).length, Entries: entries };
  };
  const events = bus === 'put-events' ? new EventBridgePublisher(putEvents, 'peakline-test') : oneByOne;
  const deps = { ledger, events, clock: { now }, outbox: new SmsOutbox() };
  return {
    client,
    ledger,
    published,
    failing,
    flush: () => flushOutcomes(deps),
    /** The minute sweeper, once the grace period is over. */
    sweep: async () => {
      clock.at = new Date(clock.at.getTime() + (ANNOUNCE_GRACE_SECONDS + 1) * 1000);
      return announcePending(deps, 1_000);
    },
    sent: (orderIds: string[]) => {
      for (const orderId of orderIds) deps.outbox.add(sentOutcome(orderId));
    },
  };
};
const sentOutcome = (orderId: string): SmsOutcomeRecord => ({
  orderId,
  key: 'PLACED',
  outcome: 'SENT',
  detailType: 'SmsSent',
  detail: { orderId, status: 'PLACED', kind: 'order-placed', to: '+48*****4567', messageId: randomUUID() },
});
const newOrderIds = (count: number) => Array.from({ length: count }, () => `AN-${randomUUID().slice(0, 8)}`);
const times = (published: string[], orderIds: string[]) =>
  orderIds.map((orderId) => published.filter((p) => p === orderId).length);

describe("a batch's outcomes announced, on DynamoDB Local", () => {
  it('the bus fails for one SMS of the batch: the sweeper announces that one, once, and not the others again', async () => {
    // Prepare
    const world = announcing();
    const orderIds = newOrderIds(3);
    world.sent(orderIds);
    world.failing.add(orderIds[1] ?? '');

    // Act
    const result = await world.flush();
    world.failing.clear();
    await world.sweep();
    await world.sweep();

    // Assess
    expect(result).toEqual({ recorded: 3, announced: 2, unrecorded: 0 });
    expect(times(world.published, orderIds)).toEqual([1, 1, 1]);
  });

  it('through PutEvents, 10 to a call: a refused entry is recorded pending with its fact and announced by the sweeper; the ledger keeps no fact of the others', async () => {
    // Prepare: 12 SMS of a batch; EventBridge refuses the entry of one of them.
    const world = announcing([], 'put-events');
    const orderIds = newOrderIds(12);
    world.sent(orderIds);
    const refused = orderIds[4] ?? '';
    world.failing.add(refused);
    const outcomeItem = async (orderId: string) =>
      (
        await world.client.documents.send(
          new GetCommand({ TableName: tableName('ledger'), Key: { id: `outcome#${orderId}#PLACED` } }),
        )
      ).Item;

    // Act
    const result = await world.flush();
    const pendingItem = await outcomeItem(refused);
    world.failing.clear();
    await world.sweep();
    await world.sweep();

    // Assess: every fact on the bus once; the refused one's fact was kept until it was announced.
    expect(result).toEqual({ recorded: 12, announced: 11, unrecorded: 0 });
    expect(times(world.published, orderIds)).toEqual(orderIds.map(() => 1));
    expect(pendingItem?.detail).toMatchObject({ orderId: refused, to: '+48*****4567' });
    const settled = await Promise.all(orderIds.map(outcomeItem));
    expect(settled.map((item) => [item?.outcome, typeof item?.messageId, item?.detail])).toEqual(
      orderIds.map(() => ['SENT', 'string', undefined]),
    );
  });
});
