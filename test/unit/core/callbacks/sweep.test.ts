import { describe, expect, it } from 'vitest';
import { callbackClientToken } from '#core/callbacks/callback.js';
import { InMemoryCallbackStore } from '#core/callbacks/memory-store.js';
import { scheduleCallback } from '#core/callbacks/schedule.js';
import type { CallbackStore } from '#core/callbacks/store.js';
import { sweepDueCallbacks } from '#core/callbacks/sweep.js';
import { cartEvent, SMS_SETTINGS, throttling, world } from './fixtures.js';

/** Wednesday 2026-11-25: the sample cart is abandoned at 10:00 in Warsaw, due at 10:30 (09:30 UTC). */
const DUE = '2026-11-25T09:30:00Z';
const AFTER_DUE = '2026-11-25T09:31:00Z';

const scheduled = async (w: ReturnType<typeof world>, ...carts: ReturnType<typeof cartEvent>[]) => {
  for (const cart of carts) expect((await scheduleCallback(cart, w.deps)).outcome).toBe('SCHEDULED');
  return carts;
};

describe('sweepDueCallbacks', () => {
  it('makes nothing before the callback is due, and the task once it is', async () => {
    // Prepare
    const w = world();
    const [cart] = await scheduled(w, cartEvent());

    // Act
    w.clock.set('2026-11-25T09:29:59Z');
    const early = await sweepDueCallbacks(w.deps, 10);
    w.clock.set(DUE);
    const due = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(early.due).toBe(0);
    expect(due.outcomes).toEqual([{ cartId: cart?.cartId, outcome: 'CREATED', contactId: 'contact-1' }]);
    expect(w.centre.requests).toHaveLength(1);
    expect(w.centre.requests[0]).toMatchObject({
      queueId: 'callback',
      clientToken: callbackClientToken(cart?.cartId ?? ''),
      attributes: expect.objectContaining({ peaklineQueueId: 'callback', cartId: cart?.cartId }),
    });
    expect(w.routing.asked).toEqual(['callback']);
    expect(w.events.published.at(-1)).toEqual({
      detailType: 'CallbackCreated',
      detail: expect.objectContaining({
        cartId: cart?.cartId,
        contactId: 'contact-1',
        queueId: 'callback',
        createdAt: '2026-11-25T09:30:00.000Z',
        to: '+48*****4567',
      }),
    });
    expect(JSON.stringify(w.events.published)).not.toContain('+48601234567');
    const stored = await w.store.get(cart?.cartId ?? '');
    expect(stored).toMatchObject({ state: 'CREATED', pending: false, contactId: 'contact-1' });
    expect(stored?.customer.phone).toBeUndefined();
    expect(stored?.retainUntil).toBe('2026-12-25T09:30:00.000Z');
  });

  it('takes the oldest first, at most `limit` a run, and leaves the rest for the next', async () => {
    // Prepare
    const w = world({ now: '2026-11-25T07:00:00Z' });
    const carts = await scheduled(
      w,
      cartEvent({ abandonedAt: '2026-11-25T09:20:00+01:00' }),
      cartEvent({ abandonedAt: '2026-11-25T09:00:00+01:00' }),
      cartEvent({ abandonedAt: '2026-11-25T09:10:00+01:00' }),
    );
    w.clock.set('2026-11-25T09:00:00Z');

    // Act
    const first = await sweepDueCallbacks(w.deps, 2);
    const second = await sweepDueCallbacks(w.deps, 2);

    // Assess
    expect(first.outcomes.map((o) => o.cartId)).toEqual([carts[1]?.cartId, carts[2]?.cartId]);
    expect(second.outcomes.map((o) => o.cartId)).toEqual([carts[0]?.cartId]);
    expect(first.counts).toMatchObject({ CREATED: 2, ERROR: 0, RELEASED: 0 });
  });

  it('postpones while the callback queue overflows, and makes the task once it is normal again', async () => {
    // Prepare
    const w = world({ routing: 'OVERFLOW' });
    const [cart] = await scheduled(w, cartEvent());
    w.clock.set(AFTER_DUE);

    // Act
    const overloaded = await sweepDueCallbacks(w.deps, 10);
    w.routing.state = 'NORMAL';
    w.clock.set('2026-11-25T09:45:59Z');
    const stillWaiting = await sweepDueCallbacks(w.deps, 10);
    w.clock.set('2026-11-25T09:46:00Z');
    const normal = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(overloaded.outcomes).toEqual([
      { cartId: cart?.cartId, outcome: 'POSTPONED', dueAt: '2026-11-25T09:46:00.000Z', reason: 'overloaded' },
    ]);
    expect(overloaded.routingState).toBe('OVERFLOW');
    expect(stillWaiting.due).toBe(0);
    expect(normal.counts.CREATED).toBe(1);
    expect(w.centre.requests[0]?.description).toContain('Przełożone 1×');
    expect(w.centre.requests[0]?.attributes.postponements).toBe('1');
  });

  it('postpones into the next opening when the step passes closing time', async () => {
    // Prepare: abandoned Wednesday 19:00, due 19:30; the sweep at 19:50 finds the queue deflecting.
    const w = world({ now: '2026-11-25T18:00:00Z', routing: 'DEFLECT' });
    const [cart] = await scheduled(w, cartEvent({ abandonedAt: '2026-11-25T19:00:00+01:00' }));
    w.clock.set('2026-11-25T18:50:00Z');

    // Act
    const result = await sweepDueCallbacks(w.deps, 10);

    // Assess: 19:50 + 15 min is after 20:00, so Thursday 08:00.
    expect(result.outcomes).toEqual([
      { cartId: cart?.cartId, outcome: 'POSTPONED', dueAt: '2026-11-26T07:00:00.000Z', reason: 'overloaded' },
    ]);
  });

  it('drops a callback the peak has postponed past maxAgeHours', async () => {
    // Prepare: abandoned Friday 19:00; the next opening, Saturday 09:00, is past the 2 hours.
    const w = world({ now: '2026-11-27T18:00:00Z', routing: 'OVERFLOW', settings: { maxAgeHours: 2 } });
    const [cart] = await scheduled(w, cartEvent({ abandonedAt: '2026-11-27T19:00:00+01:00' }));
    w.clock.set('2026-11-27T18:50:00Z'); // 19:50 + 15 minutes is after closing

    // Act
    const result = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(result.outcomes).toEqual([{ cartId: cart?.cartId, outcome: 'SKIPPED', reason: 'expired' }]);
    expect(w.events.published.at(-1)).toMatchObject({
      detailType: 'CallbackCancelled',
      detail: { cartId: cart?.cartId, reason: 'expired' },
    });
  });

  it('waits for the opening when the sweep comes after closing, without counting a postponement', async () => {
    // Prepare: due 19:59:30 on Wednesday; the sweep runs at 20:00:30.
    const w = world({ now: '2026-11-25T18:00:00Z', settings: { delayMinutes: 0 } });
    const [cart] = await scheduled(w, cartEvent({ abandonedAt: '2026-11-25T19:59:30+01:00' }));
    w.clock.set('2026-11-25T19:00:30Z');

    // Act
    const result = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(result.outcomes).toEqual([
      { cartId: cart?.cartId, outcome: 'POSTPONED', dueAt: '2026-11-26T07:00:00.000Z', reason: 'closed' },
    ]);
    expect((await w.store.get(cart?.cartId ?? ''))?.postponements).toBe(0);
    expect(w.centre.requests).toEqual([]);
  });

  it('makes no call for a customer who opted out after the callback was scheduled', async () => {
    // Prepare
    const w = world();
    const [cart] = await scheduled(w, cartEvent());
    w.suppress('+48601234567');
    w.clock.set(AFTER_DUE);

    // Act
    const result = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(result.outcomes).toEqual([{ cartId: cart?.cartId, outcome: 'SKIPPED', reason: 'opted-out' }]);
    expect(w.centre.requests).toEqual([]);
  });

  it('puts a throttled callback back in its place, stops the sweep and loses nothing', async () => {
    // Prepare
    const w = world({ now: '2026-11-25T07:00:00Z' });
    const [older, newer] = await scheduled(
      w,
      cartEvent({ abandonedAt: '2026-11-25T09:00:00+01:00' }),
      cartEvent({ abandonedAt: '2026-11-25T09:05:00+01:00' }),
    );
    w.clock.set('2026-11-25T09:00:00Z');
    w.centre.failNext(throttling());

    // Act
    const throttled = await sweepDueCallbacks(w.deps, 10);
    const stillDue = await w.store.due(w.clock.now(), 10);
    const next = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(throttled.stoppedByThrottling).toBe(true);
    expect(throttled.outcomes).toEqual([
      {
        cartId: older?.cartId,
        outcome: 'RELEASED',
        reason: 'throttled',
        error: 'TooManyRequestsException: Rate exceeded',
      },
    ]);
    expect(stillDue.map((c) => [c.cartId, c.dueAt, c.state, c.taskAttempts])).toEqual([
      [older?.cartId, '2026-11-25T08:30:00.000Z', 'SCHEDULED', 0],
      [newer?.cartId, '2026-11-25T08:35:00.000Z', 'SCHEDULED', 0],
    ]);
    expect(next.outcomes.map((o) => [o.cartId, o.outcome])).toEqual([
      [older?.cartId, 'CREATED'],
      [newer?.cartId, 'CREATED'],
    ]);
    expect(w.centre.contacts.size).toBe(2);
  });

  it('retries a failing task a little later, and gives it up after maxTaskAttempts', async () => {
    // Prepare
    const w = world({ settings: { maxTaskAttempts: 3 } });
    const [cart] = await scheduled(w, cartEvent());
    // A refusal, as the SDK reports one (a 4xx, `$fault: 'client'`): Connect made no task.
    const refused = Object.assign(new Error('Attributes too large'), {
      name: 'InvalidParameterException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    w.centre.failNext(refused, 3);
    w.clock.set(AFTER_DUE);

    // Act
    const first = await sweepDueCallbacks(w.deps, 10);
    w.clock.advanceMinutes(1);
    const second = await sweepDueCallbacks(w.deps, 10);
    w.clock.advanceMinutes(1);
    const early = await sweepDueCallbacks(w.deps, 10);
    w.clock.advanceMinutes(1);
    const third = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(first.outcomes[0]).toMatchObject({ outcome: 'RELEASED', reason: 'task-failed' });
    expect(second.outcomes[0]).toMatchObject({ outcome: 'RELEASED', reason: 'task-failed' });
    expect(early.due).toBe(0); // the second failure waits two minutes
    expect(third.outcomes).toEqual([{ cartId: cart?.cartId, outcome: 'SKIPPED', reason: 'task-failed' }]);
    expect(w.events.published.at(-1)).toMatchObject({
      detailType: 'CallbackCancelled',
      detail: { reason: 'task-failed' },
    });
    expect(await w.store.get(cart?.cartId ?? '')).toMatchObject({
      state: 'SKIPPED',
      lastError: 'InvalidParameterException: Attributes too large',
    });
  });

  it('creates the task once and announces it once when the sweeper dies between Connect and the store', async () => {
    // Prepare
    const inner = new InMemoryCallbackStore();
    let crashes = 1;
    const crashing: CallbackStore = {
      add: (...args) => inner.add(...args),
      get: (cartId) => inner.get(cartId),
      due: (...args) => inner.due(...args),
      tombstoneOf: (cartId) => inner.tombstoneOf(cartId),
      cancel: (...args) => inner.cancel(...args),
      replace: async (seen, next, ...rest) => {
        if (next.state === 'CREATED' && crashes-- > 0) throw new Error('Lambda timed out');
        return inner.replace(seen, next, ...rest);
      },
    };
    const w = world({ store: crashing });
    const [cart] = await scheduled(w, cartEvent());
    w.clock.set(AFTER_DUE);

    // Act
    const crashed = await sweepDueCallbacks(w.deps, 10);
    const duringLease = await sweepDueCallbacks(w.deps, 10);
    w.clock.advanceMinutes(2); // the dead sweeper's lease runs out
    const recovered = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(crashed.outcomes).toEqual([
      { cartId: cart?.cartId, outcome: 'ERROR', error: 'Error: Lambda timed out' },
    ]);
    expect(duringLease.due).toBe(0);
    expect(recovered.outcomes).toEqual([
      { cartId: cart?.cartId, outcome: 'CREATED', contactId: 'contact-1' },
    ]);
    expect(w.centre.requests.map((r) => r.clientToken)).toEqual([
      callbackClientToken(cart?.cartId ?? ''),
      callbackClientToken(cart?.cartId ?? ''),
    ]);
    expect(w.centre.contacts.size).toBe(1);
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCreated']);
  });

  it('announces a created task the sweeper could not announce, once, after the lease', async () => {
    // Prepare
    const w = world();
    await scheduled(w, cartEvent());
    const publish = w.deps.events.publish;
    let failures = 1;
    const deps = {
      ...w.deps,
      events: {
        publish: async (type: string, detail: Record<string, unknown>) => {
          if (type === 'CallbackCreated' && failures-- > 0) throw new Error('EventBridge is down');
          return publish(type, detail);
        },
      },
    };
    w.clock.set(AFTER_DUE);

    // Act
    const failed = await sweepDueCallbacks(deps, 10);
    w.clock.advanceMinutes(2);
    const recovered = await sweepDueCallbacks(deps, 10);
    const after = await sweepDueCallbacks(deps, 10);

    // Assess
    expect(failed.counts.ERROR).toBe(1);
    expect(recovered.outcomes).toMatchObject([{ outcome: 'ANNOUNCED', state: 'CREATED' }]);
    expect(after.due).toBe(0);
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCreated']);
    expect(w.centre.requests).toHaveLength(1);
  });

  it('lets only one of two sweeps running at once create the task', async () => {
    // Prepare
    const w = world();
    await scheduled(w, cartEvent());
    w.clock.set(AFTER_DUE);

    // Act
    const results = await Promise.all([sweepDueCallbacks(w.deps, 10), sweepDueCallbacks(w.deps, 10)]);

    // Assess
    expect(results.flatMap((r) => r.outcomes.map((o) => o.outcome)).sort()).toEqual(['CREATED', 'LOST']);
    expect(w.centre.requests).toHaveLength(1);
    expect(w.events.types()).toEqual(['CallbackScheduled', 'CallbackCreated']);
  });

  it('goes on as NORMAL when the routing state cannot be read: a late callback beats none', async () => {
    // Prepare
    const w = world();
    await scheduled(w, cartEvent());
    const deps = {
      ...w.deps,
      routing: {
        stateOf: async () => {
          throw new Error('routing table unavailable');
        },
      },
    };
    w.clock.set(AFTER_DUE);

    // Act
    const result = await sweepDueCallbacks(deps, 10);

    // Assess
    expect(result.counts.CREATED).toBe(1);
    expect(result.routingStateError).toBe('Error: routing table unavailable');
  });
});

describe('sweepDueCallbacks with peakBehaviour "sms"', () => {
  const smsWorld = (options: Parameters<typeof world>[0] = {}) =>
    world({
      routing: 'DEFLECT',
      sms: true,
      ...options,
      settings: { peakBehaviour: 'sms', ...options.settings },
    });

  it('sends the saved cart by SMS instead of a call while the queue deflects', async () => {
    // Prepare
    const w = smsWorld();
    const [cart] = await scheduled(w, cartEvent());
    w.clock.set(AFTER_DUE);

    // Act
    const result = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(result.outcomes).toEqual([{ cartId: cart?.cartId, outcome: 'REPLACED_BY_SMS', messageId: 'm-1' }]);
    expect(w.centre.requests).toEqual([]);
    expect(w.sender.sent).toEqual([
      {
        to: '+48601234567',
        body: 'Sklep Peak: Twój koszyk (1678,88 zł) czeka: https://sklep.example.pl/koszyk/odzyskaj?token=q8ZkT2vN Mamy teraz dużo telefonów, więc zamiast dzwonić wysyłamy link - dokończ zakupy, kiedy chcesz.',
        kind: 'saved-cart',
        segments: 3,
        encoding: 'UCS-2',
        cartId: cart?.cartId,
      },
    ]);
    expect(w.events.types()).toEqual(['CallbackScheduled', 'SmsSent', 'CallbackCancelled']);
    expect(w.events.published.at(-1)?.detail).toMatchObject({
      reason: 'replaced-by-sms',
      smsMessageId: 'm-1',
    });
    expect(await w.store.get(cart?.cartId ?? '')).toMatchObject({ state: 'REPLACED_BY_SMS', pending: false });
  });

  it.each([
    {
      name: 'no marketing SMS consent',
      cart: () => cartEvent({}, { consent: { transactionalSms: true, marketingSms: false, callback: true } }),
      at: AFTER_DUE,
    },
    {
      name: "quiet hours in the customer's zone (22:31 in Tokyo)",
      cart: () => cartEvent({ abandonedAt: '2026-11-25T13:00:00+01:00' }, { timeZone: 'Asia/Tokyo' }),
      at: '2026-11-25T13:31:00Z',
    },
    {
      name: 'no link to the cart',
      cart: () => {
        const { recoveryUrl: _, ...cart } = cartEvent();
        return cart;
      },
      at: AFTER_DUE,
    },
    { name: 'a landline', cart: () => cartEvent({}, { phone: '+48221234567' }), at: AFTER_DUE },
  ])('postpones instead with $name', async ({ cart, at }) => {
    // Prepare
    const w = smsWorld({ now: '2026-11-25T07:00:00Z' });
    await scheduled(w, cart());
    w.clock.set(at);

    // Act
    const result = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(result.outcomes).toMatchObject([{ outcome: 'POSTPONED', reason: 'overloaded' }]);
    expect(w.sender.sent).toEqual([]);
  });

  it('tries the SMS again at the next sweep when the provider fails, and sends it once', async () => {
    // Prepare
    const w = smsWorld();
    const [cart] = await scheduled(w, cartEvent());
    let failures = 1;
    const send = w.sender.send;
    const deps = {
      ...w.deps,
      sms: {
        ledger: w.ledger,
        settings: SMS_SETTINGS,
        sender: {
          send: async (sms: Parameters<typeof send>[0]) => {
            if (failures-- > 0)
              throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' });
            return send(sms);
          },
        },
      },
    };
    w.clock.set(AFTER_DUE);

    // Act
    const failed = await sweepDueCallbacks(deps, 10);
    const retried = await sweepDueCallbacks(deps, 10);

    // Assess
    expect(failed.outcomes).toMatchObject([
      { cartId: cart?.cartId, outcome: 'RELEASED', reason: 'sms-failed' },
    ]);
    expect(retried.outcomes).toMatchObject([{ cartId: cart?.cartId, outcome: 'REPLACED_BY_SMS' }]);
    expect(w.sender.sent).toHaveLength(1);
    expect([...w.ledger.claimed]).toEqual([`saved-cart#${cart?.cartId}#0`, `saved-cart#${cart?.cartId}#1`]);
  });

  it('does not send it twice when a sweeper died after taking the once-only record', async () => {
    // Prepare
    const w = smsWorld();
    const [cart] = await scheduled(w, cartEvent());
    await w.ledger.claimOnce(`saved-cart#${cart?.cartId}#0`, w.clock.now());
    w.clock.set(AFTER_DUE);

    // Act
    const result = await sweepDueCallbacks(w.deps, 10);

    // Assess
    expect(result.outcomes).toEqual([{ cartId: cart?.cartId, outcome: 'REPLACED_BY_SMS' }]);
    expect(w.sender.sent).toEqual([]);
  });
});
