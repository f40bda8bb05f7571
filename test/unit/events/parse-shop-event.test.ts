import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  formatIssues,
  isShopDetailType,
  type OrderPlaced,
  PEAKLINE_DETAIL_TYPES,
  PEAKLINE_SOURCE,
  parseShopEvent,
  SHOP_DETAIL_TYPES,
  shopDetailSchemas,
} from '#events/index.js';

const detail: OrderPlaced = {
  customer: {
    customerId: 'C-1048213',
    phone: '+48601234567',
    locale: 'pl-PL',
    timeZone: 'Europe/Warsaw',
    consent: { transactionalSms: true, marketingSms: true, callback: true },
  },
  orderId: 'PL-2025-118734',
  cartId: 'cart-7f3a9c21',
  total: { amount: 1678.88, currency: 'PLN' },
  placedAt: '2025-11-28T21:58:10+01:00',
};

const envelope = {
  version: '0',
  id: '6f1c7a52-3b0e-4c1d-9e8a-000000000001',
  'detail-type': 'OrderPlaced',
  source: 'shop',
  account: '123456789012',
  time: '2025-11-28T20:58:11Z',
  region: 'eu-central-1',
  resources: [],
  detail,
};

const reasonOf = (event: unknown): string => {
  const result = parseShopEvent(event);
  return result.ok ? '' : result.reason;
};

describe('parseShopEvent', () => {
  it('returns the event typed by its detail-type', () => {
    // Prepare
    const event = structuredClone(envelope);

    // Act
    const result = parseShopEvent(event);

    // Assess
    expect(result).toEqual({ ok: true, event: envelope });
    if (result.ok && result.event['detail-type'] === 'OrderPlaced') {
      expectTypeOf(result.event.detail).toEqualTypeOf<OrderPlaced>();
    }
  });

  it('keeps the replay name EventBridge adds to archived events and drops fields it does not know', () => {
    // Prepare
    const replayed = {
      ...envelope,
      'replay-name': 'black-friday-rerun',
      detail: { ...detail, giftWrap: true },
    };

    // Act
    const result = parseShopEvent(replayed);

    // Assess
    expect(result.ok && result.event['replay-name']).toBe('black-friday-rerun');
    expect(result.ok && result.event.detail).toEqual(detail);
  });

  it.each([
    ['OrderShiped', 'detail-type "OrderShiped" is not one peakline knows; expected one of OrderPlaced, '],
    ['SmsSent', 'detail-type "SmsSent" is not one peakline knows'],
    ['orderPlaced', 'detail-type "orderPlaced" is not one peakline knows'],
    ['', 'detail-type: expected at least 1 character (got "")'],
    [42, 'detail-type: expected a string (got 42)'],
    [undefined, 'detail-type: required, but missing (expected a string)'],
  ])('refuses detail-type %j with "%s"', (detailType, expected) => {
    // Prepare
    const event = { ...envelope, 'detail-type': detailType };

    // Act
    const reason = reasonOf(event);

    // Assess
    expect(reason).toContain(expected);
    expect(reason.split('\n')).toHaveLength(1);
  });

  it.each([
    [{ account: '1234' }, 'account: expected a 12-digit AWS account id (got "1234")'],
    [{ time: '2025-11-28 20:58:11' }, 'time: expected an ISO-8601 date-time with an offset or Z'],
    [{ resources: 'none' }, 'resources: expected an array (got "none")'],
    [{ detail: undefined }, 'detail: required, but missing (expected a JSON object)'],
    [{ detail: '{"orderId":"PL-2025-118734"}' }, 'detail: expected a JSON object (got "{\\"orderId\\"'],
    [{ detail: [] }, 'detail: expected a JSON object (got an array)'],
  ])('names the envelope field in %o', (change, expected) => {
    // Prepare
    const event = { ...envelope, ...change };

    // Act
    const reason = reasonOf(event);

    // Assess
    expect(reason).toContain(expected);
  });

  it('reports every problem, one line each, with its JSON path', () => {
    // Prepare
    const event = {
      ...envelope,
      detail: {
        ...detail,
        customer: { ...detail.customer, phone: '0048601234567', locale: 'pl_PL' },
        total: { amount: -5, currency: 'PLN' },
        placedAt: undefined,
      },
    };

    // Act
    const reason = reasonOf(event);

    // Assess
    expect(reason.split('\n')).toEqual([
      'detail.customer.phone: expected an E.164 phone number such as +48601234567 (got "00*********67")',
      'detail.customer.locale: expected a BCP 47 language tag such as pl-PL (with "-", not "_") (got "pl_PL")',
      'detail.total.amount: expected an amount of 0 or more; refunds and chargebacks are reported as positive amounts (got -5)',
      'detail.placedAt: required, but missing (expected a string)',
    ]);
  });

  const throwingGetter = Object.defineProperty({ ...envelope }, 'detail', {
    enumerable: true,
    get() {
      throw new Error('boom');
    },
  });
  const throwingProxy = new Proxy(
    {},
    {
      get() {
        throw new Error('boom');
      },
      has() {
        throw new Error('boom');
      },
    },
  );

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a JSON string', JSON.stringify(envelope)],
    ['an array', [envelope]],
    ['an empty object', {}],
    ['an object with a throwing getter', throwingGetter],
    ['a Proxy that throws', throwingProxy],
  ])('never throws, for %s', (_label, input) => {
    // Prepare, Act
    const run = () => parseShopEvent(input);

    // Assess
    expect(run).not.toThrow();
    expect(run()).toEqual({ ok: false, reason: expect.stringMatching(/\S/) });
  });
});

describe('formatIssues', () => {
  it.each([
    [[], 'detail', 'detail: expected at least one item'],
    [['items', 0, 'quantity'], 'detail', 'detail.items[0].quantity: expected at least one item'],
    [['customer', 'phone'], '', 'customer.phone: expected at least one item'],
    [[], '', '(event): expected at least one item'],
    [['odd key'], 'detail', 'detail["odd key"]: expected at least one item'],
  ])('writes path %j under prefix %j as "%s"', (path, prefix, expected) => {
    // Prepare
    const issue: z.core.$ZodIssue = {
      code: 'custom',
      path,
      message: 'expected at least one item',
      input: {},
    };

    // Act
    const lines = formatIssues([issue], prefix);

    // Assess
    expect(lines).toEqual([expected]);
  });

  it.each([
    ['a string', 'x'.repeat(200), `(got "${'x'.repeat(79)}…")`],
    ['a number', -5, '(got -5)'],
    ['null', null, '(got null)'],
    ['a boolean', false, '(got false)'],
  ])('shows %s it got, shortened', (_label, input, expected) => {
    // Prepare
    const issue: z.core.$ZodIssue = { code: 'custom', path: ['note'], message: 'wrong', input };

    // Act
    const [line] = formatIssues([issue], 'detail');

    // Assess
    expect(line).toBe(`detail.note: wrong ${expected}`);
  });

  it('uses the messages of real zod issues', () => {
    // Prepare
    const result = shopDetailSchemas.CartAbandoned.safeParse(
      { items: [{ quantity: 0 }] },
      { reportInput: true },
    );

    // Act
    const lines = formatIssues(result.error?.issues ?? [], 'detail');

    // Assess
    expect(lines).toContain('detail.items[0].quantity: expected a quantity of at least 1 (got 0)');
  });
});

describe('registry', () => {
  it('has a schema for exactly the shop detail-types', () => {
    // Prepare, Act
    const keys = Object.keys(shopDetailSchemas);

    // Assess
    expect(keys).toEqual([...SHOP_DETAIL_TYPES]);
    expect(SHOP_DETAIL_TYPES.every(isShopDetailType)).toBe(true);
    expect(isShopDetailType('SmsSent')).toBe(false);
  });

  it("keeps peakline's own facts apart from the shop's", () => {
    // Prepare
    const shared = PEAKLINE_DETAIL_TYPES.filter((type) =>
      (SHOP_DETAIL_TYPES as readonly string[]).includes(type),
    );

    // Act, Assess
    expect(shared).toEqual([]);
    expect(PEAKLINE_SOURCE).toBe('peakline');
    expect(PEAKLINE_DETAIL_TYPES).toHaveLength(8);
  });
});
