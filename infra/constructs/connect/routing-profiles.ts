import { CfnRoutingProfile } from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';
import type { QueueKey } from './queues.js';
import {
  type ContactChannel,
  type RoutingProfileKey,
  SEAT_TYPE_SPECS,
  type SeatType,
  seatTypeOfRoutingProfile,
} from './seat-types.js';

import { type QueueAssignment, ROUTING_PROFILES } from './contact-centre-model.js';

export interface ConnectRoutingProfilesProps {
  /** ARN of the Amazon Connect instance the routing profiles belong to. */
  readonly instanceArn: string;
  /** ARNs of the queues the profiles serve. */
  readonly queueArns: Readonly<Record<QueueKey, string>>;
  /**
   * Put before every routing profile name, e.g. the stage, so that several stages can share one instance.
   */
  readonly namePrefix: string;
  /**
   * How long a primary-queue call waits before an idle second-line agent is offered it.
   * @default 20
   */
  readonly secondLineAssistDelaySeconds?: number;
}

/**
 * One routing profile per seat type (see `seat-types.ts`): which channels its agents take, how many
 * contacts at once, and from which queues in which order.
 */
export class ConnectRoutingProfiles extends Construct {
  public readonly routingProfiles: Readonly<Record<RoutingProfileKey, CfnRoutingProfile>>;
  public readonly routingProfileArns: Readonly<Record<RoutingProfileKey, string>>;

  constructor(scope: Construct, id: string, props: ConnectRoutingProfilesProps) {
    super(scope, id);
    const assistDelay = props.secondLineAssistDelaySeconds ?? 20;
    if (!Number.isInteger(assistDelay) || assistDelay < 0) {
      throw new Error(
        `secondLineAssistDelaySeconds must be a whole number of seconds >= 0, got ${assistDelay}`,
      );
    }
    const profile = (key: RoutingProfileKey): CfnRoutingProfile => {
      const seat = seatTypeOfRoutingProfile(key);
      const spec = ROUTING_PROFILES[key];
      const queues = spec.queues(assistDelay);
      assertChannelsOffered(seat, queues);
      return new CfnRoutingProfile(this, constructId(seat), {
        instanceArn: props.instanceArn,
        name: `${props.namePrefix}-${seat}`,
        description: spec.description,
        defaultOutboundQueueArn: props.queueArns[spec.defaultOutboundQueue],
        mediaConcurrencies: Object.entries(SEAT_TYPE_SPECS[seat].concurrency).map(
          ([channel, concurrency]) => ({
            channel,
            concurrency,
          }),
        ),
        queueConfigs: queues.map((q) => ({
          priority: q.priority,
          delay: q.delaySeconds,
          queueReference: { channel: q.channel, queueArn: props.queueArns[q.queue] },
        })),
      });
    };
    this.routingProfiles = {
      voice: profile('voice'),
      chat2: profile('chat2'),
      chat4: profile('chat4'),
      chat6: profile('chat6'),
      light: profile('light'),
      secondLine: profile('secondLine'),
    };
    this.routingProfileArns = {
      voice: this.routingProfiles.voice.attrRoutingProfileArn,
      chat2: this.routingProfiles.chat2.attrRoutingProfileArn,
      chat4: this.routingProfiles.chat4.attrRoutingProfileArn,
      chat6: this.routingProfiles.chat6.attrRoutingProfileArn,
      light: this.routingProfiles.light.attrRoutingProfileArn,
      secondLine: this.routingProfiles.secondLine.attrRoutingProfileArn,
    };
  }
}

/** "chat-2" -> "Chat2", "second-line" -> "SecondLine". */
const constructId = (seat: SeatType): string =>
  seat
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** Connect rejects a queue assignment on a channel the profile does not offer; fail at synth, not deploy. */
const assertChannelsOffered = (seat: SeatType, queues: readonly QueueAssignment[]): void => {
  const offered: Partial<Record<ContactChannel, number>> = SEAT_TYPE_SPECS[seat].concurrency;
  const missing = queues.filter((q) => offered[q.channel] === undefined);
  if (missing.length > 0) {
    const channels = missing.map((q) => `${q.channel} on ${q.queue}`).join(', ');
    throw new Error(`Routing profile "${seat}" serves ${channels} without a concurrency for that channel`);
  }
};
