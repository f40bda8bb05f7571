import { describe, expect, it } from 'vitest';
import { lookupOrderStatus } from '#core/orders/lookup.js';
import { MemoryOrderIndex } from '#core/orders/memory-index.js';
import { indexedOrderFromEvent, indexExpiry } from '#core/orders/order-index.js';
import { phoneHash } from '#core/phone.js';
import { loadConfig } from '#infra/config/load.js';
import { Demo, ORDER_CALLER_SHARE } from '#local/demo.js';
import { Random } from '#simulator/connect/random.js';
import { createContactCentre } from '#simulator/contact-centre.js';
import { CONTAINED_OUTCOMES, InboundFlow } from '#simulator/inbound-flow.js';

/** 17:00 UTC on Black Friday: the demo's evening, to 20:00, through the rush. */
const START = Date.UTC(2026, 10, 27, 17);
const MINUTE = 60_000;

/** Plays three virtual hours, minute by minute; answers the callers and the events the bus got. */
const evening = async (orderCallerShare?: number) => {
  const calls: { at: number; phone: string }[] = [];
  const events: { DetailType: string; Detail: string }[] = [];
  const demo = new Demo({
    simulator: createContactCentre(START),
    putEvents: async (request) => {
      events.push(...(request.Entries as { DetailType: string; Detail: string }[]));
      return {};
    },
    busName: 'peakline-test',
    shopSource: 'shop',
    startMs: START,
    inbound: async (call) => {
      calls.push(call);
    },
    ...(orderCallerShare === undefined ? {} : { orderCallerShare }),
  });
  for (let t = START + MINUTE; t <= START + 180 * MINUTE; t += MINUTE) await demo.advance(t);
  const orderPhones = new Set(
    events
      .filter((e) => e.DetailType === 'OrderPlaced')
      .map((e) => (JSON.parse(e.Detail) as { customer: { phone: string } }).customer.phone),
  );
  return { calls, events, orderPhones };
};

describe('the demo’s callers with an order (issue 15)', () => {
  it('makes about a third of the callers customers of an order placed earlier, the rest of the evening unchanged', async () => {
    // Prepare: the same evening without order callers
    const without = await evening(0);

    // Act
    const withOrders = await evening();

    // Assess: the same events and the same call times; a caller either keeps their phone or takes an order's
    expect(withOrders.events).toEqual(without.events);
    expect(withOrders.calls.map((c) => c.at)).toEqual(without.calls.map((c) => c.at));
    const changed = withOrders.calls.filter((c, i) => c.phone !== without.calls[i]?.phone);
    expect(changed.every((c) => withOrders.orderPhones.has(c.phone))).toBe(true);
    const share = changed.length / withOrders.calls.length;
    expect(withOrders.calls.length).toBeGreaterThan(400);
    expect(Math.abs(share - ORDER_CALLER_SHARE)).toBeLessThan(0.06);
  });
});

/**
 * The demo's whole evening (17:00 to 23:50, as `npm start` plays it) with its callers through the order
 * status: the shop's order events indexed as they are sent (as on AWS, where the index keeps up within
 * seconds), the lookup the order-status function runs, the told callers' choices drawn as the local stack
 * draws them. Answers the share of all calls the order status contained.
 */
const containedShareOfTheEvening = async (seed: number): Promise<number> => {
  const config = loadConfig('dev');
  const simulator = createContactCentre(START);
  const now = () => new Date(simulator.now);
  const index = new MemoryOrderIndex({ maxOrdersPerPhone: config.orderStatus.maxOrdersPerPhone, now });
  const flow = new InboundFlow({
    simulator,
    route: async () => ({ mode: 'NORMAL', queueArn: 'primary', queueKey: 'primary' }),
    random: new Random(4010),
    statusRandom: new Random(4012),
    orderStatus: async ({ phone }) => {
      const answer = await lookupOrderStatus(phone, {
        index,
        clock: { now },
        fallbackTimeZone: config.connect.timeZone,
      });
      return { told: answer.found === 'true', linkOffered: answer.linkOffered === 'true' };
    },
  });
  let calls = 0;
  let contained = 0;
  const demo = new Demo({
    simulator,
    busName: 'peakline-test',
    shopSource: 'shop',
    startMs: START,
    seed,
    putEvents: async (request) => {
      for (const entry of request.Entries as { DetailType: string; Detail: string }[]) {
        if (entry.DetailType !== 'OrderPlaced' && entry.DetailType !== 'OrderStatusChanged') continue;
        const detail = JSON.parse(entry.Detail) as Parameters<typeof indexedOrderFromEvent>[1];
        // The demo's malformed events (a phone with spaces) are the bus's to refuse.
        if (!/^\+\d+$/.test(detail.customer.phone)) continue;
        const order = indexedOrderFromEvent(entry.DetailType, detail, config.connect.timeZone);
        const expiry = indexExpiry(new Date(order.changedAt), config.sms.retentionDays);
        await index.record(phoneHash(detail.customer.phone), order, expiry);
      }
      return {};
    },
    inbound: async (call) => {
      calls += 1;
      if (CONTAINED_OUTCOMES.has(await flow.call(call))) contained += 1;
    },
  });
  for (let t = START + MINUTE; t <= START + 410 * MINUTE; t += MINUTE) {
    await demo.advance(t);
    simulator.advanceTo(t);
  }
  return contained / calls;
};

describe('the stage’s share of status-only callers (issue 15)', () => {
  it('is what the demo’s evening measures: the share of calls the order status contains', async () => {
    // Prepare
    const configured = loadConfig('dev').orderStatus.statusOnlyCallerShare;

    // Act: the demo's own seed, and another evening
    const shares = [await containedShareOfTheEvening(1127), await containedShareOfTheEvening(7)];

    // Assess: within three points, the spread of one evening's thousand calls
    for (const share of shares) expect(Math.abs(share - configured)).toBeLessThan(0.03);
  });
});
