import { describe, expect, it } from 'vitest';
import { lookupOrderStatus, NOT_FOUND_ANSWER } from '#core/orders/lookup.js';
import { MemoryOrderIndex } from '#core/orders/memory-index.js';
import type { IndexedOrder } from '#core/orders/types.js';
import { phoneHash } from '#core/phone.js';

const NOW = new Date('2026-11-27T20:30:00Z');
const MOBILE = '+48601234567';
const LANDLINE = '+48221234567';

const order = (overrides: Partial<IndexedOrder> = {}): IndexedOrder => ({
  orderId: 'PL-2026-00123',
  status: 'SHIPPED',
  changedAt: '2026-11-26T09:15:00.000Z',
  carrier: 'DPD',
  trackingUrl: 'https://tracking.example.com/abc',
  estimatedDelivery: '2026-11-28',
  language: 'pl',
  timeZone: 'Europe/Warsaw',
  smsConsent: true,
  ...overrides,
});

const indexWith = async (phone: string, ...orders: IndexedOrder[]) => {
  const index = new MemoryOrderIndex({ maxOrdersPerPhone: 5, now: () => NOW });
  for (const o of orders) await index.record(phoneHash(phone), o, new Date('2026-12-27T00:00:00Z'));
  return index;
};

const deps = (index: MemoryOrderIndex) => ({
  index,
  clock: { now: () => NOW },
  fallbackTimeZone: 'Europe/Warsaw',
});

describe('looking up a caller’s order', () => {
  it('tells the caller’s order in progress, with its voice and the attributes the agent sees', async () => {
    // Prepare
    const index = await indexWith(MOBILE, order());

    // Act
    const answer = await lookupOrderStatus(MOBILE, deps(index));

    // Assess
    expect(answer).toMatchObject({
      found: 'true',
      voice: 'Ola',
      engine: 'Neural',
      language: 'pl-PL',
      linkOffered: 'true',
      orderId: 'PL-2026-00123',
      status: 'SHIPPED',
      changedAt: '2026-11-26T09:15:00.000Z',
      carrier: 'DPD',
      trackingUrl: 'https://tracking.example.com/abc',
      estimatedDelivery: '2026-11-28',
    });
    expect(answer.statusSsml).toContain('Wysłaliśmy je wczoraj przez DPD');
    expect(answer.statusSsml).toContain('naciśnij 1');
    expect(Object.keys(answer).sort()).toEqual(Object.keys(NOT_FOUND_ANSWER).sort());
  });

  it('tells the most recently changed order that is still on its way, not a delivered one', async () => {
    // Prepare
    const index = await indexWith(
      MOBILE,
      order({ orderId: 'A-0001', status: 'PACKED', changedAt: '2026-11-25T10:00:00Z', language: 'en' }),
      order({ orderId: 'B-0002', status: 'DELIVERED', changedAt: '2026-11-27T10:00:00Z', language: 'en' }),
    );

    // Act
    const answer = await lookupOrderStatus(MOBILE, deps(index));

    // Assess
    expect(answer).toMatchObject({ found: 'true', orderId: 'A-0001', status: 'PACKED', voice: 'Amy' });
  });

  it.each([
    ['an unknown number', MOBILE, []],
    ['a withheld number', undefined, [order()]],
    ['a number that is no number', 'anonymous', [order()]],
    [
      'a number with only finished orders',
      MOBILE,
      [order({ status: 'DELIVERED' }), order({ orderId: 'X-9', status: 'CANCELLED' })],
    ],
  ] as const)('answers "not found" for %s, every key present and empty', async (_, phone, orders) => {
    // Prepare
    const index = await indexWith(MOBILE, ...orders);

    // Act
    const answer = await lookupOrderStatus(phone, deps(index));

    // Assess
    expect(answer).toEqual({
      found: 'false',
      voice: '',
      engine: '',
      language: '',
      statusSsml: '',
      linkOffered: 'false',
      orderId: '',
      status: '',
      changedAt: '',
      carrier: '',
      trackingUrl: '',
      estimatedDelivery: '',
    });
  });

  it.each([
    ['the order has no tracking link', MOBILE, order({ trackingUrl: undefined })],
    ['the customer gave no SMS consent', MOBILE, order({ smsConsent: false })],
    ['the caller rings from a landline', LANDLINE, order()],
  ] as const)(
    'does not offer the link by SMS when %s, but still tells the status',
    async (_, phone, told) => {
      // Prepare
      const index = await indexWith(phone, told);

      // Act
      const answer = await lookupOrderStatus(phone, deps(index));

      // Assess
      expect(answer.found).toBe('true');
      expect(answer.linkOffered).toBe('false');
      expect(answer.statusSsml).not.toContain('naciśnij 1');
      expect(answer.statusSsml).toContain('naciśnij 2');
    },
  );

  it('lets an index failure through, for the function to count and fail open on', async () => {
    // Prepare
    const index = {
      recent: async () => {
        throw new Error('ResourceNotFoundException');
      },
    };

    // Act
    const lookup = lookupOrderStatus(MOBILE, {
      index,
      clock: { now: () => NOW },
      fallbackTimeZone: 'Europe/Warsaw',
    });

    // Assess
    await expect(lookup).rejects.toThrow('ResourceNotFoundException');
  });
});
