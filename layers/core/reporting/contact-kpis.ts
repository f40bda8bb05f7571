/**
 * Contact KPIs over any group of Connect's daily figures (a queue over a month, a channel on a day, the
 * whole centre), weighted the way the figures were made: counts add up; an average is weighted by the
 * contacts it averages (a month's ASA is the handled-weighted mean of its days, never the mean of daily
 * means); the service level is weighted by the contacts queued, as Connect computes it; the longest wait is the
 * longest of the days'.
 */
import type { Channel } from '../ports.js';
import type { DailyQueueFigures } from './types.js';

export interface ContactKpis {
  /** CONTACTS_QUEUED summed. */
  readonly queued: number;
  readonly handled: number;
  readonly abandoned: number;
  /** abandoned / queued; null when nothing was queued. */
  readonly abandonmentRate: number | null;
  /**
   * Contacts removed from the queue (answered, abandoned) within the threshold over the contacts queued
   * (Connect's SERVICE_LEVEL), weighted over days by the contacts queued; null without any.
   */
  readonly serviceLevel: number | null;
  /** Average speed of answer: AVG_QUEUE_ANSWER_TIME weighted by contacts handled. */
  readonly asaSeconds: number | null;
  /** Average handle time: AVG_HANDLE_TIME weighted by contacts handled. */
  readonly ahtSeconds: number | null;
  /** MAX_QUEUED_TIME: the longest of the group's. */
  readonly maxQueuedSeconds: number | null;
}

/** A weighted mean over the figures that have a value and a weight; null when none has both. */
const weightedMean = (pairs: readonly (readonly [number | null, number])[]): number | null => {
  let sum = 0;
  let weight = 0;
  for (const [value, w] of pairs) {
    if (value === null || !(w > 0)) continue;
    sum += value * w;
    weight += w;
  }
  return weight > 0 ? sum / weight : null;
};

export const contactKpis = (rows: readonly DailyQueueFigures[]): ContactKpis => {
  const queued = rows.reduce((n, r) => n + r.contactsQueued, 0);
  const handled = rows.reduce((n, r) => n + r.contactsHandled, 0);
  const abandoned = rows.reduce((n, r) => n + r.contactsAbandoned, 0);
  const maxima = rows.map((r) => r.maxQueuedTimeSeconds).filter((v): v is number => v !== null);
  return {
    queued,
    handled,
    abandoned,
    abandonmentRate: queued > 0 ? abandoned / queued : null,
    // Connect's SERVICE_LEVEL is (removed from the queue within X s) / (contacts queued): weighting each day's
    // level by its contacts queued gives exactly the level of the days together.
    serviceLevel: weightedMean(rows.map((r) => [r.serviceLevel, r.contactsQueued])),
    asaSeconds: weightedMean(rows.map((r) => [r.avgQueueAnswerTimeSeconds, r.contactsHandled])),
    ahtSeconds: weightedMean(rows.map((r) => [r.avgHandleTimeSeconds, r.contactsHandled])),
    maxQueuedSeconds: maxima.length > 0 ? Math.max(...maxima) : null,
  };
};

/** The figures grouped by `key`, each group's KPIs, in the order the keys first appear after sorting. */
export const groupKpis = <K extends string>(
  rows: readonly DailyQueueFigures[],
  key: (row: DailyQueueFigures) => K,
): Map<K, ContactKpis> => {
  const groups = new Map<K, DailyQueueFigures[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list === undefined) groups.set(k, [row]);
    else list.push(row);
  }
  return new Map([...groups.entries()].map(([k, list]) => [k, contactKpis(list)]));
};

/** The channels in the order the report shows them. */
export const CHANNEL_ORDER: readonly Channel[] = ['VOICE', 'CHAT', 'TASK'];
