import type { SQSRecord } from 'aws-lambda';
import { handleShopEventRecord } from '#adapters/lambda/shop-event-record.js';
import { indexedOrderFromEvent, indexExpiry } from '#core/orders/order-index.js';
import type { OrderIndex } from '#core/orders/types.js';
import { maskPhone, phoneHash } from '#core/phone.js';
import type { DeadLetterSink } from '#core/ports.js';

export const REFUSED_BY = 'order-index';

export type OrderIndexMetric = 'OrderIndexRecorded' | 'OrderIndexStale' | 'EventsDeadLettered';

export interface OrderIndexConsumerDeps {
  readonly index: OrderIndex;
  readonly deadLetters: DeadLetterSink;
  /** Days an entry is kept after the order's last change (`sms.retentionDays`). */
  readonly retentionDays: number;
  /** The contact centre's zone: the customer's when neither the event nor the phone's country says. */
  readonly fallbackTimeZone: string;
  /** The world's clock: an entry's retention never starts before peakline recorded it. */
  readonly now: () => Date;
  readonly log: (message: string, fields: Record<string, unknown>) => void;
  readonly count: (metric: OrderIndexMetric) => void;
}

/**
 * The order index writer, independent of where it runs: the Lambda handler and the local stack wire it to
 * their own index, dead-letter sink, logger and metrics.
 *
 * A malformed event is dead-lettered with its reason and the record counts as processed (a retry cannot
 * fix it); a failed write (throttling, an outage) throws, so only this record comes back from the queue. An
 * event that changes no status (a duplicate, an older status, an order already delivered) is counted as
 * stale, having filled in at most the carrier's details the entry lacked.
 */
export const createOrderIndexConsumer =
  (deps: OrderIndexConsumerDeps) =>
  async (record: Pick<SQSRecord, 'body' | 'messageId'>): Promise<void> => {
    const result = await handleShopEventRecord(record, {
      accepts: ['OrderPlaced', 'OrderStatusChanged'],
      refusedBy: REFUSED_BY,
      deadLetters: deps.deadLetters,
      onEvent: async (event) => {
        const order =
          event['detail-type'] === 'OrderPlaced'
            ? indexedOrderFromEvent('OrderPlaced', event.detail, deps.fallbackTimeZone)
            : indexedOrderFromEvent('OrderStatusChanged', event.detail, deps.fallbackTimeZone);
        const { phone } = event.detail.customer;
        const expiresAt = indexExpiry(new Date(order.changedAt), deps.retentionDays, deps.now());
        const outcome = await deps.index.record(phoneHash(phone), order, expiresAt);
        // The phone masked, never its digest: the digest can be reversed by hashing every number.
        deps.log(outcome === 'recorded' ? 'order indexed' : 'order event changed no status', {
          orderId: order.orderId,
          status: order.status,
          changedAt: order.changedAt,
          phone: maskPhone(phone),
          eventId: event.id,
        });
        deps.count(outcome === 'recorded' ? 'OrderIndexRecorded' : 'OrderIndexStale');
      },
    });
    if (result === 'dead-lettered') {
      deps.log('event dead-lettered', { messageId: record.messageId });
      deps.count('EventsDeadLettered');
    }
  };
