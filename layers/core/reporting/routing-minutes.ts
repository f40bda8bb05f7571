/**
 * Minutes each queue spent in OVERFLOW and in DEFLECT per day, from the overflow controller's audit trail
 * (one entry per change of state). A queue's state at the range's start is the `to` of its last change at or
 * before it; with none (never judged, or older than the audit's retention) it was NORMAL.
 */
import type { RoutingState } from '../ports.js';
import type { StateChangeRecord } from '../routing/store.js';
import type { DayRange } from './days.js';
import { dayStart, nextDay } from './days.js';
import type { Day } from './types.js';

/** The routing table's audit trail, read by time: DynamoDB on AWS and locally, memory in tests. */
export interface RoutingAuditSource {
  /** The queue's changes with `from <= at < to`, oldest first. */
  changesBetween(queueKey: string, from: Date, to: Date): Promise<StateChangeRecord[]>;
  /** The queue's last change at or before `at`, if the audit still holds one. */
  lastChangeBefore(queueKey: string, at: Date): Promise<StateChangeRecord | undefined>;
}

export interface DailyRoutingMinutes {
  readonly day: Day;
  readonly queueKey: string;
  readonly overflowMinutes: number;
  readonly deflectMinutes: number;
}

export interface QueueRoutingSummary {
  readonly queueKey: string;
  /** The state the range began in. */
  readonly stateAtStart: RoutingState;
  /** Changes of state within the range. */
  readonly changes: number;
  readonly overflowMinutes: number;
  readonly deflectMinutes: number;
}

const MINUTE_MS = 60_000;
const round1 = (value: number): number => Math.round(value * 10) / 10;

/**
 * Each day's midnight in the range's zone, worked out once per range, not once per queue and day: every
 * one is a luxon zone lookup (~0.1 ms in a cold process), and a month of four queues asked 248 of them, ~20 ms
 * of the monthly report's cold start.
 */
const midnights = new WeakMap<DayRange, Map<Day, number>>();
const midnightOf = (range: DayRange, day: Day): number => {
  let known = midnights.get(range);
  if (known === undefined) {
    known = new Map();
    midnights.set(range, known);
  }
  let at = known.get(day);
  if (at === undefined) {
    at = (dayStart(day, range.timeZone) as Date).getTime();
    known.set(day, at);
  }
  return at;
};

/**
 * One queue's minutes per day. Time after `now` is not counted: the state then is not known yet. Rounded to
 * a tenth of a minute per day, once, after summing.
 */
export const routingMinutesOf = (
  queueKey: string,
  stateAtStart: RoutingState,
  changes: readonly StateChangeRecord[],
  range: DayRange,
  now: Date,
): DailyRoutingMinutes[] => {
  const limit = Math.min(range.end.getTime(), now.getTime());
  // Stretches of constant state: [at, until) in `state`.
  const sorted = [...changes].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const stretches: { state: RoutingState; at: number; until: number }[] = [];
  let state = stateAtStart;
  let at = range.start.getTime();
  for (const change of sorted) {
    const changeAt = Math.max(Date.parse(change.at), range.start.getTime());
    if (changeAt > at) stretches.push({ state, at, until: changeAt });
    state = change.to;
    at = Math.max(at, changeAt);
  }
  if (limit > at) stretches.push({ state, at, until: limit });

  return range.days.map((day) => {
    const from = midnightOf(range, day);
    const to = Math.min(midnightOf(range, nextDay(day)), limit);
    let overflow = 0;
    let deflect = 0;
    for (const s of stretches) {
      const overlap = Math.min(s.until, to) - Math.max(s.at, from);
      if (overlap <= 0) continue;
      if (s.state === 'OVERFLOW') overflow += overlap;
      if (s.state === 'DEFLECT') deflect += overlap;
    }
    return {
      day,
      queueKey,
      overflowMinutes: round1(overflow / MINUTE_MS),
      deflectMinutes: round1(deflect / MINUTE_MS),
    };
  });
};

/** Every queue's minutes per day and its summary, read from the audit. */
export const routingMinutes = async (
  audit: RoutingAuditSource,
  queueKeys: readonly string[],
  range: DayRange,
  now: Date,
): Promise<{ daily: DailyRoutingMinutes[]; queues: QueueRoutingSummary[] }> => {
  const daily: DailyRoutingMinutes[] = [];
  const queues: QueueRoutingSummary[] = [];
  for (const queueKey of queueKeys) {
    const [before, changes] = await Promise.all([
      audit.lastChangeBefore(queueKey, range.start),
      audit.changesBetween(queueKey, range.start, range.end),
    ]);
    // A change exactly at the start is both "before" and in the range; the range's copy decides.
    const stateAtStart = before?.to ?? 'NORMAL';
    const days = routingMinutesOf(queueKey, stateAtStart, changes, range, now);
    daily.push(...days);
    queues.push({
      queueKey,
      stateAtStart,
      changes: changes.length,
      overflowMinutes: round1(days.reduce((sum, d) => sum + d.overflowMinutes, 0)),
      deflectMinutes: round1(days.reduce((sum, d) => sum + d.deflectMinutes, 0)),
    });
  }
  return { daily, queues };
};
