/**
 * One replication of a peak day (or season): the forecast's contacts arrive at random (Poisson within
 * each interval), the contact centre is the ConnectSimulator shaped like the deployed one, the agents are
 * the seats file's, and the overflow controller, the router, the inbound flow's menu and the deflection
 * SMS's wording are the core code the Lambdas run, on the simulator's virtual clock:
 * - the controller takes a sample every 60 / samplesPerMinute seconds (`takeSample`, as the Lambda does);
 * - every caller asks the router (`OverflowRouter`, reading the in-memory routing table with its cache);
 * - in DEFLECT the caller hears the menu (simulator/inbound-flow.ts): keep waiting, a queued callback (a
 *   call in the callback queue that waits for a voice agent and never hangs up), or the SMS; the SMS is the
 *   Lambda's text (its parts counted) within the stage's daily cap of parts, else the caller waits.
 *
 * - with a share of status-only callers (issue 15), that share of the callers in opening hours hear their
 *   order's status before the router and leave: they take the IVR's time only, no agent's, and never queue.
 *
 * Agents: seats × (1 - shrinkage), rounded down, per seat type, log in when the centre opens
 * (`connect.hours` in `connect.timeZone`) and out when it closes, finishing the contact in hand. Calls and
 * chats arriving while it is closed are not queued (the flow plays its closed message) and are counted as
 * such; e-mails and tasks arrive whenever and wait for the next opening. Channels: calls through the
 * inbound flow to the primary queue (or where the router sends them), chats to the primary queue (chat
 * seats, each tier at its concurrency and AHT factor), e-mails and tasks as tasks in the accounting
 * queue (light seats).
 */
import { DateTime } from 'luxon';
import { WEEKDAYS } from '#core/callbacks/business-hours.js';
import type { Channel, ContactCentre, QueueMetrics, RoutingState } from '#core/ports.js';
import { type ControllerDeps, type ControllerSettings, takeSample } from '#core/routing/controller.js';
import { InMemoryRoutingStateStore } from '#core/routing/memory-store.js';
import { OverflowRouter } from '#core/routing/router.js';
import type { PlanningChannel } from '#core/planning/types.js';
import { SEAT_TYPE_SPECS, SEAT_TYPES } from '#infra/constructs/connect/seat-types.js';
import { Random } from '../connect/random.js';
import { createContactCentre } from '../contact-centre.js';
import { streamSeed } from '../constant-rate.js';
import { InboundFlow } from '../inbound-flow.js';
import {
  chatHandlingFactor,
  DEFAULT_ROUTING_POLICY,
  type PeakInput,
  peakInputProblems,
  type RoutingPolicy,
} from './input.js';

export type { PeakInput } from './input.js';

/** The report's rows: where a contact waits, and what it is. */
export const PEAK_ROWS = [
  { key: 'primary-voice', queueId: 'primary', channel: 'VOICE', label: 'primary · calls' },
  { key: 'primary-chat', queueId: 'primary', channel: 'CHAT', label: 'primary · chats' },
  { key: 'secondLine-voice', queueId: 'secondLine', channel: 'VOICE', label: 'second line · calls' },
  { key: 'callback-voice', queueId: 'callback', channel: 'VOICE', label: 'callback · queued callbacks' },
  { key: 'accounting-email', queueId: 'accounting', channel: 'TASK', label: 'accounting · e-mails' },
  { key: 'accounting-task', queueId: 'accounting', channel: 'TASK', label: 'accounting · tasks' },
] as const;
export type PeakRowKey = (typeof PEAK_ROWS)[number]['key'];

export const QUEUE_IDS = ['primary', 'secondLine', 'callback', 'accounting'] as const;

/** One row's counts, over the contacts that arrived in the simulated span. */
export interface RowCounts {
  offered: number;
  answered: number;
  answeredInTime: number;
  abandoned: number;
  /** Abandoned after the short-abandon allowance: these count against the service level. */
  abandonedCounted: number;
  answeredWaitSeconds: number;
  /** The longest wait of any contact (answered, abandoned or still waiting at the end), seconds. */
  longestWaitSeconds: number;
  /** Still waiting when the simulation ended (tasks nobody was there to take). */
  waitingAtEnd: number;
  /** Calls and chats that came while the centre was closed: not queued. */
  closed: number;
}

export interface OverflowCounts {
  /** Times the queue left NORMAL. */
  entries: number;
  /** Times its state changed at all (NORMAL, OVERFLOW, DEFLECT, either way): how much it flapped. */
  changes: number;
  overflowMinutes: number;
  deflectMinutes: number;
  /** The state's periods, ISO start and end (the end of the span for the last). */
  periods: { state: RoutingState; from: string; to: string }[];
}

export interface PeakReplication {
  /** Contacts the forecast sent (calls, chats, e-mails, tasks), before any routing. */
  readonly arrivals: number;
  readonly rows: Readonly<Record<PeakRowKey, RowCounts>>;
  readonly calls: {
    readonly queued: number;
    readonly overflowed: number;
    /** Told their order's status before the router and left without queueing (the status-only share). */
    readonly contained: number;
  };
  readonly deflection: {
    /** Callers who heard the menu (the primary queue in DEFLECT). */
    readonly offered: number;
    readonly keptWaiting: number;
    readonly callbacks: number;
    readonly smsSent: number;
    readonly smsParts: number;
    /** Chose the SMS but the day's cap of parts was reached: they waited instead. */
    readonly smsOverCap: number;
  };
  readonly overflow: Readonly<Record<string, OverflowCounts>>;
  readonly series: PeakSeries;
  readonly agentsLoggedIn: Readonly<Record<string, number>>;
  /** The policy the replication ran (the input's, or the default). */
  readonly policy: RoutingPolicy;
  /**
   * Primary-queue calls the second-line agents answered, and the shortest wait among them (Infinity when
   * none): how the second line helped the primary queue, which the policies set differently.
   */
  readonly secondLineAssists: { readonly answered: number; readonly shortestWaitSeconds: number };
}

/** Per slot of the span (the forecast's interval length), in time order. */
export interface PeakSeries {
  readonly slotStartMs: number;
  readonly slotMinutes: number;
  /** Calls (primary and second line) answered in time, and judged (answered + counted abandons), by arrival slot. */
  readonly voiceInTime: number[];
  readonly voiceJudged: number[];
  readonly chatInTime: number[];
  readonly chatJudged: number[];
  /** The oldest contact's wait in the primary queue (calls and chats), seconds: the most seen in the slot's samples. */
  readonly primaryOldestWait: number[];
  /** Contacts waiting per queue: the mean of the slot's samples. */
  readonly waiting: Readonly<Record<(typeof QUEUE_IDS)[number], number[]>>;
  /** Share of the slot's samples with the primary queue in OVERFLOW, and in DEFLECT. */
  readonly overflowShare: number[];
  readonly deflectShare: number[];
}

interface Arrivals {
  readonly at: Float64Array;
  readonly channel: Uint8Array;
  readonly handling: Float64Array;
}

const CHANNEL_CODES: readonly PlanningChannel[] = ['voice', 'chat', 'email', 'task'];
const MINUTE_MS = 60_000;

/** A row before any contact: what a replication starts from, and what rows are added up onto. */
export const emptyRow = (): RowCounts => ({
  offered: 0,
  answered: 0,
  answeredInTime: 0,
  abandoned: 0,
  abandonedCounted: 0,
  answeredWaitSeconds: 0,
  longestWaitSeconds: 0,
  waitingAtEnd: 0,
  closed: 0,
});

/** Poisson arrivals per interval and channel (exponential gaps at the interval's rate), in time order. */
const drawArrivals = (input: PeakInput, random: Random): Arrivals => {
  const at: number[] = [];
  const channel: number[] = [];
  const handling: number[] = [];
  const sorted = [...input.intervals].sort((a, b) =>
    a.start === b.start
      ? CHANNEL_CODES.indexOf(a.channel) - CHANNEL_CODES.indexOf(b.channel)
      : a.start < b.start
        ? -1
        : 1,
  );
  // Intervals of one length that start together cover the same span, and later starts come later: then
  // sorting each start's arrivals is sorting them all, at a fraction of one sort over the day.
  const uniform = sorted.every((i) => i.minutes === sorted[0]?.minutes);
  const groups: number[] = [0];
  let groupStart: string | undefined;
  for (const interval of sorted) {
    if (interval.start !== groupStart) {
      groupStart = interval.start;
      groups.push(at.length);
    }
    const mean = interval.contacts * input.scenario;
    if (!(mean > 0)) continue;
    const start = Date.parse(interval.start);
    const end = start + interval.minutes * MINUTE_MS;
    const gap = (interval.minutes * MINUTE_MS) / mean;
    const code = CHANNEL_CODES.indexOf(interval.channel);
    for (let t = start + random.exponential(gap); t < end; t += random.exponential(gap)) {
      at.push(t);
      channel.push(code);
      handling.push(
        input.handlingCv === undefined
          ? random.exponential(interval.ahtSeconds)
          : random.lognormal(interval.ahtSeconds, input.handlingCv),
      );
    }
  }
  groups.push(at.length);
  const byTime = (a: number, b: number) => (at[a] ?? 0) - (at[b] ?? 0) || a - b;
  let order: number[];
  if (uniform) {
    order = [];
    for (let g = 1; g < groups.length; g += 1) {
      const from = groups[g - 1] ?? 0;
      const to = groups[g] ?? 0;
      const part = Array.from({ length: to - from }, (_, k) => from + k).sort(byTime);
      for (const i of part) order.push(i);
    }
  } else {
    order = Array.from(at.keys()).sort(byTime);
  }
  return {
    at: Float64Array.from(order, (i) => at[i] ?? 0),
    channel: Uint8Array.from(order, (i) => channel[i] ?? 0),
    handling: Float64Array.from(order, (i) => handling[i] ?? 0),
  };
};

/** The centre's opening periods [open, close) that touch [from, to), from the weekly hours in its zone. */
export const openingPeriods = (
  hours: PeakInput['hours'],
  from: number,
  to: number,
): { open: number; close: number }[] => {
  const periods: { open: number; close: number }[] = [];
  let day = DateTime.fromMillis(from, { zone: hours.timeZone }).startOf('day').minus({ days: 1 });
  while (day.toMillis() < to) {
    const window = hours.weekly[WEEKDAYS[day.weekday - 1] ?? 'mon'];
    if (window !== undefined) {
      const date = day.toISODate();
      const open = DateTime.fromISO(`${date}T${window.open}`, { zone: hours.timeZone }).toMillis();
      const close = DateTime.fromISO(`${date}T${window.close}`, { zone: hours.timeZone }).toMillis();
      if (close > from && open < to && close > open) periods.push({ open, close });
    }
    day = day.plus({ days: 1 });
  }
  return periods;
};

export const runPeak = async (
  input: PeakInput,
  seed: number,
  replication: number,
): Promise<PeakReplication> => {
  const problems = peakInputProblems(input);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const random = new Random(streamSeed(seed, replication, 2));
  const arrivals = drawArrivals(input, random);
  const flowRandom = new Random(streamSeed(seed, replication, 3));
  // Its own stream: which callers the router shares with the second line must not shift the menu's draws.
  const routerRandom = new Random(streamSeed(seed, replication, 4));
  // Its own stream, made only with a share: at 0 every other draw, so every figure, is what it was.
  const statusOnly = input.statusOnlyShare ?? 0;
  const statusRandom = statusOnly > 0 ? new Random(streamSeed(seed, replication, 5)) : undefined;
  let contained = 0;
  const policy = input.policy ?? DEFAULT_ROUTING_POLICY;
  // Only peakline runs the controller and asks the router; the others send every caller to the primary queue.
  const controlled = policy === 'peakline';

  const spanStart = Math.min(...input.intervals.map((i) => Date.parse(i.start)));
  const spanEnd = Math.max(...input.intervals.map((i) => Date.parse(i.start) + i.minutes * MINUTE_MS));
  const slotMinutes = Math.min(...input.intervals.map((i) => i.minutes));
  const slotMs = slotMinutes * MINUTE_MS;
  const slots = Math.ceil((spanEnd - spanStart) / slotMs);
  const slotOf = (ms: number) => Math.min(slots - 1, Math.max(0, Math.floor((ms - spanStart) / slotMs)));

  const simulator = createContactCentre(spanStart, streamSeed(seed, replication, 1), {
    patienceSeconds: { VOICE: input.patienceSeconds.voice, CHAT: input.patienceSeconds.chat },
    serviceLevel: { thresholdSeconds: input.targetSeconds, shortAbandonSeconds: input.shortAbandonSeconds },
    recentContacts: 0,
    handlingFactor: {
      chat2: { CHAT: chatHandlingFactor(input, 2) },
      chat4: { CHAT: chatHandlingFactor(input, 4) },
      chat6: { CHAT: chatHandlingFactor(input, 6) },
    },
    // peakline keeps the stage's assist delay, as its routing profile is deployed; none takes the primary
    // queue away from the second line; connect-delay offers it the calls that waited the enter threshold.
    secondLineAssistDelaySeconds:
      policy === 'none'
        ? Number.POSITIVE_INFINITY
        : policy === 'connect-delay'
          ? input.overflow.thresholds.enterWaitSeconds
          : input.overflow.secondLineAssistDelaySeconds,
  });

  // ---- what is counted ------------------------------------------------------------------------------
  const rows = Object.fromEntries(PEAK_ROWS.map((r) => [r.key, emptyRow()])) as Record<PeakRowKey, RowCounts>;
  const series: PeakSeries = {
    slotStartMs: spanStart,
    slotMinutes,
    voiceInTime: new Array<number>(slots).fill(0),
    voiceJudged: new Array<number>(slots).fill(0),
    chatInTime: new Array<number>(slots).fill(0),
    chatJudged: new Array<number>(slots).fill(0),
    primaryOldestWait: new Array<number>(slots).fill(0),
    waiting: Object.fromEntries(
      QUEUE_IDS.map((q) => [q, new Array<number>(slots).fill(0)]),
    ) as PeakSeries['waiting'],
    overflowShare: new Array<number>(slots).fill(0),
    deflectShare: new Array<number>(slots).fill(0),
  };
  const samplesInSlot = new Array<number>(slots).fill(0);
  const thresholdMs = (key: PeakRowKey): number =>
    key === 'primary-voice' || key === 'secondLine-voice' || key === 'primary-chat'
      ? input.targetSeconds * 1000
      : key === 'accounting-email'
        ? input.replySeconds.email * 1000
        : input.replySeconds.task * 1000;
  const rowOf = (queueId: string, channel: Channel, kind: string | undefined): PeakRowKey | undefined => {
    if (queueId === 'primary')
      return channel === 'VOICE' ? 'primary-voice' : channel === 'CHAT' ? 'primary-chat' : undefined;
    if (queueId === 'secondLine') return 'secondLine-voice';
    if (queueId === 'callback') return channel === 'VOICE' ? 'callback-voice' : undefined;
    if (queueId === 'accounting') return kind === 'email' ? 'accounting-email' : 'accounting-task';
    return undefined;
  };
  const shortAbandonMs = input.shortAbandonSeconds * 1000;
  // The second-line agents' user ids, filled as they log in, to tell their primary calls apart.
  const secondLineAgents = new Set<string>();
  const secondLineAssists = { answered: 0, shortestWaitSeconds: Number.POSITIVE_INFINITY };
  simulator.onContactEvent((event) => {
    if (event.type === 'completed') return;
    if (
      event.type === 'answered' &&
      event.queueId === 'primary' &&
      event.channel === 'VOICE' &&
      event.userId !== undefined &&
      secondLineAgents.has(event.userId)
    ) {
      secondLineAssists.answered += 1;
      secondLineAssists.shortestWaitSeconds = Math.min(
        secondLineAssists.shortestWaitSeconds,
        event.waitSeconds,
      );
    }
    const key = rowOf(event.queueId, event.channel, event.attributes.kind);
    if (key === undefined) return;
    const row = rows[key];
    const waitMs = event.waitSeconds * 1000;
    row.offered += 1;
    if (event.waitSeconds > row.longestWaitSeconds) row.longestWaitSeconds = event.waitSeconds;
    const slot = slotOf(event.time - waitMs);
    const inTime = event.type === 'answered' && waitMs <= thresholdMs(key);
    const judged = event.type === 'answered' || waitMs > shortAbandonMs;
    if (event.type === 'answered') {
      row.answered += 1;
      row.answeredWaitSeconds += event.waitSeconds;
      if (inTime) row.answeredInTime += 1;
    } else {
      row.abandoned += 1;
      if (judged) row.abandonedCounted += 1;
    }
    if (key === 'primary-voice' || key === 'secondLine-voice') {
      if (inTime) series.voiceInTime[slot] = (series.voiceInTime[slot] ?? 0) + 1;
      if (judged) series.voiceJudged[slot] = (series.voiceJudged[slot] ?? 0) + 1;
    } else if (key === 'primary-chat') {
      if (inTime) series.chatInTime[slot] = (series.chatInTime[slot] ?? 0) + 1;
      if (judged) series.chatJudged[slot] = (series.chatJudged[slot] ?? 0) + 1;
    }
  });

  // ---- the routing world: controller, routing table, router, inbound flow -----------------------------
  const store = new InMemoryRoutingStateStore(() => simulator.now);
  const router = new OverflowRouter(store, {
    queueArns: {
      primary: 'primary',
      secondLine: 'secondLine',
      callback: 'callback',
      accounting: 'accounting',
    },
    cacheMs: input.overflow.routerCacheSeconds * 1000,
    nowMs: () => simulator.now,
    random: () => routerRandom.next(),
  });
  let sampled: QueueMetrics[] = [];
  const contactCentre: Pick<ContactCentre, 'getCurrentMetrics'> = {
    // The controller's own metrics call, asked for every queue so the report sees the second line too.
    getCurrentMetrics: async (ids) => {
      sampled = await simulator.getCurrentMetrics(QUEUE_IDS);
      return ids.map((id) => sampled.find((m) => m.queueId === id) ?? (sampled[0] as QueueMetrics));
    },
  };
  const deps: ControllerDeps = {
    contactCentre,
    store,
    events: { publish: async () => undefined },
    ops: { notify: async () => undefined },
    clock: { now: () => new Date(simulator.now) },
  };
  // As the Lambda's environment makes them: the primary queue judged on its calls' expected wait, the
  // callback queue on its oldest contact; the second line in the same metrics call.
  const settings: ControllerSettings = {
    queues: input.overflow.queues.map((key) =>
      key === 'primary'
        ? { key, metricsId: key, queueId: key, channel: 'VOICE' as const, signal: 'expected-wait' as const }
        : { key, metricsId: key, queueId: key, signal: 'oldest-contact' as const, routesCallers: false },
    ),
    thresholds: input.overflow.thresholds,
    stateMaxAgeSeconds: input.overflow.stateMaxAgeSeconds,
    waitModel: input.overflow.waitModel,
    secondLine: { metricsId: 'secondLine', ...input.overflow.secondLine },
  };
  const sms = input.sms;
  const partsByDay = new Map<string, number>();
  let smsSent = 0;
  let smsOverCap = 0;
  const flow = new InboundFlow({
    simulator,
    // Without the controller the routing table stays empty: the router's own fallback, the primary queue.
    route: async () => (controlled ? (await router.route('primary')).answer : router.fallbackAnswer()),
    random: flowRandom,
    choices: input.menu,
    ...(sms === undefined
      ? {}
      : {
          // The Lambda's guard on spend: parts per UTC day (the deflection SMS's own day key).
          sendDeflectionSms: async () => {
            const day = new Date(simulator.now).toISOString().slice(0, 10);
            const total = (partsByDay.get(day) ?? 0) + sms.parts;
            if (total > sms.dailyPartCap) {
              smsOverCap += 1;
              return false;
            }
            partsByDay.set(day, total);
            smsSent += 1;
            return true;
          },
        }),
  });

  // ---- the overflow states, sample by sample ---------------------------------------------------------
  const overflow: Record<string, OverflowCounts> = Object.fromEntries(
    input.overflow.queues.map((q) => [
      q,
      { entries: 0, changes: 0, overflowMinutes: 0, deflectMinutes: 0, periods: [] },
    ]),
  );
  const current: Record<string, { state: RoutingState; since: number }> = Object.fromEntries(
    input.overflow.queues.map((q) => [q, { state: 'NORMAL' as RoutingState, since: spanStart }]),
  );
  const closePeriod = (queue: string, at: number) => {
    const c = current[queue];
    const o = overflow[queue];
    if (c === undefined || o === undefined || at <= c.since) return;
    o.periods.push({ state: c.state, from: new Date(c.since).toISOString(), to: new Date(at).toISOString() });
    if (c.state === 'OVERFLOW') o.overflowMinutes += (at - c.since) / MINUTE_MS;
    if (c.state === 'DEFLECT') o.deflectMinutes += (at - c.since) / MINUTE_MS;
  };
  const sample = async () => {
    // Without the controller the report still samples the queues (for its charts), as ops' dashboard would.
    if (controlled) await takeSample(deps, settings);
    else sampled = await simulator.getCurrentMetrics(QUEUE_IDS);
    const now = simulator.now;
    for (const queue of input.overflow.queues) {
      const state = store.peek(queue)?.state ?? 'NORMAL';
      const c = current[queue];
      const o = overflow[queue];
      if (c === undefined || o === undefined || state === c.state) continue;
      closePeriod(queue, now);
      if (c.state === 'NORMAL') o.entries += 1;
      o.changes += 1;
      current[queue] = { state, since: now };
    }
    if (now >= spanEnd) return;
    const slot = slotOf(now);
    samplesInSlot[slot] = (samplesInSlot[slot] ?? 0) + 1;
    for (const m of sampled) {
      const waiting = series.waiting[m.queueId as (typeof QUEUE_IDS)[number]];
      if (waiting !== undefined) waiting[slot] = (waiting[slot] ?? 0) + m.contactsInQueue;
      if (m.queueId === 'primary') {
        series.primaryOldestWait[slot] = Math.max(
          series.primaryOldestWait[slot] ?? 0,
          m.oldestContactAgeSeconds,
        );
      }
    }
    const primary = current.primary?.state;
    if (primary === 'OVERFLOW') series.overflowShare[slot] = (series.overflowShare[slot] ?? 0) + 1;
    if (primary === 'DEFLECT') series.deflectShare[slot] = (series.deflectShare[slot] ?? 0) + 1;
  };

  // ---- agents over the opening hours -----------------------------------------------------------------
  const periods = openingPeriods(input.hours, spanStart, spanEnd);
  const agentsLoggedIn: Record<string, number> = {};
  for (const type of SEAT_TYPES) {
    const profile = SEAT_TYPE_SPECS[type].routingProfile;
    // The epsilon keeps 20 seats at 30% shrinkage at 14 agents, not 13.999…
    agentsLoggedIn[profile] = Math.floor(input.seats[type] * (1 - input.shrinkage) + 1e-9);
  }
  const shifts: { at: number; online: boolean }[] = periods
    .flatMap((p) => [
      { at: Math.max(p.open, spanStart), online: true },
      { at: p.close, online: false },
    ])
    .filter((s) => s.at >= spanStart)
    .sort((a, b) => a.at - b.at);
  const taskAt: number[] = [];
  const taskKind: string[] = [];

  // ---- the loop: shifts, then samples, then arrivals, in time order -----------------------------------
  const sampleMs = 60_000 / input.overflow.samplesPerMinute;
  let nextSample = spanStart;
  let shift = 0;
  let arrival = 0;
  let open = false;
  const count = arrivals.at.length;
  for (;;) {
    const shiftAt = shifts[shift]?.at ?? Infinity;
    const arrivalAt = arrival < count ? (arrivals.at[arrival] ?? Infinity) : Infinity;
    const at = Math.min(shiftAt, nextSample, arrivalAt);
    if (at >= spanEnd && arrivalAt === Infinity) break;
    simulator.advanceTo(at);
    if (at === shiftAt) {
      const s = shifts[shift++];
      if (s === undefined) continue;
      open = s.online;
      for (const [profile, n] of Object.entries(agentsLoggedIn)) {
        if (n === 0) continue;
        const ids = simulator.setAgentsOnline(profile, s.online ? n : 0);
        if (profile === 'secondLine') for (const id of ids) secondLineAgents.add(id);
      }
      continue;
    }
    if (at === nextSample) {
      await sample();
      nextSample += sampleMs;
      continue;
    }
    const code = arrivals.channel[arrival] ?? 0;
    const handlingSeconds = arrivals.handling[arrival] ?? 0;
    arrival += 1;
    const channel = CHANNEL_CODES[code];
    if (channel === 'voice' || channel === 'chat') {
      // Shifts at the same instant ran first, so `open` is the centre's state at the arrival.
      if (!open) {
        rows[channel === 'voice' ? 'primary-voice' : 'primary-chat'].closed += 1;
        continue;
      }
      if (channel === 'voice') {
        // Drawn here rather than through the flow's order-status lookup: no promise per caller on this path.
        if (statusRandom !== undefined && statusRandom.next() < statusOnly) contained += 1;
        else await flow.call({ at, phone: '', handlingSeconds });
      } else simulator.arrive({ channel: 'CHAT', queueId: 'primary', handlingSeconds });
    } else {
      const kind = channel ?? 'task';
      taskAt.push(at);
      taskKind.push(kind);
      simulator.arriveTask({ queueId: 'accounting', handlingSeconds, attributes: { kind } });
    }
  }
  // After the span: the agents finish (or the centre closes), callers still waiting hang up in time; tasks
  // nobody will take before the next opening are counted as waiting at the end.
  for (let next = simulator.nextEventAt(); next !== undefined; next = simulator.nextEventAt()) {
    simulator.advanceTo(next);
    if (shift < shifts.length && (shifts[shift]?.at ?? Infinity) <= next) {
      const s = shifts[shift++];
      for (const [profile, n] of Object.entries(agentsLoggedIn)) {
        if (n === 0 || s === undefined) continue;
        const ids = simulator.setAgentsOnline(profile, s.online ? n : 0);
        if (profile === 'secondLine') for (const id of ids) secondLineAgents.add(id);
      }
    }
  }
  const end = Math.max(simulator.now, spanEnd);
  for (const queue of input.overflow.queues) closePeriod(queue, end);
  // Calls and chats still waiting (only when nobody hangs up and nobody answers).
  for (const stats of simulator.queueStats()) {
    for (const channel of ['VOICE', 'CHAT'] as const) {
      const key = rowOf(stats.queueId, channel, undefined);
      if (key !== undefined) rows[key].waitingAtEnd += stats.byChannel[channel].waiting;
    }
  }
  // Tasks wait first in, first out and never leave: the ones still waiting are the last ones to arrive.
  const tasksWaiting = simulator.queueStats('accounting').byChannel.TASK.waiting;
  for (let i = taskAt.length - tasksWaiting; i < taskAt.length; i += 1) {
    const row = rows[taskKind[i] === 'email' ? 'accounting-email' : 'accounting-task'];
    row.waitingAtEnd += 1;
    row.longestWaitSeconds = Math.max(row.longestWaitSeconds, (end - (taskAt[i] ?? end)) / 1000);
  }
  for (const row of Object.values(rows)) row.offered += row.waitingAtEnd;
  for (let slot = 0; slot < slots; slot += 1) {
    const n = samplesInSlot[slot] ?? 0;
    if (n === 0) continue;
    for (const q of QUEUE_IDS) series.waiting[q][slot] = (series.waiting[q][slot] ?? 0) / n;
    series.overflowShare[slot] = (series.overflowShare[slot] ?? 0) / n;
    series.deflectShare[slot] = (series.deflectShare[slot] ?? 0) / n;
  }
  const outcomes = flow.stats();
  return {
    arrivals: count,
    rows,
    calls: { queued: outcomes.queued, overflowed: outcomes.overflowed, contained },
    deflection: {
      offered: outcomes['kept-waiting'] + outcomes.callback + outcomes.sms,
      keptWaiting: outcomes['kept-waiting'],
      callbacks: outcomes.callback,
      smsSent,
      smsParts: smsSent * (sms?.parts ?? 0),
      smsOverCap,
    },
    overflow,
    series,
    agentsLoggedIn,
    policy,
    secondLineAssists,
  };
};
