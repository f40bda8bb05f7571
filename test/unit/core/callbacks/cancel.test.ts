import { describe, expect, it } from 'vitest';
import { cancelForOrder } from '#core/callbacks/cancel.js';
import type { CallbackStore } from '#core/callbacks/store.js';
import { InMemoryCallbackStore } from '#core/callbacks/memory-store.js';
import { scheduleCallback } from '#core/callbacks/schedule.js';
import { sweepDueCallbacks } from '#core/callbacks/sweep.js';
import type { NewTask } from '#core/ports.js';
import { cartEvent, orderPlaced, world } from './fixtures.js';

describe('cancelForOrder', () => {
  it('cancels the waiting callback of the ordered cart: no task is ever made', async () => {
    // Prepare
    const w = world();
    const cart = cartEvent();
    await scheduleCallback(cart, w.deps);
    const order = orderPlaced(cart);

    // Act
    const result = await cancelForOrder(order, w.deps);
    w.clock.set('2026-11-25T09:31:00Z');
    const sweep = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(result).toEqual({ outcome: 'CANCELLED', cartId: cart.cartId });
    expect(sweep.due).toBe(0);
    expect(w.centre.requests).toEqual([]);
    expect(w.events.published.at(-1)).toEqual({
      detailType: 'CallbackCancelled',
      detail: expect.objectContaining({
        cartId: cart.cartId,
        reason: 'order-placed',
        orderId: order.orderId,
        cancelledAt: '2026-11-25T09:00:00.000Z',
        to: '+48*****4567',
      }),
    });
    expect(await w.store.get(cart.cartId)).toMatchObject({ state: 'CANCELLED', pending: false });
    expect((await w.store.get(cart.cartId))?.customer.phone).toBeUndefined();
  });

  it('does nothing for an order without a cart, or with a cart that has no callback', async () => {
    // Prepare
    const w = world();
    const cart = cartEvent();
    const { cartId: _, ...withoutCart } = orderPlaced(cart);

    // Act
    const results = [
      await cancelForOrder(withoutCart, w.deps),
      await cancelForOrder(orderPlaced(cart), w.deps),
    ];

    // Assess
    expect(results).toEqual([
      { outcome: 'NOT_CANCELLED', reason: 'no-cart-id' },
      { outcome: 'NOT_CANCELLED', cartId: cart.cartId, reason: 'no-callback' },
    ]);
    expect(w.events.published).toEqual([]);
  });

  it('leaves a callback whose task exists alone, too late, and keeps the cart from another callback', async () => {
    // Prepare
    const w = world();
    const cart = cartEvent();
    await scheduleCallback(cart, w.deps);
    w.clock.set('2026-11-25T09:31:00Z');
    await sweepDueCallbacks(w.deps, 10);

    // Act
    const result = await cancelForOrder(orderPlaced(cart), w.deps);

    // Assess
    expect(result).toEqual({
      outcome: 'NOT_CANCELLED',
      cartId: cart.cartId,
      reason: 'too-late',
      state: 'CREATED',
    });
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCreated']);
    expect(await w.store.tombstoneOf(cart.cartId)).toMatchObject({ orderId: expect.any(String) });
  });

  it('cannot stop a StartTaskContact already under way: the task records and announces the late order', async () => {
    // Prepare
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const requests: NewTask[] = [];
    const w = world({
      contactCentre: {
        startTask: async (task) => {
          requests.push(task);
          await gate;
          return { contactId: 'contact-1' };
        },
      },
    });
    const cart = cartEvent();
    await scheduleCallback(cart, w.deps);
    w.clock.set('2026-11-25T09:31:00Z');
    const sweeping = sweepDueCallbacks(w.deps, 10);
    await new Promise((resolve) => setImmediate(resolve));

    const order = orderPlaced(cart);

    // Act
    const result = await cancelForOrder(order, w.deps);
    release();
    const sweep = await sweeping;

    // Assess
    expect(result).toMatchObject({ outcome: 'NOT_CANCELLED', reason: 'in-flight', state: 'CLAIMED' });
    expect(sweep.outcomes).toEqual([{ cartId: cart.cartId, outcome: 'CREATED', contactId: 'contact-1' }]);
    expect(requests).toHaveLength(1);
    expect(await w.store.get(cart.cartId)).toMatchObject({ state: 'CREATED', lateOrder: order.orderId });
    expect(w.events.published.at(-1)).toEqual({
      detailType: 'CallbackCreated',
      detail: expect.objectContaining({ contactId: 'contact-1', lateOrderId: order.orderId }),
    });
  });

  it('answers a redelivered OrderPlaced without announcing twice', async () => {
    // Prepare
    const w = world();
    const cart = cartEvent();
    await scheduleCallback(cart, w.deps);
    const order = orderPlaced(cart);
    await cancelForOrder(order, w.deps);

    // Act
    const again = await cancelForOrder(order, w.deps);

    // Assess
    expect(again).toEqual({ outcome: 'CANCELLED', cartId: cart.cartId, redelivered: true });
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCancelled']);
  });

  it('tries again when the sweeper changed the callback between its read and its write', async () => {
    // Prepare
    const inner = new InMemoryCallbackStore();
    let refusals = 1;
    const racing: CallbackStore = {
      add: (...args) => inner.add(...args),
      get: (cartId) => inner.get(cartId),
      due: (...args) => inner.due(...args),
      replace: (...args) => inner.replace(...args),
      tombstoneOf: (cartId) => inner.tombstoneOf(cartId),
      // The callback's version moved on under the first transaction: nothing written, look again.
      cancel: async (tombstone, write, now) =>
        write !== undefined && refusals-- > 0 ? false : inner.cancel(tombstone, write, now),
    };
    const w = world({ store: racing });
    const cart = cartEvent();
    await scheduleCallback(cart, w.deps);

    // Act
    const result = await cancelForOrder(orderPlaced(cart), w.deps);

    // Assess
    expect(result).toEqual({ outcome: 'CANCELLED', cartId: cart.cartId });
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCancelled']);
  });

  it('leaves the announcement to the sweeper when publishing fails, and it is made once', async () => {
    // Prepare
    const w = world();
    const cart = cartEvent();
    await scheduleCallback(cart, w.deps);
    const publish = w.deps.events.publish;
    let failures = 1;
    const deps = {
      ...w.deps,
      events: {
        publish: async (type: string, detail: Record<string, unknown>) => {
          if (type === 'CallbackCancelled' && failures-- > 0) throw new Error('EventBridge is down');
          return publish(type, detail);
        },
      },
    };

    // Act
    await expect(cancelForOrder(orderPlaced(cart), deps)).rejects.toThrow('EventBridge is down');
    w.clock.advanceMinutes(3); // past the announcer's lease
    const sweep = await sweepDueCallbacks(deps, 10);

    // Assess
    expect(sweep.outcomes).toEqual([{ cartId: cart.cartId, outcome: 'ANNOUNCED', state: 'CANCELLED' }]);
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCancelled']);
    expect(w.centre.requests).toEqual([]);
  });
});
