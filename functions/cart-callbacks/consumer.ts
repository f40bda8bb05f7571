import type { SQSRecord } from 'aws-lambda';
import { handleShopEventRecord } from '#adapters/lambda/shop-event-record.js';
import { type CancelResult, cancelForOrder } from '#core/callbacks/cancel.js';
import { type ScheduleResult, scheduleCallback } from '#core/callbacks/schedule.js';
import type { CancelDeps, ScheduleDeps } from '#core/callbacks/settings.js';
import type { DeadLetterSink } from '#core/ports.js';

export const REFUSED_BY = 'cart-callbacks';

export type CartCallbacksMetric =
  | 'CallbackScheduled'
  | 'CallbackNotScheduled'
  | 'CallbackCancelled'
  | 'CallbackNotCancelled'
  | 'EventsDeadLettered';

export interface CartCallbacksConsumerDeps {
  /** Schedule and cancel: one object with both sets of ports (see `cartCallbackDeps`). */
  readonly callbacks: ScheduleDeps & CancelDeps;
  readonly deadLetters: DeadLetterSink;
  readonly log: (message: string, fields: Record<string, unknown>) => void;
  /** A count, with a `reason` dimension for the refusals. */
  readonly count: (metric: CartCallbacksMetric, dimensions?: Readonly<Record<'reason', string>>) => void;
  /** Every outcome, for the local stack. @default none */
  readonly onOutcome?: (outcome: ScheduleResult | CancelResult) => void | Promise<void>;
}

/** What an outcome's log line says: the cart, the outcome and why, never the customer's phone. */
export const scheduleLogFields = (result: ScheduleResult, eventId: string): Record<string, unknown> => ({
  eventId,
  cartId: result.cartId,
  outcome: result.outcome,
  ...(result.outcome === 'SCHEDULED'
    ? {
        dueAt: result.dueAt,
        ...(result.redelivered ? { redelivered: true } : {}),
        ...(result.alternativesUnavailable ? { alternativesUnavailable: true } : {}),
      }
    : { reason: result.reason, ...(result.otherCartId ? { otherCartId: result.otherCartId } : {}) }),
});

export const cancelLogFields = (
  result: CancelResult,
  eventId: string,
  orderId: string,
): Record<string, unknown> => ({
  eventId,
  orderId,
  ...(result.cartId === undefined ? {} : { cartId: result.cartId }),
  outcome: result.outcome,
  ...(result.outcome === 'CANCELLED'
    ? result.redelivered
      ? { redelivered: true }
      : {}
    : { reason: result.reason, ...(result.state ? { state: result.state } : {}) }),
});

/**
 * One SQS record of the cart-callbacks buffer: CartAbandoned schedules the cart's callback (the event's
 * id tells a redelivery from a duplicate), OrderPlaced cancels it. A malformed event goes to the
 * rejected-events queue with its reason; a failure (DynamoDB, EventBridge) fails the record, which SQS
 * brings back, and both paths are safe to run again.
 */
export const createCartCallbacksConsumer =
  (deps: CartCallbacksConsumerDeps) =>
  async (record: Pick<SQSRecord, 'body' | 'messageId'>): Promise<void> => {
    const result = await handleShopEventRecord(record, {
      accepts: ['CartAbandoned', 'OrderPlaced'],
      refusedBy: REFUSED_BY,
      deadLetters: deps.deadLetters,
      onEvent: async (event) => {
        if (event['detail-type'] === 'CartAbandoned') {
          const scheduled = await scheduleCallback(event.detail, deps.callbacks, { eventId: event.id });
          deps.log('callback scheduling', scheduleLogFields(scheduled, event.id));
          if (scheduled.outcome === 'SCHEDULED') deps.count('CallbackScheduled');
          else deps.count('CallbackNotScheduled', { reason: scheduled.reason });
          await deps.onOutcome?.(scheduled);
          return;
        }
        const cancelled = await cancelForOrder(event.detail, deps.callbacks);
        deps.log('callback cancellation', cancelLogFields(cancelled, event.id, event.detail.orderId));
        if (cancelled.outcome === 'CANCELLED') deps.count('CallbackCancelled');
        else deps.count('CallbackNotCancelled', { reason: cancelled.reason });
        await deps.onOutcome?.(cancelled);
      },
    });
    if (result === 'dead-lettered') {
      deps.log('event dead-lettered', { messageId: record.messageId });
      deps.count('EventsDeadLettered');
    }
  };
