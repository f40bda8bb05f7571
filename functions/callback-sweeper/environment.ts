import * as z from 'zod';
import { connectCallsPerSecondFor } from '#adapters/connect/api-rate-split.js';
import { SMS_SENDERS } from '#functions/order-sms/environment.js';
import {
  type CallbackResources,
  callbackEnvironment,
  callbackEnvironmentFrom,
} from '#functions/cart-callbacks/environment.js';
import type { PeaklineConfig } from '#infra/config/schema.js';

/**
 * What the minute sweeper reads from `process.env`: the callbacks' settings, the Connect instance and task
 * flow, the routing table (is the callback queue overloaded?) and the saved-cart SMS's settings.
 */
export const callbackSweeperEnvironment = callbackEnvironment.extend({
  ROUTING_TABLE_NAME: z.string().min(1),
  /** The Connect instance's id (the last part of its ARN), which the Connect API takes. */
  CONNECT_INSTANCE_ID: z.string().min(1),
  /** The task flow StartTaskContact runs: it transfers the task to the queue in `peaklineQueueId`. */
  TASK_CONTACT_FLOW_ID: z.string().min(1),
  /** Connect API calls per second this function keeps under. */
  CONNECT_CALLS_PER_SECOND: z.coerce.number().positive(),
  /** `callbacks.sweepBatch`: at most this many callbacks a run, fewer when the run's time allows fewer. */
  CALLBACK_SWEEP_BATCH: z.coerce.number().int().positive(),
  LEDGER_TABLE_NAME: z.string().min(1),
  SMS_RETENTION_DAYS: z.coerce.number().int().positive(),
  SMS_SENDER_ID: z.string().min(1).max(11),
  SMS_SHOP_NAME: z.string().min(1),
  SMS_PARTS_PER_SECOND: z.coerce.number().positive(),
  SMS_SEGMENT_CAP: z.coerce.number().int().positive(),
  SMS_DAILY_SEGMENT_CAP: z.coerce.number().int().positive(),
  SMS_QUIET_START: z.string().regex(/^\d\d:\d\d$/),
  SMS_QUIET_END: z.string().regex(/^\d\d:\d\d$/),
});

export type CallbackSweeperEnvironment = z.output<typeof callbackSweeperEnvironment>;

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
