/**
 * What the caller-SMS sender (the deflection queue's, which also sends the tracking link of issue 15)
 * reads from `process.env`, checked by hand at cold start: the order-SMS settings (ledger, suppression
 * list, sender, caps: one SMS path), the page and bonus code the deflection SMS sends, and the order index
 * the tracking link is read from. Each kind's part is optional: the queue and its sender exist when
 * deflection OR order status is on, and a request of a kind that is not configured is suppressed
 * ('not-configured'), counted, and never retried. functions/deflection-sms/environment.ts gives the same
 * fields as the zod schema the CDK app checks at synth (see #adapters/environment/fields.ts for why by hand).
 */
import {
  type EnvField,
  EnvFieldError,
  type EnvValues,
  integer,
  optional,
  readFields,
  text,
  url,
} from '#adapters/environment/fields.js';
import { orderSmsFields } from '#functions/order-sms/environment-fields.js';

/** Any text, the empty one included. */
const anyText = (): EnvField<string> => ({
  parse: (raw) => {
    if (typeof raw !== 'string') throw new EnvFieldError(`expected text, got ${typeof raw}`);
    return raw;
  },
});

export const deflectionSenderFields = {
  ...orderSmsFields,
  DEFLECTION_REQUEST_URL: optional(url()),
  DEFLECTION_BONUS_CODE: optional(anyText()),
  /** The order index (`orders` table), for the tracking-link SMS. */
  ORDERS_TABLE_NAME: optional(text()),
  /** Orders kept per phone (`orderStatus.maxOrdersPerPhone`). */
  ORDER_STATUS_MAX_ORDERS: optional(integer({ min: 1, max: 20 })),
};

export type DeflectionSmsEnvironment = EnvValues<typeof deflectionSenderFields>;

/** The sender's environment at cold start, or an error naming every bad variable. */
export const readDeflectionSenderEnvironment = (
  env: Readonly<Record<string, unknown>> = process.env,
): DeflectionSmsEnvironment => readFields(deflectionSenderFields, env);

/**
 * The deflection sender's invocations at most (the queue's event source: SQS's minimum maximum concurrency
 * is 2). Together they are ONE of the senders the SMS rate is shared by (`DEFLECTION_SMS_CONCURRENCY` in
 * SMS_SENDERS), so each paces itself at half of that share: a burst is queued and drained at the share,
 * never more.
 */
export const DEFLECTION_SENDER_INVOCATIONS = 2;

/** One sender invocation's pace: its part of the deflection's share of the SMS rate. */
export const deflectionSenderPartsPerSecond = (orderSmsPartsPerSecond: number): number =>
  orderSmsPartsPerSecond / DEFLECTION_SENDER_INVOCATIONS;
