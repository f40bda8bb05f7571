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
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import {
  eventBridgeEnvelopeSchema,
  formatIssues,
  PEAKLINE_SOURCE,
  parseShopEvent,
  readableErrorMap,
} from '#events/index.js';
import { timestampSchema } from '#events/schemas/time.js';
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
  /** The fact's identity (see `factOf`): the table's key. */
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

export type FactOfResult =
  { readonly ok: true; readonly fact: Fact } | { readonly ok: false; readonly reason: string };

export interface FactContext {
  /** The shop's event source (`shop.source`): only its OrderPlaced counts as an order. */
  readonly shopSource: string;
}

const PARSE_OPTIONS = { reportInput: true, error: readableErrorMap } as const;

const text = z.string().check(z.minLength(1, 'expected a non-empty text'));
const optionalText = z.optional(text);

const detailSchemas = {
  SmsSent: z.looseObject({
    kind: text,
    status: optionalText,
    segments: z.number().check(z.int(), z.gte(1, 'expected at least 1 part')),
    messageId: text,
    sentAt: timestampSchema,
  }),
  SmsSuppressed: z.looseObject({ kind: text, status: optionalText, reason: text }),
  CallbackScheduled: z.looseObject({ cartId: text, scheduledAt: timestampSchema }),
  CallbackCreated: z.looseObject({
    cartId: text,
    createdAt: timestampSchema,
    cartValue: z.object({
      amount: z.number().check(z.gte(0, 'expected an amount of 0 or more')),
      currency: text,
    }),
    lateOrderId: optionalText,
  }),
  CallbackCancelled: z.looseObject({ cartId: text, cancelledAt: timestampSchema, reason: text }),
  OrderPlaced: z.looseObject({
    cartId: text.check(
      z.meta({
        description: 'Only an order of a cart can convert a callback; the rule routes no other here.',
      }),
    ),
    placedAt: timestampSchema,
  }),
} as const;

/** The fields a fact's digest leaves out: personal data, which must not decide (or leak into) a key. */
const PERSONAL_FIELDS = new Set(['to', 'phone', 'customerId', 'customer']);

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key, v]) => v !== undefined && !PERSONAL_FIELDS.has(key))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/**
 * A digest of a detail, whatever the order of its keys, without its personal fields: the identity of a fact
 * that carries no id of its own (an SMS suppressed has no message id and no time).
 */
export const detailDigest = (detail: Readonly<Record<string, unknown>>): string =>
  createHash('sha256').update(canonical(detail), 'utf8').digest('hex').slice(0, 32);

const utc = (timestamp: string): string => new Date(timestamp).toISOString();

/**
 * The fact an event carries, or why it is not one. Never throws: a malformed event is a fact to report (the
 * caller dead-letters it with the reason), not a crash.
 *
 * Identities: an SMS sent is its SNS message id; a callback's end or start is the cart and the instant it
 * happened (a callback is scheduled, made or cancelled once per cart at a time, and announcing it again keeps
 * those); an order is its cart (conversion asks whether the cart was ordered); an SMS suppressed is the digest
 * of its detail. Its time is the detail's own (sentAt, scheduledAt, createdAt, cancelledAt, placedAt), or for
 * an SMS suppressed, which has none, the time its first event was put on the bus.
 */
export const factOf = (event: unknown, context: FactContext): FactOfResult => {
  try {
    const envelope = eventBridgeEnvelopeSchema.safeParse(event, PARSE_OPTIONS);
    if (!envelope.success) return { ok: false, reason: formatIssues(envelope.error.issues).join('\n') };
    const { source, 'detail-type': detailType, id: eventId, time } = envelope.data;
    const isOwn =
      source === PEAKLINE_SOURCE && (RECORDED_FACT_TYPES as readonly string[]).includes(detailType);
    const isOrder = source === context.shopSource && detailType === 'OrderPlaced';
    if (!isOwn && !isOrder) {
      return {
        ok: false,
        reason: `${detailType} from ${source} is not a fact the fact recorder keeps; it keeps ${RECORDED_FACT_TYPES.join(', ')} from ${PEAKLINE_SOURCE} and OrderPlaced with a cart id from ${context.shopSource}`,
      };
    }
    if (isOrder) {
      // The shop's event is held to its whole v1 contract, as every other consumer holds it: an order
      // peakline refused elsewhere (its callback not cancelled, no SMS) must not count as a conversion here.
      const order = parseShopEvent(event);
      if (!order.ok) return { ok: false, reason: order.reason };
    }
    const type = detailType as RecordedFactType | 'OrderPlaced';
    const parsed = detailSchemas[type].safeParse(envelope.data.detail, PARSE_OPTIONS);
    if (!parsed.success) {
      return { ok: false, reason: formatIssues(parsed.error.issues, 'detail').join('\n') };
    }
    return { ok: true, fact: toFact(type, parsed.data, eventId, time, envelope.data.detail) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `(event): could not be read: ${message}` };
  }
};

type Details = { [K in keyof typeof detailSchemas]: z.output<(typeof detailSchemas)[K]> };

const toFact = (
  type: keyof Details,
  detail: Details[keyof Details],
  eventId: string,
  time: string,
  raw: Readonly<Record<string, unknown>>,
): Fact => {
  switch (type) {
    case 'SmsSent': {
      const d = detail as Details['SmsSent'];
      return {
        type,
        id: `SmsSent#${d.messageId}`,
        at: utc(d.sentAt),
        eventId,
        kind: d.kind,
        ...(d.status === undefined ? {} : { status: d.status }),
        parts: d.segments,
      };
    }
    case 'SmsSuppressed': {
      const d = detail as Details['SmsSuppressed'];
      return {
        type,
        id: `SmsSuppressed#${detailDigest(raw)}`,
        at: utc(time),
        eventId,
        kind: d.kind,
        ...(d.status === undefined ? {} : { status: d.status }),
        reason: d.reason,
      };
    }
    case 'CallbackScheduled': {
      const d = detail as Details['CallbackScheduled'];
      const at = utc(d.scheduledAt);
      return { type, id: `CallbackScheduled#${d.cartId}#${at}`, at, eventId, cartId: d.cartId };
    }
    case 'CallbackCreated': {
      const d = detail as Details['CallbackCreated'];
      const at = utc(d.createdAt);
      return {
        type,
        id: `CallbackCreated#${d.cartId}#${at}`,
        at,
        eventId,
        cartId: d.cartId,
        cartValue: d.cartValue.amount,
        currency: d.cartValue.currency,
        lateOrder: d.lateOrderId !== undefined,
      };
    }
    case 'CallbackCancelled': {
      const d = detail as Details['CallbackCancelled'];
      const at = utc(d.cancelledAt);
      return {
        type,
        id: `CallbackCancelled#${d.cartId}#${at}`,
        at,
        eventId,
        cartId: d.cartId,
        reason: d.reason,
      };
    }
    case 'OrderPlaced': {
      const d = detail as Details['OrderPlaced'];
      return { type, id: orderFactId(d.cartId), at: utc(d.placedAt), eventId, cartId: d.cartId };
    }
  }
};

/** The key of a cart's order fact, which conversion looks up by cart. */
export const orderFactId = (cartId: string): string => `OrderPlaced#cart#${cartId}`;

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
