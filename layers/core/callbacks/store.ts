/**
 * The due-time store of cart callbacks: DynamoDB on AWS and in the local stack, memory in `simulate`
 * and the unit tests. It holds callbacks and, per customer, a marker of the callback that counts for
 * "at most one callback per customer per `perCustomerHours`".
 */
import type { Callback } from './callback.js';

export type AddResult =
  | { readonly added: true }
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

export interface CallbackStore {
  /**
   * Stores a new callback and the customer's marker (until `markerUntil`), both or neither: refused when
   * the cart has a callback already or another of the customer's carts holds a marker that is still
   * valid at `now`.
   */
  add(callback: Callback, markerUntil: Date, now: Date): Promise<AddResult>;
  /** The callback as stored (consistent read), also once settled, until its retention ends. */
  get(cartId: string): Promise<Callback | undefined>;
  /** Pending callbacks with `dueAt` at or before `now`, earliest first, at most `limit`. */
  due(now: Date, limit: number): Promise<Callback[]>;
  /**
   * Writes `next` in place of `seen` if the stored version is still `seen.version` (`next.version` is
   * `seen.version + 1`); false when another writer came first, and nothing is written then. The marker
   * change follows a successful write and only touches a marker held by this cart (or none).
   */
  replace(seen: Callback, next: Callback, marker?: MarkerChange, now?: Date): Promise<boolean>;
}
