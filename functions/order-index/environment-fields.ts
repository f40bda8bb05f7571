/**
 * What the order index writer reads from `process.env`, checked by hand at cold start (the environment's zod
 * schema no longer built at load: see #adapters/environment/fields.ts); environment.ts gives the same fields
 * as the zod schema the CDK app checks at synth. The phone-hash key's secret comes as
 * `PHONE_HASH_KEY_SECRET_ARN`, read by `suppressionKeying()`.
 */
import { type EnvValues, integer, readFields, text, url } from '#adapters/environment/fields.js';

export const orderIndexFields = {
  ORDERS_TABLE_NAME: text(),
  REJECTED_EVENTS_QUEUE_URL: url(),
  /** Days an entry is kept after the order's last change: the SMS retention. */
  ORDER_INDEX_RETENTION_DAYS: integer({ min: 1 }),
  MAX_ORDERS_PER_PHONE: integer({ min: 1, max: 20 }),
  CONTACT_CENTRE_TIME_ZONE: text(),
};

export type OrderIndexEnvironment = EnvValues<typeof orderIndexFields>;

/** The writer's environment at cold start, or an error naming every bad variable. */
export const readOrderIndexEnvironment = (
  env: Readonly<Record<string, unknown>> = process.env,
): OrderIndexEnvironment => readFields(orderIndexFields, env);
