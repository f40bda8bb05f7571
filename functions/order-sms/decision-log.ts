/**
 * How an SMS decision is logged and counted, shared by the order-SMS consumer and the sms-release
 * sweeper. Kept apart from consumer.ts so that sms-release, which never parses an event, does not load
 * the event schemas (and zod) with it: this module imports types only.
 */
import type { SmsDecision } from '#core/sms/order-sms.js';

export type OrderSmsMetric =
  | 'SmsSent'
  | 'SmsParts'
  | 'SmsDeferred'
  | 'SmsSuppressed'
  | 'SmsDailyCapReached'
  | 'SmsDuplicates'
  | 'SmsOutcomeUnknown'
  | 'SmsUnrecorded'
  | 'EventsDeadLettered';

/** Where a decision is written: a log line and counts (`dimensions`: SmsSuppressed's `reason` alone). */
export interface DecisionLog {
  readonly log: (message: string, fields: Record<string, unknown>) => void;
  readonly count: (
    metric: OrderSmsMetric,
    value?: number,
    dimensions?: Readonly<Record<'reason', string>>,
  ) => void;
}

export const recordDecision = (deps: DecisionLog, decision: SmsDecision) => {
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
  } else if (decision.outcome === 'DUPLICATE') {
    deps.count('SmsDuplicates');
  } else if (decision.outcome === 'OUTCOME_UNKNOWN') {
    // Alarmed: an SMS that may or may not have reached the customer, and is not sent again.
    deps.count('SmsOutcomeUnknown');
  } else {
    // By reason: an opt-out wave, a cap reached and bad numbers call for different people.
    deps.count('SmsSuppressed', 1, { reason: decision.reason });
    if (decision.reason === 'daily-cap-reached') deps.count('SmsDailyCapReached');
  }
};
