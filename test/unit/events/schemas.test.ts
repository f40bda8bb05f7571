import { describe, expect, it } from 'vitest';
import { cartAbandonedSchema } from '#events/schemas/cart-abandoned.js';
import { customerSchema, localeSchema, phoneSchema, timeZoneSchema } from '#events/schemas/customer.js';
import { moneySchema } from '#events/schemas/money.js';
import { orderStatusChangedSchema } from '#events/schemas/order-status-changed.js';
import { dateOrTimestampSchema, timestampSchema } from '#events/schemas/time.js';

const customer = {
  customerId: 'C-1048213',
  phone: '+48601234567',
  locale: 'pl-PL',
  timeZone: 'Europe/Warsaw',
  consent: { transactionalSms: true, marketingSms: false, callback: true },
};

const shipped = {
  customer,
  orderId: 'PL-2025-118734',
  status: 'SHIPPED',
  occurredAt: '2025-11-29T16:20:03+01:00',
  trackingUrl: 'https://inpost.pl/sledzenie-przesylek?number=620123456789012345678901',
  carrier: 'InPost',
  estimatedDelivery: '2025-12-01',
};

const firstMessage = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues[0]?.message;

describe('phone', () => {
  it.each([
    ['+48601234567', true],
    ['+358401234567', true],
    ['+12025550123', true],
    ['+4860123', true],
    ['601234567', false],
    ['48601234567', false],
    ['601 234 567', false],
    ['+48 601 234 567', false],
    ['+48-601-234-567', false],
    ['0048601234567', false],
    ['+048601234567', false],
    ['+486012', false],
    ['+4860123456789012', false],
    ['', false],
  ])('%s is accepted: %s', (phone, accepted) => {
    // Prepare, Act
    const result = phoneSchema.safeParse(phone);

    // Assess
    expect(result.success).toBe(accepted);
    if (!accepted) expect(firstMessage(result)).toBe('expected an E.164 phone number such as +48601234567');
  });
});

describe('locale', () => {
  it.each([
    ['pl-PL', true],
    ['pl', true],
    ['ru-RU', true],
    ['fi-FI', true],
    ['en-GB', true],
    ['sr-Latn-RS', true],
    ['pl_PL', false],
    ['polish', false],
    ['', false],
    ['pl-', false],
  ])('%s is accepted: %s', (locale, accepted) => {
    // Prepare, Act
    const result = localeSchema.safeParse(locale);

    // Assess
    expect(result.success).toBe(accepted);
  });
});

describe('timeZone', () => {
  it.each([
    ['Europe/Warsaw', true],
    ['Europe/Helsinki', true],
    ['UTC', true],
    // Names ICU does not list as canonical are accepted alike (the list is only a shortcut).
    ['Asia/Kolkata', true],
    ['Europe/Kyiv', true],
    ['US/Eastern', true],
    ['europe/warsaw', true],
    ['Warsaw', false],
    ['+01:00', false],
    ['GMT+1', false],
    ['', false],
  ])('%s is accepted: %s', (timeZone, accepted) => {
    // Prepare, Act
    const result = timeZoneSchema.safeParse(timeZone);

    // Assess
    expect(result.success).toBe(accepted);
  });

  it('gives a zone the same verdict every time it is checked', () => {
    // Prepare
    const zones = ['Europe/Warsaw', 'Warsaw', 'Asia/Kolkata', '+01:00'];

    // Act
    const first = zones.map((zone) => timeZoneSchema.safeParse(zone).success);
    const again = zones.map((zone) => timeZoneSchema.safeParse(zone).success);

    // Assess
    expect(first).toEqual([true, false, true, false]);
    expect(again).toEqual(first);
  });

  it('may be omitted, peakline then derives it from the phone number', () => {
    // Prepare
    const { timeZone: _omitted, ...withoutZone } = customer;

    // Act
    const result = customerSchema.safeParse(withoutZone);

    // Assess
    expect(result.success).toBe(true);
  });
});

describe('timestamps', () => {
  it.each([
    ['2025-11-28T14:05:00+01:00', true],
    ['2025-11-28T13:05:00Z', true],
    ['2025-11-28T13:05:00.123Z', true],
    ['2025-06-28T14:05:00-04:00', true],
    ['2024-02-29T12:00:00+01:00', true],
    ['2025-11-28T14:05:00', false],
    ['2025-11-28 14:05:00+01:00', false],
    ['2025-11-28T14:05:00+0100', false],
    ['2025-02-29T12:00:00+01:00', false],
    ['2025-11-28', false],
    ['28.11.2025 14:05', false],
    ['1764335100', false],
  ])('%s is accepted: %s', (timestamp, accepted) => {
    // Prepare, Act
    const result = timestampSchema.safeParse(timestamp);

    // Assess
    expect(result.success).toBe(accepted);
  });

  it.each([
    ['2025-12-02', true],
    ['2025-12-02T10:00:00+01:00', true],
    ['2025-12-02T10:00:00', false],
    ['02.12.2025', false],
    ['2025-13-02', false],
  ])('estimatedDelivery %s is accepted: %s', (value, accepted) => {
    // Prepare, Act
    const result = dateOrTimestampSchema.safeParse(value);

    // Assess
    expect(result.success).toBe(accepted);
  });
});

describe('money', () => {
  it.each([
    [{ amount: 249.99, currency: 'PLN' }, undefined],
    [{ amount: 0, currency: 'PLN' }, undefined],
    [{ amount: 1678.88, currency: 'EUR' }, undefined],
    [{ amount: 1299, currency: 'PLN' }, undefined],
    [{ amount: 0.07, currency: 'PLN' }, undefined],
    [{ amount: -0.01, currency: 'PLN' }, 'expected an amount of 0 or more'],
    [{ amount: 10.005, currency: 'PLN' }, 'expected at most 2 decimal places'],
    [{ amount: '249.99', currency: 'PLN' }, 'expected a number such as 249.99, not a string'],
    [{ amount: 249.99, currency: 'pln' }, 'expected a 3-letter ISO 4217 currency code in upper case'],
    [{ amount: 249.99, currency: 'zł' }, 'expected a 3-letter ISO 4217 currency code in upper case'],
    [{ amount: 249.99, currency: 'PLNN' }, 'expected a 3-letter ISO 4217 currency code in upper case'],
  ])('%o gives %s', (money, expected) => {
    // Prepare, Act
    const result = moneySchema.safeParse(money);

    // Assess
    expect(result.success).toBe(expected === undefined);
    if (expected !== undefined) expect(firstMessage(result)).toContain(expected);
  });
});

describe('OrderStatusChanged', () => {
  it.each(['PACKED', 'SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED', 'DELAYED', 'CANCELLED'])(
    'accepts status %s',
    (status) => {
      // Prepare, Act
      const result = orderStatusChangedSchema.safeParse({ ...shipped, status });

      // Assess
      expect(result.success).toBe(true);
    },
  );

  it.each(['SENT', 'shipped', 'Shipped', 'RETURNED', ''])(
    'refuses status %j and lists the allowed ones',
    (status) => {
      // Prepare, Act
      const result = orderStatusChangedSchema.safeParse({ ...shipped, status });

      // Assess
      expect(result.error?.issues).toEqual([
        expect.objectContaining({
          path: ['status'],
          message: 'expected one of PACKED, SHIPPED, OUT_FOR_DELIVERY, DELIVERED, DELAYED, CANCELLED',
        }),
      ]);
    },
  );

  it.each([
    ['http://inpost.pl/sledzenie', false],
    ['/sledzenie?number=1', false],
    ['inpost.pl/sledzenie', false],
    ['https://inpost.pl/sledzenie-przesylek?number=1', true],
  ])('trackingUrl %s is accepted: %s', (trackingUrl, accepted) => {
    // Prepare, Act
    const result = orderStatusChangedSchema.safeParse({ ...shipped, trackingUrl });

    // Assess
    expect(result.success).toBe(accepted);
  });

  it('needs only customer, orderId, status and occurredAt', () => {
    // Prepare
    const { trackingUrl: _t, carrier: _c, estimatedDelivery: _e, ...minimal } = shipped;

    // Act
    const result = orderStatusChangedSchema.safeParse(minimal);

    // Assess
    expect(result.success).toBe(true);
  });

  it('accepts fields added by a newer shop release and leaves them out of the parsed detail', () => {
    // Prepare
    const newer = { ...shipped, parcelLocker: 'KRA01M', customer: { ...customer, loyaltyTier: 'gold' } };

    // Act
    const result = orderStatusChangedSchema.safeParse(newer);

    // Assess
    expect(result.success).toBe(true);
    expect(result.data).toEqual(shipped);
  });
});

describe('CartAbandoned', () => {
  const item = {
    sku: 'ANKER-PD65-WHT',
    name: 'Ładowarka Anker 65 W USB-C, biała',
    quantity: 2,
    unitPrice: { amount: 149.99, currency: 'PLN' },
    inStock: false,
  };
  const cart = {
    customer,
    cartId: 'cart-7f3a9c21',
    items: [item],
    total: { amount: 299.98, currency: 'PLN' },
    abandonedAt: '2025-11-28T21:13:52+01:00',
  };

  it.each([
    [{ quantity: 1 }, undefined],
    [{ quantity: 0 }, ['items', 0, 'quantity']],
    [{ quantity: -1 }, ['items', 0, 'quantity']],
    [{ quantity: 1.5 }, ['items', 0, 'quantity']],
    [{ quantity: '2' }, ['items', 0, 'quantity']],
    [{ inStock: 'no' }, ['items', 0, 'inStock']],
    [{ unitPrice: { amount: 149.99, currency: 'EUR' } }, ['items', 0, 'unitPrice', 'currency']],
  ])('an item with %o fails at %j', (change, path) => {
    // Prepare
    const changed = { ...cart, items: [{ ...item, ...change }] };

    // Act
    const result = cartAbandonedSchema.safeParse(changed);

    // Assess
    expect(result.error?.issues.map((issue) => issue.path)).toEqual(path === undefined ? undefined : [path]);
  });

  it('refuses an empty cart', () => {
    // Prepare
    const empty = { ...cart, items: [] };

    // Act
    const result = cartAbandonedSchema.safeParse(empty);

    // Assess
    expect(firstMessage(result)).toBe('expected at least one item; an empty cart is not worth a callback');
  });
});
