/**
 * English copy, also the fallback for languages without their own. Kept to the GSM-7 alphabet (plain
 * apostrophes and hyphens, no dashes or curly quotes) so a message fits 160 characters a part, not 70.
 */
import type { SmsCopy } from '../templates.js';

export const en: SmsCopy = {
  hours: { one: 'hour', other: 'hours' },
  estimate: (date, time) => (time ? `${date}, from ${time}` : date),
  kinds: {
    'order-placed': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: thank you! We've received your order ${f.orderId}${f.total ? ` (${f.total})` : ''}`,
            "We'll text you as soon as it's on its way",
            f.replyWithin && `Any questions? We'll get back to you within ${f.replyWithin}`,
          ]
        : [
            `${f.shop}: order ${f.orderId}${f.total ? ` (${f.total})` : ''} received, thank you!`,
            f.replyWithin && `Questions? We'll reply within ${f.replyWithin}`,
          ],
    'order-packed': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: good news! Your order ${f.orderId} is packed and will be on its way soon`,
            f.estimate && `Expected delivery: ${f.estimate}`,
            "We'll text you the tracking link as soon as it ships",
          ]
        : [`${f.shop}: order ${f.orderId} is packed and ships soon`, f.estimate && `Delivery: ${f.estimate}`],
    'order-shipped': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: your order ${f.orderId} is on its way!`,
            f.carrier && `It's travelling with ${f.carrier}`,
            f.estimate && `Expected delivery: ${f.estimate}`,
            f.trackingUrl && `Track it here: ${f.trackingUrl}`,
          ]
        : [
            `${f.shop}: order ${f.orderId} has shipped`,
            f.estimate && `Delivery: ${f.estimate}`,
            f.trackingUrl && `Track: ${f.trackingUrl}`,
          ],
    'order-out-for-delivery': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: your order ${f.orderId} is out for delivery and arrives today!`,
            f.carrier && `It's coming with ${f.carrier}`,
            f.estimate && `Expected: ${f.estimate}`,
            'Please keep your phone nearby',
            f.trackingUrl && `Track it live: ${f.trackingUrl}`,
          ]
        : [
            `${f.shop}: order ${f.orderId} arrives today`,
            f.estimate && `Expected: ${f.estimate}`,
            f.trackingUrl && `Track: ${f.trackingUrl}`,
          ],
    'order-delivered': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: your order ${f.orderId} has been delivered. We hope you love it!`,
            "If anything isn't right, get in touch and we'll help",
          ]
        : [`${f.shop}: order ${f.orderId} delivered. Enjoy!`],
    // Owns the delay and says what happens next; no "sorry for any inconvenience" (source article 004).
    'order-delayed': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: your order ${f.orderId} is running late`,
            "We know you're waiting for it, and we're sorry",
            f.reason && `Reason: ${f.reason}`,
            f.estimate && `New expected delivery: ${f.estimate}`,
            f.carrier && `Carrier: ${f.carrier}`,
            f.estimate
              ? "If anything changes, we'll text you straight away"
              : "We'll text you as soon as we have a new date",
            f.trackingUrl && `Track it here: ${f.trackingUrl}`,
          ]
        : [
            `${f.shop}: we're sorry, order ${f.orderId} is running late`,
            f.reason && `Reason: ${f.reason}`,
            f.estimate && `New date: ${f.estimate}`,
            f.estimate ? "We'll text you if it changes" : "We'll text you the new date",
          ],
    // "If you've already paid": the shop has not told us whether the customer paid, nor how refunds go.
    'order-cancelled': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: your order ${f.orderId} has been cancelled`,
            f.reason && `Reason: ${f.reason}`,
            "If you've already paid, you'll get your money back",
            "Any questions? We're here to help",
          ]
        : [
            `${f.shop}: order ${f.orderId} cancelled`,
            f.reason && `Reason: ${f.reason}`,
            "If you've paid, you'll get your money back",
          ],
  },
};
