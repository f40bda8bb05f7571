import { zodSchemaOf } from '#adapters/environment/zod-schema.js';
import { orderSmsFields } from './environment-fields.js';

export type { OrderSmsEnvironment } from './environment-fields.js';

/**
 * What the order-SMS functions read from `process.env`, as the zod schema PeaklineFunction checks at synth;
 * the handlers check the very same fields by hand at cold start (environment-fields.ts).
 */
export const orderSmsEnvironment = zodSchemaOf(orderSmsFields);

/**
 * The account's SMS rate is shared by the senders that can run at once: up to two order-SMS
 * invocations (the buffer's maximum concurrency), the release sweeper, the deflection SMS and the callback
 * sweeper's saved-cart SMS. Each paces itself to its
 * share, so together they never exceed the rate.
 */
export const ORDER_SMS_CONCURRENCY = 2;
/**
 * The deflection SMS (a caller pressed 3 in the inbound flow): one share, split between the invocations
 * of its queue's sender (infra/constructs/deflection-sms.ts); the function Connect invokes only queues.
 */
export const DEFLECTION_SMS_CONCURRENCY = 1;
/** The callback sweeper sends saved-cart SMS when `callbacks.peakBehaviour` is 'sms'; counted always. */
export const CALLBACK_SWEEPER_CONCURRENCY = 1;
export const SMS_SENDERS =
  ORDER_SMS_CONCURRENCY + 1 + DEFLECTION_SMS_CONCURRENCY + CALLBACK_SWEEPER_CONCURRENCY;

export interface OrderSmsResources {
  readonly ledgerTable: string;
  readonly suppressionTable: string;
  readonly routingTable: string;
  readonly rejectedEventsQueueUrl: string;
  readonly busName: string;
  readonly primaryQueueId: string;
}

/** The functions' environment from the stage's settings: the CDK app and the local stack both use it. */
export const orderSmsEnvironmentFrom = (
  config: {
    readonly sms: {
      readonly senderId: string;
      readonly shopName: string;
      readonly maxPartsPerSecond: number;
      readonly segmentCap: number;
      readonly dailySegmentCap: number;
      readonly quietHours: { readonly start: string; readonly end: string };
      readonly replyWithinHours: { readonly OVERFLOW: number; readonly DEFLECT: number };
      readonly overloaded: string;
      readonly retentionDays: number;
      readonly maxAttempts: number;
      readonly maxDelayUpdates: number;
    };
    readonly connect: { readonly timeZone: string };
  },
  resources: OrderSmsResources,
): Record<string, string> => ({
  LEDGER_TABLE_NAME: resources.ledgerTable,
  SUPPRESSION_TABLE_NAME: resources.suppressionTable,
  ROUTING_TABLE_NAME: resources.routingTable,
  REJECTED_EVENTS_QUEUE_URL: resources.rejectedEventsQueueUrl,
  EVENT_BUS_NAME: resources.busName,
  SMS_SENDER_ID: config.sms.senderId,
  SMS_SHOP_NAME: config.sms.shopName,
  SMS_PARTS_PER_SECOND: String(config.sms.maxPartsPerSecond / SMS_SENDERS),
  SMS_SEGMENT_CAP: String(config.sms.segmentCap),
  SMS_DAILY_SEGMENT_CAP: String(config.sms.dailySegmentCap),
  SMS_QUIET_START: config.sms.quietHours.start,
  SMS_QUIET_END: config.sms.quietHours.end,
  SMS_REPLY_HOURS_OVERFLOW: String(config.sms.replyWithinHours.OVERFLOW),
  SMS_REPLY_HOURS_DEFLECT: String(config.sms.replyWithinHours.DEFLECT),
  SMS_OVERLOADED: config.sms.overloaded,
  SMS_RETENTION_DAYS: String(config.sms.retentionDays),
  SMS_MAX_ATTEMPTS: String(config.sms.maxAttempts),
  SMS_MAX_DELAY_UPDATES: String(config.sms.maxDelayUpdates),
  CONTACT_CENTRE_TIME_ZONE: config.connect.timeZone,
  PRIMARY_QUEUE_ID: resources.primaryQueueId,
});
