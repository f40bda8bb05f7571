/**
 * Cart callbacks on DynamoDB Local: the due-time store with its conditional writes, the sparse `due`
 * index and the customer markers, driven by the core's schedule, cancel and sweep, with the contact-centre
 * simulator of the local stack (which honours ClientToken as Connect does) or the Connect adapter itself.
 *
 * Each test gets a callbacks table of its own, built from the same definition as every other world's,
 * so the sweeper's index query sees that test's callbacks and nothing else.
 */
import { randomUUID } from 'node:crypto';
import { ConnectClient, StartTaskContactCommand } from '@aws-sdk/client-connect';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '#adapters/dynamodb/document-client.js';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { ConnectContactCentre } from '#adapters/connect/contact-centre.js';
import { isThrottling } from '#adapters/connect/retry.js';
import { callbackKey, customerMarkerKey, DynamoCallbackStore } from '#adapters/dynamodb/callback-store.js';
import { TABLES, toCreateTableInput } from '#adapters/dynamodb/tables.js';
import { cancelForOrder } from '#core/callbacks/cancel.js';
import { callbackClientToken } from '#core/callbacks/callback.js';
import { createPaymentIssueTask } from '#core/callbacks/payment-task.js';
import { scheduleCallback } from '#core/callbacks/schedule.js';
import type { CallbackStore } from '#core/callbacks/store.js';
import { sweepDueCallbacks } from '#core/callbacks/sweep.js';
import type { ContactCentre, NewTask } from '#core/ports.js';
import { shopDetailSchemas } from '#events/index.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import { createContactCentre } from '#simulator/contact-centre.js';
import { sampleEntries } from '#test/support/events.js';
import { localDocumentClient } from '#test/support/dynamodb.js';
import { cartEvent, orderPlaced, world } from '#test/unit/core/callbacks/fixtures.js';
import { BridgedConnectSender } from '#adapters/connect/sdk-connect-sender.js';

const documents = localDocumentClient();
const dynamo = new DynamoDBClient({
  endpoint: inject('dynamodbEndpoint'),
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
});
const connect = mockClient(ConnectClient);
const tables: string[] = [];

afterEach(() => connect.reset());
afterAll(async () => {
  for (const table of tables) await dynamo.send(new DeleteTableCommand({ TableName: table }));
  documents.destroy();
  dynamo.destroy();
});

/** Wednesday 2026-11-25: the sample cart is abandoned at 10:00 in Warsaw and due at 10:30 (09:30 UTC). */
const AFTER_DUE = '2026-11-25T09:31:00Z';

const freshStore = async (): Promise<{ store: DynamoCallbackStore; table: string }> => {
  const table = `peakline-it-callbacks-${randomUUID().slice(0, 8)}`;
  await dynamo.send(new CreateTableCommand(toCreateTableInput(TABLES.callbacks, table)));
  tables.push(table);
  return { store: new DynamoCallbackStore(documents, table), table };
};

const rawItem = async (table: string, key: Record<string, string>) =>
  (await documents.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

/** The local stack's simulator, with every StartTaskContact request recorded. */
const simulator = () => {
  const sim = createContactCentre(Date.parse('2026-11-25T09:00:00Z'));
  const requests: NewTask[] = [];
  const centre: Pick<ContactCentre, 'startTask'> = {
    startTask: (task) => {
      requests.push(task);
      return sim.startTask(task);
    },
  };
  const waitingTasks = (queueId: string) =>
    sim.snapshot().queues.find((queue) => queue.id === queueId)?.byChannel.TASK.waiting ?? 0;
  return { sim, centre, requests, waitingTasks };
};

describe('cart callbacks on DynamoDB Local', () => {
  it('holds a callback until due, then makes one task with the offer and settles the record', async () => {
    // Prepare
    const { store, table } = await freshStore();
    const connectSim = simulator();
    const w = world({ store, contactCentre: connectSim.centre });
    const cart = cartEvent();
    await scheduleCallback(cart, w.deps, { eventId: 'e-1' });

    // Act
    w.clock.set('2026-11-25T09:29:00Z');
    const early = await sweepDueCallbacks(w.deps, 10);
    w.clock.set(AFTER_DUE);
    const due = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(early.due).toBe(0);
    expect(due.outcomes).toEqual([
      { cartId: cart.cartId, outcome: 'CREATED', contactId: expect.any(String) },
    ]);
    expect(connectSim.waitingTasks('callback')).toBe(1);
    expect(connectSim.requests[0]?.attributes).toMatchObject({
      cartId: cart.cartId,
      customerPhone: '+48601234567',
    });
    const item = await rawItem(table, callbackKey(cart.cartId));
    expect(item).toMatchObject({ state: 'CREATED', version: 4, kind: 'callback' });
    expect(item).not.toHaveProperty('pending'); // out of the sparse index
    expect(item?.customer).not.toHaveProperty('phone');
    expect(item?.expiresAt).toBe(Date.parse('2026-12-25T09:31:00Z') / 1000); // 30 days after the end
    const marker = await rawItem(table, customerMarkerKey(cart.customer.customerId));
    expect(marker).toMatchObject({ cartId: cart.cartId, until: Date.parse('2026-11-26T09:31:00Z') });
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCreated']);
  });

  it('cancels the callback of an ordered cart: no task, the marker released', async () => {
    // Prepare
    const { store, table } = await freshStore();
    const connectSim = simulator();
    const w = world({ store, contactCentre: connectSim.centre });
    const cart = cartEvent();
    await scheduleCallback(cart, w.deps);

    // Act
    const cancelled = await cancelForOrder(orderPlaced(cart), w.deps);
    w.clock.set(AFTER_DUE);
    const sweep = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(cancelled).toEqual({ outcome: 'CANCELLED', cartId: cart.cartId });
    expect(sweep.due).toBe(0);
    expect(connectSim.requests).toEqual([]);
    expect(await rawItem(table, callbackKey(cart.cartId))).toMatchObject({
      state: 'CANCELLED',
      cancelledBy: expect.any(String),
    });
    expect(await rawItem(table, customerMarkerKey(cart.customer.customerId))).toBeUndefined();
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCancelled']);
  });

  it('postpones while the callback queue overflows, then makes the task', async () => {
    // Prepare
    const { store, table } = await freshStore();
    const connectSim = simulator();
    const w = world({ store, contactCentre: connectSim.centre, routing: 'OVERFLOW' });
    const cart = cartEvent();
    await scheduleCallback(cart, w.deps);
    w.clock.set(AFTER_DUE);

    // Act
    const overflowing = await sweepDueCallbacks(w.deps, 10);
    const postponedItem = await rawItem(table, callbackKey(cart.cartId));
    w.routing.state = 'NORMAL';
    w.clock.set('2026-11-25T09:46:00Z');
    const normal = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(overflowing.outcomes).toMatchObject([{ outcome: 'POSTPONED', dueAt: '2026-11-25T09:46:00.000Z' }]);
    expect(postponedItem).toMatchObject({
      state: 'POSTPONED',
      pending: 'CALLBACK',
      dueAt: Date.parse('2026-11-25T09:46:00Z'),
      postponements: 1,
    });
    expect(normal.counts.CREATED).toBe(1);
    expect(connectSim.waitingTasks('callback')).toBe(1);
    // The customer's day without another callback moved with the postponement, then counts from the call.
    expect(await rawItem(table, customerMarkerKey(cart.customer.customerId))).toMatchObject({
      until: Date.parse('2026-11-26T09:46:00Z'),
    });
  });

  it('keeps one callback for a CartAbandoned delivered twice at once', async () => {
    // Prepare
    const { store } = await freshStore();
    const w = world({ store });
    const cart = cartEvent();

    // Act
    const results = await Promise.all([
      scheduleCallback(cart, w.deps, { eventId: 'e-1' }),
      scheduleCallback(structuredClone(cart), w.deps, { eventId: 'e-2' }),
    ]);
    w.clock.set(AFTER_DUE);
    const sweep = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(results.map((r) => r.outcome).sort()).toEqual(['NOT_SCHEDULED', 'SCHEDULED']);
    expect(results.find((r) => r.outcome === 'NOT_SCHEDULED')).toMatchObject({ reason: 'duplicate' });
    expect(sweep.counts.CREATED).toBe(1);
    expect(w.centre.requests).toHaveLength(1);
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCreated']);
  });

  it('gives a customer with two carts within a day one callback', async () => {
    // Prepare
    const { store } = await freshStore();
    const w = world({ store });
    const first = cartEvent();
    const second = cartEvent(
      { abandonedAt: '2026-11-25T10:05:00+01:00' },
      { customerId: first.customer.customerId },
    );

    // Act
    const results = await Promise.all([scheduleCallback(first, w.deps), scheduleCallback(second, w.deps)]);

    // Assess
    expect(results.map((r) => r.outcome).sort()).toEqual(['NOT_SCHEDULED', 'SCHEDULED']);
    expect(results.find((r) => r.outcome === 'NOT_SCHEDULED')).toMatchObject({ reason: 'recent-callback' });
  });

  it('creates the task once and announces it once when the sweeper dies after StartTaskContact', async () => {
    // Prepare
    const { store } = await freshStore();
    let crashes = 1;
    const crashing: CallbackStore = {
      add: (...args) => store.add(...args),
      get: (cartId) => store.get(cartId),
      due: (...args) => store.due(...args),
      tombstoneOf: (cartId) => store.tombstoneOf(cartId),
      cancel: (...args) => store.cancel(...args),
      replace: async (seen, next, ...rest) => {
        if (next.state === 'CREATED' && crashes-- > 0) throw new Error('Task timed out after 60 seconds');
        return store.replace(seen, next, ...rest);
      },
    };
    const connectSim = simulator();
    const w = world({ store: crashing, contactCentre: connectSim.centre });
    const cart = cartEvent();
    await scheduleCallback(cart, w.deps);
    w.clock.set(AFTER_DUE);

    // Act
    const crashed = await sweepDueCallbacks(w.deps, 10);
    const duringLease = await sweepDueCallbacks(w.deps, 10);
    w.clock.advanceMinutes(2);
    const recovered = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(crashed.counts.ERROR).toBe(1);
    expect(duringLease.due).toBe(0);
    expect(recovered.outcomes).toMatchObject([{ outcome: 'CREATED' }]);
    expect(connectSim.requests.map((r) => r.clientToken)).toEqual([
      callbackClientToken(cart.cartId),
      callbackClientToken(cart.cartId),
    ]);
    expect(connectSim.sim.snapshot().apiCalls.StartTaskContact).toBe(2);
    expect(connectSim.waitingTasks('callback')).toBe(1);
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCreated']);
  });

  it('lets one of two sweepers running at once take each callback', async () => {
    // Prepare
    const { store } = await freshStore();
    const connectSim = simulator();
    const w = world({ store, contactCentre: connectSim.centre, now: '2026-11-25T07:00:00Z' });
    for (const minute of ['00', '05', '10']) {
      await scheduleCallback(cartEvent({ abandonedAt: `2026-11-25T09:${minute}:00+01:00` }), w.deps);
    }
    w.clock.set('2026-11-25T09:00:00Z');

    // Act
    const results = await Promise.all([sweepDueCallbacks(w.deps, 10), sweepDueCallbacks(w.deps, 10)]);

    // Assess
    const created = results.flatMap((r) => r.outcomes.filter((o) => o.outcome === 'CREATED'));
    expect(created).toHaveLength(3);
    expect(new Set(created.map((o) => o.cartId)).size).toBe(3);
    expect(connectSim.waitingTasks('callback')).toBe(3);
    expect(w.events.types().filter((t) => t === 'CallbackCreated')).toHaveLength(3);
  });

  it('drops a callback nobody could make within maxAgeHours, once', async () => {
    // Prepare
    const { store, table } = await freshStore();
    const w = world({ store, routing: 'DEFLECT' });
    const cart = cartEvent();
    await scheduleCallback(cart, w.deps);

    // Act
    w.clock.set('2026-11-27T09:00:00Z'); // 48 hours after the abandonment
    const sweep = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(sweep.outcomes).toEqual([{ cartId: cart.cartId, outcome: 'SKIPPED', reason: 'expired' }]);
    expect(await rawItem(table, callbackKey(cart.cartId))).toMatchObject({
      state: 'SKIPPED',
      endReason: 'expired',
    });
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCancelled']);
  });
});

describe('cart callbacks through the Connect adapter', () => {
  /** The adapter on a mocked ConnectClient, on a virtual clock: its pacing and retries really run. */
  const adapter = () => {
    let nowMs = 0;
    const calls: number[] = [];
    const centre = new ConnectContactCentre(
      BridgedConnectSender.over(new ConnectClient({ region: LOCAL_REGION, maxAttempts: 1 })),
      {
        instanceId: 'instance-1',
        taskContactFlowId: 'task-flow-1',
        callsPerSecond: 2,
        maxAttempts: 3,
        nowMs: () => nowMs,
        sleep: async (ms) => {
          nowMs += ms;
        },
        random: () => 0.5,
      },
    );
    return { centre, calls, now: () => nowMs };
  };

  it('spaces StartTaskContact at the configured 2 per second', async () => {
    // Prepare
    const { store } = await freshStore();
    const connectAdapter = adapter();
    connect.on(StartTaskContactCommand).callsFake((input: { ClientToken?: string }) => {
      connectAdapter.calls.push(connectAdapter.now());
      return { ContactId: `contact-${input.ClientToken?.slice(-6)}` };
    });
    const w = world({ store, contactCentre: connectAdapter.centre, now: '2026-11-25T07:00:00Z' });
    for (const minute of ['00', '05', '10']) {
      await scheduleCallback(cartEvent({ abandonedAt: `2026-11-25T09:${minute}:00+01:00` }), w.deps);
    }
    w.clock.set('2026-11-25T09:00:00Z');

    // Act
    const sweep = await sweepDueCallbacks({ ...w.deps, isThrottling }, 10);

    // Assess
    expect(sweep.counts.CREATED).toBe(3);
    expect(connectAdapter.calls).toEqual([0, 500, 1000]);
    const input = connect.commandCalls(StartTaskContactCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      InstanceId: 'instance-1',
      ContactFlowId: 'task-flow-1',
      Attributes: expect.objectContaining({ peaklineQueueId: 'callback' }),
    });
  });

  it('loses nothing when Connect throttles past the retries: the callback stays due and is made next run', async () => {
    // Prepare
    const { store } = await freshStore();
    const connectAdapter = adapter();
    const tooFast = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    connect
      .on(StartTaskContactCommand)
      .rejectsOnce(tooFast)
      .rejectsOnce(tooFast)
      .rejectsOnce(tooFast) // the adapter's 3 attempts of the first run
      .resolves({ ContactId: 'contact-1' });
    const w = world({ store, contactCentre: connectAdapter.centre });
    const cart = cartEvent();
    const other = cartEvent({ abandonedAt: '2026-11-25T10:00:30+01:00' });
    await scheduleCallback(cart, w.deps);
    await scheduleCallback(other, w.deps);
    w.clock.set(AFTER_DUE);

    // Act
    const throttled = await sweepDueCallbacks({ ...w.deps, isThrottling }, 10);
    const stillDue = await store.due(w.clock.now(), 10);
    const next = await sweepDueCallbacks({ ...w.deps, isThrottling }, 10);

    // Assess
    expect(throttled.stoppedByThrottling).toBe(true);
    expect(throttled.outcomes).toEqual([
      {
        cartId: cart.cartId,
        outcome: 'RELEASED',
        reason: 'throttled',
        error: 'TooManyRequestsException: Rate exceeded',
      },
    ]);
    expect(stillDue.map((c) => [c.cartId, c.state])).toEqual([
      [cart.cartId, 'SCHEDULED'],
      [other.cartId, 'SCHEDULED'],
    ]);
    expect(next.counts.CREATED).toBe(2);
    expect(connect.commandCalls(StartTaskContactCommand)).toHaveLength(5);
    expect(w.events.types().filter((t) => t === 'CallbackCreated')).toHaveLength(2);
  });
});

describe('payment issues', () => {
  it('become one task in the accounting queue, however often the report is delivered', async () => {
    // Prepare
    const connectSim = simulator();
    const report = shopDetailSchemas.PaymentIssueReported.parse(
      JSON.parse(sampleEntries('payment-issue-reported')[0]?.Detail ?? ''),
    );
    const deps = {
      contactCentre: connectSim.centre,
      settings: { accountingQueueId: 'accounting', agentLocale: 'pl-PL', timeZone: 'Europe/Warsaw' },
    };

    // Act
    const first = await createPaymentIssueTask(report, deps);
    const again = await createPaymentIssueTask(report, deps);

    // Assess
    expect(again.contactId).toBe(first.contactId);
    expect(connectSim.waitingTasks('accounting')).toBe(1);
    expect(connectSim.waitingTasks('callback')).toBe(0);
  });
});
