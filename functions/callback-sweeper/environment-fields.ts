/**
 * What the minute sweeper reads from `process.env`, checked by hand at cold start (no zod schema built at
 * load: see #adapters/environment/fields.ts): the callbacks' settings, the Connect instance and task flow,
 * the routing table (is the callback queue overloaded?) and the saved-cart SMS's settings. environment.ts
 * gives the same fields as the zod schema the CDK app checks at synth.
 */
import { type EnvValues, integer, positiveNumber, readFields, text } from '#adapters/environment/fields.js';
import { callbackFields } from '#functions/cart-callbacks/environment-fields.js';
import { smsSenderFields } from '#functions/order-sms/environment-fields.js';

export const callbackSweeperFields = {
  ...callbackFields,
  ROUTING_TABLE_NAME: text(),
  /** The Connect instance's id (the last part of its ARN), which the Connect API takes. */
  CONNECT_INSTANCE_ID: text(),
  /** The task flow StartTaskContact runs: it transfers the task to the queue in `peaklineQueueId`. */
  TASK_CONTACT_FLOW_ID: text(),
  /** Connect API calls per second this function keeps under. */
  CONNECT_CALLS_PER_SECOND: positiveNumber(),
  /** `callbacks.sweepBatch`: at most this many callbacks a run, fewer when the run's time allows fewer. */
  CALLBACK_SWEEP_BATCH: integer({ min: 1 }),
  LEDGER_TABLE_NAME: text(),
  SMS_RETENTION_DAYS: integer({ min: 1 }),
  ...smsSenderFields,
};

export type CallbackSweeperEnvironment = EnvValues<typeof callbackSweeperFields>;

/** The sweeper's environment at cold start, or an error naming every bad variable. */
export const readCallbackSweeperEnvironment = (
  env: Readonly<Record<string, unknown>> = process.env,
): CallbackSweeperEnvironment => readFields(callbackSweeperFields, env);
