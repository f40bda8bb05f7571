/**
 * The ports the overflow controller keeps its memory in and tells ops through: DynamoDB and SNS on AWS,
 * DynamoDB Local and the outbox locally, memory in `peakline simulate`.
 */
import type { Channel, RoutingState } from '../ports.js';
import type { QueueMemory, Thresholds } from './hysteresis.js';

/** The audit trail's entry for one change of a queue's state. */
export interface StateChangeRecord {
  /** The queue as peakline knows it (`primary`, `callback`): the routing table's key. */
  readonly queueKey: string;
  /** The queue's id in the contact centre (Connect's queue id on AWS). */
  readonly queueId: string;
  readonly from: RoutingState;
  readonly to: RoutingState;
  /** The sample's time, ISO-8601. */
  readonly at: string;
  /** The oldest contact's age on the channel judged, seconds. */
  readonly oldestContactAgeSeconds: number;
  readonly contactsInQueue: number;
  /** The expected wait of a new contact the state followed, seconds; absent: judged on the oldest contact. */
  readonly expectedWaitSeconds?: number;
  /** The channel judged; absent: all channels together. */
  readonly channel?: Channel;
  /** False for a queue whose state routes nobody (the callback queue); absent: it routes callers. */
  readonly routesCallers?: boolean;
  /** The share of callers the router sends to the second line from this sample on. */
  readonly secondLineShare?: number;
  /** The thresholds the change was judged by: what ops need to tell a bad setting from a bad day. */
  readonly thresholds: Thresholds;
}

export interface RoutingStateStore {
  /** The stored memory of each queue that has one (a queue never judged is absent), read consistently. */
  read(queueKeys: readonly string[]): Promise<Map<string, QueueMemory>>;
  /**
   * Stores `memory` for the queue if the stored version is still `expectedVersion` (0: nothing stored),
   * with the change's audit entry in the same write, both or neither. False when another run wrote in
   * between; nothing is written then.
   */
  write(
    queueKey: string,
    expectedVersion: number,
    memory: QueueMemory,
    change?: StateChangeRecord,
  ): Promise<boolean>;
}

/** A message for the people on call (the ops topic on AWS). */
export interface OpsNotifier {
  notify(subject: string, message: string): Promise<void>;
}
