/**
 * What the order-status function reads from `process.env`, checked by hand (no zod in its bundle: see
 * #adapters/environment/fields.ts); environment.ts gives the same fields as the zod schema the CDK app
 * checks at synth.
 */
import { type EnvValues, integer, readFields, text, url } from '#adapters/environment/fields.js';

export const orderStatusFields = {
  /** The order index (H1's `orders` table): phone key -> recent orders. */
  ORDERS_TABLE_NAME: text(),
  /** Orders kept per phone (`orderStatus.maxOrdersPerPhone`): how many one lookup reads at most. */
  ORDER_STATUS_MAX_ORDERS: integer({ min: 1, max: 20 }),
  /**
   * How long the lookup may take, ms: a little under the flow's own limit (`orderStatus.lookupTimeoutSeconds`),
   * so the function answers "not found" itself rather than leave the flow to its error branch.
   */
  ORDER_LOOKUP_BUDGET_MS: integer({ min: 1 }),
  /** The caller-SMS queue (the deflection queue): option 1's request goes there, the sender sends it. */
  CALLER_SMS_QUEUE_URL: url(),
  /** The contact centre's zone, for numbers whose country has several. */
  CONTACT_CENTRE_TIME_ZONE: text(),
};

export type OrderStatusEnvironment = EnvValues<typeof orderStatusFields>;

/** The function's environment at cold start, or an error naming every bad variable. */
export const readOrderStatusEnvironment = (
  env: Readonly<Record<string, unknown>> = process.env,
): OrderStatusEnvironment => readFields(orderStatusFields, env);
