import * as z from 'zod';
import { zodSchemaOf } from '#adapters/environment/zod-schema.js';
import { orderSmsEnvironment } from '#functions/order-sms/environment.js';
import { deflectionAcceptFields } from './accept-environment.js';

/**
 * The caller-SMS sender (the deflection queue's, which also sends the tracking link of issue 15) reads the
 * order-SMS settings (ledger, suppression list, sender, caps: one SMS path), the page and bonus code the
 * deflection SMS sends, and the order index the tracking link is read from. Each kind's part is optional:
 * the queue and its sender exist when deflection OR order status is on, and a request of a kind that is
 * not configured is suppressed ('not-configured'), counted, and never retried.
 */
export const deflectionSmsEnvironment = orderSmsEnvironment.extend({
  DEFLECTION_REQUEST_URL: z.url().optional(),
  DEFLECTION_BONUS_CODE: z.string().optional(),
  /** The order index (`orders` table), for the tracking-link SMS. */
  ORDERS_TABLE_NAME: z.string().min(1).optional(),
  /** Orders kept per phone (`orderStatus.maxOrdersPerPhone`). */
  ORDER_STATUS_MAX_ORDERS: z.coerce.number().int().min(1).max(20).optional(),
});

export type DeflectionSmsEnvironment = z.output<typeof deflectionSmsEnvironment>;

/**
 * The synchronous function Connect invokes reads only where to queue the request and the zone for numbers
 * it cannot place; the sender (`deflection-sms-sender`) reads `deflectionSmsEnvironment`.
 */
export const deflectionAcceptEnvironment = zodSchemaOf(deflectionAcceptFields);

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

/**
 * The extra variables of the deflection kind, from the stage's `overflow` settings; none without
 * `overflow.requestUrl` (the sender then suppresses a deflection request as 'not-configured').
 */
export const deflectionEnvironmentFrom = (overflow: {
  readonly requestUrl?: string;
  readonly bonusCode?: string;
}): Record<string, string> =>
  overflow.requestUrl === undefined
    ? {}
    : {
        DEFLECTION_REQUEST_URL: overflow.requestUrl,
        ...(overflow.bonusCode === undefined ? {} : { DEFLECTION_BONUS_CODE: overflow.bonusCode }),
      };

/** The extra variables of the tracking-link kind (issue 15); none when order status is off. */
export const trackingEnvironmentFrom = (
  orderStatus: { readonly enabled: boolean; readonly maxOrdersPerPhone: number },
  resources: { readonly ordersTable: string },
): Record<string, string> =>
  orderStatus.enabled
    ? {
        ORDERS_TABLE_NAME: resources.ordersTable,
        ORDER_STATUS_MAX_ORDERS: String(orderStatus.maxOrdersPerPhone),
      }
    : {};
