/**
 * OrderPlaced with a cart id -> the cart's waiting callback is cancelled (CallbackCancelled, reason
 * 'order-placed'), and the customer's marker released: they were never called, so a later cart may be.
 *
 * Too late once the sweeper has claimed it: the task (or the saved-cart SMS) may already exist, and
 * the agent sees the order in the shop's back office anyway.
 */
import type { OrderPlaced } from '#events/index.js';
import { announceOutstanding, finish } from './announce.js';
import { type Callback, type CallbackState, isWaiting } from './callback.js';
import type { CancelDeps } from './settings.js';

export type CancelResult =
  | { readonly outcome: 'CANCELLED'; readonly cartId: string; readonly redelivered?: boolean }
  | {
      readonly outcome: 'NOT_CANCELLED';
      readonly cartId?: string;
      readonly reason: 'no-cart-id' | 'no-callback' | 'too-late' | 'already-ended';
      /** The callback's state, when there is one. */
      readonly state?: CallbackState;
    };

/** Attempts when the sweeper changes the callback between our read and our write. */
const ATTEMPTS = 3;

export const cancelForOrder = async (order: OrderPlaced, deps: CancelDeps): Promise<CancelResult> => {
  const { cartId } = order;
  if (cartId === undefined) return { outcome: 'NOT_CANCELLED', reason: 'no-cart-id' };
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const callback = await deps.store.get(cartId);
    if (callback === undefined) return { outcome: 'NOT_CANCELLED', cartId, reason: 'no-callback' };
    if (isWaiting(callback)) {
      const done = await finish(
        deps,
        callback,
        { state: 'CANCELLED', orderId: order.orderId },
        { kind: 'release' },
      );
      if (done !== undefined) return { outcome: 'CANCELLED', cartId };
      continue; // the sweeper postponed or claimed it meanwhile: look again
    }
    if (callback.state === 'CANCELLED' && callback.cancelledBy === order.orderId) {
      // A redelivery of the order that cancelled it: announce, if its announcement is still owed.
      if (callback.pending && isAnnouncementAbandoned(callback, deps.clock.now())) {
        await announceOutstanding(deps, callback);
      }
      return { outcome: 'CANCELLED', cartId, redelivered: true };
    }
    return {
      outcome: 'NOT_CANCELLED',
      cartId,
      reason: callback.state === 'CLAIMED' ? 'too-late' : 'already-ended',
      state: callback.state,
    };
  }
  // Three writes lost in a row: the sweeper keeps taking it, so it is as good as made.
  return { outcome: 'NOT_CANCELLED', cartId, reason: 'too-late' };
};

/** An announcement whose announcer's lease ran out: it died before announcing. */
const isAnnouncementAbandoned = (callback: Callback, now: Date): boolean =>
  Date.parse(callback.dueAt) <= now.getTime();
