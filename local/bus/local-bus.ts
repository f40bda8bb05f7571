/**
 * The local stack's event bus: PutEvents in, rules out. Rules are the very definitions the CDK app
 * deploys (`events/rules.ts`), matched with the EventBridge pattern matcher, and each matching rule's
 * target gets the event as EventBridge would deliver it.
 */
import type { RuleDefinition } from '#events/rules.js';
import { matchesEventPattern } from './event-pattern.js';
import {
  type EventBridgeEvent,
  type LocalBusIdentity,
  type PutEventsResponse,
  putEvents,
} from './put-events.js';

export interface LocalRule {
  readonly definition: RuleDefinition;
  /** The target: an SQS-shaped queue in front of a function, or the rejected-events sink. */
  readonly deliver: (event: EventBridgeEvent) => Promise<void> | void;
}

export interface BusRecord {
  readonly id: string;
  readonly time: string;
  readonly source: string;
  readonly detailType: string;
  /** The rules that matched, by id; empty means no rule wanted the event. */
  readonly matched: readonly string[];
}

export interface LocalEventBusOptions {
  readonly identity: LocalBusIdentity;
  readonly rules: readonly LocalRule[];
  readonly now: () => Date;
  /** A target that throws: EventBridge would retry and then use the target's DLQ. */
  readonly onDeliveryError: (
    event: EventBridgeEvent,
    rule: RuleDefinition,
    error: unknown,
  ) => Promise<void> | void;
  /** How many recent events the dashboard can show. @default 200 */
  readonly keepRecent?: number;
}

export class LocalEventBus {
  private readonly recentEvents: BusRecord[] = [];
  private accepted = 0;
  private refused = 0;

  constructor(private readonly options: LocalEventBusOptions) {}

  get name(): string {
    return this.options.identity.name;
  }

  /** One PutEvents call: answers like EventBridge, then routes every accepted event. */
  async putEvents(request: unknown): Promise<PutEventsResponse> {
    const { response, events } = putEvents(request, { bus: this.options.identity, now: this.options.now() });
    this.accepted += events.length;
    this.refused += response.FailedEntryCount;
    for (const event of events) await this.route(event);
    return response;
  }

  /**
   * peakline's own facts (source `peakline`): put by peakline itself, so the shop's bus policy does not
   * apply, and routed like any other event.
   */
  async publish(source: string, detailType: string, detail: Record<string, unknown>): Promise<void> {
    const { events } = putEvents(
      {
        Entries: [
          { Source: source, DetailType: detailType, Detail: JSON.stringify(detail), EventBusName: this.name },
        ],
      },
      { bus: { ...this.options.identity, admitsSource: () => true }, now: this.options.now() },
    );
    for (const event of events) await this.route(event);
  }

  /**
   * peakline's own PutEvents (the functions' EventBridge client, answered in-process): any source, as
   * peakline puts its facts with the bus owner's IAM, and not counted among the shop's events.
   */
  async putOwnEvents(request: unknown): Promise<PutEventsResponse> {
    const { response, events } = putEvents(request, {
      bus: { ...this.options.identity, admitsSource: () => true },
      now: this.options.now(),
    });
    for (const event of events) await this.route(event);
    return response;
  }

  /** Routes an event that is already on the bus. */
  async route(event: EventBridgeEvent): Promise<void> {
    const matched: string[] = [];
    for (const rule of this.options.rules) {
      if (!matchesEventPattern(rule.definition.pattern, event)) continue;
      matched.push(rule.definition.id);
      try {
        await rule.deliver(event);
      } catch (error) {
        await this.options.onDeliveryError(event, rule.definition, error);
      }
    }
    this.recentEvents.unshift({
      id: event.id,
      time: event.time,
      source: event.source,
      detailType: event['detail-type'],
      matched,
    });
    this.recentEvents.length = Math.min(this.recentEvents.length, this.options.keepRecent ?? 200);
  }

  recent(): readonly BusRecord[] {
    return this.recentEvents;
  }

  stats(): { accepted: number; refused: number } {
    return { accepted: this.accepted, refused: this.refused };
  }
}
