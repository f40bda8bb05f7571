/**
 * The routing states in memory, with the same version check as the DynamoDB store: for `peakline
 * simulate`, the benchmark and the tests, where a table would only add latency.
 */
import type { RoutingState, RoutingStateReader } from '../ports.js';
import { type FreshRoutingStateReader, judgeStoredState, type ReadRoutingState } from './freshness.js';
import type { QueueMemory } from './hysteresis.js';
import type { RoutingStateStore, StateChangeRecord } from './store.js';

export class InMemoryRoutingStateStore
  implements RoutingStateStore, RoutingStateReader, FreshRoutingStateReader
{
  private readonly memories = new Map<string, QueueMemory>();
  /** Every change written, oldest first: the audit trail. */
  readonly audit: StateChangeRecord[] = [];
  /** Writes refused because another writer came first. */
  conflicts = 0;

  /**
   * @param nowMs the world's clock, by which a reader judges a state's age (freshness.ts); without one
   * (the bench's controller loop, which never stops sampling) states do not expire.
   */
  constructor(private readonly nowMs?: () => number) {}

  async read(queueKeys: readonly string[]): Promise<Map<string, QueueMemory>> {
    const found = new Map<string, QueueMemory>();
    for (const key of queueKeys) {
      const memory = this.memories.get(key);
      if (memory !== undefined) found.set(key, memory);
    }
    return found;
  }

  async write(
    queueKey: string,
    expectedVersion: number,
    memory: QueueMemory,
    change?: StateChangeRecord,
  ): Promise<boolean> {
    if ((this.memories.get(queueKey)?.version ?? 0) !== expectedVersion) {
      this.conflicts += 1;
      return false;
    }
    this.memories.set(queueKey, memory);
    if (change !== undefined) this.audit.push(change);
    return true;
  }

  async stateOf(queueKey: string): Promise<RoutingState> {
    return (await this.readState(queueKey)).state;
  }

  /** The state a reader acts on, as the DynamoDB reader judges it. */
  async readState(queueKey: string): Promise<ReadRoutingState> {
    const memory = this.memories.get(queueKey);
    if (this.nowMs === undefined) return { state: memory?.state ?? 'NORMAL' };
    return judgeStoredState(memory, this.nowMs());
  }

  /** The memory as stored, synchronously: for the simulator's own loop and for tests. */
  peek(queueKey: string): QueueMemory | undefined {
    return this.memories.get(queueKey);
  }
}
