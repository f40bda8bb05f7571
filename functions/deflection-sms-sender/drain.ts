import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { maskPhone } from '#core/phone.js';
import {
  type CallerSmsSenderDeps,
  type DeflectionRecord,
  parseQueuedDeflection,
  sendQueuedCallerSms,
} from '#functions/deflection-sms/answer.js';

/**
 * One batch of queued caller-SMS requests (deflections, and since issue 15 tracking links), in order, one
 * SMS each (the sender's pacer spaces them). A request that failed is reported for another try through the queue; the others are done. The retry is
 * safe: a failure before the once-per-call record (a store unreachable) is tried again in full, and one
 * after it (SNS refused, or its answer was lost) finds the record and sends nothing, since whether SNS
 * took the message is not known and an SMS is never sent twice.
 */
export const drainDeflections = async (
  records: readonly Pick<SQSRecord, 'messageId' | 'body'>[],
  deps: CallerSmsSenderDeps,
  record: DeflectionRecord,
): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const message of records) {
    const request = parseQueuedDeflection(message.body);
    if (request === undefined) {
      // Not ours to guess at: it goes round to the dead-letter queue, where the alarm shows it.
      record.log('deflection queue: a message that is no request', { messageId: message.messageId });
      record.count('DeflectionSmsFailed');
      batchItemFailures.push({ itemIdentifier: message.messageId });
      continue;
    }
    try {
      await sendQueuedCallerSms(request, deps, record);
    } catch (error) {
      record.log(`${request.kind} SMS failed; back to the queue`, {
        kind: request.kind,
        contactId: request.contactId,
        to: maskPhone(request.phone),
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      // One count for the queue's sender whatever the kind (its alarm watches the queue); the log has the kind.
      record.count('DeflectionSmsFailed');
      batchItemFailures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures };
};
