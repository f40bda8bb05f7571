/**
 * The tracking-link SMS (issue 15): a caller who heard their order's status in the inbound flow presses 1
 * and gets the carrier's tracking link by SMS, instead of waiting for an adviser to read it out.
 *
 * Unlike the deflection SMS, the keypress alone is not enough: the link is about an order, so the SMS
 * goes only to a customer who agreed to transactional SMS (the consent the index entry kept from the
 * shop's last event), and only for an order of this number that has a link. Then the guards of every SMS
 * to a caller on the line (`sendCallerSms`): the suppression list, once per call however often Connect or
 * the queue runs it again (`tracking#<contactId>`), the daily cap, the segment cap. Not held for quiet
 * hours: the caller is on the line and asked for it now.
 */
import { maskPhone, phoneHash } from '../phone.js';
import type { Clock, EventPublisher, OrderLedger, SmsSender, SuppressionStore } from '../ports.js';
import type { IndexedOrder, OrderIndex } from '../orders/types.js';
import {
  type CallerSmsDecision,
  publishCallerSmsSuppressed,
  sendCallerSms,
  sentDecision,
} from './deflection-sms.js';
import { checkPhone } from './phone-check.js';
import { measureSms } from './segments.js';
import type { SmsLanguage } from './templates.js';
import { inertText, inertUrl } from '../text/sanitise.js';

export const TRACKING_KIND = 'tracking';

export interface TrackingSmsSettings {
  readonly shopName: string;
  readonly segmentCap: number;
  readonly dailySegmentCap: number;
  /** The contact centre's zone, for numbers whose country libphonenumber cannot place. */
  readonly fallbackTimeZone: string;
}

export interface TrackingSmsDeps {
  readonly clock: Clock;
  readonly ledger: Pick<
    OrderLedger,
    'claimOnce' | 'releaseOnce' | 'addDailySegments' | 'recordAnnounced' | 'recordPending'
  >;
  readonly suppression: SuppressionStore;
  readonly sender: SmsSender;
  readonly events: EventPublisher;
  /** The order index: the order's link and the customer's consent, as the shop last said them. */
  readonly index: Pick<OrderIndex, 'get'>;
  readonly settings: TrackingSmsSettings;
}

export interface TrackingRequest {
  /** Connect's contact id: one SMS per call. */
  readonly contactId: string;
  /** The caller's number as Connect saw it (E.164). */
  readonly phone: string;
  /** The order the caller was told about (the contact attribute the lookup set). */
  readonly orderId: string;
}

/** A tracking-link request on the caller-SMS queue (the deflection queue), as the order-status function puts it. */
export interface QueuedTracking extends TrackingRequest {
  readonly kind: typeof TRACKING_KIND;
}

export type TrackingReason =
  | 'invalid-phone'
  | 'not-mobile'
  | 'no-tracking-link'
  | 'no-consent'
  | 'opted-out'
  | 'already-sent'
  | 'daily-cap-reached';

export type TrackingSmsDecision = CallerSmsDecision<TrackingReason>;

interface TrackingCopy {
  readonly full: (shop: string, orderId: string, url: string) => string;
  readonly short: (shop: string, url: string) => string;
}

/**
 * The words, per language: the order and its link, nothing to read twice. The short form keeps the link
 * whole (half a link is worse than none) and drops the order id, which the caller just heard.
 */
const COPY: Readonly<Record<SmsLanguage, TrackingCopy>> = {
  pl: {
    full: (shop, id, url) => `${shop}: zgodnie z prośbą, link do śledzenia zamówienia ${id}: ${url}`,
    short: (shop, url) => `${shop}: śledzenie przesyłki: ${url}`,
  },
  en: {
    full: (shop, id, url) => `${shop}: as you asked, here is the tracking link for order ${id}: ${url}`,
    short: (shop, url) => `${shop}: track your parcel: ${url}`,
  },
  ru: {
    full: (shop, id, url) => `${shop}: как вы просили, ссылка для отслеживания заказа ${id}: ${url}`,
    short: (shop, url) => `${shop}: отслеживание посылки: ${url}`,
  },
  fi: {
    full: (shop, id, url) => `${shop}: pyytämäsi seurantalinkki tilaukselle ${id}: ${url}`,
    short: (shop, url) => `${shop}: seuraa lähetystä: ${url}`,
  },
};

/** The richest wording within the segment cap; the short one otherwise (which always carries the link). */
export const renderTrackingSms = (
  settings: Pick<TrackingSmsSettings, 'shopName' | 'segmentCap'>,
  order: Pick<IndexedOrder, 'orderId' | 'language'>,
  trackingUrl: string,
) => {
  const copy = COPY[order.language];
  const url = inertUrl(trackingUrl);
  const shop = inertText(settings.shopName).trim();
  const full = copy.full(shop, inertText(order.orderId).trim(), url);
  const fullMeasure = measureSms(full);
  if (fullMeasure.segments <= settings.segmentCap) return { body: full, ...fullMeasure };
  const short = copy.short(shop, url);
  return { body: short, ...measureSms(short) };
};

/** Sends the tracking link for one call, or says why not. Throws only what is worth retrying (SNS, the stores). */
export const decideTrackingSms = async (
  request: TrackingRequest,
  deps: TrackingSmsDeps,
): Promise<TrackingSmsDecision> => {
  const to = maskPhone(request.phone);
  const call = { kind: TRACKING_KIND, contactId: request.contactId, phone: request.phone };
  const suppressed = async (reason: TrackingReason): Promise<TrackingSmsDecision> => {
    await publishCallerSmsSuppressed(deps.events, call, reason);
    return { outcome: 'SUPPRESSED', contactId: request.contactId, to, reason };
  };
  const phone = checkPhone(request.phone, deps.settings.fallbackTimeZone);
  if (!phone.ok) return suppressed(phone.reason);
  // Read now, not taken from the flow: the order is this number's (the key is its hash), and the consent
  // and the link are the shop's latest, not what a contact attribute says.
  const order = await deps.index.get(phoneHash(request.phone), request.orderId);
  if (order?.trackingUrl === undefined || order.trackingUrl === '') return suppressed('no-tracking-link');
  if (!order.smsConsent) return suppressed('no-consent');
  const { trackingUrl } = order;
  const sent = await sendCallerSms(
    { ...call, render: () => renderTrackingSms(deps.settings, order, trackingUrl) },
    { ...deps, dailySegmentCap: deps.settings.dailySegmentCap },
  );
  if (sent.outcome === 'SUPPRESSED') return suppressed(sent.reason);
  return sentDecision(request.contactId, to, sent);
};
