import type { OrderSmsSettings } from '#core/sms/order-sms.js';

/**
 * The order-SMS settings the SMS tests run with: a Polish shop, quiet hours 21:00-08:00 in Warsaw, three parts an
 * SMS and no daily cap to speak of. A test that is about one setting overrides that one.
 */
export const orderSmsTestSettings = (overrides: Partial<OrderSmsSettings> = {}): OrderSmsSettings => ({
  shopName: 'Sklep Peak',
  segmentCap: 3,
  dailySegmentCap: 1_000_000,
  quietHours: { start: '21:00', end: '08:00' },
  replyWithinHours: { OVERFLOW: 4, DEFLECT: 24 },
  overloaded: 'auto',
  fallbackTimeZone: 'Europe/Warsaw',
  primaryQueueId: 'primary',
  maxDelayUpdates: 2,
  ...overrides,
});
