/**
 * The simulator's inner state: contacts, the per-(queue, channel) lanes they wait in, routing profiles,
 * agents and the events that move them. Plain mutable records, driven only by `ConnectSimulator`; none
 * of this leaves the module folder (the public shapes are in types.ts).
 */
import type { Channel, NewUser } from '#core/ports.js';
import { BinaryHeap } from './event-queue.js';
import { LaneHistory } from './historical-metrics.js';
import type { AgentState, ContactState, QueueConfig, RoutingProfileConfig } from './types.js';

export const CHANNELS: readonly Channel[] = ['VOICE', 'CHAT', 'TASK'];

/** SCHEDULED: given to `arrive` with a later time and not yet in its queue; never shown outside. */
export type InternalState = ContactState | 'SCHEDULED';

/** Counters of one (queue, channel) lane; the public figures are derived from them on demand. */
export class Counters {
  arrived = 0;
  answered = 0;
  abandoned = 0;
  waiting = 0;
  inService = 0;
  completed = 0;
  answeredInTime = 0;
  abandonedCounted = 0;
  waitMsSum = 0;
}

export class Contact {
  state: InternalState = 'SCHEDULED';
  answeredAt: number | undefined;
  endedAt: number | undefined;
  agent: Agent | undefined;
  // Links of the lane's FIFO while the contact waits.
  prev: Contact | undefined;
  next: Contact | undefined;

  constructor(
    readonly id: string,
    /** Creation order: breaks ties between contacts that reach a queue at the same instant. */
    readonly seq: number,
    readonly lane: Lane,
    /** When it reaches the queue, epoch ms; its wait is counted from here. */
    readonly arrivedAt: number,
    readonly patienceMs: number,
    readonly handlingMs: number,
    readonly attributes: Readonly<Record<string, string>>,
    readonly name: string | undefined,
  ) {}
}

/** One channel of one queue: its waiting contacts, oldest first, and who serves it. */
export class Lane {
  head: Contact | undefined;
  tail: Contact | undefined;
  size = 0;
  readonly counters = new Counters();
  /** The routing-profile entries that take contacts from this lane. */
  readonly servedBy: ProfileEntry[] = [];
  /** The distinct non-zero delays of those entries, so each waiting contact gets one wake-up per delay. */
  readonly delaysMs: number[] = [];
  /** What GetMetricDataV2 reports: per quarter hour, what its contacts came to. */
  readonly history: LaneHistory;

  constructor(
    readonly queueId: string,
    readonly channel: Channel,
  ) {
    this.history = new LaneHistory(queueId, channel);
  }

  append(contact: Contact): void {
    contact.prev = this.tail;
    contact.next = undefined;
    if (this.tail) this.tail.next = contact;
    else this.head = contact;
    this.tail = contact;
    this.size++;
  }

  remove(contact: Contact): void {
    if (contact.prev) contact.prev.next = contact.next;
    else this.head = contact.next;
    if (contact.next) contact.next.prev = contact.prev;
    else this.tail = contact.prev;
    contact.prev = undefined;
    contact.next = undefined;
    this.size--;
  }
}

export interface QueueState {
  readonly config: QueueConfig;
  readonly lanes: Readonly<Record<Channel, Lane>>;
  /** The routing profiles serving this queue on any channel: their agents count in its metrics. */
  readonly profiles: Profile[];
}

export interface ProfileEntry {
  readonly profile: Profile;
  readonly lane: Lane;
  readonly priority: number;
  readonly delayMs: number;
}

/** An agent's offer to take one more contact, valid while the agent's version has not moved on. */
export interface Ticket {
  readonly agent: Agent;
  readonly version: number;
  readonly load: number;
  readonly readySince: number;
}

export const ticketBefore = (a: Ticket, b: Ticket): boolean =>
  a.load !== b.load
    ? a.load < b.load
    : a.readySince !== b.readySince
      ? a.readySince < b.readySince
      : a.agent.seq < b.agent.seq;

export class Profile {
  readonly concurrency: Readonly<Record<Channel, number>>;
  readonly handlingFactor: Readonly<Record<Channel, number>>;
  /** Sorted by priority, so an agent looking for work can stop at the first priority that has some. */
  readonly entries: ProfileEntry[] = [];
  /**
   * Per channel, the agents who could take one more contact of it. Tickets go stale instead of being
   * removed (an agent's every change bumps their version); stale ones are dropped as they surface.
   */
  readonly ready: Readonly<Record<Channel, BinaryHeap<Ticket>>>;
  /**
   * The profile's agents by status, kept up to date on every agent change, so that the metrics the
   * controller samples every few seconds cost O(queues · profiles), not a pass over all agents.
   */
  readonly agentCounts: AgentCounts = { online: 0, available: 0, onContact: 0 };

  constructor(readonly config: RoutingProfileConfig) {
    this.concurrency = {
      VOICE: config.concurrency.VOICE ?? 0,
      CHAT: config.concurrency.CHAT ?? 0,
      TASK: config.concurrency.TASK ?? 0,
    };
    this.handlingFactor = {
      VOICE: config.handlingFactor?.VOICE ?? 1,
      CHAT: config.handlingFactor?.CHAT ?? 1,
      TASK: config.handlingFactor?.TASK ?? 1,
    };
    this.ready = {
      VOICE: new BinaryHeap(ticketBefore),
      CHAT: new BinaryHeap(ticketBefore),
      TASK: new BinaryHeap(ticketBefore),
    };
  }
}

export interface AgentCounts {
  online: number;
  available: number;
  onContact: number;
}

export class Agent {
  /** Bumped on every change that could alter what the agent can take; older tickets become stale. */
  version = 0;
  loggedIn = false;
  deleted = false;
  readonly contacts: Contact[] = [];
  /** The one channel the agent works on while they have contacts. */
  activeChannel: Channel | undefined;
  /** Where and how the agent is counted in a profile's `agentCounts`, to take it back out on a change. */
  countedIn: Profile | undefined;
  countedOnline = false;
  countedAvailable = false;
  countedOnContact = false;

  constructor(
    readonly userId: string,
    readonly seq: number,
    readonly user: Omit<NewUser, 'routingProfileId'>,
    public profile: Profile,
    /** When the agent's load last changed (or they logged in): the longest-idle agent is offered first. */
    public readySince: number,
  ) {}
}

export const ARRIVE = 0;
export const ABANDON = 1;
export const COMPLETE = 2;
export const ELIGIBLE = 3;
export type EventKind = typeof ARRIVE | typeof ABANDON | typeof COMPLETE | typeof ELIGIBLE;

export interface SimEvent {
  readonly time: number;
  /** Scheduling order: events at the same instant run in the order they were scheduled. */
  readonly seq: number;
  readonly kind: EventKind;
  readonly contact: Contact;
}

export const eventBefore = (a: SimEvent, b: SimEvent): boolean =>
  a.time !== b.time ? a.time < b.time : a.seq < b.seq;

/**
 * Whether the agent could take one more contact of this channel now: logged in, the profile offers the
 * channel, and either they are free or they already work this channel with a slot left (one channel at a
 * time; voice concurrency is 1, so a call is always exclusive).
 */
export function canTake(agent: Agent, channel: Channel): boolean {
  if (!agent.loggedIn || agent.deleted) return false;
  // A channel the profile does not list is never offered (as `undefined`, not only as 0).
  const limit = agent.profile.concurrency[channel] ?? 0;
  if (limit === 0) return false;
  if (agent.activeChannel === undefined) return true;
  return agent.activeChannel === channel && agent.contacts.length < limit;
}

export function agentState(agent: Agent): AgentState {
  if (agent.contacts.length > 0) return 'BUSY';
  return agent.loggedIn && !agent.deleted ? 'AVAILABLE' : 'OFFLINE';
}
