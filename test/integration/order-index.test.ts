/**
 * The order index on DynamoDB Local: the never-regress table the in-memory index passes too, pruning, the
 * TTL, what an item holds (no phone, no plain digest), and the writer's batches (a malformed event to the
 * dead letters with its reason, a throttled write back to the queue).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '#adapters/dynamodb/document-client.js';
import type { LeanDocumentClient } from '#adapters/dynamodb/lean-document-client.js';
import type { SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoOrderIndex } from '#adapters/dynamodb/order-index.js';
import { keyedPhoneHash } from '#adapters/dynamodb/suppression-store.js';
import { LOCAL_PHONE_HASH_KEY } from '#adapters/secrets/phone-hash-key.js';
import { MemoryOrderIndex } from '#core/orders/memory-index.js';
import { indexExpiry } from '#core/orders/order-index.js';
import { INDEXED_STATUSES, type IndexedOrder } from '#core/orders/types.js';
import { phoneHash } from '#core/phone.js';
import type { DeadLetter } from '#core/ports.js';
import { createOrderIndexConsumer, type OrderIndexMetric } from '#functions/order-index/consumer.js';
import { localDocumentClient, tableName } from '#test/support/dynamodb.js';
import { type DeliveredEvent, deliveredSample, sqsRecord } from '#test/support/events.js';
import { indexedOrder, NEVER_REGRESS, TRACKING_URL } from '#test/support/order-index-scenarios.js';

const client: LeanDocumentClient = localDocumentClient();
afterAll(() => client.destroy());

/** Every test its own phone: the table is shared by the whole run. */
let nextPhone = 48_601_200_000;
const newPhone = () => `+${(nextPhone += 1)}`;

const NOW = new Date('2025-11-30T12:00:00Z');
const LATER = new Date('2025-12-30T00:00:00Z');
const RETENTION_DAYS = 30;

const orderIndex = (documentClient: LeanDocumentClient = client, maxOrdersPerPhone = 5) =>
  new DynamoOrderIndex(documentClient, tableName('orders'), {
    key: LOCAL_PHONE_HASH_KEY,
    maxOrdersPerPhone,
    now: () => NOW,
  });

/** The items of a phone as they are stored, read with the key only the index holds. */
const storedItems = async (phone: string) => {
  const { Items } = await client.send(
    new QueryCommand({
      TableName: tableName('orders'),
      KeyConditionExpression: 'phoneKey = :k',
      ExpressionAttributeValues: { ':k': keyedPhoneHash(LOCAL_PHONE_HASH_KEY, phoneHash(phone)) },
    }),
  );
  return Items ?? [];
};

/** An OrderStatusChanged as EventBridge delivers it, for `phone`. */
const statusEvent = (phone: string, detail: Record<string, unknown> = {}): DeliveredEvent => {
  const event = deliveredSample('order-status-changed');
  event.detail = {
    ...event.detail,
    ...detail,
    customer: { ...(event.detail.customer as object), phone },
  };
  return event;
};

const writer = (documentClient: LeanDocumentClient = client, recordedAt: Date = NOW) => {
  const deadLetters: DeadLetter[] = [];
  const counts: OrderIndexMetric[] = [];
  const logs: Record<string, unknown>[] = [];
  const consume = createOrderIndexConsumer({
    index: orderIndex(documentClient),
    deadLetters: { put: async (letter) => void deadLetters.push(letter) },
    retentionDays: RETENTION_DAYS,
    fallbackTimeZone: 'Europe/Warsaw',
    now: () => recordedAt,
    log: (message, fields) => void logs.push({ message, ...fields }),
    count: (metric) => void counts.push(metric),
  });
  /** A batch as the Lambda handler runs it: in order, each failure a batch item failure. */
  const batch = (records: SQSRecord[]) =>
    processPartialResponse({ Records: records }, consume, new BatchProcessor(EventType.SQS), {
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  return { batch, deadLetters, counts, logs };
};

describe('the order index on DynamoDB Local', () => {
  it.each(NEVER_REGRESS.map((c) => [c.name, c] as const))('%s', async (_name, scenario) => {
    // Prepare
    const index = orderIndex();
    const digest = phoneHash(newPhone());

    // Act
    const outcomes = [];
    for (const event of scenario.events) outcomes.push(await index.record(digest, event, LATER));

    // Assess
    expect(outcomes).toEqual(scenario.outcomes);
    const kept = await index.get(digest, 'PL-2025-118734');
    expect(kept).toMatchObject(scenario.kept);
    for (const field of scenario.absent ?? []) expect(kept, field).not.toHaveProperty(field);
  });

  it('keeps the maxOrdersPerPhone most recent orders of a phone, and deletes the older ones', async () => {
    // Prepare
    const phone = newPhone();
    const index = orderIndex(client, 3);
    const days = [
      ['A', '01'],
      ['B', '02'],
      ['C', '03'],
      ['D', '04'],
    ] as const;

    // Act
    for (const [orderId, day] of days) {
      await index.record(
        phoneHash(phone),
        indexedOrder('PLACED', `2025-11-${day}T10:00:00Z`, { orderId }),
        LATER,
      );
    }

    // Assess
    expect((await index.recent(phoneHash(phone))).map((o) => o.orderId)).toEqual(['D', 'C', 'B']);
    expect((await storedItems(phone)).map((item) => item.orderId).sort()).toEqual(['B', 'C', 'D']);
  });

  it('reads no entry past its expiry, though DynamoDB has not deleted it yet', async () => {
    // Prepare
    const phone = newPhone();
    await orderIndex().record(
      phoneHash(phone),
      indexedOrder('SHIPPED', '2025-10-01T10:00:00Z'),
      new Date('2025-10-31T10:00:00Z'),
    );

    // Act
    const recent = await orderIndex().recent(phoneHash(phone));

    // Assess
    expect(recent).toEqual([]);
    expect(await storedItems(phone)).toHaveLength(1);
  });
});

describe('the order-index writer on DynamoDB Local', () => {
  it('sets the TTL the retention days after the change, in epoch seconds', async () => {
    // Prepare: the change is recorded the moment it happens.
    const phone = newPhone();
    const { batch } = writer(client, new Date('2025-11-29T15:20:03Z'));

    // Act: the sample changed at 2025-11-29T16:20:03+01:00.
    await batch([sqsRecord(statusEvent(phone))]);

    // Assess
    const [item] = await storedItems(phone);
    expect(item?.expiresAt).toBe(Date.parse('2025-12-29T15:20:03Z') / 1000);
  });

  it('keeps a change that arrives after its retention has run the retention days from its arrival, and a caller finds it', async () => {
    // Prepare: the sample (changed 2025-11-29) replayed a year later, as the local stack's users send it.
    const phone = newPhone();
    const arrival = new Date('2026-11-27T17:00:00Z');
    const { batch } = writer(client, arrival);

    // Act
    await batch([sqsRecord(statusEvent(phone))]);

    // Assess: kept 30 days from its arrival, and read back on the day it arrived.
    const [item] = await storedItems(phone);
    expect(item?.expiresAt).toBe(Date.parse('2026-12-27T17:00:00Z') / 1000);
    const onArrival = new DynamoOrderIndex(client, tableName('orders'), {
      key: LOCAL_PHONE_HASH_KEY,
      maxOrdersPerPhone: 5,
      now: () => arrival,
    });
    expect((await onArrival.recent(phoneHash(phone))).map((o) => o.status)).toEqual(['SHIPPED']);
  });

  it('stores no phone in clear and no plain digest, only what the announcement needs', async () => {
    // Prepare
    const phone = newPhone();
    const { batch, logs } = writer();

    // Act
    await batch([sqsRecord(statusEvent(phone))]);

    // Assess
    const items = await storedItems(phone);
    expect(items).toHaveLength(1);
    const text = JSON.stringify(items);
    expect(text).not.toContain(phone.slice(1));
    expect(text).not.toContain(phoneHash(phone));
    expect(text).not.toContain('C-1048213');
    expect(Object.keys(items[0] ?? {}).sort()).toEqual(
      [
        'carrier',
        'changedAt',
        'estimatedDelivery',
        'expiresAt',
        'language',
        'orderId',
        'phoneKey',
        'smsConsent',
        'status',
        'timeZone',
        'trackingUrl',
      ].sort(),
    );
    expect(JSON.stringify(logs)).not.toContain(phone.slice(1));
  });

  it('dead-letters a malformed event with its reason and indexes the good ones of the batch', async () => {
    // Prepare
    const phone = newPhone();
    const { batch, deadLetters, counts } = writer();
    const malformed = statusEvent(newPhone(), { trackingUrl: 'http://inpost.pl/x' });

    // Act
    const response = await batch([sqsRecord(malformed), sqsRecord(statusEvent(phone))]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLetters).toEqual([
      {
        reason: expect.stringMatching(/^detail\.trackingUrl: expected an absolute https URL/),
        refusedBy: 'order-index',
        event: malformed,
      },
    ]);
    expect(counts).toEqual(['EventsDeadLettered', 'OrderIndexRecorded']);
    expect(await orderIndex().get(phoneHash(phone), 'PL-2025-118734')).toMatchObject({
      status: 'SHIPPED',
      trackingUrl: TRACKING_URL,
    });
  });

  it('gives a throttled write back to the queue as a batch item failure, and indexes it when it comes back', async () => {
    // Prepare: DynamoDB throttles the first update, then recovers.
    const phone = newPhone();
    let throttles = 1;
    const throttling = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
        return async (command: unknown) => {
          if (command instanceof UpdateCommand && throttles > 0) {
            throttles -= 1;
            throw new ProvisionedThroughputExceededException({
              message: 'Throughput exceeds the current capacity',
              $metadata: {},
            });
          }
          return target.send(command as UpdateCommand);
        };
      },
    });
    const { batch, deadLetters } = writer(throttling);
    const record = sqsRecord(statusEvent(phone));

    // Act
    const first = await batch([record]);
    const again = await batch([record]);

    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(again.batchItemFailures).toEqual([]);
    expect(deadLetters).toEqual([]);
    expect(await orderIndex().get(phoneHash(phone), 'PL-2025-118734')).toMatchObject({ status: 'SHIPPED' });
  });

  it('counts a copy delivered twice as stale, and changes nothing', async () => {
    // Prepare
    const phone = newPhone();
    const { batch, counts } = writer();
    const event = statusEvent(phone);

    // Act
    await batch([sqsRecord(event), sqsRecord(event)]);

    // Assess
    expect(counts).toEqual(['OrderIndexRecorded', 'OrderIndexStale']);
    expect(await storedItems(phone)).toHaveLength(1);
  });

  it('costs one DynamoDB call for a status of a known order, two for a new order, one for a duplicate', async () => {
    // Prepare: every call the index makes is counted.
    const phone = newPhone();
    const calls: string[] = [];
    const counting = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
        return (command: UpdateCommand) => {
          calls.push(command.constructor.name);
          return target.send(command);
        };
      },
    });
    const { batch } = writer(counting);
    const shipped = statusEvent(phone);
    const delivered = statusEvent(phone, { status: 'DELIVERED', occurredAt: '2025-11-30T11:00:00+01:00' });

    // Act
    await batch([sqsRecord(shipped)]);
    const afterNew = calls.splice(0);
    await batch([sqsRecord(delivered)]);
    const afterStatus = calls.splice(0);
    await batch([sqsRecord(delivered)]);
    const afterDuplicate = calls.splice(0);

    // Assess
    expect(afterNew).toEqual(['UpdateCommand', 'QueryCommand']);
    expect(afterStatus).toEqual(['UpdateCommand']);
    expect(afterDuplicate).toEqual(['UpdateCommand']);
  });
});

describe('the DynamoDB index and the in-memory one', () => {
  type EventDraw = {
    orderId: string;
    status: IndexedOrder['status'];
    minute: number;
    carrier: string | undefined;
    trackingUrl: string | undefined;
    reason: string | undefined;
    smsConsent: boolean;
  };
  /** One order event: a few orders, a few minutes apart (ties included), with or without each detail. */
  const event: fc.Arbitrary<EventDraw> = fc.record({
    orderId: fc.constantFrom('A', 'B', 'C'),
    status: fc.constantFrom(...INDEXED_STATUSES),
    minute: fc.integer({ min: 0, max: 6 }),
    carrier: fc.option(fc.constantFrom('InPost', 'DPD'), { nil: undefined }),
    trackingUrl: fc.option(fc.constantFrom(TRACKING_URL, 'https://dpd.com.pl/t/1'), { nil: undefined }),
    reason: fc.option(fc.constant('Snow'), { nil: undefined }),
    smsConsent: fc.boolean(),
  });
  const toOrder = (e: EventDraw): IndexedOrder => ({
    orderId: e.orderId,
    status: e.status,
    changedAt: new Date(Date.UTC(2025, 10, 29, 10, e.minute)).toISOString(),
    language: 'pl',
    timeZone: 'Europe/Warsaw',
    smsConsent: e.smsConsent,
    ...(e.carrier === undefined ? {} : { carrier: e.carrier }),
    ...(e.trackingUrl === undefined ? {} : { trackingUrl: e.trackingUrl }),
    ...(e.reason === undefined ? {} : { reason: e.reason }),
  });

  it('answer alike for any sequence of events, duplicates and pruning included (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 12 }), async (events) => {
        // Prepare: two orders per phone, so a third prunes.
        const digest = phoneHash(newPhone());
        const memory = new MemoryOrderIndex({ maxOrdersPerPhone: 2, now: () => NOW });
        const dynamo = orderIndex(client, 2);

        // Act
        const outcomes: [string, string][] = [];
        for (const e of events) {
          const order = toOrder(e);
          const expiresAt = indexExpiry(new Date(order.changedAt), RETENTION_DAYS);
          outcomes.push([
            await memory.record(digest, order, expiresAt),
            await dynamo.record(digest, order, expiresAt),
          ]);
        }

        // Assess
        for (const [inMemory, onDynamo] of outcomes) expect(onDynamo).toBe(inMemory);
        expect(await dynamo.recent(digest)).toEqual(await memory.recent(digest));
      }),
      { seed: 15, numRuns: 60 },
    );
  });
});
