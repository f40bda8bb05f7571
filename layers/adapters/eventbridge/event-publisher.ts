import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventPublisher } from '#core/ports.js';
import { PEAKLINE_SOURCE } from '#events/detail-types.js';

/** peakline's facts onto its own bus, with source `peakline`; a refused entry is an error, not a shrug. */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(detailType: string, detail: Record<string, unknown>): Promise<void> {
    const result = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: PEAKLINE_SOURCE,
            DetailType: detailType,
            Detail: JSON.stringify(detail),
            EventBusName: this.busName,
          },
        ],
      }),
    );
    if (result.FailedEntryCount) {
      const entry = result.Entries?.[0];
      throw new Error(`EventBridge refused ${detailType}: ${entry?.ErrorCode} ${entry?.ErrorMessage}`);
    }
  }
}
