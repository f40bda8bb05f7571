import * as z from 'zod';

/** What the order-status function reads from `process.env`; checked at synth by PeaklineFunction, and at cold start. */
export const orderStatusEnvironment = z.object({
  /** The order index (H1's `orders` table): phone key -> recent orders. */
  ORDERS_TABLE_NAME: z.string().min(1),
  /** Orders kept per phone (`orderStatus.maxOrdersPerPhone`): how many one lookup reads at most. */
  ORDER_STATUS_MAX_ORDERS: z.coerce.number().int().min(1).max(20),
  /**
   * How long the lookup may take, ms: a little under the flow's own limit (`orderStatus.lookupTimeoutSeconds`),
   * so the function answers "not found" itself rather than leave the flow to its error branch.
   */
  ORDER_LOOKUP_BUDGET_MS: z.coerce.number().int().positive(),
  /** The caller-SMS queue (the deflection queue): option 1's request goes there, the sender sends it. */
  CALLER_SMS_QUEUE_URL: z.url(),
  /** The contact centre's zone, for numbers whose country has several. */
  CONTACT_CENTRE_TIME_ZONE: z.string().min(1),
});

export type OrderStatusEnvironment = z.output<typeof orderStatusEnvironment>;

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
