import type { SQSRecord } from 'aws-lambda';
import { factOf } from '#core/reporting/fact-events.js';
import type { FactRecorderStore } from '#core/reporting/facts.js';
import type { DeadLetterSink } from '#core/ports.js';

export type FactRecorderMetric = 'FactsRecorded' | 'FactsDuplicate' | 'EventsDeadLettered';

export interface FactRecorderDeps {
  readonly store: FactRecorderStore;
  readonly deadLetters: DeadLetterSink;
  /** The shop's event source (`shop.source`). */
  readonly shopSource: string;
  readonly log: (message: string, fields: Record<string, unknown>) => void;
  readonly count: (metric: FactRecorderMetric) => void;
}

export const REFUSED_BY = 'fact-recorder';

/**
 * The fact recorder, independent of where it runs: the Lambda handler and the local stack wire it to their
 * own store, dead-letter sink, logger and metrics.
 *
 * A malformed event is dead-lettered with its reason and the record counts as processed (a retry cannot fix
 * it); a failed write throws, so only this record comes back from the queue. A copy of a fact already
 * recorded is counted as a duplicate and changes nothing.
 */
export const createFactRecorderConsumer =
  (deps: FactRecorderDeps) =>
  async (record: Pick<SQSRecord, 'body' | 'messageId'>): Promise<void> => {
    let raw: unknown;
    try {
      raw = JSON.parse(record.body);
    } catch {
      await deadLetter(deps, record, 'the message body is not JSON', record.body);
      return;
    }
    const parsed = factOf(raw, { shopSource: deps.shopSource });
    if (!parsed.ok) {
      await deadLetter(deps, record, parsed.reason, raw);
      return;
    }
    const { fact } = parsed;
    const outcome = await deps.store.record(fact);
    // The fact holds no phone and no customer id: logging it whole is safe.
    deps.log(outcome === 'recorded' ? 'fact recorded' : 'fact already recorded', {
      type: fact.type,
      factId: fact.id,
      at: fact.at,
      eventId: fact.eventId,
    });
    deps.count(outcome === 'recorded' ? 'FactsRecorded' : 'FactsDuplicate');
  };

const deadLetter = async (
  deps: FactRecorderDeps,
  record: Pick<SQSRecord, 'messageId'>,
  reason: string,
  event: unknown,
): Promise<void> => {
  await deps.deadLetters.put({ reason, refusedBy: REFUSED_BY, event });
  deps.log('event dead-lettered', { messageId: record.messageId, reason });
  deps.count('EventsDeadLettered');
};
