import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.js';
import { sampleEntries } from '#test/support/events.js';
import { eventBridgeClient, eventually, getJson, startTestStack } from '#test/support/local-stack.js';

interface CallbackJson {
  readonly cartId: string;
  readonly status: string;
  readonly dueAt: string;
  readonly contactId?: string;
  readonly offer: { readonly summary: string; readonly recoveryUrl?: string };
}

/** A sample shop event with its detail changed, as the shop backend would send it now. */
const entry = (sample: string, change: (detail: Record<string, unknown>) => Record<string, unknown>) => {
  const [first] = sampleEntries(sample);
  if (!first) throw new Error(`no sample ${sample}`);
  return {
    ...first,
    Detail: JSON.stringify(change(JSON.parse(first.Detail ?? '{}') as Record<string, unknown>)),
  };
};

describe('cart callbacks and payment cases in the local stack', () => {
  let stack: LocalStack;
  let events: EventBridgeClient;
  const put = (...entries: ReturnType<typeof entry>[]) =>
    events.send(new PutEventsCommand({ Entries: entries as never }));
  const callbacks = () => getJson<CallbackJson[]>(stack, '/api/callbacks');
  const waiting = (queueId: string) =>
    stack.simulator.snapshot().queues.find((q) => q.id === queueId)?.waiting ?? 0;

  beforeAll(async () => {
    // Friday evening, the contact centre open until 20:00; 120 virtual seconds a real second, so a callback
    // is due 15 real seconds after its cart is abandoned (the test cancelling one has that long between
    // seeing it scheduled and ordering the cart, ample on a busy machine; at 600 it was 3 s) and the centre
    // stays open for a real minute.
    stack = await startTestStack({ startTime: new Date('2026-11-27T18:00:00+01:00'), speed: 120 });
    events = eventBridgeClient(stack);
  });

  afterAll(async () => {
    events?.destroy();
    await stack?.stop();
  });

  it('schedules one callback with its offer, and makes it a task in the callback queue when due', async () => {
    // Prepare
    const abandonedAt = stack.clock.now().toISOString();
    const cart = entry('cart-abandoned', (d) => ({ ...d, cartId: 'cart-e2e-1', abandonedAt }));

    // Act: the shop sends it twice (a retry on its side)
    await put(cart);
    await put(cart);

    // Assess
    await eventually(stack, async () => {
      const mine = (await callbacks()).filter((c) => c.cartId === 'cart-e2e-1');
      expect(mine).toHaveLength(1);
      expect(mine[0]?.offer.summary).toContain(
        'Ładowarka Anker 65 W USB-C, biała out of stock -> Ładowarka UGREEN',
      );
      expect(mine[0]?.offer.recoveryUrl).toMatch(/^https:\/\/sklep\.example\.pl\/koszyk/);
    });
    await eventually(
      stack,
      async () => {
        const mine = (await callbacks()).find((c) => c.cartId === 'cart-e2e-1');
        expect(mine).toMatchObject({ status: 'CREATED', contactId: expect.any(String) });
      },
      40_000,
    );
    await eventually(stack, () => expect(waiting('callback')).toBe(1));
    // Announced once the task is recorded (the same sweep, a moment later).
    await eventually(stack, () =>
      expect(stack.bus.recent().filter((e) => e.detailType === 'CallbackCreated')).toHaveLength(1),
    );
  });

  it('cancels the callback of a cart that was ordered before it was due', async () => {
    // Prepare
    const abandonedAt = stack.clock.now().toISOString();
    await put(
      entry('cart-abandoned', (d) => ({
        ...d,
        cartId: 'cart-e2e-2',
        abandonedAt,
        customer: { ...(d.customer as object), customerId: 'C-e2e-2', phone: '+48601999002' },
      })),
    );
    await eventually(stack, async () =>
      expect((await callbacks()).find((c) => c.cartId === 'cart-e2e-2')?.status).toBe('SCHEDULED'),
    );

    // Act
    await put(
      entry('order-placed', (d) => ({
        ...d,
        cartId: 'cart-e2e-2',
        placedAt: stack.clock.now().toISOString(),
      })),
    );

    // Assess
    await eventually(stack, async () =>
      expect((await callbacks()).find((c) => c.cartId === 'cart-e2e-2')?.status).toBe('CANCELLED'),
    );
    await eventually(stack, () =>
      expect(stack.bus.recent().some((e) => e.detailType === 'CallbackCancelled')).toBe(true),
    );
  });

  it('puts a payment issue in the accounting queue as a task, for the light agents', async () => {
    // Act
    await put(
      entry('payment-issue-reported', (d) => ({ ...d, reportedAt: stack.clock.now().toISOString() })),
    );

    // Assess
    await eventually(stack, () => expect(waiting('accounting')).toBe(1));
  });
});
