import type { LeanDocumentClient } from '#adapters/dynamodb/lean-document-client.js';
import { ScanCommand } from '#adapters/dynamodb/document-client.js';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoFactStore } from '#adapters/dynamodb/fact-store.js';
import type { DeadLetter } from '#core/ports.js';
import { createFactRecorderConsumer, type FactRecorderMetric } from '#functions/fact-recorder/consumer.js';
import { localDocumentClient } from '#test/support/dynamodb.js';
import type { DeliveredEvent } from '#test/support/events.js';
import { sqsRecord } from '#test/support/events.js';
import {
  createFactsTable,
  FIXTURE_CUSTOMER_ID,
  FIXTURE_MASKED_PHONE,
  FIXTURE_PHONE,
  FIXTURE_SHOP_SOURCE,
  factEvent,
  type FixtureFact,
  reannounced,
} from '#test/support/facts.js';

const WARSAW = 'Europe/Warsaw';
/** 2026-11-27 in Warsaw (CET, UTC+1): 2026-11-26T23:00Z up to 2026-11-27T23:00Z. */
const NOV_27 = {
  from: new Date('2026-11-26T23:00:00Z'),
  to: new Date('2026-11-27T23:00:00Z'),
  timeZone: WARSAW,
};
const NOV_27_28 = { ...NOV_27, to: new Date('2026-11-28T23:00:00Z') };

const client: LeanDocumentClient = localDocumentClient();
afterAll(() => client.destroy());

/** Each test gets its own table: the report's range reads see that test's facts and nothing else. */
const recorder = async () => {
  const table = await createFactsTable();
  const store = new DynamoFactStore(client, table);
  const counts: FactRecorderMetric[] = [];
  const deadLetters: DeadLetter[] = [];
  const consume = createFactRecorderConsumer({
    store,
    deadLetters: { put: async (letter) => void deadLetters.push(letter) },
    shopSource: FIXTURE_SHOP_SOURCE,
    log: () => {},
    count: (metric) => counts.push(metric),
  });
  const deliver = async (...events: DeliveredEvent[]) => {
    for (const event of events) await consume(sqsRecord(event));
  };
  const record = (...facts: FixtureFact[]) => deliver(...facts.map((fact) => factEvent(fact)));
  return { table, store, counts, deadLetters, deliver, record };
};

describe('the facts table on DynamoDB Local', () => {
  it('counts an SMS delivered twice once', async () => {
    // Prepare
    const { store, counts, deliver } = await recorder();
    const sent = factEvent({
      type: 'SmsSent',
      at: '2026-11-27T10:00:00+01:00',
      kind: 'status',
      status: 'SHIPPED',
      parts: 2,
    });

    // Act
    await deliver(sent, sent);

    // Assess
    expect(counts).toEqual(['FactsRecorded', 'FactsDuplicate']);
    expect(await store.smsFigures(NOV_27)).toEqual([
      { day: '2026-11-27', kind: 'status', status: 'SHIPPED', outcome: 'SENT', count: 1, parts: 2 },
    ]);
  });

  it('counts a suppression announced again under a new event id, later, once, on the day it first came', async () => {
    // Prepare: first on the bus at 23:30 in Warsaw on the 27th, announced again at 00:30 on the 28th.
    const { store, counts, deliver } = await recorder();
    const first = factEvent(
      {
        type: 'SmsSuppressed',
        at: '2026-11-27T22:30:00Z',
        kind: 'status',
        status: 'PACKED',
        reason: 'no-consent',
      },
      { time: '2026-11-27T22:30:00Z' },
    );
    const again = reannounced(first, '2026-11-27T23:30:00Z');

    // Act
    await deliver(first, again);

    // Assess
    expect(counts).toEqual(['FactsRecorded', 'FactsDuplicate']);
    expect(await store.smsFigures(NOV_27_28)).toEqual([
      {
        day: '2026-11-27',
        kind: 'status',
        status: 'PACKED',
        outcome: 'SUPPRESSED',
        reason: 'no-consent',
        count: 1,
        parts: 0,
      },
    ]);
  });

  it('counts a callback cancelled that arrives before its scheduling, and a created one announced twice once', async () => {
    // Prepare
    const { store, deliver } = await recorder();
    const created = factEvent({
      type: 'CallbackCreated',
      at: '2026-11-27T11:00:00+01:00',
      cartId: 'cart-y',
      cartValue: 120,
    });

    // Act
    await deliver(
      factEvent({
        type: 'CallbackCancelled',
        at: '2026-11-27T15:00:00+01:00',
        cartId: 'cart-x',
        reason: 'replaced-by-sms',
      }),
      factEvent({ type: 'CallbackScheduled', at: '2026-11-27T09:00:00+01:00', cartId: 'cart-x' }),
      factEvent({ type: 'CallbackScheduled', at: '2026-11-27T09:05:00+01:00', cartId: 'cart-y' }),
      created,
      reannounced(created, '2026-11-27T10:20:00Z'),
    );

    // Assess
    expect(await store.callbackFigures(NOV_27)).toEqual([
      {
        day: '2026-11-27',
        scheduled: 2,
        created: 1,
        cancelled: { 'replaced-by-sms': 1 },
        converted: 0,
        convertedValues: {},
      },
    ]);
  });

  it('counts a callback converted whether its cart order was recorded before or after it, even after the range', async () => {
    // Prepare: A ordered (recorded first) after its task; B ordered after the range, recorded last; C ordered
    // before its task; D ordered while the task was made (lateOrderId); E never ordered.
    const { store, record } = await recorder();
    await record({ type: 'OrderPlaced', at: '2026-11-27T12:00:00+01:00', cartId: 'cart-a' });
    await record(
      { type: 'CallbackCreated', at: '2026-11-27T11:00:00+01:00', cartId: 'cart-a', cartValue: 249.99 },
      { type: 'CallbackCreated', at: '2026-11-27T11:30:00+01:00', cartId: 'cart-b', cartValue: 100.5 },
      { type: 'OrderPlaced', at: '2026-11-27T10:00:00+01:00', cartId: 'cart-c' },
      { type: 'CallbackCreated', at: '2026-11-27T11:45:00+01:00', cartId: 'cart-c', cartValue: 80 },
      {
        type: 'CallbackCreated',
        at: '2026-11-27T12:00:00+01:00',
        cartId: 'cart-d',
        cartValue: 59.9,
        lateOrder: true,
      },
      { type: 'CallbackCreated', at: '2026-11-27T12:30:00+01:00', cartId: 'cart-e', cartValue: 999 },
    );

    // Act
    await record({ type: 'OrderPlaced', at: '2026-11-29T08:00:00+01:00', cartId: 'cart-b' });
    const figures = await store.callbackFigures(NOV_27);

    // Assess: A, B and D; 249.99 + 100.50 + 59.90.
    expect(figures).toEqual([
      {
        day: '2026-11-27',
        scheduled: 0,
        created: 5,
        cancelled: {},
        converted: 3,
        convertedValues: { PLN: 410.39 },
      },
    ]);
  });

  it("keeps a cart's latest order, so a later order converts and a late copy of an earlier one changes nothing", async () => {
    // Prepare: the cart was ordered before its task, then again after it.
    const { store, record } = await recorder();
    await record(
      { type: 'OrderPlaced', at: '2026-11-27T10:00:00+01:00', cartId: 'cart-c', orderId: 'PL-1' },
      { type: 'CallbackCreated', at: '2026-11-27T11:00:00+01:00', cartId: 'cart-c', cartValue: 80 },
      { type: 'OrderPlaced', at: '2026-11-27T13:00:00+01:00', cartId: 'cart-c', orderId: 'PL-2' },
    );

    // Act: the first order delivered again, late.
    await record({ type: 'OrderPlaced', at: '2026-11-27T10:00:00+01:00', cartId: 'cart-c', orderId: 'PL-1' });

    // Assess
    expect(await store.ordersOfCarts(['cart-c'])).toEqual(new Map([['cart-c', '2026-11-27T12:00:00.000Z']]));
    expect((await store.callbackFigures(NOV_27))[0]).toMatchObject({
      converted: 1,
      convertedValues: { PLN: 80 },
    });
  });

  it('cuts days at midnight in the shop zone across the UTC days the range overlaps, page by page', async () => {
    // Prepare: 00:30 in Warsaw on the 27th is still the 26th in UTC; 00:30 on the 28th is the 27th in UTC.
    const { table, record } = await recorder();
    const status = (at: string): FixtureFact => ({
      type: 'SmsSent',
      at,
      kind: 'status',
      status: 'DELIVERED',
      parts: 1,
    });
    await record(
      status('2026-11-26T22:59:59Z'), // 23:59:59 on the 26th: outside
      status('2026-11-26T23:30:00Z'), // 00:30 on the 27th
      status('2026-11-27T09:00:00Z'),
      status('2026-11-27T12:00:00Z'),
      status('2026-11-27T22:59:59Z'), // 23:59:59 on the 27th
      status('2026-11-27T23:30:00Z'), // 00:30 on the 28th: outside
    );
    const paged = new DynamoFactStore(client, table, { pageSize: 2 });

    // Act
    const figures = await paged.smsFigures(NOV_27);

    // Assess
    expect(figures).toEqual([
      { day: '2026-11-27', kind: 'status', status: 'DELIVERED', outcome: 'SENT', count: 4, parts: 4 },
    ]);
  });

  it('reads the orders of more carts than one BatchGet takes', async () => {
    // Prepare: 130 callbacks, each cart ordered an hour after its task.
    const { store, record } = await recorder();
    const facts: FixtureFact[] = [];
    for (let i = 0; i < 130; i += 1) {
      const minute = String(i % 60).padStart(2, '0');
      facts.push(
        {
          type: 'CallbackCreated',
          at: `2026-11-27T1${Math.floor(i / 60)}:${minute}:00+01:00`,
          cartId: `cart-${i}`,
          cartValue: 10,
        },
        {
          type: 'OrderPlaced',
          at: `2026-11-27T1${Math.floor(i / 60) + 1}:${minute}:00+01:00`,
          cartId: `cart-${i}`,
        },
      );
    }
    await record(...facts);

    // Act
    const [day] = await store.callbackFigures(NOV_27);

    // Assess
    expect(day).toMatchObject({ created: 130, converted: 130, convertedValues: { PLN: 1300 } });
  });

  it('stores no phone, masked or not, and no customer id', async () => {
    // Prepare
    const { table, record, counts } = await recorder();

    // Act
    await record(
      {
        type: 'SmsSent',
        at: '2026-11-27T10:00:00+01:00',
        kind: 'order-confirmation',
        status: 'PLACED',
        parts: 1,
      },
      { type: 'SmsSuppressed', at: '2026-11-27T10:00:00+01:00', kind: 'status', reason: 'opted-out' },
      { type: 'CallbackScheduled', at: '2026-11-27T10:00:00+01:00', cartId: 'cart-p' },
      { type: 'CallbackCreated', at: '2026-11-27T11:00:00+01:00', cartId: 'cart-p', cartValue: 10 },
      {
        type: 'CallbackCancelled',
        at: '2026-11-27T11:00:00+01:00',
        cartId: 'cart-q',
        reason: 'order-placed',
      },
      { type: 'OrderPlaced', at: '2026-11-27T11:00:00+01:00', cartId: 'cart-q' },
    );

    // Assess
    expect(counts).toEqual(Array(6).fill('FactsRecorded'));
    const { Items = [] } = await client.send(new ScanCommand({ TableName: table }));
    expect(Items).toHaveLength(6);
    const stored = JSON.stringify(Items);
    for (const personal of [
      FIXTURE_PHONE,
      FIXTURE_PHONE.slice(3),
      FIXTURE_MASKED_PHONE,
      FIXTURE_CUSTOMER_ID,
    ]) {
      expect(stored).not.toContain(personal);
    }
    for (const item of Items) {
      expect(Object.keys(item)).not.toEqual(expect.arrayContaining(['to']));
      expect(Object.keys(item)).not.toEqual(expect.arrayContaining(['customerId']));
      expect(Object.keys(item)).not.toEqual(expect.arrayContaining(['customer']));
    }
  });
});
