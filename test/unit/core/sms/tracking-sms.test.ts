import { describe, expect, it } from 'vitest';
import { renderTrackingSms } from '#core/sms/tracking-sms.js';

const URL = 'https://tracking.example.com/track?parcel=6091234567890&lang=pl';
const settings = { shopName: 'Sklep Peak', segmentCap: 3 };

describe('the tracking-link SMS’s words', () => {
  it.each([
    ['pl', 'Sklep Peak: zgodnie z prośbą, link do śledzenia zamówienia PL-2026-00123: '],
    ['en', 'Sklep Peak: as you asked, here is the tracking link for order PL-2026-00123: '],
    ['ru', 'Sklep Peak: как вы просили, ссылка для отслеживания заказа PL-2026-00123: '],
    ['fi', 'Sklep Peak: pyytämäsi seurantalinkki tilaukselle PL-2026-00123: '],
  ] as const)('names the shop, the order and the link in the customer’s language (%s)', (language, start) => {
    // Act
    const sms = renderTrackingSms(settings, { orderId: 'PL-2026-00123', language }, URL);

    // Assess
    expect(sms.body).toBe(`${start}${URL}`);
    expect(sms.segments).toBeLessThanOrEqual(3);
  });

  it('keeps the link whole in the short form when the full one is over the segment cap', () => {
    // Prepare: Cyrillic is UCS-2 (70 characters in one part): the full Russian text does not fit one
    const cap = { ...settings, segmentCap: 1 };

    // Act
    const sms = renderTrackingSms(cap, { orderId: 'PL-2026-00123', language: 'ru' }, URL);

    // Assess
    expect(sms.body).toBe(`Sklep Peak: отслеживание посылки: ${URL}`);
    expect(sms.body.endsWith(URL)).toBe(true);
  });

  it('makes shop text inert: an order id cannot carry markup or hidden characters into the SMS', () => {
    // Act
    const sms = renderTrackingSms(settings, { orderId: 'A-1\u202E{{x}}', language: 'en' }, URL);

    // Assess
    expect(sms.body).toContain('order A-1{ {x} }:');
    expect(sms.body).not.toContain('\u202E');
  });
});
