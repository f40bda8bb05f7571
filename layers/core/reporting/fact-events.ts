/**
 * A fact from the event that carried it (the fact recorder's side of facts.ts): the bus's envelope and each
 * detail checked against its schema, the fact's identity and time taken from the detail. Apart from facts.ts
 * so that what reads facts (the KPI report, the monthly report's function) does not load the event schemas,
 * which are built when their module loads: ~57 M instructions, 12-14 ms of the monthly report's cold start.
 */
import { createHash } from 'node:crypto';
import {
  eventBridgeEnvelopeSchema,
  formatIssues,
  PEAKLINE_SOURCE,
  parseShopEvent,
  readableErrorMap,
} from '#events/index.js';
import { timestampSchema } from '#events/schemas/time.js';
import * as z from '#events/schemas/zod.js';
import { type Fact, orderFactId, RECORDED_FACT_TYPES, type RecordedFactType } from './facts.js';

const text = z.string().check(z.minLength(1, 'expected a non-empty text'));
const optionalText = z.optional(text);

export type FactOfResult =
  { readonly ok: true; readonly fact: Fact } | { readonly ok: false; readonly reason: string };

export interface FactContext {
  /** The shop's event source (`shop.source`): only its OrderPlaced counts as an order. */
  readonly shopSource: string;
}

const PARSE_OPTIONS = { reportInput: true, error: readableErrorMap } as const;

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
