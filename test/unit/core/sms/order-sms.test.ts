import { describe, expect, it } from 'vitest';
import type { LedgerStatus, OrderLedger, OutgoingSms, RoutingState } from '#core/ports.js';
import {
  DailyAllowance,
  decideOrderSms,
  type OrderFact,
  type OrderSmsDeps,
  SmsOutbox,
  supersededBy,
} from '#core/sms/order-sms.js';
import { orderSmsTestSettings } from '#test/support/order-sms-settings.js';

/**
 * A ledger where every claim goes through (the claim's own rules are proved on DynamoDB Local, in
 * test/integration/order-sms*.test.ts): enough for the decision's wording and routing logic.
 */
const memoryLedger = (): OrderLedger => {
  const none = async () => undefined;
  return {
    claim: async () => ({ claimed: true, behindDeferred: false }),
    releaseClaim: none,
    deferClaimed: none,
    markUnknown: async () => false,
    outcomeOf: none,
    recordAnnounced: async () => [],
    recordPending: async () => [],
    dueAnnouncements: async () => [],
    orderState: async () => ({ attempts: {} }),
    claimDeferredAttempt: async () => true,
    dueDeferred: async () => [],
    completeDeferred: none,
    claimOnce: async () => true,
    releaseOnce: async () => undefined,
    reserveDailySegments: async () => true,
    addDailySegments: async (_day, segments) => segments,
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
  const ledger = memoryLedger();
  const deps: OrderSmsDeps = {
    clock: { now: () => new Date('2026-11-27T11:00:00Z') },
    ledger,
    outbox: new SmsOutbox(),
    allowance: new DailyAllowance(ledger, () => 1000),
    suppression: { suppress: async () => true, isSuppressed: async () => false },
    sender: { send: async (sms) => (sent.push(sms), { messageId: 'm' }) },
    events: { publish: async (type) => void published.push(type) },
    routing: { stateOf: async () => routing },
    settings: orderSmsTestSettings({ dailySegmentCap: 1000, overloaded }),
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

describe('what a deferred SMS still says when quiet hours end', () => {
  const order = (current: LedgerStatus, latestDelayKey?: string) => ({
    current,
    attempts: {},
    ...(latestDelayKey ? { latestDelayKey } : {}),
  });

  it('sends the confirmation and the latest step of an order that moved on overnight, not the steps between', () => {
    expect(supersededBy({ status: 'PLACED', key: 'PLACED' }, order('SHIPPED'))).toBeUndefined();
    expect(supersededBy({ status: 'PACKED', key: 'PACKED' }, order('SHIPPED'))).toBe('superseded');
    expect(supersededBy({ status: 'SHIPPED', key: 'SHIPPED' }, order('SHIPPED'))).toBeUndefined();
  });

  it('sends nothing but the cancellation of an order cancelled overnight', () => {
    expect(supersededBy({ status: 'PLACED', key: 'PLACED' }, order('CANCELLED'))).toBe('order-cancelled');
    expect(supersededBy({ status: 'PACKED', key: 'PACKED' }, order('CANCELLED'))).toBe('order-cancelled');
    expect(supersededBy({ status: 'CANCELLED', key: 'CANCELLED' }, order('CANCELLED'))).toBeUndefined();
  });

  it('tells only the latest delivery estimate, and none once delivered', () => {
    const late = order('SHIPPED', 'DELAYED@2026-12-03');
    expect(supersededBy({ status: 'DELAYED', key: 'DELAYED@2026-12-02' }, late)).toBe('superseded');
    expect(supersededBy({ status: 'DELAYED', key: 'DELAYED@2026-12-03' }, late)).toBeUndefined();
    expect(supersededBy({ status: 'DELAYED', key: 'DELAYED@2026-12-03' }, order('DELIVERED'))).toBe(
      'superseded',
    );
  });
});

describe('daily part allowance', () => {
  const counter = (cap: number) => {
    let total = 0;
    let calls = 0;
    const ledger = {
      reserveDailySegments: async (_day: string, parts: number) => {
        calls += 1;
        if (total + parts > cap) return false;
        total += parts;
        return true;
      },
    };
    return { ledger, total: () => total, calls: () => calls };
  };
  const NOON = new Date('2026-11-27T12:00:00Z');

  it('reserves parts in blocks: one write for many SMS', async () => {
    const daily = counter(1000);
    const allowance = new DailyAllowance(daily.ledger, () => 1000, 20);
    for (let i = 0; i < 10; i += 1) expect(await allowance.take(NOON, 2)).toBe(true);
    expect(daily.calls()).toBe(1);
  });

  it.each([
    [1_000, 20],
    [25_000, 25],
    [100_000, 100],
    [10_000_000, 100],
  ])('reserves a thousandth of a cap of %i parts at once, between 20 and 100: %i', async (cap, block) => {
    // Prepare
    const daily = counter(cap);
    const allowance = new DailyAllowance(daily.ledger, () => cap);

    // Act: one SMS of 2 parts.
    await allowance.take(NOON, 2);

    // Assess
    expect(daily.total()).toBe(block);
  });

  it('never lets the parts reserved pass the cap, and still fits an SMS smaller than a block', async () => {
    const daily = counter(25);
    const allowance = new DailyAllowance(daily.ledger, () => 25, 20);
    const taken: boolean[] = [];
    for (let i = 0; i < 14; i += 1) taken.push(await allowance.take(NOON, 2));
    // A block of 20, then the 2 parts the SMS needs, twice: 24 of 25, and no room for 2 more.
    expect(taken.filter(Boolean)).toHaveLength(12);
    expect(taken.slice(12)).toEqual([false, false]);
    expect(daily.total()).toBe(24);
  });
});
