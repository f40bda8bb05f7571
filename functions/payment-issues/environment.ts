import * as z from 'zod';
import { connectCallsPerSecondFor } from '#adapters/connect/api-rate-split.js';
import type { PeaklineConfig } from '#infra/config/schema.js';

/** What the payment-issues consumer reads from `process.env`; checked at synth and at cold start. */
export const paymentIssuesEnvironment = z.object({
  REJECTED_EVENTS_QUEUE_URL: z.url(),
  /** The Connect instance's id (the last part of its ARN), which the Connect API takes. */
  CONNECT_INSTANCE_ID: z.string().min(1),
  /** The task flow StartTaskContact runs: it transfers the task to the queue in `peaklineQueueId`. */
  TASK_CONTACT_FLOW_ID: z.string().min(1),
  /** Connect API calls per second one invocation keeps under: its share of connect.apiCallsPerSecond. */
  CONNECT_CALLS_PER_SECOND: z.coerce.number().positive(),
  /** The accounting queue's id in Connect (the last part of its ARN); the queue key locally. */
  ACCOUNTING_QUEUE_ID: z.string().min(1),
  AGENT_LOCALE: z.string().min(1),
  CONTACT_CENTRE_TIME_ZONE: z.string().min(1),
});

export type PaymentIssuesEnvironment = z.output<typeof paymentIssuesEnvironment>;

export interface PaymentIssuesResources {
  readonly rejectedEventsQueueUrl: string;
  readonly connectInstanceId: string;
  readonly taskContactFlowId: string;
  readonly accountingQueueId: string;
}

export const paymentIssuesEnvironmentFrom = (
  config: Pick<PeaklineConfig, 'connect'>,
  resources: PaymentIssuesResources,
): Record<string, string> => ({
  REJECTED_EVENTS_QUEUE_URL: resources.rejectedEventsQueueUrl,
  CONNECT_INSTANCE_ID: resources.connectInstanceId,
  TASK_CONTACT_FLOW_ID: resources.taskContactFlowId,
  CONNECT_CALLS_PER_SECOND: String(
    connectCallsPerSecondFor('payment-issues', config.connect.apiCallsPerSecond),
  ),
  ACCOUNTING_QUEUE_ID: resources.accountingQueueId,
  AGENT_LOCALE: config.connect.language,
  CONTACT_CENTRE_TIME_ZONE: config.connect.timeZone,
});
