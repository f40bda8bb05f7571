/**
 * A cancellation wins whatever the order of arrival (issue 11, defect 5), on DynamoDB Local: the
 * OrderPlaced's tombstone against CartAbandoned, the sweeper's claim, its releases (throttling, a failed
 * task, the SMS daily cap) and a lease taken over from a crashed sweep. Each test breaks the world at one
 * step and shows that no task starts after the OrderPlaced was processed, and that the callback ends
 * announced once.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '#adapters/dynamodb/document-client.js';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  callbackKey,
  customerMarkerKey,
  DynamoCallbackStore,
  tombstoneKey,
} from '#adapters/dynamodb/callback-store.js';
import { TABLES, toCreateTableInput } from '#adapters/dynamodb/tables.js';
import { type CancelResult, cancelForOrder } from '#core/callbacks/cancel.js';
import { scheduleCallback } from '#core/callbacks/schedule.js';
import type { CallbackStore } from '#core/callbacks/store.js';
import { sweepDueCallbacks } from '#core/callbacks/sweep.js';
import type { ContactCentre, NewTask } from '#core/ports.js';
import type { OrderPlaced } from '#events/index.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import { localDocumentClient } from '#test/support/dynamodb.js';
import { cartEvent, orderPlaced, SETTINGS, throttling, world } from '#test/unit/core/callbacks/fixtures.js';

const documents = localDocumentClient();
const dynamo = new DynamoDBClient({
  endpoint: inject('dynamodbEndpoint'),
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
});
const tables: string[] = [];

afterAll(async () => {
  for (const table of tables) await dynamo.send(new DeleteTableCommand({ TableName: table }));
  documents.destroy();
  dynamo.destroy();
});

/** Wednesday 2026-11-25: the sample cart is abandoned at 10:00 in Warsaw and due at 10:30 (09:30 UTC). */
const AFTER_DUE = '2026-11-25T09:31:00Z';

const freshStore = async (): Promise<{ store: DynamoCallbackStore; table: string }> => {
  const table = `peakline-it-cancel-${randomUUID().slice(0, 8)}`;
  await dynamo.send(new CreateTableCommand(toCreateTableInput(TABLES.callbacks, table)));
  tables.push(table);
  return { store: new DynamoCallbackStore(documents, table), table };
};

const rawItem = async (table: string, key: Record<string, string>) =>
  (await documents.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

/** A contact centre that runs `during` (the OrderPlaced) inside the call, then answers with `answer`. */
const centreWith = (during: () => Promise<unknown>, answer: () => Promise<{ contactId: string }>) => {
  const requests: NewTask[] = [];
  const centre: Pick<ContactCentre, 'startTask'> = {
    startTask: async (task) => {
      requests.push(task);
      await during();
      return answer();
    },
  };
  return { centre, requests };
};

/** A store that dies right after writing the claim: the sweeper's run is lost with the lease held. */
const crashingAfterClaim = (store: CallbackStore): CallbackStore & { crashes: number } => {
  const crashing = {
    crashes: 1,
    add: store.add.bind(store),
    get: store.get.bind(store),
    due: store.due.bind(store),
    tombstoneOf: store.tombstoneOf.bind(store),
    cancel: store.cancel.bind(store),
    replace: async (...args: Parameters<CallbackStore['replace']>) => {
      const written = await store.replace(...args);
      if (written && args[1].state === 'CLAIMED' && crashing.crashes-- > 0) {
        throw new Error('Task timed out after 60.00 seconds');
      }
      return written;
    },
  };
  return crashing;
};

describe('an OrderPlaced that arrives before its CartAbandoned', () => {
  it('keeps the cart from ever being scheduled, however often either is delivered', async () => {
    // Prepare
    const { store, table } = await freshStore();
    const w = world({ store });
    const cart = cartEvent();
    const order = orderPlaced(cart);

    // Act
    const cancels = [await cancelForOrder(order, w.deps), await cancelForOrder(order, w.deps)];
    const schedules = [
      await scheduleCallback(cart, w.deps, { eventId: 'e-1' }),
      await scheduleCallback(cart, w.deps, { eventId: 'e-1' }), // the same event again
      await scheduleCallback(structuredClone(cart), w.deps, { eventId: 'e-2' }), // a second poller
    ];
    w.clock.set(AFTER_DUE);
    const sweep = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(cancels).toEqual([
      { outcome: 'NOT_CANCELLED', cartId: cart.cartId, reason: 'no-callback' },
      { outcome: 'NOT_CANCELLED', cartId: cart.cartId, reason: 'no-callback' },
    ]);
    expect(schedules.map((s) => s.outcome === 'NOT_SCHEDULED' && s.reason)).toEqual([
      'ordered',
      'ordered',
      'ordered',
    ]);
    expect(sweep.due).toBe(0);
    expect(w.centre.requests).toEqual([]);
    expect(w.events.published).toEqual([]);
    expect(await rawItem(table, callbackKey(cart.cartId))).toBeUndefined();
    // The customer's day is not used up by a cart they bought.
    expect(await rawItem(table, customerMarkerKey(cart.customer.customerId))).toBeUndefined();
    // Kept as long as a CartAbandoned could still be scheduled: maxAgeHours and a day after the order.
    expect(await rawItem(table, tombstoneKey(cart.cartId))).toMatchObject({
      kind: 'cart-tombstone',
      orderId: order.orderId,
      orderedAt: '2026-11-25T09:00:00.000Z',
      expiresAt: Date.parse('2026-11-25T09:10:00Z') / 1000 + (SETTINGS.maxAgeHours + 24) * 3600,
    });
  });

  it('keeps the first order on the tombstone when another order names the same cart', async () => {
    // Prepare
    const { store } = await freshStore();
    const w = world({ store });
    const cart = cartEvent();
    const first = orderPlaced(cart);

    // Act
    await cancelForOrder(first, w.deps);
    await cancelForOrder(orderPlaced(cart), w.deps);

    // Assess
    expect(await store.tombstoneOf(cart.cartId)).toMatchObject({ orderId: first.orderId });
  });

  it('wins every race with its CartAbandoned: twelve carts delivered at the same moment, no task', async () => {
    // Prepare
    const { store } = await freshStore();
    const w = world({ store });
    const carts = Array.from({ length: 12 }, () => cartEvent());

    // Act
    const results = await Promise.all(
      carts.map(async (cart) => {
        const [scheduled, cancelled] = await Promise.all([
          scheduleCallback(cart, w.deps, { eventId: `e-${cart.cartId}` }),
          cancelForOrder(orderPlaced(cart), w.deps),
        ]);
        return { scheduled, cancelled };
      }),
    );
    w.clock.set(AFTER_DUE);
    const sweep = await sweepDueCallbacks(w.deps, 20);

    // Assess
    expect(w.centre.requests).toEqual([]);
    expect(sweep.counts.CREATED).toBe(0);
    for (const cart of carts) {
      const callback = await store.get(cart.cartId);
      // Either never stored, or stored and cancelled (by the order, or by the sweep it could not fool).
      if (callback !== undefined) expect(callback).toMatchObject({ state: 'CANCELLED', pending: false });
    }
    const scheduled = results.filter((r) => r.scheduled.outcome === 'SCHEDULED').length;
    expect(w.events.types().filter((t) => t === 'CallbackScheduled')).toHaveLength(scheduled);
    expect(w.events.types().filter((t) => t === 'CallbackCancelled')).toHaveLength(scheduled);
  });

  it('refuses a redelivered CartAbandoned after its callback was cancelled, and announces nothing again', async () => {
    // Prepare
    const { store } = await freshStore();
    const w = world({ store });
    const cart = cartEvent();
    const order = orderPlaced(cart);
    await scheduleCallback(cart, w.deps, { eventId: 'e-1' });
    await cancelForOrder(order, w.deps);

    // Act
    const again = await scheduleCallback(cart, w.deps, { eventId: 'e-1' });
    const orderAgain = await cancelForOrder(order, w.deps);

    // Assess
    expect(again).toEqual({ outcome: 'NOT_SCHEDULED', cartId: cart.cartId, reason: 'ordered' });
    expect(orderAgain).toEqual({ outcome: 'CANCELLED', cartId: cart.cartId, redelivered: true });
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCancelled']);
  });
});

describe('an OrderPlaced while the sweeper holds the callback', () => {
  it('processed between the claim and StartTaskContact: no task, the callback cancelled', async () => {
    // Prepare
    const { store, table } = await freshStore();
    const cart = cartEvent();
    const order = orderPlaced(cart);
    let cancelled: CancelResult | undefined;
    const w = world({
      store: {
        add: store.add.bind(store),
        get: store.get.bind(store),
        due: store.due.bind(store),
        tombstoneOf: store.tombstoneOf.bind(store),
        cancel: store.cancel.bind(store),
        replace: async (...args) => {
          const written = await store.replace(...args);
          // The order is processed the moment the sweeper holds the callback.
          if (written && args[1].state === 'CLAIMED') cancelled = await cancelForOrder(order, w.deps);
          return written;
        },
      },
    });
    await scheduleCallback(cart, w.deps);
    w.clock.set(AFTER_DUE);

    // Act
    const sweep = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(cancelled).toEqual({
      outcome: 'NOT_CANCELLED',
      cartId: cart.cartId,
      reason: 'in-flight',
      state: 'CLAIMED',
    });
    expect(sweep.outcomes).toEqual([{ cartId: cart.cartId, outcome: 'CANCELLED', orderId: order.orderId }]);
    expect(w.centre.requests).toEqual([]);
    expect(await rawItem(table, callbackKey(cart.cartId))).toMatchObject({
      state: 'CANCELLED',
      cancelledBy: order.orderId,
    });
    expect(await rawItem(table, customerMarkerKey(cart.customer.customerId))).toBeUndefined();
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCancelled']);
    expect(w.events.published.at(-1)?.detail).toMatchObject({
      reason: 'order-placed',
      orderId: order.orderId,
    });
  });

  it.each([
    // Throttled: Connect made nothing. Failed: it may have made the task before the answer was lost.
    ['throttled', throttling(), {}],
    [
      'failed',
      Object.assign(new Error('Service unavailable'), { name: 'InternalServiceException' }),
      { taskMayExist: true },
    ],
  ])(
    'processed while the StartTaskContact is %s: the release does not bring the callback back',
    async (_how, error, uncertainty) => {
      // Prepare
      const { store, table } = await freshStore();
      const cart = cartEvent();
      const order = orderPlaced(cart);
      const connect = centreWith(
        () => cancelForOrder(order, w.deps),
        () => Promise.reject(error),
      );
      const w = world({ store, contactCentre: connect.centre });
      await scheduleCallback(cart, w.deps);
      w.clock.set(AFTER_DUE);

      // Act
      const first = await sweepDueCallbacks(w.deps, 10);
      w.clock.advanceMinutes(10);
      const later = await sweepDueCallbacks(w.deps, 10);

      // Assess
      expect(first.outcomes).toEqual([
        { cartId: cart.cartId, outcome: 'CANCELLED', orderId: order.orderId, ...uncertainty },
      ]);
      expect(later.due).toBe(0);
      expect(connect.requests).toHaveLength(1); // the call that failed, begun before the order
      expect(await rawItem(table, callbackKey(cart.cartId))).toMatchObject({
        state: 'CANCELLED',
        ...uncertainty,
      });
      expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCancelled']);
    },
  );

  it('processed while the saved-cart SMS meets the daily cap: not postponed, cancelled', async () => {
    // Prepare
    const { store } = await freshStore();
    const cart = cartEvent();
    const order = orderPlaced(cart);
    const w = world({ store, routing: 'DEFLECT', sms: true, settings: { peakBehaviour: 'sms' } });
    const ledger = w.deps.sms?.ledger;
    if (ledger === undefined) throw new Error('the sms path is wired');
    const deps = {
      ...w.deps,
      sms: {
        ...(w.deps.sms ?? ({} as never)),
        ledger: {
          claimOnce: ledger.claimOnce,
          addDailySegments: async (day: string, segments: number) => {
            await cancelForOrder(order, w.deps);
            return (await ledger.addDailySegments(day, segments)) + 1_000_000; // over the cap
          },
        },
      },
    };
    await scheduleCallback(cart, deps);
    w.clock.set(AFTER_DUE);

    // Act
    const first = await sweepDueCallbacks(deps, 10);
    w.routing.state = 'NORMAL';
    w.clock.advanceMinutes(30);
    const later = await sweepDueCallbacks(deps, 10);

    // Assess
    expect(first.outcomes).toEqual([{ cartId: cart.cartId, outcome: 'CANCELLED', orderId: order.orderId }]);
    expect(later.due).toBe(0);
    expect(w.sender.sent).toEqual([]);
    expect(w.centre.requests).toEqual([]);
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCancelled']);
  });
});

describe('a lease taken over from a crashed sweep', () => {
  const crashedWorld = async () => {
    const { store } = await freshStore();
    const crashing = crashingAfterClaim(store);
    const w = world({ store: crashing });
    const cart = cartEvent();
    await scheduleCallback(cart, w.deps);
    w.clock.set(AFTER_DUE);
    const crashed = await sweepDueCallbacks(w.deps, 10);
    return { w, cart, crashed, store };
  };

  it('makes no task for a customer who opted out since', async () => {
    // Prepare
    const { w, cart, crashed } = await crashedWorld();
    w.suppress(cart.customer.phone);

    // Act
    w.clock.advanceMinutes(3); // past the dead run's lease
    const taken = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(crashed.counts.ERROR).toBe(1);
    expect(taken.outcomes).toEqual([
      { cartId: cart.cartId, outcome: 'SKIPPED', reason: 'opted-out', taskMayExist: true },
    ]);
    expect(w.centre.requests).toEqual([]);
    expect(w.events.published.at(-1)).toMatchObject({
      detailType: 'CallbackCancelled',
      detail: { reason: 'opted-out', taskMayExist: true },
    });
  });

  it('makes no task once the offer has gone stale', async () => {
    // Prepare
    const { w, cart } = await crashedWorld();

    // Act
    w.clock.set('2026-11-27T09:00:00Z'); // 48 hours after the abandonment, the centre open
    const taken = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(taken.outcomes).toEqual([
      { cartId: cart.cartId, outcome: 'SKIPPED', reason: 'expired', taskMayExist: true },
    ]);
    expect(w.centre.requests).toEqual([]);
  });

  it('makes no task for a cart ordered since the crash', async () => {
    // Prepare
    const { w, cart, store } = await crashedWorld();
    const order: OrderPlaced = orderPlaced(cart);
    const cancelled = await cancelForOrder(order, w.deps);

    // Act
    w.clock.advanceMinutes(3);
    const taken = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(cancelled).toMatchObject({ outcome: 'NOT_CANCELLED', reason: 'in-flight' });
    expect(taken.outcomes).toEqual([
      { cartId: cart.cartId, outcome: 'CANCELLED', orderId: order.orderId, taskMayExist: true },
    ]);
    expect(w.centre.requests).toEqual([]);
    expect(await store.get(cart.cartId)).toMatchObject({ state: 'CANCELLED', taskMayExist: true });
  });

  it('still makes the task, once, for a customer who neither ordered nor opted out', async () => {
    // Prepare
    const { w, cart } = await crashedWorld();

    // Act
    w.clock.advanceMinutes(3);
    const taken = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(taken.outcomes).toMatchObject([{ cartId: cart.cartId, outcome: 'CREATED' }]);
    expect(w.centre.contacts.size).toBe(1);
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCreated']);
  });
});
