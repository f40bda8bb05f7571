/**
 * "A cancellation wins whatever the order of arrival", as a property: fast-check's scheduler interleaves
 * a CartAbandoned, its OrderPlaced (each maybe delivered twice, each retried on failure as SQS would),
 * two sweeps running at once, and one crash anywhere (a store or Connect call that fails before or after
 * it acted). Every store call and the StartTaskContact are steps the scheduler orders; the in-memory
 * store checks and writes within one step, as a DynamoDB condition or transaction does.
 *
 * What must hold, for every interleaving:
 * - no StartTaskContact begins after the OrderPlaced's tombstone was written;
 * - after the leases run out and the sweeper runs again, the callback (if any) has ended and is settled;
 * - a contact exists only for a callback recorded CREATED, or ended by a sweep that took over a dead
 *   run's task claim (`taskMayExist`: that run may have made it before dying).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cancelForOrder } from '#core/callbacks/cancel.js';
import { InMemoryCallbackStore } from '#core/callbacks/memory-store.js';
import { scheduleCallback } from '#core/callbacks/schedule.js';
import type { CallbackStore } from '#core/callbacks/store.js';
import { sweepDueCallbacks } from '#core/callbacks/sweep.js';
import type { ContactCentre } from '#core/ports.js';
import { cartEvent, fakeContactCentre, orderPlaced, world } from './fixtures.js';

/** The sample cart is due at 09:30 UTC; the sweeps run just after. */
const AFTER_DUE = '2026-11-25T09:31:00Z';

interface Crash {
  /** The n-th step (store or Connect call) fails... */
  readonly at: number;
  /** ...after it acted (the answer lost) rather than before. */
  readonly afterActing: boolean;
}

interface Run {
  readonly cartDeliveries: number;
  readonly orderDeliveries: number;
  readonly crash?: Crash;
}

class Crashed extends Error {
  override readonly name = 'Crashed';
}

const runOnce = async (scheduler: fc.Scheduler, run: Run) => {
  const inner = new InMemoryCallbackStore();
  const cart = cartEvent();
  const order = orderPlaced(cart);
  let tick = 0;
  let tombstoneTick: number | undefined;
  const taskStarts: number[] = [];

  /** One step: waits for the scheduler, then acts at once (or crashes, before or after acting). */
  const step = async <T>(label: string, act: () => Promise<T>): Promise<T> => {
    await scheduler.schedule(Promise.resolve(label), label);
    tick += 1;
    const crashHere = run.crash !== undefined && run.crash.at === tick;
    if (crashHere && !run.crash?.afterActing) throw new Crashed(`before ${label}`);
    const result = await act();
    if (crashHere) throw new Crashed(`after ${label}`);
    return result;
  };

  const store: CallbackStore = {
    add: (...args) => step('add', () => inner.add(...args)),
    get: (cartId) => step('get', () => inner.get(cartId)),
    due: (...args) => step('due', () => inner.due(...args)),
    tombstoneOf: (cartId) => step('tombstoneOf', () => inner.tombstoneOf(cartId)),
    replace: (...args) => step(`replace->${args[1].state}`, () => inner.replace(...args)),
    cancel: (tombstone, write, now) =>
      step('cancel', async () => {
        const written = await inner.cancel(tombstone, write, now);
        // Refused on the callback's version, the transaction wrote no tombstone either.
        if (written) tombstoneTick ??= tick;
        return written;
      }),
  };
  const connect = fakeContactCentre();
  const centre: Pick<ContactCentre, 'startTask'> = {
    startTask: async (task) => {
      // The call begins now, right after the sweeper's last look; it is under way until its step.
      taskStarts.push(tick);
      return step('StartTaskContact', () => connect.startTask(task));
    },
  };
  const w = world({ store, contactCentre: centre, now: AFTER_DUE });

  /** SQS brings a failed record back: a few deliveries until one succeeds. */
  const consume = async (handle: () => Promise<unknown>) => {
    for (let attempt = 0; attempt < 4; attempt += 1) {
      try {
        await handle();
        return;
      } catch (error) {
        if (!(error instanceof Crashed)) throw error;
      }
    }
  };
  const sweep = async () => {
    try {
      await sweepDueCallbacks(w.deps, 10);
    } catch (error) {
      // The run died (its `due` query failed); the next minute's run goes on.
      if (!(error instanceof Crashed)) throw error;
    }
  };

  const actors = [
    ...Array.from({ length: run.cartDeliveries }, (_, i) =>
      consume(() => scheduleCallback(cart, w.deps, { eventId: `cart-event-${i % 2}` })),
    ),
    ...Array.from({ length: run.orderDeliveries }, () => consume(() => cancelForOrder(order, w.deps))),
    sweep(),
    sweep(),
  ];
  await scheduler.waitFor(Promise.all(actors));

  // Every lease runs out; the next runs take over what the dead ones held and announce what they owed.
  for (let minute = 0; minute < 4; minute += 1) {
    w.clock.advanceMinutes(3);
    const settling = sweep();
    await scheduler.waitFor(settling);
  }
  const callback = await inner.get(cart.cartId);
  return { callback, tombstone: await inner.tombstoneOf(cart.cartId), tombstoneTick, taskStarts, connect };
};

describe('a cancellation wins whatever the order of arrival', () => {
  it('for any interleaving of CartAbandoned, OrderPlaced, two sweeps and a crash, no task starts after the order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.record(
          {
            cartDeliveries: fc.integer({ min: 1, max: 2 }),
            orderDeliveries: fc.integer({ min: 1, max: 2 }),
            crash: fc.record({ at: fc.integer({ min: 1, max: 30 }), afterActing: fc.boolean() }),
          },
          { requiredKeys: ['cartDeliveries', 'orderDeliveries'] },
        ),
        async (scheduler, run) => {
          // Act
          const outcome = await runOnce(scheduler, run);

          // Assess
          expect(outcome.tombstone).toBeDefined(); // the order was processed, whatever came first
          for (const started of outcome.taskStarts) {
            expect(started).toBeLessThan(outcome.tombstoneTick ?? Number.POSITIVE_INFINITY);
          }
          if (outcome.callback !== undefined) {
            expect(outcome.callback.pending).toBe(false);
            expect(['CREATED', 'CANCELLED', 'SKIPPED']).toContain(outcome.callback.state);
          }
          if (outcome.connect.contacts.size > 0) {
            expect(outcome.callback?.state === 'CREATED' || outcome.callback?.taskMayExist === true).toBe(
              true,
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('makes the task when no order comes, whatever the interleaving of the sweeps and a crash', async () => {
    // The other side of the property: the tombstone stops only what an order stopped.
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.record({ at: fc.integer({ min: 1, max: 20 }), afterActing: fc.boolean() }),
        async (scheduler, crash) => {
          // Act
          const outcome = await runOnce(scheduler, { cartDeliveries: 2, orderDeliveries: 0, crash });

          // Assess
          expect(outcome.tombstone).toBeUndefined();
          expect(outcome.callback).toMatchObject({ state: 'CREATED', pending: false });
          expect(outcome.connect.contacts.size).toBe(1);
        },
      ),
      { numRuns: 150 },
    );
  });
});
