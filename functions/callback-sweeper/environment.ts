import { zodSchemaOf } from '#adapters/environment/zod-schema.js';
import { connectCallsPerSecondFor } from '#adapters/connect/api-rate-split.js';
import { SMS_SENDERS } from '#functions/order-sms/environment.js';
import { type CallbackResources, callbackEnvironmentFrom } from '#functions/cart-callbacks/environment.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { callbackSweeperFields } from './environment-fields.js';

export type { CallbackSweeperEnvironment } from './environment-fields.js';

/**
 * What the minute sweeper reads from `process.env`, as the zod schema PeaklineFunction checks at synth; the
 * handler checks the very same fields by hand at cold start (environment-fields.ts).
 */
export const callbackSweeperEnvironment = zodSchemaOf(callbackSweeperFields);

export interface CallbackSweeperResources extends CallbackResources {
  readonly routingTable: string;
  readonly ledgerTable: string;
  readonly connectInstanceId: string;
  readonly taskContactFlowId: string;
}

/** The sweeper's share of the account's SMS rate when it sends saved-cart SMS: one of SMS_SENDERS. */
export const CALLBACK_SWEEPER_SMS_SHARE = 1 / SMS_SENDERS;

/** The sweeper's environment from the stage's settings: the CDK app and the local stack both use it. */
export const callbackSweeperEnvironmentFrom = (
  config: Pick<PeaklineConfig, 'callbacks' | 'connect' | 'sms'>,
  resources: CallbackSweeperResources,
): Record<string, string> => ({
  ...callbackEnvironmentFrom(config, resources),
  ROUTING_TABLE_NAME: resources.routingTable,
  CONNECT_INSTANCE_ID: resources.connectInstanceId,
  TASK_CONTACT_FLOW_ID: resources.taskContactFlowId,
  CONNECT_CALLS_PER_SECOND: String(
    connectCallsPerSecondFor('callback-sweeper', config.connect.apiCallsPerSecond),
  ),
  CALLBACK_SWEEP_BATCH: String(config.callbacks.sweepBatch),
  LEDGER_TABLE_NAME: resources.ledgerTable,
  SMS_RETENTION_DAYS: String(config.sms.retentionDays),
  SMS_SENDER_ID: config.sms.senderId,
  SMS_SHOP_NAME: config.sms.shopName,
  SMS_PARTS_PER_SECOND: String(config.sms.maxPartsPerSecond * CALLBACK_SWEEPER_SMS_SHARE),
  SMS_SEGMENT_CAP: String(config.sms.segmentCap),
  SMS_DAILY_SEGMENT_CAP: String(config.sms.dailySegmentCap),
  SMS_QUIET_START: config.sms.quietHours.start,
  SMS_QUIET_END: config.sms.quietHours.end,
});
