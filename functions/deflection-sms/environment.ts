import * as z from 'zod';
import { orderSmsEnvironment } from '#functions/order-sms/environment.js';

/**
 * The deflection SMS reads the order-SMS settings (ledger, suppression list, sender, caps: one SMS path)
 * and the page and bonus code it sends.
 */
export const deflectionSmsEnvironment = orderSmsEnvironment.extend({
  DEFLECTION_REQUEST_URL: z.url(),
  DEFLECTION_BONUS_CODE: z.string().optional(),
});

export type DeflectionSmsEnvironment = z.output<typeof deflectionSmsEnvironment>;

/**
 * The synchronous function Connect invokes reads only where to queue the request and the zone for numbers
 * it cannot place; the sender (`deflection-sms-sender`) reads `deflectionSmsEnvironment`.
 */
export const deflectionAcceptEnvironment = z.object({
  DEFLECTION_QUEUE_URL: z.url(),
  CONTACT_CENTRE_TIME_ZONE: z.string().min(1),
});

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

/** The extra variables, from the stage's `overflow` settings. */
export const deflectionEnvironmentFrom = (overflow: {
  readonly requestUrl?: string;
  readonly bonusCode?: string;
}): Record<string, string> => {
  if (overflow.requestUrl === undefined) {
    throw new Error('The deflection SMS needs overflow.requestUrl, the page it links to.');
  }
  return {
    DEFLECTION_REQUEST_URL: overflow.requestUrl,
    ...(overflow.bonusCode === undefined ? {} : { DEFLECTION_BONUS_CODE: overflow.bonusCode }),
  };
};
