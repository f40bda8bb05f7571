import type { BusFact, EventPublisher } from '#core/ports.js';
import { PEAKLINE_SOURCE } from '#events/detail-types.js';

/** One entry of a PutEvents request, with the members peakline sets (EventBridge's names). */
export interface PutEventsRequestEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly EventBusName: string;
}

export interface PutEventsInput {
  readonly Entries: readonly PutEventsRequestEntry[];
}

/** PutEvents' answer: per entry an `EventId`, or the `ErrorCode` and `ErrorMessage` of its refusal. */
export interface PutEventsOutput {
  readonly FailedEntryCount?: number;
  readonly Entries?: readonly {
    readonly EventId?: string;
    readonly ErrorCode?: string;
    readonly ErrorMessage?: string;
  }[];
}

/**
 * One PutEvents call: the deployed functions send it without the SDK (lean-put-events.ts), the CLIs
 * with the SDK's client and an operator's credentials (sdk-put-events.ts).
 */
export type PutEventsSender = (input: PutEventsInput) => Promise<PutEventsOutput>;

/** PutEvents takes at most 10 entries a call. */
const ENTRIES_PER_CALL = 10;

/** peakline's facts onto its own bus, with source `peakline`; a refused entry is an error, not a shrug. */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly putEvents: PutEventsSender,
    private readonly busName: string,
  ) {}

  async publish(detailType: string, detail: Record<string, unknown>): Promise<void> {
    const result = await this.putEvents({
      Entries: [
        {
          Source: PEAKLINE_SOURCE,
          DetailType: detailType,
          Detail: JSON.stringify(detail),
          EventBusName: this.busName,
        },
      ],
    });
    if (result.FailedEntryCount) {
      const entry = result.Entries?.[0];
      throw new Error(`EventBridge refused ${detailType}: ${entry?.ErrorCode} ${entry?.ErrorMessage}`);
    }
  }

  /**
   * 10 facts a call; per fact whether EventBridge gave it an EventId. A call that fails (its answer lost,
   * a 5xx after the retries) counts all of its facts as not taken: the caller announces them again later.
   */
  async publishAll(facts: readonly BusFact[]): Promise<readonly boolean[]> {
    const taken: boolean[] = [];
    for (let i = 0; i < facts.length; i += ENTRIES_PER_CALL) {
      const chunk = facts.slice(i, i + ENTRIES_PER_CALL);
      try {
        const result = await this.putEvents({
          Entries: chunk.map((fact) => ({
            Source: PEAKLINE_SOURCE,
            DetailType: fact.detailType,
            Detail: JSON.stringify(fact.detail),
            EventBusName: this.busName,
          })),
        });
        // EventBridge answers the entries in the order they were sent; without them, the count says.
        taken.push(
          ...chunk.map((_, k) => {
            const entry = result.Entries?.[k];
            return entry ? entry.ErrorCode === undefined : !result.FailedEntryCount;
          }),
        );
      } catch {
        taken.push(...chunk.map(() => false));
      }
    }
    return taken;
  }
}
