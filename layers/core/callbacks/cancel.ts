/**
 * OrderPlaced with a cart id -> the cart's tombstone, and the cart's waiting callback cancelled
 * (CallbackCancelled, reason 'order-placed') with the customer's marker released: they were never
 * called, so a later cart may be.
 *
 * The tombstone is written whatever the callback's state, also when there is none yet, and it is what
 * makes a cancellation win whatever the order of arrival:
 * - no callback yet (the OrderPlaced overtook its CartAbandoned: a redelivery, two pollers): a later
 *   CartAbandoned is refused in the same condition that would store it;
 * - waiting: the tombstone and CANCELLED are written in one transaction;
 * - held by a sweeper (CLAIMED): the sweeper's release (throttling, a failed task, the SMS daily cap, a
 *   postponement) and a takeover of its lease are refused by the tombstone, and the sweeper ends it
 *   CANCELLED itself. Only a StartTaskContact (or saved-cart SMS) already under way when the tombstone
 *   was written still happens: the task is then recorded with `lateOrder` and announced with
 *   `lateOrderId` (see `CancelResult` 'in-flight');
 * - made (CREATED, REPLACED_BY_SMS): too late. The agent's task exists; nothing is announced, as the
 *   callback's one announcement (CallbackCreated) has been made, and the agent sees the order in the
 *   shop's back office. The consumer logs and counts it ('too-late').
 */
import type { OrderPlaced } from '#events/index.js';
import { announceOutstanding, finish } from './announce.js';
import { addMs, type Callback, type CallbackState, hours, isWaiting } from './callback.js';
import type { CancelDeps } from './settings.js';
import type { Tombstone } from './store.js';

export type CancelResult =
  | { readonly outcome: 'CANCELLED'; readonly cartId: string; readonly redelivered?: boolean }
  | {
      readonly outcome: 'NOT_CANCELLED';
      readonly cartId?: string;
      /**
       * - 'no-cart-id': nothing to do;
       * - 'no-callback': none yet; the tombstone refuses any later one;
       * - 'in-flight': a sweeper holds it; it is cancelled unless its task or SMS was already under way;
       * - 'too-late': its task or SMS exists;
       * - 'already-ended': skipped, or cancelled by another order.
       */
      readonly reason: 'no-cart-id' | 'no-callback' | 'in-flight' | 'too-late' | 'already-ended';
      /** The callback's state, when there is one. */
      readonly state?: CallbackState;
    };

/** Attempts when the sweeper changes the callback between our read and our write. */
const ATTEMPTS = 3;

/** A CartAbandoned may come up to a day after the order (clocks, queues) and still be refused. */
const TOMBSTONE_MARGIN_HOURS = 24;

/**
 * The cart's tombstone, kept at least as long as a callback for it could be scheduled: a callback is
 * made within `maxAgeHours` of its abandonment or never, so any abandonment up to a day after the order
 * is covered.
 */
export const tombstoneFor = (
  order: Pick<OrderPlaced, 'orderId' | 'placedAt'> & { readonly cartId: string },
  now: Date,
  maxAgeHours: number,
): Tombstone => {
  const placedAt = Date.parse(order.placedAt);
  const from = Number.isNaN(placedAt) ? now.getTime() : Math.max(placedAt, now.getTime());
  return {
    cartId: order.cartId,
    orderId: order.orderId,
    orderedAt: now.toISOString(),
    retainUntil: addMs(new Date(from), hours(maxAgeHours + TOMBSTONE_MARGIN_HOURS)).toISOString(),
  };
};

export const cancelForOrder = async (order: OrderPlaced, deps: CancelDeps): Promise<CancelResult> => {
  const { cartId } = order;
  if (cartId === undefined) return { outcome: 'NOT_CANCELLED', reason: 'no-cart-id' };
  const now = deps.clock.now();
  const tombstone = tombstoneFor({ ...order, cartId }, now, deps.settings.maxAgeHours);
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const callback = await deps.store.get(cartId);
    if (callback !== undefined && isWaiting(callback)) {
      // A callback whose earlier StartTaskContact failed after Connect may have acted says so when it ends,
      // and the customer, who may have been called, keeps their day without another callback.
      const mayExist = callback.taskMayExist === true;
      const done = await finish(
        deps,
        callback,
        { state: 'CANCELLED', orderId: order.orderId, ...(mayExist ? { taskMayExist: true } : {}) },
        mayExist ? undefined : { kind: 'release' },
        tombstone,
      );
      if (done !== undefined) return { outcome: 'CANCELLED', cartId };
      continue; // the sweeper postponed or claimed it meanwhile: look again
    }
    // Nothing to end here: the tombstone alone (idempotent), which every later write honours.
    await deps.store.cancel(tombstone, undefined, now);
    if (callback === undefined) {
      // A CartAbandoned stored between our read and the tombstone is cancelled now rather than by the
      // sweeper (which would refuse to claim it anyway).
      const scheduledMeanwhile = await deps.store.get(cartId);
      if (scheduledMeanwhile !== undefined && isWaiting(scheduledMeanwhile)) continue;
      return { outcome: 'NOT_CANCELLED', cartId, reason: 'no-callback' };
    }
    if (callback.state === 'CANCELLED' && callback.cancelledBy === order.orderId) {
      // A redelivery of the order that cancelled it: announce, if its announcement is still owed.
      if (callback.pending && isAnnouncementAbandoned(callback, now)) {
        await announceOutstanding(deps, callback);
      }
      return { outcome: 'CANCELLED', cartId, redelivered: true };
    }
    return {
      outcome: 'NOT_CANCELLED',
      cartId,
      reason: reasonFor(callback.state),
      state: callback.state,
    };
  }
  // Three writes lost in a row: a sweeper keeps taking it. The tombstone stops it at its next write.
  await deps.store.cancel(tombstone, undefined, now);
  return { outcome: 'NOT_CANCELLED', cartId, reason: 'in-flight' };
};

const reasonFor = (state: CallbackState): 'in-flight' | 'too-late' | 'already-ended' =>
  state === 'CLAIMED'
    ? 'in-flight'
    : state === 'CREATED' || state === 'REPLACED_BY_SMS'
      ? 'too-late'
      : 'already-ended';

/** An announcement whose announcer's lease ran out: it died before announcing. */
const isAnnouncementAbandoned = (callback: Callback, now: Date): boolean =>
  Date.parse(callback.dueAt) <= now.getTime();
