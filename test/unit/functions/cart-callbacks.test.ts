import { describe, expect, it } from 'vitest';
import { callbackSettingsFrom } from '#core/callbacks/settings.js';
import type { DeadLetter } from '#core/ports.js';
import { rules } from '#events/rules.js';
import { callbacksPerRun } from '#functions/callback-sweeper/connect-budget.js';
import { sweepMetrics } from '#functions/callback-sweeper/wiring.js';
import { createCartCallbacksConsumer } from '#functions/cart-callbacks/consumer.js';
import {
  callbackEnvironment,
  callbackEnvironmentFrom,
  callbackSettingsFromEnvironment,
} from '#functions/cart-callbacks/environment.js';
import { configSchema } from '#infra/config/schema.js';
import { matchesEventPattern, validateEventPattern } from '#local/bus/event-pattern.js';
import { deliveredSample, sqsRecord } from '#test/support/events.js';
import { cartEvent, orderPlaced, world } from '#test/unit/core/callbacks/fixtures.js';

const RESOURCES = {
  callbacksTable: 'callbacks',
  suppressionTable: 'suppression',
  busName: 'peakline',
  callbackQueueId: 'queue-callback',
};

describe('cart callbacks rules', () => {
  const { cartCallbacks, paymentIssues } = rules({ shopSource: 'shop' });
  const event = (detailType: string, detail: Record<string, unknown>) => ({
    source: 'shop',
    'detail-type': detailType,
    detail,
  });

  it('are valid EventBridge patterns', () => {
    expect(validateEventPattern(cartCallbacks.pattern)).toEqual([]);
    expect(validateEventPattern(paymentIssues.pattern)).toEqual([]);
  });

  it.each([
    ['a CartAbandoned', event('CartAbandoned', { cartId: 'c-1' }), true],
    [
      'a CartAbandoned without a cart id (rejected by the consumer, not lost)',
      event('CartAbandoned', {}),
      true,
    ],
    ['an OrderPlaced with a cart id', event('OrderPlaced', { orderId: 'o-1', cartId: 'c-1' }), true],
    ['an OrderPlaced without a cart id', event('OrderPlaced', { orderId: 'o-1' }), false],
    ['an OrderStatusChanged', event('OrderStatusChanged', { cartId: 'c-1' }), false],
    ['a CartAbandoned of another source', { ...event('CartAbandoned', {}), source: 'other' }, false],
  ])('cartCallbacks takes %s: %s', (_what, candidate, expected) => {
    expect(matchesEventPattern(cartCallbacks.pattern, candidate)).toBe(expected);
  });

  it('paymentIssues takes PaymentIssueReported only', () => {
    expect(matchesEventPattern(paymentIssues.pattern, event('PaymentIssueReported', {}))).toBe(true);
    expect(matchesEventPattern(paymentIssues.pattern, event('OrderPlaced', {}))).toBe(false);
  });
});

describe('callback environment', () => {
  it('gives the functions the settings the config gives the core', () => {
    // Prepare
    const config = configSchema.parse({
      callbacks: { peakBehaviour: 'sms', catalogue: { A: { sku: 'B', name: 'Bee' } } },
      connect: { hours: { sat: { open: '09:00', close: '13:00' } } },
    });

    // Act
    const env = callbackEnvironment.parse(callbackEnvironmentFrom(config, RESOURCES));

    // Assess
    expect(callbackSettingsFromEnvironment(env)).toEqual(
      callbackSettingsFrom(config, { callbackQueueId: 'queue-callback', callbackQueueKey: 'callback' }),
    );
    expect(env.CALLBACK_CATALOGUE).toEqual({ A: { sku: 'B', name: 'Bee' } });
  });

  it('refuses at synth a catalogue too large for the function environment', () => {
    // Prepare
    const catalogue = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`SKU-${i}`, { sku: `ALT-${i}`, name: 'x'.repeat(60) }]),
    );
    const config = configSchema.parse({ callbacks: { catalogue } });

    // Act / Assess
    expect(() => callbackEnvironmentFrom(config, RESOURCES)).toThrow(/callbacks.catalogue/);
  });
});

describe('callbacksPerRun', () => {
  it.each([
    [60_000, 2, 60, 60], // 90 fit: the batch decides
    [60_000, 1, 60, 45],
    [10_000, 2, 60, 15],
    [100, 2, 60, 1], // always one at least
  ])('%d ms at %d/s, batch %d -> %d', (remainingMs, rate, batch, expected) => {
    expect(callbacksPerRun(remainingMs, rate, batch)).toBe(expected);
  });
});

describe('sweepMetrics', () => {
  it('counts every outcome, and says when the run was full or throttled', () => {
    // Act
    const metrics = sweepMetrics(
      {
        outcomes: [],
        counts: {
          CREATED: 3,
          POSTPONED: 1,
          REPLACED_BY_SMS: 0,
          SKIPPED: 0,
          CANCELLED: 0,
          ANNOUNCED: 0,
          RELEASED: 1,
          LOST: 0,
          ERROR: 0,
        },
        stoppedByThrottling: true,
        due: 5,
      },
      5,
    );

    // Assess
    expect(metrics).toEqual({
      CallbackCreated: 3,
      CallbacksPostponed: 1,
      CallbacksReplacedBySms: 0,
      CallbacksSkipped: 0,
      CallbacksCancelledBySweep: 0,
      CallbacksAnnounced: 0,
      CallbacksReleased: 1,
      CallbacksLost: 0,
      CallbackSweepErrors: 0,
      CallbacksDue: 5,
      CallbackSweepFull: 1,
      CallbackSweepThrottled: 1,
    });
  });
});

describe('cart-callbacks consumer (in memory)', () => {
  const setup = () => {
    const w = world();
    const deadLetters: DeadLetter[] = [];
    const logs: Record<string, unknown>[] = [];
    const counts: unknown[] = [];
    const consume = createCartCallbacksConsumer({
      callbacks: w.deps,
      deadLetters: { put: async (letter) => void deadLetters.push(letter) },
      log: (_message, fields) => logs.push(fields),
      count: (metric, dimensions) => counts.push(dimensions ? [metric, dimensions] : metric),
    });
    const envelope = (detailType: string, detail: unknown) => ({
      ...deliveredSample('cart-abandoned'),
      'detail-type': detailType,
      detail,
    });
    return { w, consume, deadLetters, logs, counts, envelope };
  };

  it('counts a duplicate CartAbandoned as not scheduled, with the reason', async () => {
    // Prepare
    const { consume, counts, envelope } = setup();
    const cart = cartEvent();

    // Act
    await consume(sqsRecord({ ...envelope('CartAbandoned', cart), id: 'e-1' }));
    await consume(sqsRecord({ ...envelope('CartAbandoned', cart), id: 'e-2' }));

    // Assess
    expect(counts).toEqual(['CallbackScheduled', ['CallbackNotScheduled', { reason: 'duplicate' }]]);
  });

  it('counts an order for a cart without a callback as not cancelled', async () => {
    // Prepare
    const { consume, counts, logs, envelope } = setup();

    // Act
    await consume(sqsRecord(envelope('OrderPlaced', orderPlaced(cartEvent()))));

    // Assess
    expect(counts).toEqual([['CallbackNotCancelled', { reason: 'no-callback' }]]);
    expect(logs[0]).toMatchObject({ outcome: 'NOT_CANCELLED', reason: 'no-callback' });
  });

  it('rejects an event of another detail-type with the reason', async () => {
    // Prepare
    const { consume, deadLetters, counts } = setup();

    // Act
    await consume(sqsRecord(deliveredSample('payment-issue-reported')));

    // Assess
    expect(deadLetters).toEqual([
      expect.objectContaining({
        refusedBy: 'cart-callbacks',
        reason: expect.stringContaining('PaymentIssueReported'),
      }),
    ]);
    expect(counts).toEqual(['EventsDeadLettered']);
  });

  it('never logs the phone number', async () => {
    // Prepare
    const { consume, logs, envelope } = setup();
    const cart = cartEvent();

    // Act
    await consume(sqsRecord(envelope('CartAbandoned', cart)));
    await consume(sqsRecord(envelope('OrderPlaced', orderPlaced(cart))));

    // Assess
    expect(logs).toHaveLength(2);
    expect(JSON.stringify(logs)).not.toContain(cart.customer.phone.slice(3));
  });
});
