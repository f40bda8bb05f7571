import type { SQSRecord } from 'aws-lambda';
import { handleShopEventRecord } from '#adapters/lambda/shop-event-record.js';
import type { DeadLetterSink, LedgerStatus } from '#core/ports.js';
import type { OrderFact, SmsDecision } from '#core/sms/order-sms.js';
import type { ShopEvent } from '#events/index.js';

export const REFUSED_BY = 'order-sms';

export type OrderSmsMetric =
  'SmsSent' | 'SmsParts' | 'SmsDeferred' | 'SmsSuppressed' | 'SmsDailyCapReached' | 'EventsDeadLettered';

export interface OrderSmsConsumerDeps {
  /** The decision, behind the idempotency layer: a repeat of an (order, status) returns the first decision. */
  readonly decide: (fact: OrderFact) => Promise<SmsDecision>;
  readonly deadLetters: DeadLetterSink;
  /** Deliveries of one event before it is given up on with the last error. */
  readonly maxAttempts: number;
  readonly log: (message: string, fields: Record<string, unknown>) => void;
  readonly count: (metric: OrderSmsMetric, value?: number) => void;
  /** Every decision, for the local stack's outbox. @default none */
  readonly onDecision?: (decision: SmsDecision, fact: OrderFact) => void | Promise<void>;
}

/** The facts the SMS needs, and nothing else (the event's other fields never reach the ledger). */
export const toOrderFact = (event: ShopEvent<'OrderPlaced' | 'OrderStatusChanged'>): OrderFact => {
  if (event['detail-type'] === 'OrderPlaced') {
    const d = event.detail;
    return {
      eventId: event.id,
      orderId: d.orderId,
      status: 'PLACED',
      occurredAt: d.placedAt,
      customer: d.customer,
      total: d.total,
    };
  }
  const d = event.detail;
  return {
    eventId: event.id,
    orderId: d.orderId,
    status: d.status as LedgerStatus,
    occurredAt: d.occurredAt,
    customer: d.customer,
    ...(d.trackingUrl ? { trackingUrl: d.trackingUrl } : {}),
    ...(d.carrier ? { carrier: d.carrier } : {}),
    ...(d.estimatedDelivery ? { estimatedDelivery: d.estimatedDelivery } : {}),
    ...(d.reason ? { reason: d.reason } : {}),
  };
};

export const recordDecision = (deps: Pick<OrderSmsConsumerDeps, 'log' | 'count'>, decision: SmsDecision) => {
  deps.log('sms decision', {
    outcome: decision.outcome,
    orderId: decision.orderId,
    status: decision.status,
    kind: decision.kind,
    to: decision.to,
    ...(decision.outcome === 'SUPPRESSED' ? { reason: decision.reason } : {}),
    ...(decision.outcome === 'DEFERRED' ? { sendAt: decision.sendAt } : {}),
    ...(decision.outcome === 'SENT' ? { segments: decision.segments, encoding: decision.encoding } : {}),
  });
  if (decision.outcome === 'SENT') {
    deps.count('SmsSent');
    deps.count('SmsParts', decision.segments);
  } else if (decision.outcome === 'DEFERRED') {
    deps.count('SmsDeferred');
  } else {
    deps.count('SmsSuppressed');
    if (decision.reason === 'daily-cap-reached') deps.count('SmsDailyCapReached');
  }
};

/**
 * One SQS record of the order-SMS buffer: parse, decide once per (order, status), record. A failure the
 * provider calls temporary fails the record, which SQS brings back; after `maxAttempts` deliveries the
 * event goes to the rejected-events queue with the last error instead of disappearing into a DLQ
 * without one.
 */
export const createOrderSmsConsumer =
  (deps: OrderSmsConsumerDeps) =>
  async (record: Pick<SQSRecord, 'body' | 'messageId' | 'attributes'>): Promise<void> => {
    const result = await handleShopEventRecord(record, {
      accepts: ['OrderPlaced', 'OrderStatusChanged'],
      refusedBy: REFUSED_BY,
      deadLetters: deps.deadLetters,
      onEvent: async (event) => {
        const fact = toOrderFact(event);
        let decision: SmsDecision;
        try {
          decision = await deps.decide(fact);
        } catch (error) {
          const attempts = Number(record.attributes?.ApproximateReceiveCount ?? 1);
          const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          if (attempts < deps.maxAttempts) throw error;
          await deps.deadLetters.put({
            reason: `gave up after ${attempts} attempts; last error: ${message}`,
            refusedBy: REFUSED_BY,
            event: JSON.parse(record.body) as unknown,
          });
          deps.count('EventsDeadLettered');
          return;
        }
        recordDecision(deps, decision);
        await deps.onDecision?.(decision, fact);
      },
    });
    if (result === 'dead-lettered') {
      deps.log('event dead-lettered', { messageId: record.messageId });
      deps.count('EventsDeadLettered');
    }
  };
