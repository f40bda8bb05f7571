/**
 * The order index's rules, the same in every world: what an order event keeps for a phone, which
 * order a caller is told about, how long an entry lives, and the never-regress rule that the DynamoDB
 * adapter writes as its condition and the in-memory index applies as it is.
 */
import type { OrderPlaced, OrderStatusChanged } from '#events/index.js';
import { checkPhone, customerTimeZone } from '../sms/phone-check.js';
import { SMS_LANGUAGES, type SmsLanguage } from '../sms/templates.js';
import { FINAL_STATUSES, type IndexedOrder, type IndexedStatus } from './types.js';

export type IndexedDetailType = 'OrderPlaced' | 'OrderStatusChanged';

export interface IndexedEventDetails {
  readonly OrderPlaced: OrderPlaced;
  readonly OrderStatusChanged: OrderStatusChanged;
}

const DAY_MS = 86_400_000;

/**
 * The language the caller is spoken to in. Read with Intl.Locale rather than the tag's first two
 * letters: `fil-PH` (Filipino) would otherwise be taken for Finnish.
 */
export const orderLanguage = (locale: string): SmsLanguage => {
  let language: string | undefined;
  try {
    language = new Intl.Locale(locale).language;
  } catch {
    // The event schema refuses malformed tags; one that slips through is spoken to in English.
    language = undefined;
  }
  return (SMS_LANGUAGES as readonly string[]).includes(language ?? '') ? (language as SmsLanguage) : 'en';
};

/**
 * An instant as the index keeps it: UTC, millisecond precision. Events carry any offset, and the stored
 * form must order as text (DynamoDB compares strings in a condition), which only one fixed form does.
 */
export const indexTime = (iso: string): string => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO-8601 time: ${iso}`);
  return new Date(ms).toISOString();
};

/**
 * What the index keeps of a validated OrderPlaced or OrderStatusChanged detail: the order's status, its
 * time, the carrier's details, and how to speak to the customer. Nothing else of the event (no name, no
 * address, no basket, no amount, no phone) reaches the entry.
 */
export const indexedOrderFromEvent = <T extends IndexedDetailType>(
  detailType: T,
  detail: IndexedEventDetails[T],
  fallbackTimeZone: string,
): IndexedOrder => {
  const { customer } = detail;
  const speaking = {
    language: orderLanguage(customer.locale),
    timeZone: customerTimeZone(
      customer.timeZone,
      checkPhone(customer.phone, fallbackTimeZone),
      fallbackTimeZone,
    ),
    smsConsent: customer.consent.transactionalSms,
  };
  if (detailType === 'OrderPlaced') {
    const placed = detail as OrderPlaced;
    return { orderId: placed.orderId, status: 'PLACED', changedAt: indexTime(placed.placedAt), ...speaking };
  }
  const changed = detail as OrderStatusChanged;
  return {
    orderId: changed.orderId,
    status: changed.status,
    changedAt: indexTime(changed.occurredAt),
    ...(changed.carrier === undefined ? {} : { carrier: changed.carrier }),
    ...(changed.trackingUrl === undefined ? {} : { trackingUrl: changed.trackingUrl }),
    ...(changed.estimatedDelivery === undefined ? {} : { estimatedDelivery: changed.estimatedDelivery }),
    ...(changed.reason === undefined ? {} : { reason: changed.reason }),
    ...speaking,
  };
};

export const isFinal = (status: IndexedStatus): boolean => FINAL_STATUSES.has(status);

/**
 * The order a caller is told about: the most recently changed one still in progress. A caller whose
 * orders are all delivered or cancelled hears nothing and goes on to the menu as before.
 */
export const orderToTell = (orders: readonly IndexedOrder[]): IndexedOrder | undefined => {
  let told: IndexedOrder | undefined;
  for (const order of orders) {
    if (isFinal(order.status)) continue;
    if (told === undefined || Date.parse(order.changedAt) > Date.parse(told.changedAt)) told = order;
  }
  return told;
};

/**
 * When an entry expires: `retentionDays` (the SMS retention) after the order's last change, or after peakline
 * recorded it when that is later. A change that reaches peakline late (a replay from the bus archive, the
 * bundled sample events in the local stack) is kept its full retention rather than expiring as it is
 * written; no entry is ever kept longer than the retention after peakline learnt it.
 */
export const indexExpiry = (changedAt: Date, retentionDays: number, recordedAt: Date = changedAt): Date =>
  new Date(Math.max(changedAt.getTime(), recordedAt.getTime()) + retentionDays * DAY_MS);

/**
 * The never-regress rule: an event changes the kept status only when nothing is kept yet, or when the
 * kept order is not delivered or cancelled and the event is newer than it (equal times are a duplicate)
 * or ends the order. The end of an order wins whatever the order of arrival: a DELIVERED stamped by the
 * carrier a minute before the OUT_FOR_DELIVERY that reached the shop first still ends it, as the SMS said.
 */
export const supersedes = (
  kept: Pick<IndexedOrder, 'status' | 'changedAt'> | undefined,
  incoming: Pick<IndexedOrder, 'status' | 'changedAt'>,
): boolean =>
  kept === undefined ||
  (!isFinal(kept.status) &&
    (isFinal(incoming.status) || Date.parse(kept.changedAt) < Date.parse(incoming.changedAt)));

/**
 * The carrier's details an event that changes no status may still add: a tracking link that came with
 * a SHIPPED overtaken by its OUT_FOR_DELIVERY is still the parcel's link. Not the reason, which belongs
 * to the status it came with.
 */
export const FILLABLE_DETAILS = ['carrier', 'trackingUrl', 'estimatedDelivery'] as const;
export type FillableDetail = (typeof FILLABLE_DETAILS)[number];

/** The details `incoming` has and `kept` lacks. */
export const missingDetails = (
  kept: IndexedOrder,
  incoming: IndexedOrder,
): Partial<Pick<IndexedOrder, FillableDetail>> => {
  const filled: Partial<Record<FillableDetail, string>> = {};
  for (const detail of FILLABLE_DETAILS) {
    const value = incoming[detail];
    if (kept[detail] === undefined && value !== undefined) filled[detail] = value;
  }
  return filled;
};

/**
 * A newer status over the kept entry: the status, its time, its reason and how to speak to the customer
 * come from the event; the carrier's details it does not repeat stay (an OUT_FOR_DELIVERY without the link
 * keeps the SHIPPED's link).
 */
export const supersededOrder = (kept: IndexedOrder | undefined, incoming: IndexedOrder): IndexedOrder => {
  const carried: Partial<Record<FillableDetail, string>> = {};
  for (const detail of FILLABLE_DETAILS) {
    const value = incoming[detail] ?? kept?.[detail];
    if (value !== undefined) carried[detail] = value;
  }
  return { ...incoming, ...carried };
};

/** An entry of the index: the order and when it expires (epoch seconds, DynamoDB's TTL unit). */
export interface IndexEntry {
  readonly order: IndexedOrder;
  readonly expiresAt: number;
}

export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/**
 * One event applied to the kept entry of its order, as every `OrderIndex` does it: a superseding event
 * writes the status (and the expiry from its time); any other fills in missing carrier details and moves
 * the expiry forward only. `entry` is undefined when nothing changes (a duplicate, an older status).
 */
export const applyOrderEvent = (
  kept: IndexEntry | undefined,
  incoming: IndexedOrder,
  expiresAt: Date,
): { readonly outcome: 'recorded' | 'stale'; readonly entry: IndexEntry | undefined } => {
  const order = { ...incoming, changedAt: indexTime(incoming.changedAt) };
  const expiry = epochSeconds(expiresAt);
  if (supersedes(kept?.order, order)) {
    return { outcome: 'recorded', entry: { order: supersededOrder(kept?.order, order), expiresAt: expiry } };
  }
  if (kept === undefined) return { outcome: 'stale', entry: undefined };
  const filled = missingDetails(kept.order, order);
  const later = expiry > kept.expiresAt;
  if (Object.keys(filled).length === 0 && !later) return { outcome: 'stale', entry: undefined };
  return {
    outcome: 'stale',
    entry: { order: { ...kept.order, ...filled }, expiresAt: Math.max(kept.expiresAt, expiry) },
  };
};

/** Most recently changed first; the order id breaks a tie, so every index lists (and prunes) alike. */
export const byRecentChange = (a: Pick<IndexedOrder, 'changedAt' | 'orderId'>, b: typeof a): number =>
  Date.parse(b.changedAt) - Date.parse(a.changedAt) ||
  (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);

/**
 * The orders of a phone the index no longer keeps once a new one arrives: all but the `maxOrdersPerPhone`
 * most recently changed.
 */
export const ordersBeyondKept = <T extends Pick<IndexedOrder, 'changedAt' | 'orderId'>>(
  orders: readonly T[],
  maxOrdersPerPhone: number,
): T[] => [...orders].sort(byRecentChange).slice(maxOrdersPerPhone);
