/**
 * What the payment-issues consumer reads from `process.env`, checked by hand at cold start (the
 * environment's zod schema no longer built at load: see #adapters/environment/fields.ts); environment.ts
 * gives the same fields as the zod schema the CDK app checks at synth.
 */
import { type EnvValues, positiveNumber, readFields, text, url } from '#adapters/environment/fields.js';

export const paymentIssuesFields = {
  REJECTED_EVENTS_QUEUE_URL: url(),
  /** The Connect instance's id (the last part of its ARN), which the Connect API takes. */
  CONNECT_INSTANCE_ID: text(),
  /** The task flow StartTaskContact runs: it transfers the task to the queue in `peaklineQueueId`. */
  TASK_CONTACT_FLOW_ID: text(),
  /** Connect API calls per second one invocation keeps under: its share of connect.apiCallsPerSecond. */
  CONNECT_CALLS_PER_SECOND: positiveNumber(),
  /** The accounting queue's id in Connect (the last part of its ARN); the queue key locally. */
  ACCOUNTING_QUEUE_ID: text(),
  AGENT_LOCALE: text(),
  CONTACT_CENTRE_TIME_ZONE: text(),
};

export type PaymentIssuesEnvironment = EnvValues<typeof paymentIssuesFields>;

/** The consumer's environment at cold start, or an error naming every bad variable. */
export const readPaymentIssuesEnvironment = (
  env: Readonly<Record<string, unknown>> = process.env,
): PaymentIssuesEnvironment => readFields(paymentIssuesFields, env);
