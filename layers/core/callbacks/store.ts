/**
 * The due-time store of cart callbacks: DynamoDB on AWS and in the local stack, memory in `simulate`
 * and the unit tests. It holds callbacks, per customer a marker of the callback that counts for "at
 * most one callback per customer per `perCustomerHours`", and per ordered cart a tombstone.
 *
 * The tombstone is how a cancellation wins whatever the order of arrival: the OrderPlaced writes it
 * whether or not the cart has a callback yet, and every write that could still lead to a task or an SMS
 * (scheduling, postponing, claiming, releasing) is refused by the store, in the same condition as the
 * write itself, while it exists. No read-then-write window is left for an OrderPlaced to slip through.
 */
import type { Callback, CallbackState } from './callback.js';

/** An ordered cart: no callback may be scheduled, postponed, claimed or released for it any more. */
export interface Tombstone {
  readonly cartId: string;
  /** The first order that named the cart (a later one leaves it as it is). */
  readonly orderId: string;
  /** ISO-8601: when the OrderPlaced was processed. */
  readonly orderedAt: string;
  /** ISO-8601: the store may forget it after this (the TTL); at least as long as a callback can live. */
  readonly retainUntil: string;
}

export type AddResult =
  | { readonly added: true }
  /** The cart has a tombstone: it was ordered. Checked before the other conflicts. */
  | { readonly added: false; readonly conflict: 'ordered'; readonly orderId?: string }
  /** The cart already has a callback, in whatever state. */
  | { readonly added: false; readonly conflict: 'cart'; readonly existing: Callback }
  /** Another cart of the customer holds the marker. */
  | { readonly added: false; readonly conflict: 'customer'; readonly cartId?: string };

/** What a write does to the customer's marker. */
export type MarkerChange =
  /** Holds the marker for this cart until `until` (never shortening it). */
  | { readonly kind: 'hold'; readonly until: Date }
  /** The customer was not called after all (the order came first): another cart may have a callback. */
  | { readonly kind: 'release' };

/**
 * States from which a task or an SMS may still come: a write that leaves a callback in one of them is
 * refused while the cart has a tombstone. CLAIMED for 'announce' keeps an end state, so it is not one.
 */
export const LIVE_STATES: readonly CallbackState[] = ['SCHEDULED', 'POSTPONED', 'CLAIMED'];
export const mayStillAct = (callback: Pick<Callback, 'state'>): boolean =>
  LIVE_STATES.includes(callback.state);

export interface CallbackStore {
  /**
   * Stores a new callback and the customer's marker (until `markerUntil`), both or neither: refused when
   * the cart has a tombstone, the cart has a callback already, or another of the customer's carts holds a
   * marker that is still valid at `now` - all in one condition.
   */
  add(callback: Callback, markerUntil: Date, now: Date): Promise<AddResult>;
  /** The callback as stored (consistent read), also once settled, until its retention ends. */
  get(cartId: string): Promise<Callback | undefined>;
  /** The cart's tombstone (consistent read), while kept. */
  tombstoneOf(cartId: string): Promise<Tombstone | undefined>;
  /** Pending callbacks with `dueAt` at or before `now`, earliest first, at most `limit`. */
  due(now: Date, limit: number): Promise<Callback[]>;
  /**
   * Writes `next` in place of `seen` if the stored version is still `seen.version` (`next.version` is
   * `seen.version + 1`) and, when `next` may still act (see `mayStillAct`), the cart has no tombstone;
   * false otherwise, and nothing is written then. The marker change follows a successful write and only
   * touches a marker held by this cart (or none).
   */
  replace(seen: Callback, next: Callback, marker?: MarkerChange, now?: Date): Promise<boolean>;
  /**
   * Writes the cart's tombstone (idempotent: a tombstone already there stays as it is) and, when given,
   * the callback's end in the same transaction: `write.next` in place of `write.seen` on the version, as
   * `replace` does. Both or neither; false when the callback's version moved on (nothing written then).
   */
  cancel(
    tombstone: Tombstone,
    write?: { readonly seen: Callback; readonly next: Callback; readonly marker?: MarkerChange },
    now?: Date,
  ): Promise<boolean>;
}
