import type { SQSRecord } from 'aws-lambda';
import type { DeadLetterSink } from '#core/ports.js';
import { parseShopEvent, type ShopDetailType, type ShopEvent } from '#events/index.js';

export interface ShopEventRecordOptions<T extends ShopDetailType> {
  /** The detail-types this consumer's rule routes to it. */
  readonly accepts: readonly T[];
  /** The consumer's name, recorded with every refusal. */
  readonly refusedBy: string;
  readonly deadLetters: DeadLetterSink;
  readonly onEvent: (event: Extract<ShopEvent, { 'detail-type': T }>) => Promise<void>;
}

/**
 * One SQS record that carries an EventBridge event, as a rule with an SQS target delivers it.
 *
 * A malformed event is dead-lettered with its reason and the record counts as processed: retrying
 * cannot fix it, and it must not block the batch. Anything the handler throws (throttling, a 5xx)
 * fails only this record, which SQS delivers again.
 */
export const handleShopEventRecord = async <T extends ShopDetailType>(
  record: Pick<SQSRecord, 'body'>,
  options: ShopEventRecordOptions<T>,
): Promise<'processed' | 'dead-lettered'> => {
  const { deadLetters, refusedBy } = options;
  let raw: unknown;
  try {
    raw = JSON.parse(record.body);
  } catch {
    await deadLetters.put({ reason: 'the message body is not JSON', refusedBy, event: record.body });
    return 'dead-lettered';
  }
  const parsed = parseShopEvent(raw);
  if (!parsed.ok) {
    await deadLetters.put({ reason: parsed.reason, refusedBy, event: raw });
    return 'dead-lettered';
  }
  const detailType = parsed.event['detail-type'];
  if (!(options.accepts as readonly string[]).includes(detailType)) {
    await deadLetters.put({
      reason: `detail-type "${detailType}" was routed to ${refusedBy}, which handles only ${options.accepts.join(', ')}`,
      refusedBy,
      event: raw,
    });
    return 'dead-lettered';
  }
  await options.onEvent(parsed.event as Extract<ShopEvent, { 'detail-type': T }>);
  return 'processed';
};
