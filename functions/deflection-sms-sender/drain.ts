import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { maskPhone } from '#core/phone.js';
import type { DeflectionSmsDeps } from '#core/sms/deflection-sms.js';
import {
  type DeflectionRecord,
  parseQueuedDeflection,
  sendQueuedDeflection,
} from '#functions/deflection-sms/answer.js';

/**
 * One batch of queued deflection requests, in order, one SMS each (the sender's pacer spaces them). A
 * request that failed is reported for another try through the queue; the others are done. The retry is
 * safe: a failure before the once-per-call record (a store unreachable) is tried again in full, and one
 * after it (SNS refused, or its answer was lost) finds the record and sends nothing, since whether SNS
 * took the message is not known and an SMS is never sent twice.
 */
export const drainDeflections = async (
  records: readonly Pick<SQSRecord, 'messageId' | 'body'>[],
  deps: DeflectionSmsDeps,
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
      await sendQueuedDeflection(request, deps, record);
    } catch (error) {
      record.log('deflection SMS failed; back to the queue', {
        contactId: request.contactId,
        to: maskPhone(request.phone),
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      record.count('DeflectionSmsFailed');
      batchItemFailures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures };
};
