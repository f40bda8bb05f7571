import { zodSchemaOf } from '#adapters/environment/zod-schema.js';
import { deflectionSenderFields } from '#functions/deflection-sms-sender/environment-fields.js';
import { deflectionAcceptFields } from './accept-environment.js';

export type { DeflectionSmsEnvironment } from '#functions/deflection-sms-sender/environment-fields.js';
export {
  DEFLECTION_SENDER_INVOCATIONS,
  deflectionSenderPartsPerSecond,
} from '#functions/deflection-sms-sender/environment-fields.js';

/**
 * What the caller-SMS sender reads, as the zod schema PeaklineFunction checks at synth (and the local stack
 * parses); the sender checks the very same fields by hand at cold start
 * (functions/deflection-sms-sender/environment-fields.ts, which says what each part is for).
 */
export const deflectionSmsEnvironment = zodSchemaOf(deflectionSenderFields);

/**
 * The synchronous function Connect invokes reads only where to queue the request and the zone for numbers
 * it cannot place; the sender (`deflection-sms-sender`) reads `deflectionSmsEnvironment`.
 */
export const deflectionAcceptEnvironment = zodSchemaOf(deflectionAcceptFields);

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
