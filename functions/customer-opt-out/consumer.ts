import type { SQSRecord } from 'aws-lambda';
import { handleShopEventRecord } from '#adapters/lambda/shop-event-record.js';
import { recordOptOut } from '#core/opt-out.js';
import { maskPhone } from '#core/phone.js';
import type { DeadLetterSink, SuppressionStore } from '#core/ports.js';

export interface OptOutConsumerDeps {
  readonly store: SuppressionStore;
  readonly deadLetters: DeadLetterSink;
  readonly retentionDays: number;
  readonly log: (message: string, fields: Record<string, unknown>) => void;
  readonly count: (metric: 'OptOutsRecorded' | 'OptOutsAlreadyLater' | 'EventsDeadLettered') => void;
}

export const REFUSED_BY = 'customer-opt-out';

/**
 * The opt-out consumer, independent of where it runs: the Lambda handler and the local stack wire it
 * to their own store, dead-letter sink, logger and metrics.
 */
export const createOptOutConsumer =
  (deps: OptOutConsumerDeps) =>
  async (record: Pick<SQSRecord, 'body' | 'messageId'>): Promise<void> => {
    const result = await handleShopEventRecord(record, {
      accepts: ['CustomerOptedOut'],
      refusedBy: REFUSED_BY,
      deadLetters: deps.deadLetters,
      onEvent: async (event) => {
        const outcome = await recordOptOut(
          {
            eventId: event.id,
            phone: event.detail.customer.phone,
            channel: event.detail.channel,
            at: event.detail.at,
          },
          { store: deps.store, retentionDays: deps.retentionDays },
        );
        deps.log('opt-out recorded', {
          outcome: outcome.kind,
          phone: maskPhone(event.detail.customer.phone),
          eventId: event.id,
        });
        deps.count(outcome.kind === 'suppressed' ? 'OptOutsRecorded' : 'OptOutsAlreadyLater');
      },
    });
    if (result === 'dead-lettered') {
      deps.log('event dead-lettered', { messageId: record.messageId });
      deps.count('EventsDeadLettered');
    }
  };
