import { zodSchemaOf } from '#adapters/environment/zod-schema.js';
import { orderStatusFields } from './environment-fields.js';

export type { OrderStatusEnvironment } from './environment-fields.js';

/**
 * What the order-status function reads from `process.env`, as the zod schema PeaklineFunction checks at
 * synth (and the local stack parses with); the handler checks the very same fields by hand at cold start
 * (environment-fields.ts), without zod's load.
 */
export const orderStatusEnvironment = zodSchemaOf(orderStatusFields);

/** The margin the function keeps under the flow's timeout, for its answer to reach Connect. */
export const LOOKUP_MARGIN_MS = 500;

export interface OrderStatusResources {
  readonly ordersTable: string;
  readonly callerSmsQueueUrl: string;
}

/** The function's environment from the stage's settings: the CDK app and the local stack both use it. */
export const orderStatusEnvironmentFrom = (
  config: {
    readonly orderStatus: { readonly lookupTimeoutSeconds: number; readonly maxOrdersPerPhone: number };
    readonly connect: { readonly timeZone: string };
  },
  resources: OrderStatusResources,
): Record<string, string> => ({
  ORDERS_TABLE_NAME: resources.ordersTable,
  ORDER_STATUS_MAX_ORDERS: String(config.orderStatus.maxOrdersPerPhone),
  ORDER_LOOKUP_BUDGET_MS: String(
    Math.max(LOOKUP_MARGIN_MS, config.orderStatus.lookupTimeoutSeconds * 1000 - LOOKUP_MARGIN_MS),
  ),
  CALLER_SMS_QUEUE_URL: resources.callerSmsQueueUrl,
  CONTACT_CENTRE_TIME_ZONE: config.connect.timeZone,
});
