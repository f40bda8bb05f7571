/**
 * The simulator's historical metrics: what Amazon Connect's GetMetricDataV2 answers, per queue, channel and
 * DAY in a time zone the request names, from the simulator's own contact events.
 *
 * What is kept: per (queue, channel) lane, one aggregate per quarter hour (UTC) in which something
 * happened, never a record per contact. A quarter hour because every time zone's offset is a whole number
 * of quarter hours (Nepal +5:45, Chatham +12:45), so the days of any zone a request names are whole
 * quarter hours and are answered exactly; a day would fix one zone. Aggregates older than the retention
 * are dropped as time goes on, so memory stays bounded (at most 96 a day per lane, for about 3 months)
 * however long the local stack runs and however many contacts it sees.
 *
 * When a contact counts, as Connect's contact-record metrics have it: its queue figures (queued, abandoned,
 * answered in time, time to answer, queued time) when it leaves the queue (taken by an agent or abandoned);
 * its handling figures (handled, handle time) when the agent finishes it.
 *
 * The metrics (Amazon Connect Administrator Guide, "Metric definitions"; GetMetricDataV2 in the API Reference):
 * - CONTACTS_QUEUED: contacts that left the queue (answered or abandoned);
 * - CONTACTS_HANDLED: contacts an agent finished;
 * - CONTACTS_ABANDONED: contacts that hung up while in queue (a task never does);
 * - SERVICE_LEVEL (Threshold LT or LTE X seconds): "percentage of contacts removed from the queue between 0
 *   and X seconds after being added to it", a contact being removed when an agent answers it or the customer
 *   abandons it (or asks for a callback, which the simulator has no way to do): (contacts removed from the
 *   queue in X seconds / contacts queued) * 100 (Administrator Guide, "Historical metrics definitions",
 *   Service level X seconds). So a customer who hangs up within X seconds counts as served in time, and one
 *   who hangs up later against it; the live dashboard's service level counts them differently (types.ts);
 * - AVG_QUEUE_ANSWER_TIME: mean time in queue of the answered contacts;
 * - AVG_HANDLE_TIME: mean handling time of the handled contacts (talk, hold and after-contact work);
 * - MAX_QUEUED_TIME: the longest time in queue, answered or abandoned.
 */
import type { Channel } from '#core/ports.js';

export const QUARTER_HOUR_MS = 15 * 60_000;
/**
 * Quarter hours kept per lane: 93 days, more than any 3 calendar months, so a request the retention allows
 * never finds its first days pruned.
 */
export const RETAINED_QUARTER_HOURS = 93 * 96;

/** What happened in one lane in one quarter hour. */
export class QuarterHour {
  queued = 0;
  answered = 0;
  abandoned = 0;
  handled = 0;
  answerWaitMsSum = 0;
  handleMsSum = 0;
  maxQueuedMs = 0;
  /**
   * Contacts that left the queue (answered or abandoned) by whole seconds waited (rounded down), so that a
   * service level can be answered for any whole-second threshold: waited < X s exactly when the whole
   * seconds are < X. At most one entry per distinct second waited, whatever the number of contacts.
   */
  readonly removedBySecond = new Map<number, number>();
  /** Of those, the ones that waited exactly that whole number of seconds (for LTE: waited <= X). */
  readonly removedAtExactSecond = new Map<number, number>();

  constructor(readonly index: number) {}
}

/** Sums of quarter hours: the figures of one row (a day, or a day of one queue and channel). */
export class Totals {
  queued = 0;
  answered = 0;
  abandoned = 0;
  handled = 0;
  answerWaitMsSum = 0;
  handleMsSum = 0;
  maxQueuedMs = 0;
  private readonly quarters: QuarterHour[] = [];

  add(quarter: QuarterHour): void {
    this.queued += quarter.queued;
    this.answered += quarter.answered;
    this.abandoned += quarter.abandoned;
    this.handled += quarter.handled;
    this.answerWaitMsSum += quarter.answerWaitMsSum;
    this.handleMsSum += quarter.handleMsSum;
    this.maxQueuedMs = Math.max(this.maxQueuedMs, quarter.maxQueuedMs);
    this.quarters.push(quarter);
  }

  /** Removed from the queue (answered or abandoned) in less than `seconds` (LT), or in at most (LTE). */
  removedWithin(seconds: number, comparison: 'LT' | 'LTE'): number {
    let count = 0;
    for (const quarter of this.quarters) {
      for (const [second, n] of quarter.removedBySecond) if (second < seconds) count += n;
      if (comparison === 'LTE') count += quarter.removedAtExactSecond.get(seconds) ?? 0;
    }
    return count;
  }
}

/** Counts a contact that left the queue after `waitMs` in the quarter's by-second tallies. */
const removed = (quarter: QuarterHour, waitMs: number): void => {
  const second = Math.floor(waitMs / 1000);
  quarter.removedBySecond.set(second, (quarter.removedBySecond.get(second) ?? 0) + 1);
  if (second * 1000 === waitMs) {
    quarter.removedAtExactSecond.set(second, (quarter.removedAtExactSecond.get(second) ?? 0) + 1);
  }
};

/** One lane's quarter hours, oldest first. */
export class LaneHistory {
  /** By quarter-hour index (epoch ms / 15 min), in the order they were made, which is time order. */
  readonly quarters = new Map<number, QuarterHour>();
  /** The quarter hour written last: nearly every event falls in it, so it is found without a lookup. */
  private last: QuarterHour | undefined;

  constructor(
    readonly queueId: string,
    readonly channel: Channel,
  ) {}

  at(timeMs: number): QuarterHour {
    const index = Math.floor(timeMs / QUARTER_HOUR_MS);
    const last = this.last;
    if (last !== undefined && last.index === index) return last;
    let quarter = this.quarters.get(index);
    if (quarter === undefined) {
      quarter = new QuarterHour(index);
      this.quarters.set(index, quarter);
      // Events come in time order, so the oldest quarters are at the front of the map.
      for (const [oldest] of this.quarters) {
        if (oldest > index - RETAINED_QUARTER_HOURS) break;
        this.quarters.delete(oldest);
      }
    }
    this.last = quarter;
    return quarter;
  }

  /** A contact left the queue for an agent after `waitMs`. */
  answered(timeMs: number, waitMs: number): void {
    const quarter = this.at(timeMs);
    quarter.queued++;
    quarter.answered++;
    quarter.answerWaitMsSum += waitMs;
    if (waitMs > quarter.maxQueuedMs) quarter.maxQueuedMs = waitMs;
    removed(quarter, waitMs);
  }

  /** A contact hung up after `waitMs` in queue. */
  abandoned(timeMs: number, waitMs: number): void {
    const quarter = this.at(timeMs);
    quarter.queued++;
    quarter.abandoned++;
    if (waitMs > quarter.maxQueuedMs) quarter.maxQueuedMs = waitMs;
    removed(quarter, waitMs);
  }

  /** An agent finished a contact they handled for `handleMs`. */
  handled(timeMs: number, handleMs: number): void {
    const quarter = this.at(timeMs);
    quarter.handled++;
    quarter.handleMsSum += handleMs;
  }
}
