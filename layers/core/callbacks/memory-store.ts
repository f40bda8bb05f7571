/**
 * Callbacks in memory, with the DynamoDB store's conditions (version check, one per cart, the customer
 * marker, the tombstone refusing every write that may still act): for `peakline simulate` and the unit
 * tests, where a table would only add latency. Each method checks and writes without awaiting in
 * between, as one DynamoDB condition or transaction does.
 */
import type { Callback } from './callback.js';
import {
  type AddResult,
  type CallbackStore,
  type MarkerChange,
  mayStillAct,
  type Tombstone,
} from './store.js';

interface Marker {
  readonly cartId: string;
  readonly until: number;
}

export class InMemoryCallbackStore implements CallbackStore {
  private readonly callbacks = new Map<string, Callback>();
  private readonly markers = new Map<string, Marker>();
  private readonly tombstones = new Map<string, Tombstone>();
  /** Writes refused because another writer came first. */
  conflicts = 0;
  /** Writes refused because the cart has a tombstone. */
  refusedByTombstone = 0;

  async add(callback: Callback, markerUntil: Date, now: Date): Promise<AddResult> {
    const tombstone = this.tombstones.get(callback.cartId);
    if (tombstone !== undefined) {
      this.refusedByTombstone += 1;
      return { added: false, conflict: 'ordered', orderId: tombstone.orderId };
    }
    const existing = this.callbacks.get(callback.cartId);
    if (existing !== undefined)
      return { added: false, conflict: 'cart', existing: structuredClone(existing) };
    const marker = this.markers.get(callback.customer.customerId);
    if (marker !== undefined && marker.until > now.getTime()) {
      return { added: false, conflict: 'customer', cartId: marker.cartId };
    }
    this.callbacks.set(callback.cartId, structuredClone(callback));
    this.markers.set(callback.customer.customerId, { cartId: callback.cartId, until: markerUntil.getTime() });
    return { added: true };
  }

  async get(cartId: string): Promise<Callback | undefined> {
    const found = this.callbacks.get(cartId);
    return found === undefined ? undefined : structuredClone(found);
  }

  async tombstoneOf(cartId: string): Promise<Tombstone | undefined> {
    const found = this.tombstones.get(cartId);
    return found === undefined ? undefined : { ...found };
  }

  async due(now: Date, limit: number): Promise<Callback[]> {
    return [...this.callbacks.values()]
      .filter((callback) => callback.pending && Date.parse(callback.dueAt) <= now.getTime())
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))
      .slice(0, Math.max(0, limit))
      .map((callback) => structuredClone(callback));
  }

  async replace(
    seen: Callback,
    next: Callback,
    marker?: MarkerChange,
    now: Date = new Date(),
  ): Promise<boolean> {
    if (this.callbacks.get(seen.cartId)?.version !== seen.version) {
      this.conflicts += 1;
      return false;
    }
    if (mayStillAct(next) && this.tombstones.has(seen.cartId)) {
      this.refusedByTombstone += 1;
      return false;
    }
    this.write(seen, next, marker, now);
    return true;
  }

  async cancel(
    tombstone: Tombstone,
    write?: { readonly seen: Callback; readonly next: Callback; readonly marker?: MarkerChange },
    now: Date = new Date(),
  ): Promise<boolean> {
    if (write !== undefined) {
      if (this.callbacks.get(write.seen.cartId)?.version !== write.seen.version) {
        this.conflicts += 1;
        return false;
      }
      this.write(write.seen, write.next, write.marker, now);
    }
    if (!this.tombstones.has(tombstone.cartId)) this.tombstones.set(tombstone.cartId, { ...tombstone });
    return true;
  }

  private write(seen: Callback, next: Callback, marker: MarkerChange | undefined, now: Date): void {
    this.callbacks.set(seen.cartId, structuredClone(next));
    const customerId = seen.customer.customerId;
    const held = this.markers.get(customerId);
    const free = held === undefined || held.cartId === seen.cartId || held.until <= now.getTime();
    if (marker?.kind === 'hold' && free) {
      const until = Math.max(marker.until.getTime(), held?.cartId === seen.cartId ? held.until : 0);
      this.markers.set(customerId, { cartId: seen.cartId, until });
    } else if (marker?.kind === 'release' && held?.cartId === seen.cartId) {
      this.markers.delete(customerId);
    }
  }

  /** The customer's marker, for tests. */
  markerOf(customerId: string): { readonly cartId: string; readonly until: Date } | undefined {
    const marker = this.markers.get(customerId);
    return marker === undefined ? undefined : { cartId: marker.cartId, until: new Date(marker.until) };
  }
}
