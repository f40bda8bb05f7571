import { describe, expect, it } from 'vitest';
import { Demo, ORDER_CALLER_SHARE } from '#local/demo.js';
import { createContactCentre } from '#simulator/contact-centre.js';

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
