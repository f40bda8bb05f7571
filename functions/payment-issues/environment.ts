import { zodSchemaOf } from '#adapters/environment/zod-schema.js';
import { connectCallsPerSecondFor } from '#adapters/connect/api-rate-split.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { paymentIssuesFields } from './environment-fields.js';

export type { PaymentIssuesEnvironment } from './environment-fields.js';

/**
 * What the payment-issues consumer reads from `process.env`, as the zod schema PeaklineFunction checks at
 * synth; the handler checks the very same fields by hand at cold start (environment-fields.ts).
 */
export const paymentIssuesEnvironment = zodSchemaOf(paymentIssuesFields);

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
