/**
 * The simulator's own API types, beyond the `ContactCentre` port: how it is configured, what the local
 * stack feeds it, and what the dashboard reads from it. Everything a snapshot returns is plain JSON data.
 */
import type { Channel } from '#core/ports.js';

/** The channels whose customers wait on the line and can hang up; a task never abandons. */
export type InboundChannel = Exclude<Channel, 'TASK'>;

export interface QueueConfig {
  readonly id: string;
  readonly name: string;
}

/** One queue a routing profile serves, on one channel, as Connect's `RoutingProfileQueueConfig` has it. */
export interface RoutingProfileQueueConfig {
  readonly queueId: string;
  readonly channel: Channel;
  /** 1 is served first: an agent takes a priority-2 contact only when no eligible priority-1 one waits. */
  readonly priority: number;
  /** Seconds a contact must have waited before this profile's agents are offered it. @default 0 */
  readonly delaySeconds?: number;
}

export interface RoutingProfileConfig {
  readonly id: string;
  readonly name: string;
  /**
   * How many contacts of each channel an agent handles at once. A channel not listed (or 0) is never
   * offered. Connect allows VOICE 1, CHAT 1-10, TASK 1-10.
   */
  readonly concurrency: Readonly<Partial<Record<Channel, number>>>;
  readonly queues: readonly RoutingProfileQueueConfig[];
  /**
   * Stretches a contact's handling time when one of this profile's agents takes it, per channel: a chat
   * run beside five others lasts longer than one run alone (`peakline simulate` gives each chat tier its
   * factor). @default 1 for every channel
   */
  readonly handlingFactor?: Readonly<Partial<Record<Channel, number>>>;
}

export interface SecurityProfileConfig {
  readonly id: string;
  readonly name: string;
}

export interface ServiceLevelConfig {
  /** A contact answered within this many seconds counts as served in time. @default 20 */
  readonly thresholdSeconds?: number;
  /**
   * A customer who hangs up within this many seconds is left out of the service level: they were gone
   * before any contact centre could have answered. @default 5
   */
  readonly shortAbandonSeconds?: number;
}

export interface ConnectSimulatorOptions {
  /** The virtual clock's start, epoch milliseconds. */
  readonly startTime: number;
  /** Seeds every random draw: the same seed and the same calls give the same results. @default 1 */
  readonly seed?: number;
  readonly queues: readonly QueueConfig[];
  readonly routingProfiles: readonly RoutingProfileConfig[];
  /** When given, `createUser` accepts only these ids; when left out, any id is accepted. */
  readonly securityProfiles?: readonly SecurityProfileConfig[];
  /**
   * When given, `deleteUser` refuses (AccessDeniedException) a user whose tags lack this key and value, as
   * IAM refuses peakline's revokers (their DeleteUser is conditioned on `aws:ResourceTag/<key>`); when left
   * out, any user may be deleted.
   */
  readonly deletableUsersTag?: { readonly key: string; readonly value: string };
  /**
   * Mean handling time per channel, seconds (talk, hold and after-contact work together). A chat's time is
   * its duration while the agent runs it alongside others. @default { VOICE: 300, CHAT: 600, TASK: 420 }
   */
  readonly handlingSeconds?: Readonly<Partial<Record<Channel, number>>>;
  /**
   * Spread of handling times. Left out, they are exponential (what Erlang C and Erlang A assume, so the
   * simulator and the planner agree when they should); given, lognormal with this coefficient of
   * variation (real handling times are skewed: many short, a few very long). @default - exponential
   */
  readonly handlingCv?: number;
  /**
   * Mean patience per channel, seconds, before a waiting customer hangs up; exponential, as Erlang A
   * assumes. `Infinity` disables abandonment. Tasks never abandon. @default { VOICE: 180, CHAT: 600 }
   */
  readonly patienceSeconds?: Readonly<Partial<Record<InboundChannel, number>>>;
  readonly serviceLevel?: ServiceLevelConfig;
  /** How many of the latest contacts a snapshot lists. @default 50 */
  readonly recentContacts?: number;
}

/** A call or chat reaching a queue: the inbound flow (the caller of `arrive`) has chosen the queue. */
export interface Arrival {
  readonly channel: InboundChannel;
  readonly queueId: string;
  /** When it reaches the queue, epoch ms; not before the virtual now. @default now */
  readonly at?: number;
  /** This customer's patience, seconds, exactly (`Infinity`: never hangs up). @default - drawn */
  readonly patienceSeconds?: number;
  /** This contact's handling time, seconds, exactly. @default - drawn */
  readonly handlingSeconds?: number;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** A task reaching a queue without StartTaskContact's checks: `peakline simulate`'s e-mails and tasks. */
export interface TaskArrival {
  readonly queueId: string;
  /** When it reaches the queue, epoch ms; not before the virtual now. @default now */
  readonly at?: number;
  /** Its handling time, seconds, exactly. @default - drawn */
  readonly handlingSeconds?: number;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** WAITING: in its queue; IN_SERVICE: with an agent; COMPLETED and ABANDONED: gone. */
export type ContactState = 'WAITING' | 'IN_SERVICE' | 'COMPLETED' | 'ABANDONED';

/** OFFLINE: logged out and on no contact; AVAILABLE: logged in, on no contact; BUSY: on a contact. */
export type AgentState = 'OFFLINE' | 'AVAILABLE' | 'BUSY';

export interface ContactEvent {
  readonly type: 'answered' | 'abandoned' | 'completed';
  /** Virtual time of the event, epoch ms. */
  readonly time: number;
  readonly contactId: string;
  readonly channel: Channel;
  readonly queueId: string;
  /** The agent who answered; absent for an abandoned contact. */
  readonly userId?: string;
  /** How long the contact waited in queue, seconds. */
  readonly waitSeconds: number;
  /** How long the agent handled it, seconds; on `completed` only. */
  readonly handlingSeconds?: number;
  readonly attributes: Readonly<Record<string, string>>;
}

export type ContactListener = (event: ContactEvent) => void;

/** Counters since the simulator started. Conservation: arrived = answered + abandoned + waiting. */
export interface ContactCounters {
  readonly arrived: number;
  /** Taken by an agent: answered = inService + completed. */
  readonly answered: number;
  readonly abandoned: number;
  readonly waiting: number;
  readonly inService: number;
  readonly completed: number;
  /** Answered within the service-level threshold. */
  readonly answeredInTime: number;
  /** Abandoned after the short-abandon allowance (the ones the service level counts). */
  readonly abandonedCounted: number;
  /** Mean queue time of the answered contacts, seconds; null before the first answer. */
  readonly averageWaitSeconds: number | null;
  /**
   * answeredInTime / (answered + abandonedCounted), between 0 and 1; null while nobody has been answered
   * or abandoned after the allowance. Short abandons are left out of the denominator, as most centres
   * report it, so a customer who dials and hangs up at once does not count as failed.
   */
  readonly serviceLevel: number | null;
}

export interface QueueStats extends ContactCounters {
  readonly queueId: string;
  /** The service level's threshold and short-abandon allowance, so a reader can say what it measured. */
  readonly serviceLevelThresholdSeconds: number;
  readonly shortAbandonSeconds: number;
  /** The same counters per channel: a queue can hold calls, chats and tasks at once. */
  readonly byChannel: Readonly<Record<Channel, ContactCounters>>;
}

export interface QueueSnapshot {
  readonly id: string;
  readonly name: string;
  readonly waiting: number;
  /** Age of the oldest waiting contact, seconds; 0 when none waits. */
  readonly oldestWaitSeconds: number;
  readonly byChannel: Readonly<
    Record<Channel, { readonly waiting: number; readonly oldestWaitSeconds: number }>
  >;
  readonly stats: QueueStats;
}

export interface AgentContactSnapshot {
  readonly contactId: string;
  readonly channel: Channel;
  readonly queueId: string;
  /** When the agent took it, epoch ms. */
  readonly answeredAt: number;
}

export interface AgentSnapshot {
  readonly userId: string;
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email?: string;
  readonly routingProfileId: string;
  readonly routingProfileName: string;
  readonly securityProfileIds: readonly string[];
  /** The tags CreateUser was given (none: `{}`). */
  readonly tags: Readonly<Record<string, string>>;
  readonly loggedIn: boolean;
  /** Deleted while on a contact: finishes it, then disappears. */
  readonly deleted: boolean;
  readonly state: AgentState;
  readonly contacts: readonly AgentContactSnapshot[];
}

export interface ContactSnapshot {
  readonly contactId: string;
  readonly channel: Channel;
  readonly queueId: string;
  readonly state: ContactState;
  /** When it reaches (or reached) the queue, epoch ms. */
  readonly arrivedAt: number;
  readonly answeredAt?: number;
  readonly endedAt?: number;
  /** Time in queue so far (waiting) or in all (answered, abandoned), seconds. */
  readonly waitSeconds: number;
  readonly userId?: string;
  /** A task's name. */
  readonly name?: string;
}

export interface SimulatorSnapshot {
  /** Virtual now, epoch ms, and the same as ISO-8601. */
  readonly time: number;
  readonly isoTime: string;
  readonly queues: readonly QueueSnapshot[];
  readonly agents: readonly AgentSnapshot[];
  /** The latest contacts to arrive, newest first, with their state now. */
  readonly recentContacts: readonly ContactSnapshot[];
  readonly routingProfiles: readonly RoutingProfileConfig[];
  readonly securityProfiles: readonly SecurityProfileConfig[];
  /** How often each Connect API was called, so the local stack can show the controller's call rate. */
  readonly apiCalls: Readonly<Record<string, number>>;
}
