/**
 * CartAbandoned -> a callback in the due-time store, or the reason there is none.
 *
 * A callback refused by a rule publishes nothing: the bus's CallbackScheduled, CallbackCreated and
 * CallbackCancelled describe callbacks that exist, and a refusal is a decision about an event, which the
 * caller logs and counts by reason (the result says it). Running again for the same event is safe: the
 * store holds one callback per cart, and a redelivery of the event that scheduled it announces it again.
 *
 * A cart already ordered is refused by the store in the very condition that would store its callback
 * (the cart's tombstone, see cancel.ts), so an OrderPlaced processed first, however shortly, wins.
 */
import type { CartAbandoned } from '#events/index.js';
import { maskPhone, phoneHash } from '../phone.js';
import { nextOpenMoment } from './business-hours.js';
import { addMs, type Callback, hours, isWaiting, minutes, newCallback } from './callback.js';
import { buildOffer, lineCount, outOfStockCount } from './offer.js';
import type { ScheduleDeps } from './settings.js';

export type ScheduleRefusal =
  /** The customer did not agree to be called. */
  | 'no-consent'
  /** The cart is worth less than `minCartValue`. */
  | 'below-minimum'
  /** The phone is on the suppression list. */
  | 'opted-out'
  /** The event came so late that the call would come after `maxAgeHours`. */
  | 'too-late'
  /** The cart was ordered: its OrderPlaced came first (its tombstone is there). */
  | 'ordered'
  /** The cart has a callback already (a duplicated CartAbandoned). */
  | 'duplicate'
  /** Another of the customer's carts has a callback within `perCustomerHours`. */
  | 'recent-callback';

export type ScheduleResult =
  | {
      readonly outcome: 'SCHEDULED';
      readonly cartId: string;
      /** ISO-8601, inside opening hours. */
      readonly dueAt: string;
      /** True when this was a redelivery of the event that scheduled it: announced again, nothing stored. */
      readonly redelivered?: boolean;
      /** True when the catalogue failed and alternatives may be missing from the offer. */
      readonly alternativesUnavailable?: boolean;
    }
  | {
      readonly outcome: 'NOT_SCHEDULED';
      readonly cartId: string;
      readonly reason: ScheduleRefusal;
      /** The other cart, for 'recent-callback'. */
      readonly otherCartId?: string;
    };

export interface ScheduleMeta {
  /** The EventBridge event's id: tells a redelivery (announced again) from a duplicate (ignored). */
  readonly eventId?: string;
}

const announceScheduled = (deps: ScheduleDeps, callback: Callback) =>
  deps.events.publish('CallbackScheduled', {
    cartId: callback.cartId,
    customerId: callback.customer.customerId,
    ...(callback.customer.phone === undefined ? {} : { to: maskPhone(callback.customer.phone) }),
    cartValue: callback.offer.total,
    items: lineCount(callback.offer),
    outOfStock: outOfStockCount(callback.offer),
    abandonedAt: callback.abandonedAt,
    dueAt: callback.scheduledFor,
    scheduledAt: callback.scheduledAt,
  });

export const scheduleCallback = async (
  cart: CartAbandoned,
  deps: ScheduleDeps,
  meta: ScheduleMeta = {},
): Promise<ScheduleResult> => {
  const { settings } = deps;
  const refuse = (reason: ScheduleRefusal, otherCartId?: string): ScheduleResult => ({
    outcome: 'NOT_SCHEDULED',
    cartId: cart.cartId,
    reason,
    ...(otherCartId === undefined ? {} : { otherCartId }),
  });

  if (!cart.customer.consent.callback) return refuse('no-consent');
  if (cart.total.amount < settings.minCartValue) return refuse('below-minimum');
  const now = deps.clock.now();
  if (await deps.suppression.isSuppressed(phoneHash(cart.customer.phone), now)) return refuse('opted-out');

  // A late event (a queue backlog, a replay) is due at once, not at a time already past.
  const abandonedAt = new Date(cart.abandonedAt);
  const earliest = new Date(
    Math.max(addMs(abandonedAt, minutes(settings.delayMinutes)).getTime(), now.getTime()),
  );
  const dueAt = nextOpenMoment(earliest, settings.openingHours, settings.timeZone);
  const expiresAt = addMs(abandonedAt, hours(settings.maxAgeHours));
  if (dueAt.getTime() >= expiresAt.getTime()) return refuse('too-late');

  const offer = await buildOffer(cart, deps.catalogue);
  const callback = newCallback({
    cartId: cart.cartId,
    customer: {
      customerId: cart.customer.customerId,
      phone: cart.customer.phone,
      locale: cart.customer.locale,
      ...(cart.customer.timeZone === undefined ? {} : { timeZone: cart.customer.timeZone }),
      marketingSms: cart.customer.consent.marketingSms,
    },
    offer,
    abandonedAt: cart.abandonedAt,
    now,
    dueAt,
    expiresAt,
    retentionDays: settings.retentionDays,
    ...(meta.eventId === undefined ? {} : { sourceEventId: meta.eventId }),
  });

  // The marker counts from the call, which is not before dueAt; the sweeper moves it with the callback.
  const added = await deps.store.add(callback, addMs(dueAt, hours(settings.perCustomerHours)), now);
  if (!added.added) {
    if (added.conflict === 'ordered') return refuse('ordered');
    if (added.conflict === 'customer') return refuse('recent-callback', added.cartId);
    const { existing } = added;
    const redelivered =
      meta.eventId !== undefined && existing.sourceEventId === meta.eventId && isWaiting(existing);
    if (!redelivered) return refuse('duplicate');
    // The first delivery stored it and may have failed to announce it; once more does no harm.
    await announceScheduled(deps, existing);
    return { outcome: 'SCHEDULED', cartId: cart.cartId, dueAt: existing.scheduledFor, redelivered: true };
  }
  await announceScheduled(deps, callback);
  return {
    outcome: 'SCHEDULED',
    cartId: cart.cartId,
    dueAt: callback.scheduledFor,
    ...(offer.alternativesUnavailable ? { alternativesUnavailable: true } : {}),
  };
};
