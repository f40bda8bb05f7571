import type { SQSRecord } from 'aws-lambda';
import { handleShopEventRecord } from '#adapters/lambda/shop-event-record.js';
import { createPaymentIssueTask, type PaymentTaskDeps } from '#core/callbacks/payment-task.js';
import type { DeadLetterSink } from '#core/ports.js';

export const REFUSED_BY = 'payment-issues';

export type PaymentIssuesMetric =
  'PaymentTasksCreated' | 'PaymentTasksThrottled' | 'PaymentTasksFailed' | 'EventsDeadLettered';

export interface PaymentIssuesConsumerDeps {
  readonly tasks: PaymentTaskDeps;
  /** Connect's "too fast" that outlived the adapter's retries (the adapter's `isThrottling` on AWS). */
  readonly isThrottling: (error: unknown) => boolean;
  readonly deadLetters: DeadLetterSink;
  readonly log: (message: string, fields: Record<string, unknown>) => void;
  readonly count: (metric: PaymentIssuesMetric) => void;
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * One SQS record of the payment-issues buffer: PaymentIssueReported -> a task in the accounting queue. A
 * malformed event goes to the rejected-events queue with its reason. A failed StartTaskContact (throttling
 * above all) fails the record, which SQS brings back after its visibility timeout; the client token makes
 * the redelivery return the task already created, never a second one.
 */
export const createPaymentIssuesConsumer =
  (deps: PaymentIssuesConsumerDeps) =>
  async (record: Pick<SQSRecord, 'body' | 'messageId'>): Promise<void> => {
    const result = await handleShopEventRecord(record, {
      accepts: ['PaymentIssueReported'],
      refusedBy: REFUSED_BY,
      deadLetters: deps.deadLetters,
      onEvent: async (event) => {
        const fields = { eventId: event.id, orderId: event.detail.orderId, issue: event.detail.issue };
        let contactId: string;
        try {
          ({ contactId } = await createPaymentIssueTask(event.detail, deps.tasks));
        } catch (error) {
          const throttled = deps.isThrottling(error);
          deps.log(throttled ? 'payment task throttled' : 'payment task failed', {
            ...fields,
            error: messageOf(error),
          });
          deps.count(throttled ? 'PaymentTasksThrottled' : 'PaymentTasksFailed');
          throw error;
        }
        deps.log('payment task created', { ...fields, contactId });
        deps.count('PaymentTasksCreated');
      },
    });
    if (result === 'dead-lettered') {
      deps.log('event dead-lettered', { messageId: record.messageId });
      deps.count('EventsDeadLettered');
    }
  };
