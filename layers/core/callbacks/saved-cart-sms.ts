/**
 * The saved-cart SMS: while the callback queue is overloaded (and `callbacks.peakBehaviour` is 'sms'),
 * the customer gets the link to their cart instead of a call that would come hours late.
 *
 * It is a marketing message, so it goes only with `marketingSms` consent, and through the guards of every
 * peakline SMS: a number that takes SMS, the suppression list (checked by the sweeper before), the
 * customer's quiet hours (here not deferred: the callback waits instead), the segment cap, the daily
 * cap, and once only, by the ledger's once-only record.
 */
import { maskPhone } from '../phone.js';
import type { Clock, EventPublisher, OrderLedger, SmsSender } from '../ports.js';
import { checkPhone, customerTimeZone } from '../sms/phone-check.js';
import { type QuietHours, quietPeriodEnd } from '../sms/quiet-hours.js';
import { measureSms, type SmsEncoding } from '../sms/segments.js';
import { SMS_LANGUAGES, type SmsLanguage } from '../sms/templates.js';
import { inertUrl } from '../text/sanitise.js';
import type { Callback } from './callback.js';

export const SAVED_CART_KIND = 'saved-cart';

export interface SavedCartSmsSettings {
  readonly shopName: string;
  readonly segmentCap: number;
  readonly dailySegmentCap: number;
  readonly quietHours: QuietHours;
  /** The centre's zone, for numbers whose country libphonenumber cannot place. */
  readonly fallbackTimeZone: string;
}

export interface SavedCartSmsDeps {
  readonly clock: Clock;
  readonly ledger: Pick<OrderLedger, 'claimOnce' | 'addDailySegments'>;
  readonly sender: SmsSender;
  readonly events: EventPublisher;
  readonly settings: SavedCartSmsSettings;
}

/** Why the SMS cannot replace the callback now; the callback is postponed instead. */
export type SavedCartBlocker =
  | 'no-marketing-consent'
  | 'no-recovery-link'
  | 'no-phone'
  | 'invalid-phone'
  | 'not-mobile'
  | 'quiet-hours'
  | 'too-long';

/**
 * The words, per language: the cart is saved, the link, and why an SMS instead of the promised call. The
 * full form fits three UCS-2 parts with a typical link; the short one keeps just the link, whole.
 */
const COPY: Readonly<
  Record<
    SmsLanguage,
    {
      readonly full: (shop: string, total: string, url: string) => string;
      readonly short: (shop: string, url: string) => string;
    }
  >
> = {
  pl: {
    full: (shop, total, url) =>
      `${shop}: Twój koszyk (${total}) czeka: ${url} Mamy teraz dużo telefonów, więc zamiast dzwonić wysyłamy link - dokończ zakupy, kiedy chcesz.`,
    short: (shop, url) => `${shop}: Twój koszyk czeka: ${url}`,
  },
  en: {
    full: (shop, total, url) =>
      `${shop}: your cart (${total}) is saved: ${url} We are very busy right now, so instead of calling we are sending the link - finish your order whenever you like.`,
    short: (shop, url) => `${shop}: your cart is saved: ${url}`,
  },
  ru: {
    full: (shop, total, url) =>
      `${shop}: ваша корзина (${total}) сохранена: ${url} Сейчас много звонков, поэтому присылаем ссылку - завершите заказ, когда удобно.`,
    short: (shop, url) => `${shop}: ваша корзина сохранена: ${url}`,
  },
  fi: {
    full: (shop, total, url) =>
      `${shop}: ostoskorisi (${total}) on tallessa: ${url} Meillä on nyt ruuhkaa, joten lähetämme linkin soiton sijaan - viimeistele tilaus, kun sopii.`,
    short: (shop, url) => `${shop}: ostoskorisi on tallessa: ${url}`,
  },
};

const languageOf = (locale: string): SmsLanguage => {
  const language = locale.slice(0, 2).toLowerCase();
  return (SMS_LANGUAGES as readonly string[]).includes(language) ? (language as SmsLanguage) : 'en';
};

/** Intl's no-break spaces would switch a GSM-7 message to UCS-2; a plain space reads the same. */
const plain = (text: string): string => text.replace(/[\s\p{Zs}]+/gu, ' ').trim();

const formatTotal = (total: { amount: number; currency: string }, locale: string): string => {
  try {
    return plain(
      new Intl.NumberFormat(locale, { style: 'currency', currency: total.currency }).format(total.amount),
    );
  } catch {
    return `${total.amount.toFixed(2)} ${total.currency}`;
  }
};

export interface RenderedSavedCartSms {
  readonly body: string;
  readonly segments: number;
  readonly encoding: SmsEncoding;
}

/** The full wording within the cap, else the short one (always with the whole link); undefined if neither fits. */
export const renderSavedCartSms = (
  settings: Pick<SavedCartSmsSettings, 'shopName' | 'segmentCap'>,
  cart: {
    readonly locale: string;
    readonly total: { amount: number; currency: string };
    readonly recoveryUrl: string;
  },
): RenderedSavedCartSms | undefined => {
  const copy = COPY[languageOf(cart.locale)];
  for (const body of [
    copy.full(settings.shopName, formatTotal(cart.total, cart.locale), inertUrl(cart.recoveryUrl)),
    copy.short(settings.shopName, inertUrl(cart.recoveryUrl)),
  ]) {
    const measure = measureSms(body);
    if (measure.segments <= settings.segmentCap)
      return { body, segments: measure.segments, encoding: measure.encoding };
  }
  return undefined;
};

/** Whether the SMS could replace the callback at `now`; the reason when it cannot. Pure. */
export const savedCartBlocker = (
  callback: Callback,
  now: Date,
  settings: SavedCartSmsSettings,
): SavedCartBlocker | undefined => {
  const { customer, offer } = callback;
  if (!customer.marketingSms) return 'no-marketing-consent';
  if (offer.recoveryUrl === undefined) return 'no-recovery-link';
  if (customer.phone === undefined) return 'no-phone';
  const phone = checkPhone(customer.phone, settings.fallbackTimeZone);
  if (!phone.ok) return phone.reason;
  const zone = customerTimeZone(customer.timeZone, phone, settings.fallbackTimeZone);
  if (quietPeriodEnd(now, zone, settings.quietHours) !== undefined) return 'quiet-hours';
  if (
    renderSavedCartSms(settings, {
      locale: customer.locale,
      total: offer.total,
      recoveryUrl: offer.recoveryUrl,
    }) === undefined
  ) {
    return 'too-long';
  }
  return undefined;
};

export type SavedCartSmsResult =
  | {
      readonly outcome: 'SENT';
      readonly messageId: string;
      readonly segments: number;
      /** SmsSent could not be published; the SMS went all the same and must not go again. */
      readonly publishError?: string;
    }
  /** A run before this one took the once-only record; it may have sent it. */
  | { readonly outcome: 'ALREADY_SENT' }
  | { readonly outcome: 'DAILY_CAP_REACHED' };

const DAY = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Sends the SMS for the callback. The once-only key carries the attempt number: a send that failed
 * (thrown) counts an attempt, so the next try has a fresh key, while a run that died after taking the
 * key cannot send it twice. The daily cap is checked before the key is taken, so a capped day leaves the
 * key for later. Throws what the sender throws, after giving the parts back to the day.
 */
export const sendSavedCartSms = async (
  callback: Callback,
  deps: SavedCartSmsDeps,
): Promise<SavedCartSmsResult> => {
  const { customer, offer } = callback;
  if (customer.phone === undefined || offer.recoveryUrl === undefined) {
    throw new Error(
      `The callback for cart ${callback.cartId} has no phone or no link for the saved-cart SMS.`,
    );
  }
  const rendered = renderSavedCartSms(deps.settings, {
    locale: customer.locale,
    total: offer.total,
    recoveryUrl: offer.recoveryUrl,
  });
  if (rendered === undefined)
    throw new Error(`The saved-cart SMS for cart ${callback.cartId} exceeds the segment cap.`);
  const now = deps.clock.now();
  const day = DAY(now);
  const total = await deps.ledger.addDailySegments(day, rendered.segments);
  if (total > deps.settings.dailySegmentCap) {
    await deps.ledger.addDailySegments(day, -rendered.segments);
    return { outcome: 'DAILY_CAP_REACHED' };
  }
  if (!(await deps.ledger.claimOnce(`${SAVED_CART_KIND}#${callback.cartId}#${callback.smsAttempts}`, now))) {
    await deps.ledger.addDailySegments(day, -rendered.segments);
    return { outcome: 'ALREADY_SENT' };
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.sender.send({
      to: customer.phone,
      body: rendered.body,
      kind: SAVED_CART_KIND,
      segments: rendered.segments,
      encoding: rendered.encoding,
      cartId: callback.cartId,
    }));
  } catch (error) {
    await deps.ledger.addDailySegments(day, -rendered.segments);
    throw error;
  }
  try {
    await deps.events.publish('SmsSent', {
      cartId: callback.cartId,
      kind: SAVED_CART_KIND,
      to: maskPhone(customer.phone),
      segments: rendered.segments,
      encoding: rendered.encoding,
      messageId,
      sentAt: deps.clock.now().toISOString(),
    });
  } catch (error) {
    // Thrown from here, the sweeper would count a failed send and send again under a fresh key.
    return {
      outcome: 'SENT',
      messageId,
      segments: rendered.segments,
      publishError: error instanceof Error ? error.message : String(error),
    };
  }
  return { outcome: 'SENT', messageId, segments: rendered.segments };
};
