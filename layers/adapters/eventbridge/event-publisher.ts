import type { EventPublisher } from '#core/ports.js';
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
}
