import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { handleShopEventRecord } from '#adapters/lambda/shop-event-record.js';
import type { DeadLetterSink, LedgerStatus } from '#core/ports.js';
import {
  decideOrderSms,
  type FlushResult,
  flushOutcomes,
  type OrderFact,
  type OrderSmsDeps,
  type SmsDecision,
} from '#core/sms/order-sms.js';
import type { ShopEvent } from '#events/index.js';
import { phoneHash } from '#core/phone.js';
import { BatchOptOuts } from '#core/sms/batch-opt-outs.js';
import { type DecisionLog, recordDecision } from './decision-log.js';

// Re-exported for the importers of consumer.ts; sms-release imports decision-log.ts itself (no event schemas).
export { type DecisionLog, type OrderSmsMetric, recordDecision } from './decision-log.js';

export const REFUSED_BY = 'order-sms';

/** `log` and `count` (DecisionLog): where each decision is written, SmsSuppressed counted by its `reason`. */
export interface OrderSmsConsumerDeps extends DecisionLog {
  /** The decision's ports; the ledger's claim makes a repeat of an (order, status) a DUPLICATE. */
  readonly sms: OrderSmsDeps;
  readonly deadLetters: DeadLetterSink;
  /** Deliveries of one event before it is given up on with the last error. */
  readonly maxAttempts: number;
  /** Every decision, for the local stack's outbox. @default none */
  readonly onDecision?: (decision: SmsDecision, fact: OrderFact) => void | Promise<void>;
  /**
   * Time left in the invocation (the Lambda context's). A record is not started with less than
   * `marginMs` left: it goes back to the queue rather than risk the function timing out mid-send.
   * @default unlimited
   */
  readonly remainingMs?: () => number;
  /** @default 5000 */
  readonly marginMs?: number;
}

/** Too little time left in the invocation to start a record: it comes back. */
export class NoTimeLeftError extends Error {
  override readonly name = 'NoTimeLeftError';
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

/** After a flush: an SMS sent but not recorded is counted (a later copy of the fact will say unknown). */
const recordFlush = (deps: Pick<OrderSmsConsumerDeps, 'log' | 'count'>, result: FlushResult) => {
  if (result.unrecorded > 0) {
    deps.log('sms outcomes not recorded', { ...result });
    deps.count('SmsUnrecorded', result.unrecorded);
  }
};

/**
 * One SQS record of the order-SMS buffer: parse, decide once per (order, status), record. A failure the
 * provider calls temporary fails the record, which SQS brings back; after `maxAttempts` deliveries the
 * event goes to the rejected-events queue with the last error instead of disappearing into a DLQ
 * without one. What was sent is recorded and announced by `flushOutcomes`, which never fails a record.
 */
const recordHandler =
  (deps: OrderSmsConsumerDeps, sms: OrderSmsDeps = deps.sms) =>
  async (record: Pick<SQSRecord, 'body' | 'messageId' | 'attributes'>): Promise<void> => {
    if (deps.remainingMs && deps.remainingMs() < (deps.marginMs ?? 5_000)) {
      throw new NoTimeLeftError('too little time left in this invocation: the record comes back');
    }
    const result = await handleShopEventRecord(record, {
      accepts: ['OrderPlaced', 'OrderStatusChanged'],
      refusedBy: REFUSED_BY,
      deadLetters: deps.deadLetters,
      onEvent: async (event) => {
        const fact = { ...toOrderFact(event), deliveryId: record.messageId };
        let decision: SmsDecision;
        try {
          decision = await decideOrderSms(fact, sms);
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

/**
 * The digest of the phone a record's event is for, if it names one: the keys of the batch's opt-out read.
 * Malformed records are the parser's to refuse; here they only add no key.
 */
const phoneHashOf = (record: Pick<SQSRecord, 'body'>): string[] => {
  try {
    const phone = (JSON.parse(record.body) as { detail?: { customer?: { phone?: unknown } } }).detail
      ?.customer?.phone;
    return typeof phone === 'string' && phone !== '' ? [phoneHash(phone)] : [];
  } catch {
    return [];
  }
};

/**
 * One record at a time, its outcome recorded and announced before it returns (tests, tools). The
 * Lambda handler and the local stack use `createOrderSmsBatchConsumer`, which records a batch's
 * outcomes in one write.
 */
export const createOrderSmsConsumer = (deps: OrderSmsConsumerDeps) => {
  const handle = recordHandler(deps);
  return async (record: Pick<SQSRecord, 'body' | 'messageId' | 'attributes'>): Promise<void> => {
    try {
      await handle(record);
    } finally {
      recordFlush(deps, await flushOutcomes(deps.sms));
    }
  };
};

/**
 * A batch of the order-SMS buffer, in order (statuses of one order often arrive in one batch, and in
 * parallel a DELIVERED could overtake the OUT_FOR_DELIVERY before it), reported record by record (a
 * batch that fails whole, SNS throttling every send, is not a function error). The outcomes of the
 * batch are recorded together at its end: 2 writes for the batch instead of 2 per SMS.
 */
export const createOrderSmsBatchConsumer = (deps: OrderSmsConsumerDeps) => {
  return async (records: SQSRecord[]): Promise<SQSBatchResponse> => {
    const processor = new BatchProcessor(EventType.SQS);
    // The batch's opt-outs in one read (BatchOptOuts says how fresh they stay).
    const suppression = new BatchOptOuts(deps.sms.suppression, records.flatMap(phoneHashOf));
    const handle = recordHandler(deps, { ...deps.sms, suppression });
    try {
      return await processPartialResponse({ Records: records }, handle, processor, {
        processInParallel: false,
        throwOnFullBatchFailure: false,
      });
    } finally {
      recordFlush(deps, await flushOutcomes(deps.sms));
    }
  };
};
