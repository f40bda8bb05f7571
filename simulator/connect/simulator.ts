/**
 * An in-process Amazon Connect: queues, agents, contacts and their metrics, as a discrete-event simulation
 * on a virtual clock. The local stack advances it every ~100 ms of real time and `peakline simulate` runs
 * a whole peak day through it, both behind the same `ContactCentre` port the Connect adapter implements.
 *
 * How it stays cheap (a day of 100k contacts and 300 agents in well under the 2 s budget):
 * - one binary heap of future events (arrivals, completions, abandonments, delayed eligibility), so each
 *   event costs O(log n) and advancing by a step with nothing due costs one peek;
 * - waiting contacts in a FIFO per (queue, channel), a doubly linked list, so the oldest is the head and
 *   an abandonment unlinks in O(1);
 * - per (routing profile, channel) a heap of the agents who could take one more contact, so an arriving
 *   contact finds its agent without looking at the others;
 * - nothing ever scans all contacts; the per-call work is over a routing profile's few queue entries.
 *
 * Routing follows Connect:
 * - an agent takes contacts from their routing profile's queues, the lowest priority number first, then
 *   the oldest, and a contact only once it has waited the entry's delay;
 * - an arriving contact goes to the agent with the fewest contacts, then the longest since their load
 *   last changed (for an idle agent: idle the longest), then the first created;
 * - an agent works one channel at a time (Connect's default, without cross-channel concurrency): a call
 *   is exclusive (voice concurrency is 1), chats run up to the profile's chat concurrency, tasks up to its
 *   task concurrency, and an agent on tasks takes no chat until those are done;
 * - the invariant the code keeps after every event: no agent who could take one more contact is left
 *   with a waiting contact they are eligible for.
 *
 * Modelling choices (what is simplified, and why it does not change what peakline decides):
 * - a contact is answered the instant it is routed (no ringing, no accept time) and its handling time
 *   includes after-contact work; the overflow controller and the planner reason in the same terms;
 * - a chat's handling time is its length while run alongside others: concurrency does not stretch it;
 * - handling times are exponential by default (Erlang C/A's assumption, so `simulate` can check the
 *   planner), lognormal with `handlingCv`; patience is exponential (Erlang A); both are drawn when the
 *   contact is created, in call order, so a seed and the same calls replay exactly;
 * - a waiting call or chat abandons after its patience; a task waits however long it takes;
 * - deleting or logging out an agent lets their contacts in progress finish (see `deleteUser`);
 * - service level (the live one; GetMetricDataV2's is Connect's, see historical-metrics.ts): answered
 *   within 20 s / (answered + abandoned after 5 s), both configurable; short abandons are left out because
 *   nobody could have answered them (see `ContactCounters`);
 * - ids are UUID-shaped counters (contacts `c0000000-…`, users `a0000000-…`), never random draws;
 * - historical metrics (GetMetricDataV2) come from per-quarter-hour aggregates of each queue's channels,
 *   never from a record per contact (historical-metrics.ts, get-metric-data-v2.ts).
 */
import type { Channel, ChannelMetrics, ContactCentre, NewTask, NewUser, QueueMetrics } from '#core/ports.js';
import { queueMetricsOf } from '#core/queue-metrics.js';
import { BinaryHeap } from './event-queue.js';
import { ConnectSimulatorError } from './errors.js';
import {
  answerGetMetricDataV2,
  type GetMetricDataV2Input,
  type GetMetricDataV2Output,
} from './get-metric-data-v2.js';
import type { LaneHistory } from './historical-metrics.js';
import {
  ABANDON,
  Agent,
  agentState,
  ARRIVE,
  canTake,
  CHANNELS,
  COMPLETE,
  Contact,
  Counters,
  ELIGIBLE,
  eventBefore,
  type EventKind,
  Lane,
  Profile,
  type ProfileEntry,
  type QueueState,
  type SimEvent,
  type Ticket,
  ticketBefore,
} from './model.js';
import { Random } from './random.js';
import type {
  AgentSnapshot,
  Arrival,
  ConnectSimulatorOptions,
  ContactCounters,
  ContactEvent,
  ContactListener,
  ContactSnapshot,
  QueueSnapshot,
  QueueStats,
  RoutingProfileConfig,
  SecurityProfileConfig,
  SimulatorSnapshot,
  TaskArrival,
} from './types.js';

const DEFAULT_HANDLING_SECONDS: Readonly<Record<Channel, number>> = { VOICE: 300, CHAT: 600, TASK: 420 };
const DEFAULT_PATIENCE_SECONDS = { VOICE: 180, CHAT: 600 } as const;
/** Connect's limits on a routing profile's media concurrency. */
const MAX_CONCURRENCY: Readonly<Record<Channel, number>> = { VOICE: 1, CHAT: 10, TASK: 10 };
/** StartTaskContact's ClientToken is honoured this long. */
const CLIENT_TOKEN_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** GetCurrentMetricData filters on at most this many queues. */
const MAX_METRIC_QUEUES = 100;
/** StartTaskContact's limits on name, description and the attributes' total size. */
const MAX_TASK_NAME = 512;
const MAX_TASK_DESCRIPTION = 4096;
const MAX_ATTRIBUTE_BYTES = 32 * 1024;

export { ConnectSimulatorError, type ConnectErrorName } from './errors.js';

// UUID-shaped like Connect's ids, but counted rather than drawn, so that creating a user never shifts the
// random stream the contacts' draws come from.
const sequentialId = (prefix: string, n: number): string =>
  `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** Checks a configured mean; patience may be infinite (nobody hangs up), handling may not. */
const checkMeanSeconds = (value: number, what: string, infiniteAllowed: boolean): void => {
  if (!(value > 0) || (!infiniteAllowed && !Number.isFinite(value))) {
    throw new RangeError(`${what} must be a positive number of seconds`);
  }
};

export class ConnectSimulator implements ContactCentre {
  private nowMs: number;
  private readonly random: Random;
  private readonly handlingSeconds: Readonly<Record<Channel, number>>;
  private readonly handlingCv: number | undefined;
  private readonly patienceSeconds: Readonly<Record<'VOICE' | 'CHAT', number>>;
  private readonly thresholdMs: number;
  private readonly shortAbandonMs: number;

  private readonly events = new BinaryHeap<SimEvent>(eventBefore);
  private eventSeq = 0;
  private contactSeq = 0;
  private agentSeq = 0;

  private readonly queues = new Map<string, QueueState>();
  private readonly profiles = new Map<string, Profile>();
  private readonly securityProfiles: ReadonlyMap<string, SecurityProfileConfig> | undefined;
  private readonly deletableUsersTag: { readonly key: string; readonly value: string } | undefined;
  /** Every agent, including deleted ones still finishing a contact; creation order. */
  private readonly agents = new Map<string, Agent>();
  /** Live (not deleted) agents by username, which Connect keeps unique. */
  private readonly usernames = new Map<string, Agent>();
  private readonly clientTokens = new Map<string, { readonly contactId: string; readonly at: number }>();

  /** Ring buffer of the latest contacts to reach a queue. */
  private readonly recent: (Contact | undefined)[];
  private recentNext = 0;

  private readonly listeners = new Set<ContactListener>();
  private pending: ContactEvent[] = [];
  private running = false;
  private readonly apiCalls: Record<string, number> = {};

  constructor(options: ConnectSimulatorOptions) {
    if (!Number.isFinite(options.startTime)) throw new RangeError('startTime must be epoch milliseconds');
    this.nowMs = options.startTime;
    this.random = new Random(options.seed ?? 1);

    const handling = { ...DEFAULT_HANDLING_SECONDS, ...options.handlingSeconds };
    for (const channel of CHANNELS) checkMeanSeconds(handling[channel], `handlingSeconds.${channel}`, false);
    this.handlingSeconds = handling;
    if (
      options.handlingCv !== undefined &&
      !(options.handlingCv > 0 && Number.isFinite(options.handlingCv))
    ) {
      throw new RangeError('handlingCv must be a positive number');
    }
    this.handlingCv = options.handlingCv;
    const patience = { ...DEFAULT_PATIENCE_SECONDS, ...options.patienceSeconds };
    checkMeanSeconds(patience.VOICE, 'patienceSeconds.VOICE', true);
    checkMeanSeconds(patience.CHAT, 'patienceSeconds.CHAT', true);
    this.patienceSeconds = patience;
    this.thresholdMs = (options.serviceLevel?.thresholdSeconds ?? 20) * 1000;
    this.shortAbandonMs = (options.serviceLevel?.shortAbandonSeconds ?? 5) * 1000;
    if (!(this.thresholdMs >= 0) || !(this.shortAbandonMs >= 0)) {
      throw new RangeError('serviceLevel thresholds must be zero or more seconds');
    }
    const recentSize = options.recentContacts ?? 50;
    if (!Number.isInteger(recentSize) || recentSize < 0) {
      throw new RangeError('recentContacts must be a whole number');
    }
    this.recent = new Array<Contact | undefined>(recentSize).fill(undefined);

    for (const config of options.queues) {
      if (config.id === '' || this.queues.has(config.id)) {
        throw new Error(`Queue id "${config.id}" is empty or given twice`);
      }
      this.queues.set(config.id, {
        config: { id: config.id, name: config.name },
        lanes: {
          VOICE: new Lane(config.id, 'VOICE'),
          CHAT: new Lane(config.id, 'CHAT'),
          TASK: new Lane(config.id, 'TASK'),
        },
        profiles: [],
      });
    }
    for (const config of options.routingProfiles) this.addProfile(config);
    this.deletableUsersTag = options.deletableUsersTag;
    if (options.securityProfiles) {
      this.securityProfiles = new Map(
        options.securityProfiles.map((p) => [p.id, { id: p.id, name: p.name }]),
      );
    }
  }

  // ---- the virtual clock -------------------------------------------------------------------------------

  /** Virtual now, epoch ms. */
  get now(): number {
    return this.nowMs;
  }

  /**
   * When the next scheduled event falls, or undefined when none is; `simulate` can jump straight there.
   * Some events turn out to have nothing to do (the abandonment of a contact answered meanwhile).
   */
  nextEventAt(): number | undefined {
    return this.events.peek()?.time;
  }

  /**
   * Processes every event up to and including `time`, in time order (ties in the order they were
   * scheduled), then sets the clock to `time`. Advancing by a step with nothing due costs one heap peek.
   */
  advanceTo(time: number): void {
    if (Number.isNaN(time) || time < this.nowMs) {
      throw new RangeError(
        `The virtual clock cannot go backwards (now ${new Date(this.nowMs).toISOString()}, asked ${time})`,
      );
    }
    if (!Number.isFinite(time)) throw new RangeError('advanceTo needs a finite time');
    this.runUntil(time);
  }

  // ---- contacts ----------------------------------------------------------------------------------------

  /**
   * A call or chat reaches a queue (the inbound flow, i.e. the caller, chose which) now or at `at`.
   * Patience and handling time are drawn here, when not given, so the draws follow the calls' order.
   */
  arrive(arrival: Arrival): string {
    const queue = this.queueOrThrow(arrival.queueId);
    if (arrival.channel !== 'VOICE' && arrival.channel !== 'CHAT') {
      throw new ConnectSimulatorError(
        'InvalidParameterException',
        'arrive takes VOICE or CHAT; tasks: startTask',
      );
    }
    const at = arrival.at ?? this.nowMs;
    if (!Number.isFinite(at) || at < this.nowMs) {
      throw new RangeError(`A contact cannot arrive before now (${new Date(this.nowMs).toISOString()})`);
    }
    // Given values are checked before anything is drawn, so a refused call leaves the random stream as it was.
    if (arrival.patienceSeconds !== undefined && !(arrival.patienceSeconds >= 0)) {
      throw new RangeError('patienceSeconds must be zero or more');
    }
    if (
      arrival.handlingSeconds !== undefined &&
      !(arrival.handlingSeconds >= 0 && Number.isFinite(arrival.handlingSeconds))
    ) {
      throw new RangeError('handlingSeconds must be zero or more');
    }
    const meanPatience = this.patienceSeconds[arrival.channel];
    const patienceSeconds =
      arrival.patienceSeconds ??
      (Number.isFinite(meanPatience) ? this.random.exponential(meanPatience) : Infinity);
    const handlingSeconds = arrival.handlingSeconds ?? this.drawHandlingSeconds(arrival.channel);
    const contact = this.newContact(
      queue.lanes[arrival.channel],
      at,
      patienceSeconds * 1000,
      handlingSeconds * 1000,
      { ...arrival.attributes },
      undefined,
    );
    this.place(contact, at);
    return contact.id;
  }

  /**
   * StartTaskContact: the task waits in the queue until an agent takes it and never abandons. The same
   * clientToken within 7 days returns the first call's contact and creates nothing.
   */
  async startTask(task: NewTask): Promise<{ readonly contactId: string }> {
    this.countCall('StartTaskContact');
    const queue = this.queueOrThrow(task.queueId);
    if (task.clientToken === '' || task.clientToken.length > 500) {
      throw new ConnectSimulatorError('InvalidParameterException', 'clientToken must be 1-500 characters');
    }
    // Tokens sit in the map in the order they were given (one is only given again once pruned), so the
    // expired ones are at the front: the local stack can run for weeks without the map growing.
    for (const [token, { at }] of this.clientTokens) {
      if (this.nowMs - at < CLIENT_TOKEN_TTL_MS) break;
      this.clientTokens.delete(token);
    }
    const known = this.clientTokens.get(task.clientToken);
    if (known) return { contactId: known.contactId };
    if (task.name === '' || task.name.length > MAX_TASK_NAME) {
      throw new ConnectSimulatorError(
        'InvalidParameterException',
        `Task name must be 1-${MAX_TASK_NAME} characters`,
      );
    }
    if (task.description.length > MAX_TASK_DESCRIPTION) {
      throw new ConnectSimulatorError(
        'InvalidParameterException',
        `Task description must be at most ${MAX_TASK_DESCRIPTION} characters`,
      );
    }
    let attributeBytes = 0;
    for (const [key, value] of Object.entries(task.attributes)) {
      attributeBytes += Buffer.byteLength(key) + Buffer.byteLength(value);
    }
    if (attributeBytes > MAX_ATTRIBUTE_BYTES) {
      throw new ConnectSimulatorError(
        'InvalidParameterException',
        `Task attributes take ${attributeBytes} bytes; Connect accepts ${MAX_ATTRIBUTE_BYTES}`,
      );
    }
    const contact = this.newContact(
      queue.lanes.TASK,
      this.nowMs,
      Infinity,
      this.drawHandlingSeconds('TASK') * 1000,
      { ...task.attributes },
      task.name,
    );
    this.clientTokens.set(task.clientToken, { contactId: contact.id, at: this.nowMs });
    this.enqueue(contact);
    this.settle();
    return { contactId: contact.id };
  }

  /**
   * A task reaches a queue now or at `at`, without StartTaskContact's checks and client token: for a
   * simulation that feeds thousands of e-mails and tasks and knows each one's handling time. It waits
   * until an agent takes it and never abandons, like a started task.
   */
  arriveTask(task: TaskArrival): string {
    const queue = this.queueOrThrow(task.queueId);
    const at = task.at ?? this.nowMs;
    if (!Number.isFinite(at) || at < this.nowMs) {
      throw new RangeError(`A contact cannot arrive before now (${new Date(this.nowMs).toISOString()})`);
    }
    if (
      task.handlingSeconds !== undefined &&
      !(task.handlingSeconds >= 0 && Number.isFinite(task.handlingSeconds))
    ) {
      throw new RangeError('handlingSeconds must be zero or more');
    }
    const handlingSeconds = task.handlingSeconds ?? this.drawHandlingSeconds('TASK');
    const contact = this.newContact(
      queue.lanes.TASK,
      at,
      Infinity,
      handlingSeconds * 1000,
      { ...task.attributes },
      undefined,
    );
    this.place(contact, at);
    return contact.id;
  }

  // ---- users and agents --------------------------------------------------------------------------------

  /** CreateUser: the agent starts OFFLINE, like a new Connect user who has not opened the CCP. */
  async createUser(user: NewUser): Promise<{ readonly userId: string }> {
    this.countCall('CreateUser');
    const profile = this.profileOrThrow(user.routingProfileId);
    if (user.username === '') {
      throw new ConnectSimulatorError('InvalidParameterException', 'username is empty');
    }
    if (this.usernames.has(user.username)) {
      throw new ConnectSimulatorError('DuplicateResourceException', `User "${user.username}" already exists`);
    }
    if (this.securityProfiles) {
      if (user.securityProfileIds.length === 0) {
        throw new ConnectSimulatorError('InvalidParameterException', 'A user needs a security profile');
      }
      for (const id of user.securityProfileIds) {
        if (!this.securityProfiles.has(id)) {
          throw new ConnectSimulatorError('ResourceNotFoundException', `No security profile "${id}"`);
        }
      }
    }
    return { userId: this.addAgent(user, profile).userId };
  }

  /** SearchUsers by exact username, as the Connect adapter does it; a deleted user is no longer found. */
  async findUserId(username: string): Promise<string | undefined> {
    this.countCall('SearchUsers');
    return this.usernames.get(username)?.userId;
  }

  /**
   * DeleteUser. The agent stops being offered contacts at once, but a contact in progress is finished, not
   * dropped or requeued: deleting a Connect user does not cut a live call, and a customer must never be
   * put back in the queue because a seat expired. The agent disappears once their last contact ends.
   */
  async deleteUser(userId: string): Promise<void> {
    this.countCall('DeleteUser');
    // As the port has it (and the Connect adapter does it): a user already gone is deleted, so a
    // revocation retried after a crash, or run by both the sweeper and the TTL backstop, succeeds.
    if (!this.agents.has(userId)) return;
    const agent = this.agentOrThrow(userId);
    const tag = this.deletableUsersTag;
    if (tag !== undefined && agent.user.tags?.[tag.key] !== tag.value) {
      throw new ConnectSimulatorError(
        'AccessDeniedException',
        `Not authorized to perform connect:DeleteUser on user "${userId}": the user is not tagged ${tag.key}=${tag.value}`,
      );
    }
    agent.deleted = true;
    agent.loggedIn = false;
    this.usernames.delete(agent.user.username);
    this.touch(agent);
    if (agent.contacts.length === 0) this.agents.delete(userId);
    this.settle();
  }

  /**
   * UpdateUserRoutingProfile. Contacts in progress carry on; the new profile decides the next contact
   * (which queues, priorities, delays and concurrency), and an agent with room takes work from it at once.
   */
  async updateUserRoutingProfile(userId: string, routingProfileId: string): Promise<void> {
    this.countCall('UpdateUserRoutingProfile');
    const agent = this.agentOrThrow(userId);
    agent.profile = this.profileOrThrow(routingProfileId);
    this.touch(agent);
    this.takeWork(agent);
    this.settle();
  }

  /** The agent sets themselves Available in the CCP and is offered contacts. */
  login(userId: string): void {
    const agent = this.agentOrThrow(userId);
    if (agent.loggedIn) return;
    agent.loggedIn = true;
    if (agent.contacts.length === 0) agent.readySince = this.nowMs;
    this.touch(agent);
    this.takeWork(agent);
    this.settle();
  }

  /** The agent goes Offline: no new contacts, but the ones in progress are finished. */
  logout(userId: string): void {
    const agent = this.agentOrThrow(userId);
    if (!agent.loggedIn) return;
    agent.loggedIn = false;
    this.touch(agent);
    this.settle();
  }

  /**
   * For the demo: makes exactly `count` agents of the routing profile logged in. Logs in the profile's
   * offline agents first (oldest first), then creates agents named `<profile name>-<n>`; logs out the
   * newest first. Returns the ids of the profile's logged-in agents.
   */
  setAgentsOnline(routingProfileId: string, count: number): string[] {
    const profile = this.profileOrThrow(routingProfileId);
    if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a whole number');
    const live = [...this.agents.values()].filter((a) => a.profile === profile && !a.deleted);
    const online = live.filter((a) => a.loggedIn);
    for (const agent of online.slice(count).reverse()) this.logout(agent.userId);
    let missing = count - online.length;
    for (const agent of live) {
      if (missing <= 0) break;
      if (agent.loggedIn) continue;
      this.login(agent.userId);
      missing--;
    }
    for (let n = 1; missing > 0; n++) {
      const username = `${profile.config.name}-${n}`;
      if (this.usernames.has(username)) continue;
      const agent = this.addAgent(
        { username, firstName: profile.config.name, lastName: String(n), securityProfileIds: [] },
        profile,
      );
      this.login(agent.userId);
      missing--;
    }
    return [...this.agents.values()].filter((a) => a.profile === profile && a.loggedIn).map((a) => a.userId);
  }

  // ---- what the outside reads --------------------------------------------------------------------------

  /**
   * GetCurrentMetricData for these queues, grouped by queue and channel, in the port's units: one result
   * per queue asked, in the order asked, with its figures per channel and its totals (`queueMetricsOf`).
   * A channel has a row when a routing profile serves the queue on it or a contact of it waits there, as
   * Connect returns rows only for the channels it has something to say about. The agents counted on a
   * channel are those whose routing profile serves the queue on that channel (a voice-only profile is not
   * counted on the queue's chats): online = logged in; available = logged in and on no contact (a chat
   * agent with a free slot is on contact; Connect reports free slots separately, as SLOTS_AVAILABLE); on
   * contact = handling at least one contact, of any channel, including an agent who logged out or was
   * deleted and is finishing it.
   */
  async getCurrentMetrics(queueIds: readonly string[]): Promise<QueueMetrics[]> {
    this.countCall('GetCurrentMetricData');
    if (queueIds.length > MAX_METRIC_QUEUES) {
      throw new ConnectSimulatorError(
        'InvalidParameterException',
        `GetCurrentMetricData filters on at most ${MAX_METRIC_QUEUES} queues`,
      );
    }
    const queues = queueIds.map((id) => this.queueOrThrow(id));
    return queues.map((queue) => {
      const channels: Partial<Record<Channel, ChannelMetrics>> = {};
      for (const channel of CHANNELS) {
        const lane = queue.lanes[channel];
        if (lane.servedBy.length === 0 && lane.size === 0) continue;
        let agentsOnline = 0;
        let agentsAvailable = 0;
        let agentsOnContact = 0;
        // A profile lists a (queue, channel) at most once, so each profile's agents are counted once here.
        for (const { profile } of lane.servedBy) {
          agentsOnline += profile.agentCounts.online;
          agentsAvailable += profile.agentCounts.available;
          agentsOnContact += profile.agentCounts.onContact;
        }
        channels[channel] = {
          contactsInQueue: lane.size,
          oldestContactAgeSeconds: this.oldestWaitSecondsOf(lane),
          agentsOnline,
          agentsAvailable,
          agentsOnContact,
        };
      }
      return queueMetricsOf(queue.config.id, channels);
    });
  }

  /** Counters since the start, for one queue or (without an id) for every queue in configuration order. */
  queueStats(): QueueStats[];
  queueStats(queueId: string): QueueStats;
  queueStats(queueId?: string): QueueStats | QueueStats[] {
    if (queueId !== undefined) return this.statsOf(this.queueOrThrow(queueId));
    return [...this.queues.values()].map((queue) => this.statsOf(queue));
  }

  /**
   * GetMetricDataV2, as Connect's API takes and answers it (timestamps in epoch seconds), from what the
   * simulator's contacts came to per quarter hour, judged at the virtual now: see get-metric-data-v2.ts for
   * what is answered and historical-metrics.ts for what is kept. Queues are filtered by id (or ARN); the
   * answer names them by id under `QUEUE`.
   */
  getMetricDataV2(request: GetMetricDataV2Input): GetMetricDataV2Output {
    this.countCall('GetMetricDataV2');
    const lanes = new Map<string, Readonly<Record<Channel, LaneHistory>>>();
    for (const [id, queue] of this.queues) {
      lanes.set(id, {
        VOICE: queue.lanes.VOICE.history,
        CHAT: queue.lanes.CHAT.history,
        TASK: queue.lanes.TASK.history,
      });
    }
    return answerGetMetricDataV2(request, lanes, this.nowMs);
  }

  /** The whole state for the dashboard, as plain data; O(agents + queues + recent contacts). */
  snapshot(): SimulatorSnapshot {
    const now = this.nowMs;
    const queues: QueueSnapshot[] = [...this.queues.values()].map((queue) => {
      const lane = (channel: Channel) => ({
        waiting: queue.lanes[channel].size,
        oldestWaitSeconds: this.oldestWaitSecondsOf(queue.lanes[channel]),
      });
      return {
        id: queue.config.id,
        name: queue.config.name,
        waiting: this.waitingIn(queue),
        oldestWaitSeconds: this.oldestWaitSeconds(queue),
        byChannel: { VOICE: lane('VOICE'), CHAT: lane('CHAT'), TASK: lane('TASK') },
        stats: this.statsOf(queue),
      };
    });
    const agents: AgentSnapshot[] = [...this.agents.values()].map((agent) => ({
      userId: agent.userId,
      username: agent.user.username,
      firstName: agent.user.firstName,
      lastName: agent.user.lastName,
      ...(agent.user.email === undefined ? {} : { email: agent.user.email }),
      routingProfileId: agent.profile.config.id,
      routingProfileName: agent.profile.config.name,
      securityProfileIds: [...agent.user.securityProfileIds],
      tags: { ...agent.user.tags },
      loggedIn: agent.loggedIn,
      deleted: agent.deleted,
      state: agentState(agent),
      contacts: agent.contacts.map((contact) => ({
        contactId: contact.id,
        channel: contact.lane.channel,
        queueId: contact.lane.queueId,
        answeredAt: contact.answeredAt ?? now,
      })),
    }));
    const recentContacts: ContactSnapshot[] = [];
    const size = this.recent.length;
    for (let i = 1; i <= size; i++) {
      const contact = this.recent[(this.recentNext - i + size) % size];
      if (contact === undefined) break;
      recentContacts.push(this.contactSnapshot(contact));
    }
    return {
      time: now,
      isoTime: new Date(now).toISOString(),
      queues,
      agents,
      recentContacts,
      routingProfiles: [...this.profiles.values()].map((profile) => structuredClone(profile.config)),
      securityProfiles: this.securityProfiles
        ? [...this.securityProfiles.values()].map((p) => ({ ...p }))
        : [],
      apiCalls: { ...this.apiCalls },
    };
  }

  /**
   * Calls `listener` for every contact answered, abandoned or completed, after the simulator's state
   * reflects it (so a listener may read a snapshot or call back in). A listener that throws does not
   * corrupt the simulation: every listener still gets the event, and the first error is rethrown from the
   * call that advanced the simulator; the next call carries on from there. Returns an unsubscribe function.
   */
  onContactEvent(listener: ContactListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  // ---- the event loop ----------------------------------------------------------------------------------

  private runUntil(time: number): void {
    if (this.running) {
      throw new Error('The simulator cannot be advanced from inside one of its own contact listeners');
    }
    this.running = true;
    try {
      for (
        let event = this.events.peek();
        event !== undefined && event.time <= time;
        event = this.events.peek()
      ) {
        this.events.pop();
        this.nowMs = event.time;
        this.handle(event);
        this.deliver();
      }
      this.nowMs = time;
    } finally {
      this.running = false;
    }
  }

  /**
   * After an operation made at now: runs what it made due at now (a zero patience or handling time), so
   * that the state read next is settled, and delivers the events.
   */
  private settle(): void {
    // Called from a listener inside the event loop, the loop itself runs what is due.
    if (!this.running) this.runUntil(this.nowMs);
    this.deliver();
  }

  private handle(event: SimEvent): void {
    const contact = event.contact;
    switch (event.kind) {
      case ARRIVE:
        this.enqueue(contact);
        break;
      case ABANDON:
        if (contact.state === 'WAITING') this.abandon(contact);
        break;
      case COMPLETE:
        this.complete(contact);
        break;
      case ELIGIBLE:
        if (contact.state === 'WAITING') this.route(contact);
        break;
    }
  }

  private schedule(time: number, kind: EventKind, contact: Contact): void {
    this.events.push({ time, seq: this.eventSeq++, kind, contact });
  }

  // ---- contact lifecycle -------------------------------------------------------------------------------

  private newContact(
    lane: Lane,
    at: number,
    patienceMs: number,
    handlingMs: number,
    attributes: Readonly<Record<string, string>>,
    name: string | undefined,
  ): Contact {
    const seq = this.contactSeq++;
    return new Contact(
      sequentialId('c0000000', seq + 1),
      seq,
      lane,
      at,
      patienceMs,
      handlingMs,
      attributes,
      name,
    );
  }

  private enqueue(contact: Contact): void {
    const lane = contact.lane;
    contact.state = 'WAITING';
    lane.append(contact);
    lane.counters.arrived++;
    lane.counters.waiting++;
    if (lane.channel !== 'TASK' && Number.isFinite(contact.patienceMs)) {
      this.schedule(contact.arrivedAt + contact.patienceMs, ABANDON, contact);
    }
    // One wake-up per distinct delay: the moment the contact becomes eligible for more agents.
    for (const delayMs of lane.delaysMs) this.schedule(contact.arrivedAt + delayMs, ELIGIBLE, contact);
    if (this.recent.length > 0) {
      this.recent[this.recentNext] = contact;
      this.recentNext = (this.recentNext + 1) % this.recent.length;
    }
    this.route(contact);
  }

  /**
   * Offers a waiting contact to the best agent who can take it now. That agent then takes their own best
   * contact (by priority, then age), which is this one unless another became eligible at the same instant
   * with a better claim; so repeat until this contact is taken or nobody can take it.
   */
  private route(contact: Contact): void {
    const lane = contact.lane;
    while (contact.state === 'WAITING') {
      let best: Ticket | undefined;
      for (const entry of lane.servedBy) {
        // The same sum as the wake-up's time, so the comparison is exact when the wake-up fires.
        if (contact.arrivedAt + entry.delayMs > this.nowMs) continue;
        const ticket = this.readyAgent(entry.profile, lane.channel);
        if (ticket && (best === undefined || ticketBefore(ticket, best))) best = ticket;
      }
      if (best === undefined || this.takeOne(best.agent) === undefined) return;
    }
  }

  /** The agent takes their best eligible waiting contact, if any: priority first, then the oldest. */
  private takeOne(agent: Agent): Contact | undefined {
    if (!agent.loggedIn || agent.deleted) return undefined;
    let best: Contact | undefined;
    let bestPriority = Infinity;
    for (const entry of agent.profile.entries) {
      if (entry.priority > bestPriority) break;
      const head = entry.lane.head;
      // The head is the lane's oldest: if it has not waited the delay yet, no one behind it has.
      if (head === undefined || head.arrivedAt + entry.delayMs > this.nowMs) continue;
      if (!canTake(agent, entry.lane.channel)) continue;
      if (
        best === undefined ||
        head.arrivedAt < best.arrivedAt ||
        (head.arrivedAt === best.arrivedAt && head.seq < best.seq)
      ) {
        best = head;
        bestPriority = entry.priority;
      }
    }
    if (best) this.assign(best, agent);
    return best;
  }

  private takeWork(agent: Agent): void {
    while (this.takeOne(agent) !== undefined) {
      // each pass assigns one contact; the agent stops when full or when nothing eligible waits
    }
  }

  private assign(contact: Contact, agent: Agent): void {
    const lane = contact.lane;
    const counters = lane.counters;
    const waitMs = this.nowMs - contact.arrivedAt;
    lane.remove(contact);
    contact.state = 'IN_SERVICE';
    contact.answeredAt = this.nowMs;
    contact.agent = agent;
    agent.contacts.push(contact);
    agent.activeChannel = lane.channel;
    agent.readySince = this.nowMs;
    counters.waiting--;
    counters.answered++;
    counters.inService++;
    counters.waitMsSum += waitMs;
    if (waitMs <= this.thresholdMs) counters.answeredInTime++;
    lane.history.answered(this.nowMs, waitMs);
    const factor = agent.profile.handlingFactor[lane.channel];
    this.schedule(
      this.nowMs + (factor === 1 ? contact.handlingMs : contact.handlingMs * factor),
      COMPLETE,
      contact,
    );
    this.touch(agent);
    this.emit('answered', contact);
  }

  private complete(contact: Contact): void {
    const agent = contact.agent;
    if (agent === undefined) return;
    const index = agent.contacts.indexOf(contact);
    if (index >= 0) agent.contacts.splice(index, 1);
    if (agent.contacts.length === 0) agent.activeChannel = undefined;
    agent.readySince = this.nowMs;
    contact.state = 'COMPLETED';
    contact.endedAt = this.nowMs;
    contact.lane.counters.inService--;
    contact.lane.counters.completed++;
    contact.lane.history.handled(this.nowMs, this.nowMs - (contact.answeredAt ?? this.nowMs));
    this.touch(agent);
    this.emit('completed', contact);
    if (agent.deleted) {
      if (agent.contacts.length === 0) this.agents.delete(agent.userId);
      return;
    }
    this.takeWork(agent);
  }

  private abandon(contact: Contact): void {
    const lane = contact.lane;
    lane.remove(contact);
    contact.state = 'ABANDONED';
    contact.endedAt = this.nowMs;
    lane.counters.waiting--;
    lane.counters.abandoned++;
    if (this.nowMs - contact.arrivedAt > this.shortAbandonMs) lane.counters.abandonedCounted++;
    lane.history.abandoned(this.nowMs, this.nowMs - contact.arrivedAt);
    this.emit('abandoned', contact);
  }

  // ---- agents' readiness -------------------------------------------------------------------------------

  /** Records a change to the agent: their old tickets go stale, and fresh ones say what they can take now. */
  private touch(agent: Agent): void {
    agent.version++;
    this.recount(agent);
    if (!agent.loggedIn || agent.deleted) return;
    for (const channel of CHANNELS) {
      if (!canTake(agent, channel)) continue;
      const heap = agent.profile.ready[channel];
      heap.push({ agent, version: agent.version, load: agent.contacts.length, readySince: agent.readySince });
      // Stale tickets sink out of reach when their agent is busy for long; sweep them before they pile up.
      if (heap.size > 2 * this.agents.size + 32) heap.retain((t) => t.version === t.agent.version);
    }
  }

  /** Moves the agent's contribution to the profiles' counts from what it was to what it is now. */
  private recount(agent: Agent): void {
    const before = agent.countedIn?.agentCounts;
    if (before) {
      before.online -= Number(agent.countedOnline);
      before.available -= Number(agent.countedAvailable);
      before.onContact -= Number(agent.countedOnContact);
    }
    const live = agent.loggedIn && !agent.deleted;
    agent.countedIn = agent.profile;
    agent.countedOnline = live;
    agent.countedAvailable = live && agent.contacts.length === 0;
    agent.countedOnContact = agent.contacts.length > 0;
    const after = agent.profile.agentCounts;
    after.online += Number(agent.countedOnline);
    after.available += Number(agent.countedAvailable);
    after.onContact += Number(agent.countedOnContact);
  }

  private readyAgent(profile: Profile, channel: Channel): Ticket | undefined {
    const heap = profile.ready[channel];
    for (let ticket = heap.peek(); ticket !== undefined; ticket = heap.peek()) {
      if (ticket.version === ticket.agent.version) return ticket;
      heap.pop();
    }
    return undefined;
  }

  private addAgent(user: Omit<NewUser, 'routingProfileId'>, profile: Profile): Agent {
    const seq = this.agentSeq++;
    const agent = new Agent(
      sequentialId('a0000000', seq + 1),
      seq,
      {
        username: user.username,
        firstName: user.firstName,
        lastName: user.lastName,
        ...(user.email === undefined ? {} : { email: user.email }),
        securityProfileIds: [...user.securityProfileIds],
        ...(user.tags === undefined ? {} : { tags: { ...user.tags } }),
      },
      profile,
      this.nowMs,
    );
    this.agents.set(agent.userId, agent);
    this.usernames.set(agent.user.username, agent);
    return agent;
  }

  // ---- configuration -----------------------------------------------------------------------------------

  private addProfile(config: RoutingProfileConfig): void {
    if (config.id === '' || this.profiles.has(config.id)) {
      throw new Error(`Routing profile id "${config.id}" is empty or given twice`);
    }
    for (const channel of CHANNELS) {
      const limit = config.concurrency[channel];
      if (
        limit !== undefined &&
        !(Number.isInteger(limit) && limit >= 0 && limit <= MAX_CONCURRENCY[channel])
      ) {
        throw new Error(
          `Routing profile "${config.name}": ${channel} concurrency must be 0-${MAX_CONCURRENCY[channel]}`,
        );
      }
      const factor = config.handlingFactor?.[channel];
      if (factor !== undefined && !(factor > 0 && Number.isFinite(factor))) {
        throw new Error(
          `Routing profile "${config.name}": ${channel} handling factor must be a positive number`,
        );
      }
    }
    const profile = new Profile(structuredClone(config));
    const served = new Set<string>();
    for (const assignment of config.queues) {
      const queue = this.queues.get(assignment.queueId);
      if (!queue)
        throw new Error(`Routing profile "${config.name}" serves an unknown queue "${assignment.queueId}"`);
      const key = `${assignment.queueId}/${assignment.channel}`;
      if (served.has(key)) throw new Error(`Routing profile "${config.name}" lists ${key} twice`);
      served.add(key);
      if (profile.concurrency[assignment.channel] === 0) {
        // Connect would never offer these contacts; a profile like that is a configuration mistake.
        throw new Error(
          `Routing profile "${config.name}" serves ${assignment.channel} with no concurrency for it`,
        );
      }
      if (!(Number.isInteger(assignment.priority) && assignment.priority >= 1)) {
        throw new Error(`Routing profile "${config.name}": priorities are whole numbers from 1`);
      }
      const delaySeconds = assignment.delaySeconds ?? 0;
      if (!(delaySeconds >= 0 && Number.isFinite(delaySeconds))) {
        throw new Error(`Routing profile "${config.name}": delays are zero or more seconds`);
      }
      const lane = queue.lanes[assignment.channel];
      const entry: ProfileEntry = {
        profile,
        lane,
        priority: assignment.priority,
        delayMs: delaySeconds * 1000,
      };
      profile.entries.push(entry);
      lane.servedBy.push(entry);
      if (entry.delayMs > 0 && !lane.delaysMs.includes(entry.delayMs)) {
        lane.delaysMs.push(entry.delayMs);
        lane.delaysMs.sort((a, b) => a - b);
      }
      if (!queue.profiles.includes(profile)) queue.profiles.push(profile);
    }
    // Stable sort: entries of equal priority keep the configuration's order.
    profile.entries.sort((a, b) => a.priority - b.priority);
    this.profiles.set(config.id, profile);
  }

  /** A new contact reaches its queue now, or is scheduled to at its later time. */
  private place(contact: Contact, at: number): void {
    if (at === this.nowMs) {
      this.enqueue(contact);
      this.settle();
    } else {
      this.schedule(at, ARRIVE, contact);
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------------

  private drawHandlingSeconds(channel: Channel): number {
    const mean = this.handlingSeconds[channel];
    return this.handlingCv === undefined
      ? this.random.exponential(mean)
      : this.random.lognormal(mean, this.handlingCv);
  }

  private emit(type: ContactEvent['type'], contact: Contact): void {
    if (this.listeners.size === 0) return;
    const answeredAt = contact.answeredAt;
    const endedAt = contact.endedAt;
    // Built field by field rather than with conditional spreads: a peak day emits a few hundred thousand
    // of these, and the spreads doubled the cost of a simulated day.
    const event: { -readonly [K in keyof ContactEvent]: ContactEvent[K] } = {
      type,
      time: this.nowMs,
      contactId: contact.id,
      channel: contact.lane.channel,
      queueId: contact.lane.queueId,
      waitSeconds: ((answeredAt ?? endedAt ?? this.nowMs) - contact.arrivedAt) / 1000,
      attributes: contact.attributes,
    };
    if (contact.agent) event.userId = contact.agent.userId;
    if (type === 'completed' && answeredAt !== undefined && endedAt !== undefined) {
      event.handlingSeconds = (endedAt - answeredAt) / 1000;
    }
    this.pending.push(event);
  }

  private deliver(): void {
    let failure: { error: unknown } | undefined;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      for (const event of batch) {
        // A copy, so a listener may unsubscribe (or subscribe another) while being called; with one
        // listener, the copy is that one (the usual case, spared an array per event).
        const listeners =
          this.listeners.size === 1
            ? [this.listeners.values().next().value as ContactListener]
            : [...this.listeners];
        for (const listener of listeners) {
          try {
            listener(event);
          } catch (error) {
            failure ??= { error };
          }
        }
      }
    }
    if (failure) throw failure.error;
  }

  private countCall(api: string): void {
    this.apiCalls[api] = (this.apiCalls[api] ?? 0) + 1;
  }

  private statsOf(queue: QueueState): QueueStats {
    const lanes = queue.lanes;
    return {
      queueId: queue.config.id,
      serviceLevelThresholdSeconds: this.thresholdMs / 1000,
      shortAbandonSeconds: this.shortAbandonMs / 1000,
      ...this.countersOf([lanes.VOICE.counters, lanes.CHAT.counters, lanes.TASK.counters]),
      byChannel: {
        VOICE: this.countersOf([lanes.VOICE.counters]),
        CHAT: this.countersOf([lanes.CHAT.counters]),
        TASK: this.countersOf([lanes.TASK.counters]),
      },
    };
  }

  private countersOf(parts: readonly Counters[]): ContactCounters {
    const sum = new Counters();
    for (const part of parts) {
      sum.arrived += part.arrived;
      sum.answered += part.answered;
      sum.abandoned += part.abandoned;
      sum.waiting += part.waiting;
      sum.inService += part.inService;
      sum.completed += part.completed;
      sum.answeredInTime += part.answeredInTime;
      sum.abandonedCounted += part.abandonedCounted;
      sum.waitMsSum += part.waitMsSum;
    }
    const judged = sum.answered + sum.abandonedCounted;
    return {
      arrived: sum.arrived,
      answered: sum.answered,
      abandoned: sum.abandoned,
      waiting: sum.waiting,
      inService: sum.inService,
      completed: sum.completed,
      answeredInTime: sum.answeredInTime,
      abandonedCounted: sum.abandonedCounted,
      averageWaitSeconds: sum.answered === 0 ? null : sum.waitMsSum / sum.answered / 1000,
      serviceLevel: judged === 0 ? null : sum.answeredInTime / judged,
    };
  }

  private waitingIn(queue: QueueState): number {
    return queue.lanes.VOICE.size + queue.lanes.CHAT.size + queue.lanes.TASK.size;
  }

  private oldestWaitSeconds(queue: QueueState): number {
    return Math.max(
      this.oldestWaitSecondsOf(queue.lanes.VOICE),
      this.oldestWaitSecondsOf(queue.lanes.CHAT),
      this.oldestWaitSecondsOf(queue.lanes.TASK),
    );
  }

  private oldestWaitSecondsOf(lane: Lane): number {
    return lane.head === undefined ? 0 : (this.nowMs - lane.head.arrivedAt) / 1000;
  }

  private contactSnapshot(contact: Contact): ContactSnapshot {
    // Only contacts that reached their queue are remembered, so none is still SCHEDULED.
    const state = contact.state === 'SCHEDULED' ? 'WAITING' : contact.state;
    const until = contact.answeredAt ?? contact.endedAt ?? this.nowMs;
    return {
      contactId: contact.id,
      channel: contact.lane.channel,
      queueId: contact.lane.queueId,
      state,
      arrivedAt: contact.arrivedAt,
      ...(contact.answeredAt === undefined ? {} : { answeredAt: contact.answeredAt }),
      ...(contact.endedAt === undefined ? {} : { endedAt: contact.endedAt }),
      waitSeconds: (until - contact.arrivedAt) / 1000,
      ...(contact.agent ? { userId: contact.agent.userId } : {}),
      ...(contact.name === undefined ? {} : { name: contact.name }),
    };
  }

  private queueOrThrow(queueId: string): QueueState {
    const queue = this.queues.get(queueId);
    if (!queue) throw new ConnectSimulatorError('ResourceNotFoundException', `No queue "${queueId}"`);
    return queue;
  }

  private profileOrThrow(routingProfileId: string): Profile {
    const profile = this.profiles.get(routingProfileId);
    if (!profile) {
      throw new ConnectSimulatorError(
        'ResourceNotFoundException',
        `No routing profile "${routingProfileId}"`,
      );
    }
    return profile;
  }

  /** A live user: a deleted one is gone for every API, even while finishing a contact. */
  private agentOrThrow(userId: string): Agent {
    const agent = this.agents.get(userId);
    if (!agent || agent.deleted)
      throw new ConnectSimulatorError('ResourceNotFoundException', `No user "${userId}"`);
    return agent;
  }
}
