/**
 * peakline's own facts, as the KPI report needs them: what the bus said (SmsSent, SmsSuppressed,
 * CallbackScheduled, CallbackCreated, CallbackCancelled, and the shop's OrderPlaced with a cart id), reduced
 * to the few fields the report counts, and the report's daily figures made from them.
 *
 * A fact's identity comes from the fact, never from the EventBridge event that carried it: peakline announces
 * a fact again when it cannot tell whether the first announcement went out (DESIGN.md, "Promises under
 * faults"), each time under a new event id, and the queue may deliver any event twice. Recording by identity
 * makes every copy one fact.
 *
 * No phone (not even masked) and no customer id is kept: the report counts, it never looks a customer up.
 *
 * Conversion (an order for the cart after its callback task was made) is joined when the figures are read,
 * not when a fact is written: the OrderPlaced and the CallbackCreated travel different paths and arrive in
 * either order, and an order may come days later.
 *
 * Reading an event into a fact (`factOf`) is in fact-events.ts, the recorder's side: what only reads facts
 * (the KPI report, the monthly report's function) then never loads the event schemas.
 */
import { DateTime } from 'luxon';
import * as z from '#events/schemas/zod.js';
import { nextDay } from './days.js';
import type { DailyCallbackFigures, DailySmsFigures, Day } from './types.js';

/**
 * How long a fact is kept, in days: a year back and a month more, so the report can set a month beside the
 * same month of the year before. After that DynamoDB's TTL deletes it.
 */
export const FACTS_RETENTION_DAYS = 400;

/** The facts peakline publishes (source `peakline`) that the recorder keeps. */
export const RECORDED_FACT_TYPES = [
  'SmsSent',
  'SmsSuppressed',
  'CallbackScheduled',
  'CallbackCreated',
  'CallbackCancelled',
] as const;
export type RecordedFactType = (typeof RECORDED_FACT_TYPES)[number];

interface FactBase {
  /** The fact's identity (see `factOf` in fact-events.ts): the table's key. */
  readonly id: string;
  /** When it happened, ISO-8601 in UTC with milliseconds (sortable as text). */
  readonly at: string;
  /** The EventBridge id of the first event that carried it, to trace it back. */
  readonly eventId: string;
}

export type Fact =
  | (FactBase & {
      readonly type: 'SmsSent';
      readonly kind: string;
      readonly status?: string;
      /** Parts (segments) billed. */
      readonly parts: number;
    })
  | (FactBase & {
      readonly type: 'SmsSuppressed';
      readonly kind: string;
      readonly status?: string;
      readonly reason: string;
    })
  | (FactBase & { readonly type: 'CallbackScheduled'; readonly cartId: string })
  | (FactBase & {
      readonly type: 'CallbackCreated';
      readonly cartId: string;
      /** The cart's value, in `currency`. */
      readonly cartValue: number;
      /** ISO 4217, as the event carried it. */
      readonly currency: string;
      /** The cart was ordered while the task was being made (`lateOrderId`): a conversion, whatever else. */
      readonly lateOrder: boolean;
    })
  | (FactBase & { readonly type: 'CallbackCancelled'; readonly cartId: string; readonly reason: string })
  /** The shop's order of a cart; `at` is when it was placed. */
  | (FactBase & { readonly type: 'OrderPlaced'; readonly cartId: string });

export type FactType = Fact['type'];

/** The report reads facts by family: the SMS figures never read a callback, and the other way round. */
export type FactFamily = 'sms' | 'callback';

/** A fact's family; undefined for OrderPlaced, which is read by cart, never by day. */
export const familyOf = (type: FactType): FactFamily | undefined => {
  if (type === 'SmsSent' || type === 'SmsSuppressed') return 'sms';
  if (type === 'OrderPlaced') return undefined;
  return 'callback';
};

/** Where a recording ended: written, or the same fact was there already. */
export type RecordOutcome = 'recorded' | 'duplicate';

/** The store the recorder writes to. */
export interface FactRecorderStore {
  record(fact: Fact): Promise<RecordOutcome>;
}

/** The key of a cart's order fact, which conversion looks up by cart. */
export const orderFactId = (cartId: string): string => `OrderPlaced#cart#${cartId}`;

const text = z.string().check(z.minLength(1, 'expected a non-empty text'));
const optionalText = z.optional(text);

/** A fact as the store gives it back; the one shape the store and the figures agree on. */
export const storedFactSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('SmsSent'),
    id: text,
    at: text,
    eventId: text,
    kind: text,
    status: optionalText,
    parts: z.number(),
  }),
  z.object({
    type: z.literal('SmsSuppressed'),
    id: text,
    at: text,
    eventId: text,
    kind: text,
    status: optionalText,
    reason: text,
  }),
  z.object({ type: z.literal('CallbackScheduled'), id: text, at: text, eventId: text, cartId: text }),
  z.object({
    type: z.literal('CallbackCreated'),
    id: text,
    at: text,
    eventId: text,
    cartId: text,
    cartValue: z.number(),
    currency: text,
    lateOrder: z.boolean(),
  }),
  z.object({
    type: z.literal('CallbackCancelled'),
    id: text,
    at: text,
    eventId: text,
    cartId: text,
    reason: text,
  }),
  z.object({ type: z.literal('OrderPlaced'), id: text, at: text, eventId: text, cartId: text }),
]);

// --- the figures -------------------------------------------------------------------------------------------

/** A report's range: `from` inclusive, `to` exclusive (midnights in `timeZone`). */
export interface FigureRange {
  readonly from: Date;
  readonly to: Date;
  readonly timeZone: string;
}

const zoned = (instant: Date | string, timeZone: string): DateTime => {
  const dt =
    typeof instant === 'string'
      ? DateTime.fromISO(instant, { zone: timeZone })
      : DateTime.fromJSDate(instant, { zone: timeZone });
  if (!dt.isValid)
    throw new RangeError(`"${timeZone}" is not a time zone (expected an IANA name, e.g. Europe/Warsaw)`);
  return dt;
};

/** The day an instant falls on in `timeZone`. */
export const dayIn = (instant: Date | string, timeZone: string): Day =>
  zoned(instant, timeZone).toISODate() ?? '';

/** The days of a range in its zone, in order: the day `from` falls on up to the day before `to`'s instant. */
export const daysOf = (range: FigureRange): Day[] => {
  const days: Day[] = [];
  const end = range.to.getTime();
  for (
    let day = zoned(range.from, range.timeZone).startOf('day');
    day.toMillis() < end;
    day = day.plus({ days: 1 })
  ) {
    days.push(day.toISODate() ?? '');
  }
  return days;
};

/**
 * The UTC days a range overlaps: the partitions of the by-day index the store reads. Stepped as UTC
 * calendar days (nextDay), not with luxon: the report reads a month's partitions of two families, and each
 * luxon step cost its cold start ~0.1 ms.
 */
export const utcDaysOverlapping = (range: Pick<FigureRange, 'from' | 'to'>): Day[] => {
  const days: Day[] = [];
  if (range.to.getTime() <= range.from.getTime()) return days;
  const last = new Date(range.to.getTime() - 1).toISOString().slice(0, 10);
  for (let day = range.from.toISOString().slice(0, 10); ; day = nextDay(day)) {
    days.push(day);
    if (day >= last) return days;
  }
};

/** The by-day index's partition of a fact family on a UTC day. */
export const dayKey = (family: FactFamily, utcDay: Day): string => `${family}#${utcDay}`;

const inRange = (fact: Fact, range: FigureRange): boolean => {
  const at = Date.parse(fact.at);
  return at >= range.from.getTime() && at < range.to.getTime();
};

const compare = (a: string | undefined, b: string | undefined): number =>
  (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;

/** SMS per day (in the range's zone), kind, order status, outcome and reason: counts and parts. */
export const smsFiguresOf = (facts: readonly Fact[], range: FigureRange): DailySmsFigures[] => {
  const rows = new Map<string, { -readonly [K in keyof DailySmsFigures]: DailySmsFigures[K] }>();
  for (const fact of facts) {
    if ((fact.type !== 'SmsSent' && fact.type !== 'SmsSuppressed') || !inRange(fact, range)) continue;
    const day = dayIn(fact.at, range.timeZone);
    const outcome = fact.type === 'SmsSent' ? 'SENT' : 'SUPPRESSED';
    const reason = fact.type === 'SmsSuppressed' ? fact.reason : undefined;
    const key = JSON.stringify([day, fact.kind, fact.status, outcome, reason]);
    const row = rows.get(key) ?? {
      day,
      kind: fact.kind,
      ...(fact.status === undefined ? {} : { status: fact.status }),
      outcome,
      ...(reason === undefined ? {} : { reason }),
      count: 0,
      parts: 0,
    };
    row.count += 1;
    if (fact.type === 'SmsSent') row.parts += fact.parts;
    rows.set(key, row);
  }
  return [...rows.values()].sort(
    (a, b) =>
      compare(a.day, b.day) ||
      compare(a.kind, b.kind) ||
      compare(a.status, b.status) ||
      compare(a.outcome, b.outcome) ||
      compare(a.reason, b.reason),
  );
};

/**
 * Callbacks per day of the range (every day, zeros included: peakline's own facts are complete, so a day
 * without one is a day with none). A callback made this day is converted when its cart was ordered at or after
 * the task was made (`orderedAt`: the cart's latest order, wherever it falls), or when its CallbackCreated says
 * the order came while the task was being made.
 */
export const callbackFiguresOf = (
  facts: readonly Fact[],
  orderedAt: ReadonlyMap<string, string>,
  range: FigureRange,
): DailyCallbackFigures[] => {
  type Row = { -readonly [K in keyof DailyCallbackFigures]: DailyCallbackFigures[K] } & {
    cancelled: Record<string, number>;
    convertedValues: Record<string, number>;
  };
  const rows = new Map<Day, Row>(
    daysOf(range).map((day) => [
      day,
      { day, scheduled: 0, created: 0, cancelled: {}, converted: 0, convertedValues: {} },
    ]),
  );
  for (const fact of facts) {
    if (!inRange(fact, range)) continue;
    const row = rows.get(dayIn(fact.at, range.timeZone));
    if (row === undefined) continue;
    switch (fact.type) {
      case 'CallbackScheduled':
        row.scheduled += 1;
        break;
      case 'CallbackCancelled':
        row.cancelled[fact.reason] = (row.cancelled[fact.reason] ?? 0) + 1;
        break;
      case 'CallbackCreated': {
        row.created += 1;
        const ordered = orderedAt.get(fact.cartId);
        if (fact.lateOrder || (ordered !== undefined && Date.parse(ordered) >= Date.parse(fact.at))) {
          row.converted += 1;
          const sum = (row.convertedValues[fact.currency] ?? 0) + fact.cartValue;
          row.convertedValues[fact.currency] = Math.round(sum * 100) / 100;
        }
        break;
      }
      default:
        break;
    }
  }
  return [...rows.values()];
};
