import { describe, expect, it } from 'vitest';
import { scheduleCallback } from '#core/callbacks/schedule.js';
import { sweepDueCallbacks } from '#core/callbacks/sweep.js';
import { cancelForOrder } from '#core/callbacks/cancel.js';
import { cartEvent, orderPlaced, world } from './fixtures.js';

describe('scheduleCallback', () => {
  it('stores a callback due 30 minutes after the abandonment and announces it with the phone masked', async () => {
    // Prepare
    const w = world();
    const cart = cartEvent(); // Wednesday 10:00 in Warsaw

    // Act
    const result = await scheduleCallback(cart, w.deps, { eventId: 'e-1' });

    // Assess
    expect(result).toEqual({ outcome: 'SCHEDULED', cartId: cart.cartId, dueAt: '2026-11-25T09:30:00.000Z' });
    const stored = await w.store.get(cart.cartId);
    expect(stored).toMatchObject({
      state: 'SCHEDULED',
      pending: true,
      dueAt: '2026-11-25T09:30:00.000Z',
      expiresAt: '2026-11-27T09:00:00.000Z', // 48 hours after the abandonment
      customer: { customerId: cart.customer.customerId, phone: '+48601234567', marketingSms: true },
      sourceEventId: 'e-1',
    });
    expect(w.events.published).toEqual([
      {
        detailType: 'CallbackScheduled',
        detail: {
          cartId: cart.cartId,
          customerId: cart.customer.customerId,
          to: '+48*****4567',
          cartValue: { amount: 1678.88, currency: 'PLN' },
          items: 3,
          outOfStock: 1,
          abandonedAt: '2026-11-25T09:00:00.000Z',
          dueAt: '2026-11-25T09:30:00.000Z',
          scheduledAt: '2026-11-25T09:00:00.000Z',
        },
      },
    ]);
  });

  it.each([
    // Friday 19:45 + 30 min is after closing: Saturday opens at 09:00.
    {
      abandonedAt: '2026-11-27T19:45:00+01:00',
      now: '2026-11-27T18:45:00Z',
      due: '2026-11-28T08:00:00.000Z',
    },
    // Saturday 16:45 + 30 min is after Saturday's 17:00: Sunday is closed, Monday opens at 08:00.
    {
      abandonedAt: '2026-11-28T16:45:00+01:00',
      now: '2026-11-28T15:45:00Z',
      due: '2026-11-30T07:00:00.000Z',
    },
    // Sunday night, 23:50: Monday 08:00.
    {
      abandonedAt: '2026-11-29T23:50:00+01:00',
      now: '2026-11-29T22:50:00Z',
      due: '2026-11-30T07:00:00.000Z',
    },
    // An event that arrives late (a backlog) is due at once, inside the hours.
    {
      abandonedAt: '2026-11-25T10:00:00+01:00',
      now: '2026-11-25T12:00:00Z',
      due: '2026-11-25T12:00:00.000Z',
    },
  ])('abandoned $abandonedAt, received $now -> due $due', async ({ abandonedAt, now, due }) => {
    // Prepare
    const w = world({ now });

    // Act
    const result = await scheduleCallback(cartEvent({ abandonedAt }), w.deps);

    // Assess
    expect(result).toMatchObject({ outcome: 'SCHEDULED', dueAt: due });
  });

  it.each([
    {
      name: 'no callback consent',
      cart: () => cartEvent({}, { consent: { transactionalSms: true, marketingSms: true, callback: false } }),
      reason: 'no-consent',
    },
    {
      name: 'a cart below the minimum',
      cart: () => cartEvent({ total: { amount: 99.99, currency: 'PLN' } }),
      reason: 'below-minimum',
    },
    {
      name: 'an event older than maxAgeHours',
      cart: () => cartEvent({ abandonedAt: '2026-11-23T08:00:00+01:00' }),
      reason: 'too-late',
    },
  ])('refuses $name, storing and publishing nothing', async ({ cart, reason }) => {
    // Prepare
    const w = world();
    const event = cart();

    // Act
    const result = await scheduleCallback(event, w.deps);

    // Assess
    expect(result).toEqual({ outcome: 'NOT_SCHEDULED', cartId: event.cartId, reason });
    expect(await w.store.get(event.cartId)).toBeUndefined();
    expect(w.events.published).toEqual([]);
  });

  it('schedules a cart worth exactly the minimum, in its own currency', async () => {
    // Prepare
    const w = world();

    // Act
    const result = await scheduleCallback(cartEvent({ total: { amount: 100, currency: 'PLN' } }), w.deps);

    // Assess
    expect(result.outcome).toBe('SCHEDULED');
  });

  it('never schedules for a phone on the suppression list', async () => {
    // Prepare
    const w = world();
    w.suppress('+48601234567');
    const cart = cartEvent();

    // Act
    const result = await scheduleCallback(cart, w.deps);

    // Assess
    expect(result).toEqual({ outcome: 'NOT_SCHEDULED', cartId: cart.cartId, reason: 'opted-out' });
    expect(await w.store.get(cart.cartId)).toBeUndefined();
  });

  it('keeps one callback and one announcement for a duplicated CartAbandoned', async () => {
    // Prepare
    const w = world();
    const cart = cartEvent();

    // Act
    const results = await Promise.all([
      scheduleCallback(cart, w.deps, { eventId: 'e-1' }),
      scheduleCallback(structuredClone(cart), w.deps, { eventId: 'e-2' }),
    ]);

    // Assess
    expect(results.map((r) => r.outcome).sort()).toEqual(['NOT_SCHEDULED', 'SCHEDULED']);
    expect(results.find((r) => r.outcome === 'NOT_SCHEDULED')).toMatchObject({ reason: 'duplicate' });
    expect(w.events.types()).toEqual(['CallbackScheduled']);
  });

  it('announces again, storing nothing, when the event that scheduled it is delivered again', async () => {
    // Prepare
    const w = world();
    const cart = cartEvent();
    await scheduleCallback(cart, w.deps, { eventId: 'e-1' });

    // Act
    const again = await scheduleCallback(cart, w.deps, { eventId: 'e-1' });

    // Assess
    expect(again).toMatchObject({ outcome: 'SCHEDULED', redelivered: true });
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackScheduled']);
    expect((await w.store.get(cart.cartId))?.version).toBe(1);
  });

  it('gives a customer one callback a day: a second cart an hour later gets none', async () => {
    // Prepare
    const w = world();
    const first = cartEvent();
    const second = cartEvent(
      { abandonedAt: '2026-11-25T11:00:00+01:00' },
      { customerId: first.customer.customerId },
    );
    await scheduleCallback(first, w.deps);
    w.clock.set('2026-11-25T10:00:00Z');

    // Act
    const result = await scheduleCallback(second, w.deps);

    // Assess
    expect(result).toEqual({
      outcome: 'NOT_SCHEDULED',
      cartId: second.cartId,
      reason: 'recent-callback',
      otherCartId: first.cartId,
    });
  });

  it('counts the day from the call: a cart 25 hours after the callback was made gets one', async () => {
    // Prepare
    const w = world();
    const first = cartEvent();
    await scheduleCallback(first, w.deps);
    w.clock.set('2026-11-25T09:31:00Z');
    await sweepDueCallbacks(w.deps, 10);
    const tooSoon = cartEvent(
      { abandonedAt: '2026-11-26T10:00:00+01:00' },
      { customerId: first.customer.customerId },
    );
    const nextDay = cartEvent(
      { abandonedAt: '2026-11-26T10:32:00+01:00' },
      { customerId: first.customer.customerId },
    );

    // Act
    w.clock.set('2026-11-26T09:00:00Z');
    const refused = await scheduleCallback(tooSoon, w.deps);
    w.clock.set('2026-11-26T09:32:00Z');
    const accepted = await scheduleCallback(nextDay, w.deps);

    // Assess
    expect(refused).toMatchObject({ outcome: 'NOT_SCHEDULED', reason: 'recent-callback' });
    expect(accepted).toMatchObject({ outcome: 'SCHEDULED' });
  });

  it('lets another cart have a callback once the first was cancelled by an order: nobody was called', async () => {
    // Prepare
    const w = world();
    const first = cartEvent();
    await scheduleCallback(first, w.deps);
    await cancelForOrder(orderPlaced(first), w.deps);
    const second = cartEvent(
      { abandonedAt: '2026-11-25T11:00:00+01:00' },
      { customerId: first.customer.customerId },
    );
    w.clock.set('2026-11-25T10:00:00Z');

    // Act
    const result = await scheduleCallback(second, w.deps);

    // Assess
    expect(result.outcome).toBe('SCHEDULED');
  });

  it('holds the offer with the catalogue’s alternative for the missing charger', async () => {
    // Prepare
    const w = world();
    const cart = cartEvent();

    // Act
    await scheduleCallback(cart, w.deps);

    // Assess
    const stored = await w.store.get(cart.cartId);
    expect(stored?.offer.items.find((item) => !item.inStock)?.alternative).toEqual({
      sku: 'BASEUS-GAN5-65-WHT',
      name: 'Ładowarka Baseus GaN5 65 W, biała',
    });
  });
});
