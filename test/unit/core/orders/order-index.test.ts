import { describe, expect, it } from 'vitest';
import { MemoryOrderIndex } from '#core/orders/memory-index.js';
import {
  applyOrderEvent,
  indexedOrderFromEvent,
  indexExpiry,
  orderLanguage,
  orderToTell,
  supersedes,
} from '#core/orders/order-index.js';
import type { IndexedStatus } from '#core/orders/types.js';
import { phoneHash } from '#core/phone.js';
import type { OrderPlaced, OrderStatusChanged } from '#events/index.js';
import { indexedOrder, NEVER_REGRESS, TRACKING_URL } from '#test/support/order-index-scenarios.js';

const CONTACT_CENTRE_ZONE = 'Europe/Warsaw';
const customer = (overrides: Partial<OrderPlaced['customer']> = {}): OrderPlaced['customer'] => ({
  customerId: 'C-1048213',
  phone: '+48601234567',
  locale: 'pl-PL',
  timeZone: 'Europe/Warsaw',
  consent: { transactionalSms: true, marketingSms: false, callback: true },
  ...overrides,
});
const placed = (overrides: Partial<OrderPlaced> = {}): OrderPlaced => ({
  customer: customer(),
  orderId: 'PL-2025-118734',
  cartId: 'cart-7f3a9c21',
  total: { amount: 1678.88, currency: 'PLN' },
  placedAt: '2025-11-28T21:58:10+01:00',
  ...overrides,
});
const statusChanged = (overrides: Partial<OrderStatusChanged> = {}): OrderStatusChanged => ({
  customer: customer(),
  orderId: 'PL-2025-118734',
  status: 'DELAYED',
  occurredAt: '2025-11-29T16:20:03+01:00',
  trackingUrl: TRACKING_URL,
  carrier: 'InPost',
  estimatedDelivery: '2025-12-02',
  reason: 'Snow in the sorting centre',
  ...overrides,
});
const NOW = new Date('2025-11-30T12:00:00Z');
const LATER = new Date('2025-12-30T00:00:00Z');

describe('indexedOrderFromEvent', () => {
  it('keeps a placed order as PLACED at its placing time, in UTC, and nothing of the basket or the amount', () => {
    // Act
    const order = indexedOrderFromEvent('OrderPlaced', placed(), CONTACT_CENTRE_ZONE);

    // Assess
    expect(order).toEqual({
      orderId: 'PL-2025-118734',
      status: 'PLACED',
      changedAt: '2025-11-28T20:58:10.000Z',
      language: 'pl',
      timeZone: 'Europe/Warsaw',
      smsConsent: true,
    });
  });

  it("keeps a status change's carrier, link, estimate and reason", () => {
    // Act
    const order = indexedOrderFromEvent('OrderStatusChanged', statusChanged(), CONTACT_CENTRE_ZONE);

    // Assess
    expect(order).toEqual({
      orderId: 'PL-2025-118734',
      status: 'DELAYED',
      changedAt: '2025-11-29T15:20:03.000Z',
      carrier: 'InPost',
      trackingUrl: TRACKING_URL,
      estimatedDelivery: '2025-12-02',
      reason: 'Snow in the sorting centre',
      language: 'pl',
      timeZone: 'Europe/Warsaw',
      smsConsent: true,
    });
  });

  it('leaves out the details a status change does not carry', () => {
    // Act
    const order = indexedOrderFromEvent(
      'OrderStatusChanged',
      statusChanged({
        status: 'PACKED',
        trackingUrl: undefined,
        carrier: undefined,
        estimatedDelivery: undefined,
        reason: undefined,
      }),
      CONTACT_CENTRE_ZONE,
    );

    // Assess
    expect(Object.keys(order).sort()).toEqual(
      ['changedAt', 'language', 'orderId', 'smsConsent', 'status', 'timeZone'].sort(),
    );
  });

  it.each([
    ['pl-PL', 'pl'],
    ['en-GB', 'en'],
    ['ru-RU', 'ru'],
    ['fi-FI', 'fi'],
    ['fi', 'fi'],
    ['de-DE', 'en'],
    // Filipino, whose tag starts with Finnish's two letters.
    ['fil-PH', 'en'],
  ])('speaks to a customer whose locale is %s in %s', (locale, language) => {
    // Act / Assess
    expect(orderLanguage(locale)).toBe(language);
  });

  it.each([
    ["the event's zone", customer({ timeZone: 'Europe/Helsinki', phone: '+48601234567' }), 'Europe/Helsinki'],
    [
      "the phone's country when the event has none",
      customer({ timeZone: undefined, phone: '+358401234567' }),
      'Europe/Helsinki',
    ],
    [
      "the contact centre's when the number is no mobile",
      customer({ timeZone: undefined, phone: '+80012345678' }),
      CONTACT_CENTRE_ZONE,
    ],
  ])('takes %s as the customer’s zone', (_what, who, zone) => {
    // Act
    const order = indexedOrderFromEvent('OrderPlaced', placed({ customer: who }), CONTACT_CENTRE_ZONE);

    // Assess
    expect(order.timeZone).toBe(zone);
  });

  it("keeps the customer's transactional-SMS consent, not the marketing one", () => {
    // Prepare
    const refused = customer({ consent: { transactionalSms: false, marketingSms: true, callback: true } });

    // Act
    const order = indexedOrderFromEvent('OrderPlaced', placed({ customer: refused }), CONTACT_CENTRE_ZONE);

    // Assess
    expect(order.smsConsent).toBe(false);
  });
});

describe('orderToTell', () => {
  it('tells the most recently changed order in progress, over a later delivered one', () => {
    // Prepare
    const orders = [
      indexedOrder('SHIPPED', '2025-11-29T10:00:00Z', { orderId: 'A' }),
      indexedOrder('PACKED', '2025-11-29T12:00:00Z', { orderId: 'B' }),
      indexedOrder('DELIVERED', '2025-11-30T09:00:00Z', { orderId: 'C' }),
    ];

    // Act / Assess
    expect(orderToTell(orders)?.orderId).toBe('B');
  });

  it.each<[string, IndexedStatus[]]>([
    ['delivered or cancelled', ['DELIVERED', 'CANCELLED']],
    ['none at all', []],
  ])('tells nothing when the orders are %s', (_what, statuses) => {
    // Prepare
    const orders = statuses.map((s, i) => indexedOrder(s, `2025-11-2${i}T10:00:00Z`, { orderId: `O${i}` }));

    // Act / Assess
    expect(orderToTell(orders)).toBeUndefined();
  });

  it('compares times as instants, whatever their offsets', () => {
    // Prepare: 16:20 in Warsaw is 15:20Z, earlier than 15:30Z though it sorts after it as text.
    const orders = [
      indexedOrder('SHIPPED', '2025-11-29T16:20:00+01:00', { orderId: 'WARSAW' }),
      indexedOrder('SHIPPED', '2025-11-29T15:30:00Z', { orderId: 'UTC' }),
    ];

    // Act / Assess
    expect(orderToTell(orders)?.orderId).toBe('UTC');
  });
});

describe('indexExpiry', () => {
  it('keeps an entry the retention days after its change', () => {
    // Act / Assess
    expect(indexExpiry(new Date('2025-11-29T15:20:03Z'), 30)).toEqual(new Date('2025-12-29T15:20:03Z'));
  });

  it('counts the retention from the arrival of a change that reaches peakline late, never from before it', () => {
    // Act / Assess: recorded two days after the change.
    expect(indexExpiry(new Date('2025-11-29T15:20:03Z'), 30, new Date('2025-12-01T09:00:00Z'))).toEqual(
      new Date('2025-12-31T09:00:00Z'),
    );
    // Recorded before the change's stamp (the shop's clock ahead): the change's own time counts.
    expect(indexExpiry(new Date('2025-11-29T15:20:03Z'), 30, new Date('2025-11-29T15:20:00Z'))).toEqual(
      new Date('2025-12-29T15:20:03Z'),
    );
  });
});

describe('the never-regress rule', () => {
  it.each(NEVER_REGRESS.map((c) => [c.name, c] as const))('MemoryOrderIndex: %s', async (_name, scenario) => {
    // Prepare
    const index = new MemoryOrderIndex({ maxOrdersPerPhone: 5, now: () => NOW });
    const digest = phoneHash('+48601234567');

    // Act
    const outcomes = [];
    for (const event of scenario.events) outcomes.push(await index.record(digest, event, LATER));

    // Assess
    expect(outcomes).toEqual(scenario.outcomes);
    const kept = await index.get(digest, 'PL-2025-118734');
    expect(kept).toMatchObject(scenario.kept);
    for (const field of scenario.absent ?? []) expect(kept, field).not.toHaveProperty(field);
  });

  it.each([
    ['nothing kept', undefined, 'SHIPPED', '2025-11-29T10:00:00Z', true],
    ['an older status kept', 'SHIPPED', 'OUT_FOR_DELIVERY', '2025-11-29T11:00:00Z', true],
    ['the same instant kept', 'SHIPPED', 'OUT_FOR_DELIVERY', '2025-11-29T10:00:00Z', false],
    ['a newer status kept', 'SHIPPED', 'PACKED', '2025-11-29T09:00:00Z', false],
    ['a newer status kept', 'SHIPPED', 'DELIVERED', '2025-11-29T09:00:00Z', true],
    ['a newer status kept', 'SHIPPED', 'CANCELLED', '2025-11-29T09:00:00Z', true],
    ['DELIVERED kept', 'DELIVERED', 'DELAYED', '2025-11-29T11:00:00Z', false],
    ['DELIVERED kept', 'DELIVERED', 'CANCELLED', '2025-11-29T11:00:00Z', false],
    ['CANCELLED kept', 'CANCELLED', 'SHIPPED', '2025-11-29T11:00:00Z', false],
  ] as const)('with %s, %s at %s supersedes: %s', (_what, keptStatus, status, changedAt, expected) => {
    // Prepare
    const kept = keptStatus === undefined ? undefined : indexedOrder(keptStatus, '2025-11-29T10:00:00Z');

    // Act / Assess
    expect(supersedes(kept, { status, changedAt })).toBe(expected);
  });

  it('moves the expiry of an entry forward only, when the event changes no status', () => {
    // Prepare
    const kept = { order: indexedOrder('DELIVERED', '2025-11-30T12:00:00Z'), expiresAt: 1_767_000_000 };

    // Act
    const earlier = applyOrderEvent(
      kept,
      indexedOrder('SHIPPED', '2025-11-29T10:00:00Z'),
      new Date(1_766_000_000_000),
    );
    const later = applyOrderEvent(
      kept,
      indexedOrder('DELAYED', '2025-12-01T10:00:00Z'),
      new Date(1_768_000_000_000),
    );

    // Assess
    expect(earlier).toEqual({ outcome: 'stale', entry: undefined });
    expect(later).toEqual({ outcome: 'stale', entry: { order: kept.order, expiresAt: 1_768_000_000 } });
  });
});

describe('MemoryOrderIndex', () => {
  const digest = phoneHash('+48601234567');
  const order = (id: string, day: number) =>
    indexedOrder('PLACED', `2025-11-${String(day).padStart(2, '0')}T10:00:00Z`, { orderId: id });

  it('keeps the most recent orders of a phone when a new one arrives, newest first', async () => {
    // Prepare
    const index = new MemoryOrderIndex({ maxOrdersPerPhone: 3, now: () => NOW });

    // Act
    for (const [id, day] of [
      ['A', 1],
      ['B', 2],
      ['C', 3],
      ['D', 4],
    ] as const) {
      await index.record(digest, order(id, day), LATER);
    }

    // Assess
    expect((await index.recent(digest)).map((o) => o.orderId)).toEqual(['D', 'C', 'B']);
    expect(await index.get(digest, 'A')).toBeUndefined();
  });

  it('does not keep an order older than all the phone already keeps, when it is full', async () => {
    // Prepare
    const index = new MemoryOrderIndex({ maxOrdersPerPhone: 2, now: () => NOW });
    await index.record(digest, order('B', 2), LATER);
    await index.record(digest, order('C', 3), LATER);

    // Act
    const outcome = await index.record(digest, order('A', 1), LATER);

    // Assess
    expect(outcome).toBe('stale');
    expect((await index.recent(digest)).map((o) => o.orderId)).toEqual(['C', 'B']);
  });

  it('reads no entry past its expiry, whether or not it was deleted yet', async () => {
    // Prepare
    let now = NOW;
    const index = new MemoryOrderIndex({ maxOrdersPerPhone: 5, now: () => now });
    await index.record(digest, order('A', 1), new Date('2025-12-01T00:00:00Z'));

    // Act
    now = new Date('2025-12-01T00:00:01Z');

    // Assess
    expect(await index.recent(digest)).toEqual([]);
    expect(await index.get(digest, 'A')).toBeUndefined();
  });

  it("keeps each phone's orders apart", async () => {
    // Prepare
    const index = new MemoryOrderIndex({ maxOrdersPerPhone: 5, now: () => NOW });
    await index.record(digest, order('A', 1), LATER);

    // Act / Assess
    expect(await index.recent(phoneHash('+48601234568'))).toEqual([]);
  });
});
