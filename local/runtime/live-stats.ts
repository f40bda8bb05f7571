/**
 * Today's figures for the local dashboard (`/api/stats` and the charts under `/api/charts/`), kept as the
 * local stack runs: the simulator's contact events, every line the outbox gets, the callbacks announced on
 * the bus, and a sample of the queues and their routing state each virtual minute.
 *
 * "Today" is the virtual day in the contact centre's zone: everything resets at that zone's midnight.
 * Memory is bounded by a day's minutes (a few arrays of 1440 numbers), never by the number of contacts, so
 * a load run of a hundred thousand calls costs what a quiet evening costs; the only per-item memory is the
 * set of today's callback carts, which keeps a callback announced twice (EventBridge delivers at least
 * once) from counting twice.
 */
import { DateTime } from 'luxon';
import type { ChartBand, ChartSeries, ChartSpec } from '#cli/report/charts.js';
import type { Channel } from '#core/ports.js';
import type { ContactEvent } from '#simulator/connect/index.js';
import { CONTAINED_OUTCOMES, type InboundOutcome } from '#simulator/inbound-flow.js';
import type { SmsRecord, SmsStatus } from './records.js';

const MINUTE_MS = 60_000;
const INTERVAL_MINUTES = 15;
const STATES = ['NORMAL', 'OVERFLOW', 'DEFLECT'] as const;
type StateName = (typeof STATES)[number];
const SMS_STATUSES: readonly SmsStatus[] = ['SENT', 'DEFERRED', 'SUPPRESSED'];
/** The page sets the wait chart across its width and the other two side by side, at about these sizes. */
const HALF_WIDTH = { width: 600, height: 300 } as const;

export interface LiveStatsOptions {
  /** The contact centre's zone (`connect.timeZone`): its midnight starts a new day. */
  readonly timeZone: string;
  /** A call answered within this many seconds counts as answered in time (`reports.serviceLevelSeconds`). */
  readonly serviceLevelSeconds: number;
  /** The agreed share answered in time (`reports.serviceLevelTarget`): the page colours the tile by it. */
  readonly serviceLevelTarget: number;
  /** A caller who hangs up within this many seconds is neither missed nor counted by the service level. */
  readonly shortAbandonSeconds: number;
  /** The queues whose waits are charted, in order, with the names the page shows. */
  readonly queues: readonly { readonly id: string; readonly name: string }[];
  /** The queue whose OVERFLOW and DEFLECT time is counted and drawn as bands. */
  readonly primaryQueueId: string;
}

/** One queue as the per-minute sample sees it. */
export interface QueueSample {
  readonly id: string;
  readonly oldestWaitSeconds: number;
  /** The overflow controller's expected wait of a new caller (its last sample); null for a queue it does not watch. */
  readonly expectedWaitSeconds: number | null;
  readonly routingState: string;
}

export interface MinuteSample {
  readonly at: number;
  readonly queues: readonly QueueSample[];
  /** Calls that ever reached a queue (the simulator's counter, every queue): arrivals are its increase. */
  readonly callsArrived: number;
}

/** What is true at the moment the tiles are asked for. */
export interface LiveNow {
  readonly at: number;
  readonly callsArrived: number;
  readonly callsWaiting: number;
  readonly agentsBusy: number;
  readonly agentsOnline: number;
}

export interface LiveTiles {
  /** The virtual day the figures are for, YYYY-MM-DD in `timeZone`. */
  readonly day: string;
  readonly timeZone: string;
  readonly now: string;
  readonly calls: {
    /** Calls that reached a queue today, the ones still waiting included. */
    readonly offered: number;
    readonly answered: number;
    /** Every caller who hung up while waiting. */
    readonly abandoned: number;
    /** Callers who hung up after the short-abandon allowance: "nieodebrane", the calls the shop lost. */
    readonly missed: number;
    readonly waiting: number;
    readonly answeredInTime: number;
    /** answeredInTime / (answered + missed), 0 to 1; null before anyone is answered or missed. */
    readonly serviceLevel: number | null;
    readonly serviceLevelSeconds: number;
    readonly serviceLevelTarget: number;
    readonly shortAbandonSeconds: number;
    /** Mean wait of the calls answered today, seconds; null before the first. */
    readonly asaSeconds: number | null;
  };
  readonly agents: { readonly busy: number; readonly online: number };
  /** Contacts agents completed today, every channel (a callback or payment task is a case too). */
  readonly casesClosed: number;
  readonly casesClosedByChannel: Readonly<Record<Channel, number>>;
  readonly sms: {
    readonly sent: number;
    readonly parts: number;
    readonly deferred: number;
    readonly suppressed: number;
    readonly suppressedByReason: Readonly<Record<string, number>>;
  };
  readonly callbacks: { readonly scheduled: number; readonly created: number };
  /**
   * The order status told before the queue (issue 15), over today's calls through the inbound flow: the
   * callers it contained (hung up after the status, or took the tracking link by SMS), and of them the links.
   */
  readonly orderStatus: {
    /** Calls that went through the inbound flow today (contained or not). */
    readonly calls: number;
    readonly contained: number;
    readonly linksSent: number;
    /** contained / calls, 0 to 1; null before the first call. */
    readonly share: number | null;
  };
  /** Minutes the primary queue spent in OVERFLOW or DEFLECT today (from the per-minute samples). */
  readonly overflowMinutes: number;
  readonly deflectMinutes: number;
  /** The primary queue's routing state at the last sample. */
  readonly routingState: string;
  /** Changes when the charts do (one more minute sampled): the page fetches them again only then. */
  readonly chartsVersion: number;
}

export type LiveChartName = 'wait' | 'arrivals' | 'sms';
export const LIVE_CHARTS: readonly LiveChartName[] = ['wait', 'arrivals', 'sms'];

const stateOf = (value: string): StateName =>
  (STATES as readonly string[]).includes(value) ? (value as StateName) : 'NORMAL';

/** One virtual day's figures. */
class Day {
  readonly minutes: number;
  answered = 0;
  answeredInTime = 0;
  waitSecondsSum = 0;
  abandoned = 0;
  missed = 0;
  readonly closed: Record<Channel, number> = { VOICE: 0, CHAT: 0, TASK: 0 };
  smsParts = 0;
  readonly sms: Record<SmsStatus, number> = { SENT: 0, DEFERRED: 0, SUPPRESSED: 0 };
  readonly suppressedByReason = new Map<string, number>();
  readonly callbackCarts = { scheduled: new Set<string>(), created: new Set<string>() };
  inboundCalls = 0;
  contained = 0;
  linksSent = 0;
  readonly stateMs: Record<StateName, number> = { NORMAL: 0, OVERFLOW: 0, DEFLECT: 0 };
  // Per minute of the day; NaN / -1: not sampled.
  readonly arrivals: Int32Array;
  readonly answeredPerMinute: Int32Array;
  readonly smsPerMinute: Record<SmsStatus, Int32Array>;
  readonly oldestWait: Map<string, Float64Array>;
  readonly expectedWait: Float64Array;
  readonly primaryState: Int8Array;
  /** The first and last minute with anything in them: the charts' x axis. */
  firstMinute = Number.POSITIVE_INFINITY;
  lastMinute = Number.NEGATIVE_INFINITY;

  constructor(
    readonly key: string,
    readonly startMs: number,
    readonly endMs: number,
    /** The arrivals counter when the day began (for the first day, when the stats began). */
    readonly arrivedBase: number,
    queueIds: readonly string[],
  ) {
    // 1380 or 1500 on the days the clocks change.
    this.minutes = Math.round((endMs - startMs) / MINUTE_MS);
    const nan = () => new Float64Array(this.minutes).fill(Number.NaN);
    this.arrivals = new Int32Array(this.minutes);
    this.answeredPerMinute = new Int32Array(this.minutes);
    this.smsPerMinute = {
      SENT: new Int32Array(this.minutes),
      DEFERRED: new Int32Array(this.minutes),
      SUPPRESSED: new Int32Array(this.minutes),
    };
    this.oldestWait = new Map(queueIds.map((id) => [id, nan()]));
    this.expectedWait = nan();
    this.primaryState = new Int8Array(this.minutes).fill(-1);
  }

  minuteOf(ms: number): number {
    return Math.min(this.minutes - 1, Math.max(0, Math.floor((ms - this.startMs) / MINUTE_MS)));
  }

  touch(minute: number): void {
    this.firstMinute = Math.min(this.firstMinute, minute);
    this.lastMinute = Math.max(this.lastMinute, minute);
  }
}

export class LiveStats {
  private day: Day;
  /** The primary queue's state at the last sample, and when that was: the state holds until the next. */
  private last: { at: number; state: StateName } | undefined;
  /** The arrivals counter at the last sample (at the start, before the first): arrivals are its increase. */
  private arrivalsSeen: { at: number; count: number };
  private version = 0;

  /** `callsArrived`: the arrivals counter at `startMs` (0 for a simulator that starts with the stats). */
  constructor(
    private readonly options: LiveStatsOptions,
    startMs: number,
    callsArrived = 0,
  ) {
    this.day = this.newDay(startMs, callsArrived);
    this.arrivalsSeen = { at: startMs, count: callsArrived };
  }

  /** Changes when the charts do: one more minute sampled, or a new day. */
  get chartsVersion(): number {
    return this.version;
  }

  /** A contact answered, abandoned or completed (the simulator's `onContactEvent`). */
  contact(event: ContactEvent): void {
    const day = this.dayAt(event.time);
    if (!day) return;
    if (event.type === 'completed') {
      day.closed[event.channel] += 1;
      return;
    }
    if (event.channel !== 'VOICE') return;
    if (event.type === 'answered') {
      day.answered += 1;
      day.waitSecondsSum += event.waitSeconds;
      if (event.waitSeconds <= this.options.serviceLevelSeconds) day.answeredInTime += 1;
      const minute = day.minuteOf(event.time);
      day.answeredPerMinute[minute] = (day.answeredPerMinute[minute] ?? 0) + 1;
      day.touch(minute);
    } else {
      day.abandoned += 1;
      if (event.waitSeconds > this.options.shortAbandonSeconds) day.missed += 1;
    }
  }

  /** A line the outbox got, at virtual `atMs`: a decision to defer or suppress, or an SMS SNS accepted. */
  sms(record: SmsRecord, atMs: number): void {
    const day = this.dayAt(atMs);
    if (!day) return;
    day.sms[record.status] += 1;
    if (record.status === 'SENT') day.smsParts += record.segments;
    if (record.status === 'SUPPRESSED') {
      const reason = record.reason ?? 'unknown';
      day.suppressedByReason.set(reason, (day.suppressedByReason.get(reason) ?? 0) + 1);
    }
    const minute = day.minuteOf(atMs);
    const perMinute = day.smsPerMinute[record.status];
    perMinute[minute] = (perMinute[minute] ?? 0) + 1;
    day.touch(minute);
  }

  /** A callback scheduled for a cart, or its task created, announced on the bus at virtual `atMs`. */
  callback(kind: 'scheduled' | 'created', cartId: string, atMs: number): void {
    this.dayAt(atMs)?.callbackCarts[kind].add(cartId);
  }

  /**
   * Where a call through the inbound flow ended (the demo's callers, `/api/calls`), at virtual `atMs`: a
   * caller the order status contained never reaches a queue, so the simulator's counters cannot see them.
   */
  inboundOutcome(outcome: InboundOutcome, atMs: number): void {
    const day = this.dayAt(atMs);
    if (!day) return;
    day.inboundCalls += 1;
    if (CONTAINED_OUTCOMES.has(outcome)) day.contained += 1;
    if (outcome === 'sms-sent') day.linksSent += 1;
  }

  /** The queues and their routing state, once a virtual minute. */
  sample(sample: MinuteSample): void {
    const day = this.dayAt(sample.at);
    if (!day) return;
    const minute = day.minuteOf(sample.at);
    const last = this.last;
    // Time and arrivals before midnight are gone with yesterday.
    if (last !== undefined && last.at <= sample.at) {
      // The state seen at the last sample is taken to hold until this one.
      day.stateMs[last.state] += sample.at - Math.max(last.at, day.startMs);
    }
    if (this.arrivalsSeen.at <= sample.at) {
      const arrivalMinute = day.minuteOf(Math.max(this.arrivalsSeen.at, day.startMs));
      const arrived = Math.max(0, sample.callsArrived - this.arrivalsSeen.count);
      day.arrivals[arrivalMinute] = (day.arrivals[arrivalMinute] ?? 0) + arrived;
      if (arrived > 0) day.touch(arrivalMinute);
    }
    this.arrivalsSeen = { at: sample.at, count: sample.callsArrived };
    let state: StateName = 'NORMAL';
    for (const queue of sample.queues) {
      const waits = day.oldestWait.get(queue.id);
      if (waits) waits[minute] = queue.oldestWaitSeconds;
      if (queue.id === this.options.primaryQueueId) {
        state = stateOf(queue.routingState);
        day.primaryState[minute] = STATES.indexOf(state);
        if (queue.expectedWaitSeconds !== null) day.expectedWait[minute] = queue.expectedWaitSeconds;
      }
    }
    day.touch(minute);
    this.last = { at: sample.at, state };
    this.version += 1;
  }

  /** Today's tiles, as of `now`. */
  tiles(now: LiveNow): LiveTiles {
    const day = this.dayAt(now.at) ?? this.day;
    const last = this.last;
    // The time since the last sample counts with the state that sample saw, so the tile moves between samples.
    const sinceLast = last !== undefined && now.at > last.at ? now.at - Math.max(last.at, day.startMs) : 0;
    const stateMinutes = (state: StateName) =>
      (day.stateMs[state] + (last?.state === state ? sinceLast : 0)) / MINUTE_MS;
    const counted = day.answered + day.missed;
    return {
      day: day.key,
      timeZone: this.options.timeZone,
      now: new Date(now.at).toISOString(),
      calls: {
        offered: Math.max(0, now.callsArrived - day.arrivedBase),
        answered: day.answered,
        abandoned: day.abandoned,
        missed: day.missed,
        waiting: now.callsWaiting,
        answeredInTime: day.answeredInTime,
        serviceLevel: counted === 0 ? null : day.answeredInTime / counted,
        serviceLevelSeconds: this.options.serviceLevelSeconds,
        serviceLevelTarget: this.options.serviceLevelTarget,
        shortAbandonSeconds: this.options.shortAbandonSeconds,
        asaSeconds: day.answered === 0 ? null : day.waitSecondsSum / day.answered,
      },
      agents: { busy: now.agentsBusy, online: now.agentsOnline },
      casesClosed: day.closed.VOICE + day.closed.CHAT + day.closed.TASK,
      casesClosedByChannel: { ...day.closed },
      sms: {
        sent: day.sms.SENT,
        parts: day.smsParts,
        deferred: day.sms.DEFERRED,
        suppressed: day.sms.SUPPRESSED,
        suppressedByReason: Object.fromEntries(day.suppressedByReason),
      },
      callbacks: {
        scheduled: day.callbackCarts.scheduled.size,
        created: day.callbackCarts.created.size,
      },
      orderStatus: {
        calls: day.inboundCalls,
        contained: day.contained,
        linksSent: day.linksSent,
        share: day.inboundCalls === 0 ? null : day.contained / day.inboundCalls,
      },
      overflowMinutes: stateMinutes('OVERFLOW') + stateMinutes('DEFLECT'),
      deflectMinutes: stateMinutes('DEFLECT'),
      routingState: last?.state ?? 'NORMAL',
      chartsVersion: this.version,
    };
  }

  /** What the chart shows, ready for `chartSvg`. */
  chart(name: LiveChartName): ChartSpec {
    const day = this.day;
    const first = Number.isFinite(day.firstMinute) ? day.firstMinute : 0;
    const last = Number.isFinite(day.lastMinute) ? day.lastMinute : 0;
    if (name === 'arrivals') return this.arrivalsChart(day, first, last);
    const minutes = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    const categories = minutes.map((m) => this.label(day, m));
    if (name === 'sms') {
      const names: Record<SmsStatus, string> = {
        SENT: 'sent',
        DEFERRED: 'deferred (quiet hours)',
        SUPPRESSED: 'suppressed',
      };
      return {
        title: `SMS per minute, ${day.key}`,
        categories,
        yName: 'SMS',
        ...HALF_WIDTH,
        series: SMS_STATUSES.map((status) => ({
          name: names[status],
          // Lines, not bars: a day's minutes as bars make an SVG many times the size, drawn as often as
          // the page refreshes. Not stacked: the few suppressed would ride on top of the sent and read as
          // the largest.
          area: status === 'SENT',
          data: minutes.map((m) => day.smsPerMinute[status][m] ?? 0),
        })),
      };
    }
    const gap = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? null : value);
    const series: ChartSeries[] = this.options.queues.map((queue) => ({
      name: `${queue.name}: oldest wait`,
      data: minutes.map((m) => gap(day.oldestWait.get(queue.id)?.[m])),
    }));
    const primary = this.options.queues.find((q) => q.id === this.options.primaryQueueId);
    series.splice(1, 0, {
      name: `${primary?.name ?? this.options.primaryQueueId}: expected wait`,
      data: minutes.map((m) => gap(day.expectedWait[m])),
      step: true,
    });
    return {
      title: `Wait per queue, sampled each minute, ${day.key} (shaded: ${primary?.name ?? 'primary'} in OVERFLOW or DEFLECT)`,
      categories,
      yName: 'seconds',
      width: 1200,
      height: 340,
      series,
      bands: this.bands(day, minutes, categories),
    };
  }

  /** The stretches of minutes the primary queue was out of NORMAL, one band per stretch and state. */
  private bands(day: Day, minutes: readonly number[], categories: readonly string[]): ChartBand[] {
    const bands: ChartBand[] = [];
    let open: { state: number; from: number } | undefined;
    let held = -1;
    const close = (toIndex: number) => {
      if (open === undefined) return;
      bands.push({
        from: categories[open.from] ?? '',
        to: categories[toIndex] ?? '',
        label: STATES[open.state] ?? '',
      });
      open = undefined;
    };
    minutes.forEach((m, index) => {
      // An unsampled minute keeps the state of the last sampled one.
      const sampled = day.primaryState[m] ?? -1;
      if (sampled >= 0) held = sampled;
      if (open !== undefined && open.state !== held) close(index);
      if (open === undefined && held > 0) open = { state: held, from: index };
    });
    close(minutes.length - 1);
    return bands;
  }

  private arrivalsChart(day: Day, first: number, last: number): ChartSpec {
    const firstInterval = Math.floor(first / INTERVAL_MINUTES);
    const lastInterval = Math.floor(last / INTERVAL_MINUTES);
    const intervals = Array.from({ length: lastInterval - firstInterval + 1 }, (_, i) => firstInterval + i);
    const sum = (perMinute: Int32Array, interval: number) =>
      perMinute
        .subarray(interval * INTERVAL_MINUTES, (interval + 1) * INTERVAL_MINUTES)
        .reduce((a, b) => a + b, 0);
    return {
      title: `Calls per ${INTERVAL_MINUTES} minutes, ${day.key}: arrived against answered`,
      categories: intervals.map((i) => this.label(day, i * INTERVAL_MINUTES)),
      yName: 'calls',
      ...HALF_WIDTH,
      series: [
        { name: 'arrived', kind: 'bar', data: intervals.map((i) => sum(day.arrivals, i)) },
        { name: 'answered', kind: 'bar', data: intervals.map((i) => sum(day.answeredPerMinute, i)) },
      ],
    };
  }

  private label(day: Day, minute: number): string {
    return DateTime.fromMillis(day.startMs + minute * MINUTE_MS, { zone: this.options.timeZone }).toFormat(
      'HH:mm',
    );
  }

  /** Today, after a rollover if `ms` is past midnight; undefined for a moment before today began. */
  private dayAt(ms: number): Day | undefined {
    if (ms < this.day.startMs) return undefined;
    if (ms >= this.day.endMs) {
      this.day = this.newDay(ms, this.arrivalsSeen.count);
      this.version += 1;
    }
    return this.day;
  }

  private newDay(ms: number, arrivedBase: number): Day {
    const start = DateTime.fromMillis(ms, { zone: this.options.timeZone }).startOf('day');
    return new Day(
      start.toISODate() ?? '',
      start.toMillis(),
      start.plus({ days: 1 }).toMillis(),
      arrivedBase,
      this.options.queues.map((q) => q.id),
    );
  }
}
