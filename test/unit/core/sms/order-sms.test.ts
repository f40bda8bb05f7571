import { describe, expect, it } from 'vitest';
import type { DeferredSms, LedgerStatus, OrderLedger, OutgoingSms, RoutingState } from '#core/ports.js';
import { decideOrderSms, type OrderFact, type OrderSmsDeps } from '#core/sms/order-sms.js';

/** An in-memory ledger with the DynamoDB one's rules, enough for the decision's own logic. */
const memoryLedger = (): OrderLedger & { orders: Map<string, LedgerStatus> } => {
  const orders = new Map<string, LedgerStatus>();
  return {
    orders,
    advance: async (orderId, status) => {
      const current = orders.get(orderId);
      const rank = (s: LedgerStatus) =>
        ({ PLACED: 0, PACKED: 1, SHIPPED: 2, OUT_FOR_DELIVERY: 3, DELIVERED: 4, DELAYED: 0, CANCELLED: 9 })[
          s
        ];
      if (current && (current === 'CANCELLED' || rank(current) >= rank(status)))
        return { advanced: false, current };
      orders.set(orderId, status);
      return { advanced: true };
    },
    defer: async (_: DeferredSms) => {},
    dueDeferred: async () => [],
    claimDeferred: async () => true,
    completeDeferred: async () => {},
    addDailySegments: async (_day, segments) => segments,
    claimOnce: async () => true,
  };
};

const fact = (overrides: Partial<OrderFact> = {}, consent = true): OrderFact => ({
  eventId: 'e-1',
  orderId: 'PL-1',
  status: 'PLACED',
  occurredAt: '2026-11-27T11:00:00Z',
  total: { amount: 129.99, currency: 'PLN' },
  customer: {
    customerId: 'C-1',
    phone: '+48601234567',
    locale: 'pl-PL',
    consent: { transactionalSms: consent, marketingSms: false, callback: false },
  },
  ...overrides,
});

const world = (routing: RoutingState = 'NORMAL', overloaded: 'auto' | 'OVERFLOW' | 'DEFLECT' = 'auto') => {
  const sent: OutgoingSms[] = [];
  const published: string[] = [];
  const deps: OrderSmsDeps = {
    clock: { now: () => new Date('2026-11-27T11:00:00Z') },
    ledger: memoryLedger(),
    suppression: { suppress: async () => true, isSuppressed: async () => false },
    sender: { send: async (sms) => (sent.push(sms), { messageId: 'm' }) },
    events: { publish: async (type) => void published.push(type) },
    routing: { stateOf: async () => routing },
    settings: {
      shopName: 'Sklep Peak',
      segmentCap: 3,
      dailySegmentCap: 1000,
      quietHours: { start: '21:00', end: '08:00' },
      replyWithinHours: { OVERFLOW: 4, DEFLECT: 24 },
      overloaded,
      fallbackTimeZone: 'Europe/Warsaw',
      primaryQueueId: 'primary',
    },
  };
  return { deps, sent, published };
};

describe('order SMS decision', () => {
  it('sends nothing without consent to transactional SMS, and says so', async () => {
    const { deps, sent, published } = world();
    const decision = await decideOrderSms(fact({}, false), deps);
    expect(decision).toMatchObject({ outcome: 'SUPPRESSED', reason: 'no-consent', to: '+48*****4567' });
    expect(sent).toEqual([]);
    expect(published).toEqual(['SmsSuppressed']);
  });

  it.each([
    ['+48221234567', 'not-mobile'],
    ['+4860123', 'invalid-phone'],
  ])('refuses %s as %s', async (phone, reason) => {
    const { deps, sent } = world();
    const base = fact();
    const decision = await decideOrderSms({ ...base, customer: { ...base.customer, phone } }, deps);
    expect(decision).toMatchObject({ outcome: 'SUPPRESSED', reason });
    expect(sent).toEqual([]);
  });

  it('promises a reply within the configured hours while the primary queue overflows', async () => {
    const normal = world('NORMAL');
    const overflow = world('OVERFLOW');
    const deflect = world('DEFLECT');
    await decideOrderSms(fact(), normal.deps);
    await decideOrderSms(fact(), overflow.deps);
    await decideOrderSms(fact(), deflect.deps);
    expect(normal.sent[0]?.body).not.toMatch(/godzin/);
    expect(overflow.sent[0]?.body).toMatch(/4 godziny/);
    expect(deflect.sent[0]?.body).toMatch(/24 godziny/);
  });

  it('follows the configured switch whatever the routing state', async () => {
    const forced = world('NORMAL', 'DEFLECT');
    await decideOrderSms(fact(), forced.deps);
    expect(forced.sent[0]?.body).toMatch(/24 godziny/);
  });

  it('writes in the customer’s language', async () => {
    const { deps, sent } = world();
    const base = fact();
    await decideOrderSms({ ...base, customer: { ...base.customer, locale: 'fi-FI' } }, deps);
    expect(sent[0]).toMatchObject({ encoding: 'GSM-7', kind: 'order-placed' });
    expect(sent[0]?.body).toMatch(/tilaus/i);
  });
});
