/**
 * What the order-SMS functions (order-sms, sms-release) read from `process.env`, checked by hand at cold
 * start: sms-release then loads no zod at all (its event schemas went before; the zod environment schema
 * was the last user), order-sms no longer builds the 20-field schema at load (see
 * #adapters/environment/fields.ts). environment.ts gives the same fields as the zod schema the CDK app
 * checks at synth. Measured A/B in bench/levers.ts ("environment checked without zod").
 */
import {
  clock,
  type EnvValues,
  integer,
  oneOf,
  positiveNumber,
  readFields,
  shortText,
  text,
  url,
} from '#adapters/environment/fields.js';

/**
 * What every function that sends an SMS reads: the sender, the shop's name, its share of the account's SMS rate,
 * the caps and the quiet hours (order-sms and sms-release, the callback sweeper's saved-cart SMS).
 */
export const smsSenderFields = {
  SMS_SENDER_ID: shortText(11),
  SMS_SHOP_NAME: text(),
  /** This function's share of the account's SMS rate. */
  SMS_PARTS_PER_SECOND: positiveNumber(),
  SMS_SEGMENT_CAP: integer({ min: 1 }),
  SMS_DAILY_SEGMENT_CAP: integer({ min: 1 }),
  SMS_QUIET_START: clock(),
  SMS_QUIET_END: clock(),
};

export const orderSmsFields = {
  LEDGER_TABLE_NAME: text(),
  SUPPRESSION_TABLE_NAME: text(),
  ROUTING_TABLE_NAME: text(),
  REJECTED_EVENTS_QUEUE_URL: url(),
  EVENT_BUS_NAME: text(),
  ...smsSenderFields,
  SMS_REPLY_HOURS_OVERFLOW: integer({ min: 1 }),
  SMS_REPLY_HOURS_DEFLECT: integer({ min: 1 }),
  SMS_OVERLOADED: oneOf(['auto', 'OVERFLOW', 'DEFLECT']),
  SMS_RETENTION_DAYS: integer({ min: 1 }),
  SMS_MAX_ATTEMPTS: integer({ min: 1 }),
  SMS_MAX_DELAY_UPDATES: integer({ min: 0 }),
  CONTACT_CENTRE_TIME_ZONE: text(),
  PRIMARY_QUEUE_ID: text(),
};

export type OrderSmsEnvironment = EnvValues<typeof orderSmsFields>;

/** The functions' environment at cold start, or an error naming every bad variable. */
export const readOrderSmsEnvironment = (
  env: Readonly<Record<string, unknown>> = process.env,
): OrderSmsEnvironment => readFields(orderSmsFields, env);
