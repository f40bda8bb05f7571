import { describe, expect, it } from 'vitest';
import { newCallback } from '#core/callbacks/callback.js';
import { renderSavedCartSms, savedCartBlocker, sendSavedCartSms } from '#core/callbacks/saved-cart-sms.js';
import { measureSms } from '#core/sms/segments.js';
import { clockAt, memoryLedger, recordingEvents, recordingSender, SMS_SETTINGS } from './fixtures.js';

const URL = 'https://sklep.example.pl/koszyk/odzyskaj?token=q8ZkT2vN';
const TOTAL = { amount: 1678.88, currency: 'PLN' };

const callback = (
  customer: Partial<{ phone: string; marketingSms: boolean; timeZone: string; locale: string }> = {},
) =>
  newCallback({
    cartId: 'cart-1',
    customer: { customerId: 'C-1', phone: '+48601234567', locale: 'pl-PL', marketingSms: true, ...customer },
    offer: { cartId: 'cart-1', items: [], omittedItems: 0, total: TOTAL, recoveryUrl: URL },
    abandonedAt: '2026-11-25T09:00:00Z',
    now: new Date('2026-11-25T09:00:00Z'),
    dueAt: new Date('2026-11-25T09:30:00Z'),
    expiresAt: new Date('2026-11-27T09:00:00Z'),
    retentionDays: 30,
  });

describe('renderSavedCartSms', () => {
  it.each([
    { locale: 'pl-PL', starts: 'Sklep Peak: Twój koszyk (1678,88 zł) czeka: https://' },
    { locale: 'en-GB', starts: 'Sklep Peak: your cart (PLN 1,678.88) is saved: https://' },
    { locale: 'ru-RU', starts: 'Sklep Peak: ваша корзина (1 678,88 PLN) сохранена: https://' },
    { locale: 'fi-FI', starts: 'Sklep Peak: ostoskorisi (1 678,88 PLN) on tallessa: https://' },
    { locale: 'de-DE', starts: 'Sklep Peak: your cart (1.678,88 PLN) is saved: https://' },
  ])(
    'writes to a $locale customer in their language, with the whole link, within 3 parts',
    ({ locale, starts }) => {
      // Act
      const sms = renderSavedCartSms(SMS_SETTINGS, { locale, total: TOTAL, recoveryUrl: URL });

      // Assess
      expect(sms?.body.startsWith(starts)).toBe(true);
      expect(sms?.body).toContain(URL);
      expect(sms?.segments).toBeLessThanOrEqual(3);
      expect(sms?.segments).toBe(measureSms(sms?.body ?? '').segments);
    },
  );

  it('falls back to the short form, link whole, under a tight cap, and to nothing when even that is over', () => {
    // Act
    const short = renderSavedCartSms(
      { ...SMS_SETTINGS, segmentCap: 2 },
      { locale: 'pl-PL', total: TOTAL, recoveryUrl: URL },
    );
    const none = renderSavedCartSms(
      { ...SMS_SETTINGS, segmentCap: 1 },
      { locale: 'pl-PL', total: TOTAL, recoveryUrl: `${URL}&${'x'.repeat(200)}` },
    );

    // Assess
    expect(short?.body).toBe(`Sklep Peak: Twój koszyk czeka: ${URL}`);
    expect(none).toBeUndefined();
  });
});

describe('savedCartBlocker', () => {
  const at = new Date('2026-11-25T09:31:00Z'); // 10:31 in Warsaw

  it.each([
    {
      name: 'nothing, for a consenting mobile customer in the day',
      callback: callback(),
      blocker: undefined,
    },
    { name: 'missing consent', callback: callback({ marketingSms: false }), blocker: 'no-marketing-consent' },
    { name: 'a landline', callback: callback({ phone: '+48221234567' }), blocker: 'not-mobile' },
    {
      name: 'the customer’s night (01:31 in Los Angeles)',
      callback: callback({ timeZone: 'America/Los_Angeles' }),
      blocker: 'quiet-hours',
    },
  ])('says $name', ({ callback: cb, blocker }) => {
    // Act
    const reason = savedCartBlocker(cb, at, SMS_SETTINGS);

    // Assess
    expect(reason).toBe(blocker);
  });
});

describe('sendSavedCartSms', () => {
  it('keeps the daily cap: over it, nothing is sent and the once-only record stays free', async () => {
    // Prepare
    const ledger = memoryLedger();
    const sender = recordingSender();
    const deps = {
      clock: clockAt('2026-11-25T09:31:00Z'),
      ledger,
      sender,
      events: recordingEvents(),
      settings: { ...SMS_SETTINGS, dailySegmentCap: 2 },
    };

    // Act
    const result = await sendSavedCartSms(callback(), deps);

    // Assess
    expect(result).toEqual({ outcome: 'DAILY_CAP_REACHED' });
    expect(sender.sent).toEqual([]);
    expect(ledger.claimed.size).toBe(0);
  });

  it('reports the SMS as sent even when SmsSent cannot be published, so it is not sent again', async () => {
    // Prepare
    const sender = recordingSender();
    const deps = {
      clock: clockAt('2026-11-25T09:31:00Z'),
      ledger: memoryLedger(),
      sender,
      events: {
        publish: async () => {
          throw new Error('EventBridge is down');
        },
      },
      settings: SMS_SETTINGS,
    };

    // Act
    const result = await sendSavedCartSms(callback(), deps);

    // Assess
    expect(result).toMatchObject({ outcome: 'SENT', messageId: 'm-1', publishError: 'EventBridge is down' });
    expect(sender.sent).toHaveLength(1);
  });
});
