import { describe, expect, it } from 'vitest';
import { factOf } from '#core/reporting/fact-events.js';
import {
  callbackFiguresOf,
  daysOf,
  type Fact,
  smsFiguresOf,
  utcDaysOverlapping,
} from '#core/reporting/facts.js';
import { FIXTURE_SHOP_SOURCE, factEvent, reannounced } from '#test/support/facts.js';

const context = { shopSource: FIXTURE_SHOP_SOURCE };
const WARSAW = 'Europe/Warsaw';

const factFrom = (event: unknown): Fact => {
  const result = factOf(event, context);
  if (!result.ok) throw new Error(result.reason);
  return result.fact;
};

const reasonFor = (event: unknown): string => {
  const result = factOf(event, context);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.fact)}`);
  return result.reason;
};

describe('event -> fact', () => {
  it('keeps of an SMS sent its message id, kind, status, parts and time in UTC, and nothing of the customer', () => {
    // Prepare
    const event = factEvent({
      type: 'SmsSent',
      at: '2026-11-27T10:00:00+01:00',
      kind: 'status',
      status: 'SHIPPED',
      parts: 2,
      messageId: 'm-1',
    });

    // Act
    const fact = factFrom(event);

    // Assess
    expect(fact).toEqual({
      type: 'SmsSent',
      id: 'SmsSent#m-1',
      at: '2026-11-27T09:00:00.000Z',
      eventId: event.id,
      kind: 'status',
      status: 'SHIPPED',
      parts: 2,
    });
  });

  it('gives an SMS suppressed announced again (new event id, keys in another order, later) the same identity and first time', () => {
    // Prepare
    const first = factEvent(
      {
        type: 'SmsSuppressed',
        at: '2026-11-27T22:30:00Z',
        kind: 'status',
        reason: 'no-consent',
        orderId: 'PL-1',
      },
      { time: '2026-11-27T22:30:00Z' },
    );
    const again = reannounced(first, '2026-11-28T08:00:00Z');
    again.detail = Object.fromEntries(Object.entries(again.detail).reverse());

    // Act
    const [a, b] = [factFrom(first), factFrom(again)];

    // Assess
    expect(b.id).toBe(a.id);
    expect(a.at).toBe('2026-11-27T22:30:00.000Z');
    expect(b.eventId).not.toBe(a.eventId);
  });

  it('tells suppressions apart by what they are about, not by the masked phone', () => {
    // Prepare
    const suppressed = (reason: string, orderId: string) =>
      factEvent({ type: 'SmsSuppressed', at: '2026-11-27T10:00:00Z', kind: 'status', reason, orderId });
    const otherPhone = suppressed('no-consent', 'PL-1');
    otherPhone.detail.to = '+48******0000';

    // Act
    const ids = [
      factFrom(suppressed('no-consent', 'PL-1')).id,
      factFrom(otherPhone).id,
      factFrom(suppressed('opted-out', 'PL-1')).id,
      factFrom(suppressed('no-consent', 'PL-2')).id,
    ];

    // Assess
    expect(ids[1]).toBe(ids[0]);
    expect(new Set(ids).size).toBe(3);
  });

  it('knows a callback created while its cart was being ordered, and keeps its cart value', () => {
    // Act
    const fact = factFrom(
      factEvent({
        type: 'CallbackCreated',
        at: '2026-11-27T11:00:00+01:00',
        cartId: 'c-1',
        cartValue: 249.99,
        lateOrder: true,
      }),
    );

    // Assess
    expect(fact).toMatchObject({
      type: 'CallbackCreated',
      id: 'CallbackCreated#c-1#2026-11-27T10:00:00.000Z',
      cartId: 'c-1',
      cartValue: 249.99,
      lateOrder: true,
    });
  });

  it("keys the shop's order by its cart, and keeps when it was placed", () => {
    // Act
    const fact = factFrom(factEvent({ type: 'OrderPlaced', at: '2026-11-27T12:00:00+01:00', cartId: 'c-1' }));

    // Assess
    expect(fact).toMatchObject({
      type: 'OrderPlaced',
      id: 'OrderPlaced#cart#c-1',
      at: '2026-11-27T11:00:00.000Z',
    });
  });

  it.each([
    [
      'an order without a cart id',
      () => {
        const event = factEvent({ type: 'OrderPlaced', at: '2026-11-27T12:00:00Z', cartId: 'c-1' });
        delete event.detail.cartId;
        return event;
      },
      /^detail\.cartId: /,
    ],
    [
      "a shop event named like peakline's own fact",
      () => ({
        ...factEvent({ type: 'SmsSent', at: '2026-11-27T12:00:00Z', kind: 'status', parts: 1 }),
        source: FIXTURE_SHOP_SOURCE,
      }),
      /^SmsSent from shop is not a fact the fact recorder keeps/,
    ],
    [
      'an order announced by peakline',
      () => ({
        ...factEvent({ type: 'OrderPlaced', at: '2026-11-27T12:00:00Z', cartId: 'c-1' }),
        source: 'peakline',
      }),
      /^OrderPlaced from peakline is not a fact/,
    ],
    [
      'an order the v1 contract refuses (a phone without its country code)',
      () => {
        const event = factEvent({ type: 'OrderPlaced', at: '2026-11-27T12:00:00Z', cartId: 'c-1' });
        (event.detail.customer as { phone: string }).phone = '601234567';
        return event;
      },
      /^detail\.customer\.phone: .*\(got "60\*{5}67"\)/,
    ],
    [
      'an SMS of no parts',
      () => factEvent({ type: 'SmsSent', at: '2026-11-27T12:00:00Z', kind: 'status', parts: 0 }),
      /^detail\.segments: /,
    ],
    [
      'a callback without its time',
      () => {
        const event = factEvent({
          type: 'CallbackCancelled',
          at: '2026-11-27T12:00:00Z',
          cartId: 'c',
          reason: 'expired',
        });
        delete event.detail.cancelledAt;
        return event;
      },
      /^detail\.cancelledAt: /,
    ],
    ['no EventBridge event at all', () => ({ hello: 'world' }), /EventBridge event|id|detail/],
  ])('refuses %s, saying why', (_, build, reason) => {
    // Act / Assess
    expect(reasonFor(build())).toMatch(reason);
  });
});

/** An SMS sent at `at`, counted with `parts`; `status` null for an SMS not about an order. */
const sent = (at: string, kind = 'status', status: string | null = 'SHIPPED', parts = 1): Fact => ({
  type: 'SmsSent',
  id: `SmsSent#${at}#${kind}#${status}`,
  at: new Date(at).toISOString(),
  eventId: 'e',
  kind,
  ...(status === null ? {} : { status }),
  parts,
});

describe('daily figures in the shop zone', () => {
  it('cuts the 25-hour day the clocks go back on at its own midnights (Warsaw, 2026-10-25)', () => {
    // Prepare: 2026-10-25 in Warsaw runs from 2026-10-24T22:00Z (CEST) to 2026-10-25T23:00Z (CET).
    const range = {
      from: new Date('2026-10-24T22:00:00Z'),
      to: new Date('2026-10-26T23:00:00Z'),
      timeZone: WARSAW,
    };
    const facts = [
      sent('2026-10-24T21:59:59Z'), // 23:59:59 CEST on the 24th: before the range
      sent('2026-10-24T22:00:00Z'), // 00:00 CEST on the 25th
      sent('2026-10-25T00:30:00Z'), // 02:30 CEST, the first one
      sent('2026-10-25T01:30:00Z'), // 02:30 CET, the second one
      sent('2026-10-25T22:30:00Z'), // 23:30 CET: still the 25th (at the summer offset it would be the 26th)
      sent('2026-10-25T23:00:00Z'), // 00:00 CET on the 26th
      sent('2026-10-26T22:59:59Z'), // 23:59:59 on the 26th
      sent('2026-10-26T23:00:00Z'), // 00:00 on the 27th: after the range
    ];

    // Act
    const figures = smsFiguresOf(facts, range);

    // Assess
    expect(figures.map((row) => [row.day, row.count])).toEqual([
      ['2026-10-25', 4],
      ['2026-10-26', 2],
    ]);
  });

  it('groups SMS by day, kind, status, outcome and reason, sums the parts of the sent ones, in a fixed order', () => {
    // Prepare
    const range = {
      from: new Date('2026-11-26T23:00:00Z'),
      to: new Date('2026-11-27T23:00:00Z'),
      timeZone: WARSAW,
    };
    const suppressed = (at: string, reason: string, status?: string): Fact => ({
      type: 'SmsSuppressed',
      id: `SmsSuppressed#${at}#${reason}`,
      at,
      eventId: 'e',
      kind: status === undefined ? 'deflection' : 'status',
      ...(status === undefined ? {} : { status }),
      reason,
    });
    const facts = [
      sent('2026-11-27T08:00:00Z', 'status', 'SHIPPED', 2),
      sent('2026-11-27T09:00:00Z', 'status', 'SHIPPED', 3),
      sent('2026-11-27T10:00:00Z', 'deflection', null, 1),
      sent('2026-11-27T10:00:00Z', 'order-confirmation', 'PLACED', 1),
      suppressed('2026-11-27T11:00:00.000Z', 'opted-out', 'SHIPPED'),
      suppressed('2026-11-27T11:30:00.000Z', 'no-consent', 'SHIPPED'),
      suppressed('2026-11-27T12:00:00.000Z', 'no-consent', 'SHIPPED'),
      suppressed('2026-11-27T12:00:00.000Z', 'already-sent'),
    ];

    // Act
    const figures = smsFiguresOf(facts, range);

    // Assess
    expect(figures).toEqual([
      { day: '2026-11-27', kind: 'deflection', outcome: 'SENT', count: 1, parts: 1 },
      {
        day: '2026-11-27',
        kind: 'deflection',
        outcome: 'SUPPRESSED',
        reason: 'already-sent',
        count: 1,
        parts: 0,
      },
      {
        day: '2026-11-27',
        kind: 'order-confirmation',
        status: 'PLACED',
        outcome: 'SENT',
        count: 1,
        parts: 1,
      },
      { day: '2026-11-27', kind: 'status', status: 'SHIPPED', outcome: 'SENT', count: 2, parts: 5 },
      {
        day: '2026-11-27',
        kind: 'status',
        status: 'SHIPPED',
        outcome: 'SUPPRESSED',
        reason: 'no-consent',
        count: 2,
        parts: 0,
      },
      {
        day: '2026-11-27',
        kind: 'status',
        status: 'SHIPPED',
        outcome: 'SUPPRESSED',
        reason: 'opted-out',
        count: 1,
        parts: 0,
      },
    ]);
  });

  it('counts callbacks on every day of a range over the 23-hour day the clocks go forward on (Warsaw, 2026-03-29)', () => {
    // Prepare: 2026-03-29 runs from 2026-03-28T23:00Z (CET) to 2026-03-29T22:00Z (CEST); the 30th to 2026-03-30T22:00Z.
    const range = {
      from: new Date('2026-03-28T23:00:00Z'),
      to: new Date('2026-03-30T22:00:00Z'),
      timeZone: WARSAW,
    };
    const base = { eventId: 'e' };
    const facts: Fact[] = [
      { ...base, type: 'CallbackScheduled', id: 's1', at: '2026-03-28T23:00:00.000Z', cartId: 'a' }, // 00:00 CET, 29th
      { ...base, type: 'CallbackScheduled', id: 's2', at: '2026-03-29T21:30:00.000Z', cartId: 'b' }, // 23:30 CEST, 29th
      { ...base, type: 'CallbackScheduled', id: 's3', at: '2026-03-29T22:30:00.000Z', cartId: 'c' }, // 00:30 CEST, 30th
      // a: ordered after its task; b: ordered before it; c: ordered while it was made; d: never ordered.
      {
        ...base,
        type: 'CallbackCreated',
        id: 'c1',
        at: '2026-03-29T08:00:00.000Z',
        cartId: 'a',
        cartValue: 120.1,
        currency: 'PLN',
        lateOrder: false,
      },
      {
        ...base,
        type: 'CallbackCreated',
        id: 'c2',
        at: '2026-03-29T21:59:59.000Z',
        cartId: 'b',
        cartValue: 50,
        currency: 'PLN',
        lateOrder: false,
      },
      {
        ...base,
        type: 'CallbackCreated',
        id: 'c3',
        at: '2026-03-29T22:00:00.000Z',
        cartId: 'c',
        cartValue: 30.2,
        currency: 'EUR',
        lateOrder: true,
      },
      {
        ...base,
        type: 'CallbackCreated',
        id: 'c4',
        at: '2026-03-30T09:00:00.000Z',
        cartId: 'd',
        cartValue: 999,
        currency: 'PLN',
        lateOrder: false,
      },
      {
        ...base,
        type: 'CallbackCancelled',
        id: 'x1',
        at: '2026-03-29T12:00:00.000Z',
        cartId: 'e',
        reason: 'order-placed',
      },
      {
        ...base,
        type: 'CallbackCancelled',
        id: 'x2',
        at: '2026-03-29T13:00:00.000Z',
        cartId: 'f',
        reason: 'order-placed',
      },
      {
        ...base,
        type: 'CallbackCancelled',
        id: 'x3',
        at: '2026-03-30T13:00:00.000Z',
        cartId: 'g',
        reason: 'expired',
      },
      {
        ...base,
        type: 'CallbackCancelled',
        id: 'x4',
        at: '2026-03-30T22:00:00.000Z',
        cartId: 'h',
        reason: 'expired',
      }, // the 31st
    ];
    const orderedAt = new Map([
      ['a', '2026-04-02T10:00:00.000Z'],
      ['b', '2026-03-29T20:00:00.000Z'],
    ]);

    // Act
    const figures = callbackFiguresOf(facts, orderedAt, range);

    // Assess
    expect(figures).toEqual([
      {
        day: '2026-03-29',
        scheduled: 2,
        created: 2,
        cancelled: { 'order-placed': 2 },
        converted: 1,
        convertedValues: { PLN: 120.1 },
      },
      {
        day: '2026-03-30',
        scheduled: 1,
        created: 2,
        cancelled: { expired: 1 },
        converted: 1,
        // c3 was in euros: its own currency, never added to złoty.
        convertedValues: { EUR: 30.2 },
      },
    ]);
  });

  it('lists the days of a range in its zone, and the UTC days its instants fall on', () => {
    // Prepare: the 25-hour day and the day after it, in Warsaw.
    const range = {
      from: new Date('2026-10-24T22:00:00Z'),
      to: new Date('2026-10-26T23:00:00Z'),
      timeZone: WARSAW,
    };

    // Act / Assess
    expect(daysOf(range)).toEqual(['2026-10-25', '2026-10-26']);
    expect(utcDaysOverlapping(range)).toEqual(['2026-10-24', '2026-10-25', '2026-10-26']);
    expect(
      utcDaysOverlapping({ from: new Date('2026-11-27T00:00:00Z'), to: new Date('2026-11-28T00:00:00Z') }),
    ).toEqual(['2026-11-27']);
  });

  it('says a time zone it does not know is none', () => {
    // Act / Assess
    expect(() =>
      smsFiguresOf([sent('2026-11-27T08:00:00Z')], {
        from: new Date('2026-11-27T00:00:00Z'),
        to: new Date('2026-11-28T00:00:00Z'),
        timeZone: 'Europe/Warszawa',
      }),
    ).toThrow('"Europe/Warszawa" is not a time zone');
  });
});
