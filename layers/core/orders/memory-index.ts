/**
 * The order index in memory, with the DynamoDB index's semantics (the same `applyOrderEvent`, the same
 * pruning and expiry): the unit tests' and the simulator's index. Keyed by the phone's digest, which
 * never leaves the process here.
 */
import {
  applyOrderEvent,
  byRecentChange,
  epochSeconds,
  type IndexEntry,
  ordersBeyondKept,
} from './order-index.js';
import type { IndexedOrder, OrderIndex } from './types.js';

export interface MemoryOrderIndexOptions {
  /** Orders kept per phone (`orderStatus.maxOrdersPerPhone`). */
  readonly maxOrdersPerPhone: number;
  /**
   * The world's clock: an entry past its expiry is no longer read, as DynamoDB's TTL (which deletes
   * lazily) is not waited for. @default the system clock
   */
  readonly now?: () => Date;
}

export class MemoryOrderIndex implements OrderIndex {
  readonly #phones = new Map<string, Map<string, IndexEntry>>();
  readonly #max: number;
  readonly #now: () => Date;

  constructor(options: MemoryOrderIndexOptions) {
    this.#max = options.maxOrdersPerPhone;
    this.#now = options.now ?? (() => new Date());
  }

  async record(phoneDigest: string, order: IndexedOrder, expiresAt: Date): Promise<'recorded' | 'stale'> {
    const orders = this.#phones.get(phoneDigest) ?? new Map<string, IndexEntry>();
    const kept = orders.get(order.orderId);
    const { outcome, entry } = applyOrderEvent(kept, order, expiresAt);
    if (entry === undefined) return outcome;
    orders.set(order.orderId, entry);
    this.#phones.set(phoneDigest, orders);
    if (kept !== undefined) return outcome;
    const dropped = ordersBeyondKept(
      [...orders.values()].map((e) => e.order),
      this.#max,
    );
    for (const old of dropped) orders.delete(old.orderId);
    return orders.has(order.orderId) ? outcome : 'stale';
  }

  async recent(phoneDigest: string): Promise<readonly IndexedOrder[]> {
    return this.#live(phoneDigest).sort(byRecentChange).slice(0, this.#max);
  }

  async get(phoneDigest: string, orderId: string): Promise<IndexedOrder | undefined> {
    return this.#live(phoneDigest).find((order) => order.orderId === orderId);
  }

  #live(phoneDigest: string): IndexedOrder[] {
    const nowSeconds = epochSeconds(this.#now());
    return [...(this.#phones.get(phoneDigest)?.values() ?? [])]
      .filter((entry) => entry.expiresAt > nowSeconds)
      .map((entry) => entry.order);
  }
}
