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

/** One queue a routing profile serves, on one channel. */
interface QueueAssignment {
  readonly queue: QueueKey;
  readonly channel: ContactChannel;
  /** 1 is served first: an agent gets a contact from a priority-2 queue only when no priority-1 one waits. */
  readonly priority: number;
  /** Seconds a contact must have waited before agents of this profile are offered it. */
  readonly delaySeconds: number;
}

interface RoutingProfileSpec {
  readonly description: string;
  /** Connect requires one; it is also where the agent's outbound calls are reported. */
  readonly defaultOutboundQueue: QueueKey;
  readonly queues: (secondLineAssistDelaySeconds: number) => readonly QueueAssignment[];
}

const ROUTING_PROFILES: Readonly<Record<RoutingProfileKey, RoutingProfileSpec>> = {
  voice: {
    description: 'Voice agents: inbound calls, and the cart callbacks once no caller waits.',
    defaultOutboundQueue: 'primary',
    // A waiting caller goes before a callback task: the callback can wait a minute, the caller hangs up.
    queues: () => [
      { queue: 'primary', channel: 'VOICE', priority: 1, delaySeconds: 0 },
      { queue: 'callback', channel: 'TASK', priority: 2, delaySeconds: 0 },
    ],
  },
  chat2: chatProfile(),
  chat4: chatProfile(),
  chat6: chatProfile(),
  light: {
    description: 'Light agents: payment-issue tasks only; no calls, no chats.',
    defaultOutboundQueue: 'accounting',
    queues: () => [{ queue: 'accounting', channel: 'TASK', priority: 1, delaySeconds: 0 }],
  },
  secondLine: {
    description: 'Second line: the overflow queue first, the primary queue when idle.',
    defaultOutboundQueue: 'secondLine',
    // The lower priority keeps overflow callers first; the delay gives first-line agents the first go at a
    // new primary call, so an idle second line helps with the queue rather than taking its easy calls.
    queues: (assistDelay) => [
      { queue: 'secondLine', channel: 'VOICE', priority: 1, delaySeconds: 0 },
      { queue: 'primary', channel: 'VOICE', priority: 2, delaySeconds: assistDelay },
    ],
  },
};

// The tiers differ only in how many chats at once (in the seat type), not in what they serve.
function chatProfile(): RoutingProfileSpec {
  return {
    description: 'Chat agents: chats from the primary queue, as many at once as the tier in the name.',
    defaultOutboundQueue: 'primary',
    queues: () => [{ queue: 'primary', channel: 'CHAT', priority: 1, delaySeconds: 0 }],
  };
}

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
