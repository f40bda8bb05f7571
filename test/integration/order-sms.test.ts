import { randomUUID } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoOrderLedger } from '#adapters/dynamodb/order-ledger.js';
import { DynamoRoutingStateReader } from '#adapters/dynamodb/routing-state.js';
import { DynamoSuppressionStore } from '#adapters/dynamodb/suppression-store.js';
import { LOCAL_PHONE_HASH_KEY } from '#adapters/secrets/phone-hash-key.js';
import { phoneHash } from '#core/phone.js';
import { type DeadLetter, type OutgoingSms, SmsRetryableError } from '#core/ports.js';
import {
  DailyAllowance,
  type OrderSmsDeps,
  releaseDeferredSms,
  type SmsDecision,
  SmsOutbox,
} from '#core/sms/order-sms.js';
import { createOrderSmsConsumer } from '#functions/order-sms/consumer.js';
import { localDocumentClient, tableName } from '#test/support/dynamodb.js';
import { deliveredSample, sqsRecord } from '#test/support/events.js';
import { orderSmsTestSettings } from '#test/support/order-sms-settings.js';

const documents = localDocumentClient();
afterAll(() => {
  documents.destroy();
});
/** A release run with all the time and parts it wants. */
const ALL_DAY = { maxParts: 1000, partsPerSecond: 1000, remainingMs: () => 60_000 };

/** 12:00 in Warsaw on Black Friday: no quiet hours. */
const NOON_WARSAW = new Date('2026-11-27T11:00:00Z');

interface World {
  sent: OutgoingSms[];
  published: { detailType: string; detail: Record<string, unknown> }[];
  deadLetters: DeadLetter[];
  decisions: SmsDecision[];
  clock: { at: Date };
  sendFailures: number;
  deps: OrderSmsDeps;
  consume: ReturnType<typeof createOrderSmsConsumer>;
}

const makeWorld = (settings: Partial<OrderSmsDeps['settings']> = {}): World => {
  const world = {
    sent: [],
    published: [],
    deadLetters: [],
    decisions: [],
    clock: { at: NOON_WARSAW },
    sendFailures: 0,
  } as unknown as World;
  const clock = { now: () => world.clock.at };
  const ledger = new DynamoOrderLedger(documents, tableName('ledger'), 30, clock.now);
  const deps: OrderSmsDeps = {
    clock,
    ledger,
    outbox: new SmsOutbox(),
    allowance: new DailyAllowance(ledger, () => deps.settings.dailySegmentCap),
    suppression: new DynamoSuppressionStore(documents, tableName('suppression'), {
      key: LOCAL_PHONE_HASH_KEY,
    }),
    routing: new DynamoRoutingStateReader(documents, tableName('routing')),
    sender: {
      send: async (sms) => {
        if (world.sendFailures > 0) {
          world.sendFailures -= 1;
          throw new SmsRetryableError('SNS ThrottledException: the SMS goes back to the queue');
        }
        world.sent.push(sms);
        return { messageId: randomUUID() };
      },
    },
    events: { publish: async (detailType, detail) => void world.published.push({ detailType, detail }) },
    settings: orderSmsTestSettings(settings),
  };
  world.deps = deps;
  world.consume = createOrderSmsConsumer({
    sms: deps,
    deadLetters: { put: async (letter) => void world.deadLetters.push(letter) },
    maxAttempts: 5,
    log: () => {},
    count: () => {},
    onDecision: (decision) => void world.decisions.push(decision),
  });
  return world;
};

/** A sample event about an order of its own, so tests sharing the tables never meet. */
const orderEvent = (sample: 'order-placed' | 'order-status-changed', orderId: string, status?: string) => {
  const event = deliveredSample(sample);
  event.detail.orderId = orderId;
  if (status) event.detail.status = status;
  return event;
};
const newOrderId = () => `IT-${randomUUID().slice(0, 8)}`;

describe('order SMS on DynamoDB Local', () => {
  let world: World;
  beforeEach(() => {
    world = makeWorld();
  });

  it('sends one SMS when EventBridge delivers the same event twice', async () => {
    // Prepare
    const event = orderEvent('order-placed', newOrderId());

    // Act
    await world.consume(sqsRecord(event));
    await world.consume(sqsRecord(event));

    // Assess
    expect(world.sent).toHaveLength(1);
    expect(world.published.filter((p) => p.detailType === 'SmsSent')).toHaveLength(1);
  });

  it('sends one SMS when the shop sends the same fact again under a new event id', async () => {
    const orderId = newOrderId();
    await world.consume(sqsRecord(orderEvent('order-status-changed', orderId, 'SHIPPED')));
    await world.consume(sqsRecord(orderEvent('order-status-changed', orderId, 'SHIPPED')));
    expect(world.sent).toHaveLength(1);
  });

  it('sends one SMS when copies of the fact run at once', async () => {
    // Prepare
    const orderId = newOrderId();
    const copies = Array.from({ length: 5 }, () =>
      sqsRecord(orderEvent('order-status-changed', orderId, 'PACKED')),
    );

    // Act: all at once; a copy that meets one in progress fails and comes back, as SQS would bring it.
    const first = await Promise.allSettled(copies.map((record) => world.consume(record)));
    const failed = copies.filter((_, i) => first[i]?.status === 'rejected');
    await Promise.all(failed.map((record) => world.consume(record)));

    // Assess
    expect(world.sent).toHaveLength(1);
  });

  it('never lets a late SHIPPED follow DELIVERED, and says why', async () => {
    // Prepare
    const orderId = newOrderId();
    await world.consume(sqsRecord(orderEvent('order-status-changed', orderId, 'DELIVERED')));

    // Act
    await world.consume(sqsRecord(orderEvent('order-status-changed', orderId, 'SHIPPED')));

    // Assess
    expect(world.sent.map((s) => s.kind)).toEqual(['order-delivered']);
    expect(world.decisions.at(-1)).toMatchObject({
      outcome: 'SUPPRESSED',
      reason: 'status-regression',
      detail: 'the order is already DELIVERED',
    });
    expect(world.published.at(-1)).toMatchObject({
      detailType: 'SmsSuppressed',
      detail: { reason: 'status-regression' },
    });
  });

  it('sends nothing after CANCELLED', async () => {
    const orderId = newOrderId();
    await world.consume(sqsRecord(orderEvent('order-status-changed', orderId, 'CANCELLED')));
    await world.consume(sqsRecord(orderEvent('order-status-changed', orderId, 'OUT_FOR_DELIVERY')));
    expect(world.sent.map((s) => s.kind)).toEqual(['order-cancelled']);
    expect(world.decisions.at(-1)).toMatchObject({ outcome: 'SUPPRESSED', reason: 'order-cancelled' });
  });

  it('holds an SMS through the quiet hours and sends it once at 08:00 the customer’s time', async () => {
    // Prepare: 23:30 in Warsaw.
    world.clock.at = new Date('2026-11-27T22:30:00Z');
    const orderId = newOrderId();

    // Act
    await world.consume(sqsRecord(orderEvent('order-placed', orderId)));
    const deferred = world.decisions.at(-1);
    world.clock.at = new Date('2026-11-28T06:59:00Z');
    const tooEarly = await releaseDeferredSms(world.deps, ALL_DAY);
    world.clock.at = new Date('2026-11-28T07:00:30Z');
    const released = await releaseDeferredSms(world.deps, ALL_DAY);
    const again = await releaseDeferredSms(world.deps, ALL_DAY);

    // Assess
    expect(deferred).toMatchObject({ outcome: 'DEFERRED', sendAt: '2026-11-28T07:00:00.000Z' });
    expect(tooEarly.filter((d) => d.orderId === orderId)).toEqual([]);
    expect(released.filter((d) => d.orderId === orderId)).toMatchObject([{ outcome: 'SENT' }]);
    expect(again.filter((d) => d.orderId === orderId)).toEqual([]);
    expect(world.sent.filter((s) => s.orderId === orderId)).toHaveLength(1);
  });

  it('does not text a phone on the suppression list', async () => {
    // Prepare
    const event = orderEvent('order-placed', newOrderId());
    const phone = `+4860${String(Date.now()).slice(-7)}`;
    (event.detail.customer as { phone: string }).phone = phone;
    await world.deps.suppression.suppress({
      phoneHash: phoneHash(phone),
      channel: 'sms',
      optedOutAt: '2026-11-01T00:00:00.000Z',
      sourceEventId: 'opt-out-1',
      expiresAt: Math.floor(Date.parse('2029-01-01') / 1000),
    });

    // Act
    await world.consume(sqsRecord(event));

    // Assess
    expect(world.sent).toEqual([]);
    expect(world.decisions.at(-1)).toMatchObject({ outcome: 'SUPPRESSED', reason: 'opted-out' });
  });

  it('returns a throttled SMS to the queue and sends it once on the next delivery', async () => {
    // Prepare
    world.sendFailures = 1;
    const record = sqsRecord(orderEvent('order-placed', newOrderId()));

    // Act
    const firstDelivery = world.consume(record);
    await expect(firstDelivery).rejects.toThrow(SmsRetryableError);
    await world.consume({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } });

    // Assess
    expect(world.sent).toHaveLength(1);
    expect(world.deadLetters).toEqual([]);
  });

  it('gives up after the last attempt with the reason, instead of losing the event', async () => {
    // Prepare
    world.sendFailures = 100;
    const record = sqsRecord(orderEvent('order-placed', newOrderId()));

    // Act
    await world.consume({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '5' } });

    // Assess
    expect(world.sent).toEqual([]);
    expect(world.deadLetters).toHaveLength(1);
    expect(world.deadLetters[0]?.reason).toMatch(
      /^gave up after 5 attempts; last error: SmsRetryableError: SNS ThrottledException/,
    );
  });

  it('stops at the daily cap and says so', async () => {
    // Prepare: a cap below the parts already sent today by the tests before.
    const capped = makeWorld({ dailySegmentCap: 1 });
    await capped.consume(sqsRecord(orderEvent('order-placed', newOrderId())));

    // Act
    await capped.consume(sqsRecord(orderEvent('order-placed', newOrderId())));

    // Assess
    expect(capped.decisions.at(-1)).toMatchObject({ outcome: 'SUPPRESSED', reason: 'daily-cap-reached' });
  });
});
