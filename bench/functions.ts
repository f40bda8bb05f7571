/**
 * What the benchmark needs to run each function once, as Lambda would: its environment and a first
 * event. Endpoints point at the benchmark's fake AWS, so the first invoke makes its real SDK calls.
 */
import { deliveredSample, sqsRecord } from '#test/support/events.js';

export interface BenchFunction {
  readonly name: string;
  readonly environment: Record<string, string>;
  readonly event: () => unknown;
}

export const benchFunctions: readonly BenchFunction[] = [
  {
    name: 'customer-opt-out',
    environment: {
      SUPPRESSION_TABLE_NAME: 'peakline-bench-suppression',
      REJECTED_EVENTS_QUEUE_URL:
        'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-bench-rejected-events',
      SUPPRESSION_RETENTION_DAYS: '1095',
    },
    event: () => ({ Records: [sqsRecord(deliveredSample('customer-opted-out'))] }),
  },
];
