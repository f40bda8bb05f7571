/**
 * The peak plan: from a forecast, the positions each interval and channel needs, the peak, and the
 * seasonal seats to add over the permanent staff per seat type, with a reserve pool for heavier demand.
 *
 * - voice: Erlang C (Erlang A with a patience), the fewest agents meeting the service level and the
 *   occupancy cap;
 * - chat: an agent at concurrency n is n servers, each chat taking AHT_n = AHT_1 × f(n) (concurrency.ts);
 *   servers by Erlang C at AHT_n for the seasonal tier, agents = servers / n;
 * - e-mail and tasks: backlog.ts, every contact within its reply target.
 *
 * Positions are agents taking contacts; scheduled seats are positions grossed up for shrinkage. Seats
 * are agents logged in at the same time: the seats a group needs are its most scheduled seats in any one
 * interval (shift coverage over the day is the rota's business, not the plan's).
 *
 * Seat groups: voice is answered by `voice` and `second-line` seats together; chat by chat-2/4/6 seats,
 * compared by throughput (a chat-k agent handles k / f(k) solo agents' chats); e-mail and tasks by `light`
 * seats (the shop's web requests and e-mails reach Connect as tasks, and light agents take tasks).
 *
 * Pure: no clock, no files.
 */
import { SEAT_TYPES, type SeatType } from '#infra/constructs/connect/seat-types.js';
import { backlogPositions } from './backlog.js';
import { chatAhtFactor, chatThroughput } from './concurrency.js';
import { type QueueFigures, staff } from './erlang.js';
import { NO_SEATS, type SeatCounts } from './seat-counts-file.js';
import {
  DEFAULT_PLAN_SETTINGS,
  type PlanSettings,
  SEAT_DUST,
  scheduledSeats,
  settingsProblems,
  wholeUp,
} from './settings.js';
import { type ForecastInterval, PLANNING_CHANNELS, type PlanningChannel } from './types.js';

export const PLAN_VERSION = 1;

export type SeatGroup = 'voice' | 'chat' | 'light';
export const SEAT_GROUPS: readonly SeatGroup[] = ['voice', 'chat', 'light'];

/** The seat types of each group, in the order the permanent staff is counted against the need. */
const GROUP_TYPES: Readonly<Record<SeatGroup, readonly SeatType[]>> = {
  // Second-line agents take the rest of the voice need last: they also take the escalations.
  voice: ['voice', 'second-line'],
  // The most productive tier first.
  chat: ['chat-6', 'chat-4', 'chat-2'],
  light: ['light'],
};

export type PlanMethod = 'erlang-c' | 'erlang-a' | 'backlog';

/** One interval of one channel, planned. */
export interface PlanRow {
  readonly start: string;
  readonly minutes: number;
  readonly channel: PlanningChannel;
  readonly contacts: number;
  /** The forecast's AHT, seconds. */
  readonly ahtSeconds: number;
  readonly method: PlanMethod;
  /** Work in agents: contacts × AHT (for chat: at the planned tier's AHT) / interval. */
  readonly workload: number;
  /** Agents taking contacts, as a real number (the target interpolated between whole agents). */
  readonly positions: number;
  /** Whole agents taking contacts: the fewest meeting the target. */
  readonly agents: number;
  /** positions / (1 - shrinkage). */
  readonly scheduled: number;
  /** Whole scheduled seats: agents / (1 - shrinkage), rounded up. */
  readonly scheduledWhole: number;
  /** Chat: the chat slots (servers) needed at the seasonal tier. */
  readonly servers?: number;
  /** Chat: the AHT at the seasonal tier. */
  readonly plannedAhtSeconds?: number;
  /** Voice and chat: what the whole agents give. */
  readonly serviceLevel?: number;
  readonly asa?: number;
  readonly occupancy?: number;
  readonly abandonment?: number;
  /** E-mail and tasks: contacts waiting at the interval's end. */
  readonly backlogContacts?: number;
}

export interface PlanProblem {
  readonly start: string;
  readonly channel: PlanningChannel;
  readonly message: string;
}

/** Positions added up over intervals: fractional (rounded once) beside whole (rounded per interval). */
export interface PositionSums {
  readonly positions: number;
  readonly agents: number;
  readonly scheduled: number;
  readonly scheduledWhole: number;
  /** The same in hours (position × interval length). */
  readonly positionHours: number;
  readonly agentHours: number;
  /** agents / positions - 1: what rounding per interval and queue adds. */
  readonly roundingShare: number;
}

export interface ChannelSummary extends PositionSums {
  readonly channel: PlanningChannel;
  readonly method: PlanMethod;
  readonly intervals: number;
  readonly contacts: number;
  /** The interval with the most whole agents (the first of equals). */
  readonly peak?: {
    readonly start: string;
    readonly positions: number;
    readonly agents: number;
    readonly scheduledWhole: number;
  };
}

export interface GroupPeak {
  readonly group: SeatGroup;
  /** The interval needing the most seats of the group; absent when it needs none. */
  readonly start?: string;
  /** Whole scheduled seats then; chat counted in agents of the seasonal tier. */
  readonly scheduledWhole: number;
}

export interface SeatLine {
  readonly type: SeatType;
  readonly group: SeatGroup;
  /** Seats of this type logged in at the group's peak: the permanent ones used, then seasonal ones. */
  readonly neededAtPeak: number;
  readonly permanent: number;
  /** Seats to add: needed at the peak minus permanent, not below zero. */
  readonly seasonal: number;
  /** Per demand multiplier: seats needed then, and the seats to add beyond `seasonal` (the reserve). */
  readonly reserve: readonly {
    readonly factor: number;
    readonly neededAtPeak: number;
    readonly extra: number;
  }[];
}

export interface Plan {
  readonly version: typeof PLAN_VERSION;
  readonly settings: PlanSettings;
  /** First and last interval start planned. */
  readonly from?: string;
  readonly to?: string;
  readonly channels: readonly ChannelSummary[];
  readonly totals: PositionSums;
  /** The interval with the most seats of all groups together. */
  readonly peak?: { readonly start: string; readonly scheduledWhole: number };
  readonly groupPeaks: readonly GroupPeak[];
  readonly seats: readonly SeatLine[];
  /** Reserve pool per multiplier: the extra seats of all types together. */
  readonly reserves: readonly { readonly factor: number; readonly extra: number }[];
  /** Intervals that could not be planned, and why. */
  readonly problems: readonly PlanProblem[];
  readonly rows: readonly PlanRow[];
}

/** The UTC offset an ISO-8601 start is written with, in minutes. */
const offsetMinutesOf = (iso: string): number => {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  if (match === null) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
};

/** An instant written on the wall clock of `offsetMinutes`, as the forecast writes its starts. */
const isoWithOffset = (epochMs: number, offsetMinutes: number): string => {
  const local = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${local}Z`;
  const size = Math.abs(offsetMinutes);
  const hh = String(Math.floor(size / 60)).padStart(2, '0');
  const mm = String(size % 60).padStart(2, '0');
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${hh}:${mm}`;
};

/** Minutes since midnight on the interval's own wall clock (its start is written in local time). */
const wallClockMinutes = (iso: string): number => Number(iso.slice(11, 13)) * 60 + Number(iso.slice(14, 16));

/** An interval ready to plan: its instant, its slot (the plan's distinct starts, in time order). */
interface Prepared {
  readonly interval: ForecastInterval;
  readonly at: number;
  slot: number;
  /** Backlog channels: agents work the backlog in this interval. */
  readonly staffed: boolean;
}

/**
 * A backlog channel's intervals without gaps: the quarter hours a forecast leaves out (nobody wrote in)
 * are still hours the backlog is worked, so they are planned with no arrivals. A filled interval is
 * written with the offset of the one before it.
 */
const withoutGaps = (
  intervals: readonly { interval: ForecastInterval; at: number }[],
  staffedHours: { readonly from: number; readonly to: number },
): Prepared[] => {
  const prepared: Prepared[] = [];
  const isStaffed = (start: string, minutes: number): boolean => {
    const wall = wallClockMinutes(start);
    return wall >= staffedHours.from * 60 && wall + minutes <= staffedHours.to * 60;
  };
  intervals.forEach(({ interval, at }, i) => {
    prepared.push({ interval, at, slot: 0, staffed: isStaffed(interval.start, interval.minutes) });
    const next = intervals[i + 1];
    if (next === undefined) return;
    const step = interval.minutes * 60_000;
    const offset = offsetMinutesOf(interval.start);
    for (let gap = at + step; gap + step <= next.at; gap += step) {
      const start = isoWithOffset(gap, offset);
      prepared.push({
        interval: {
          start,
          minutes: interval.minutes,
          channel: interval.channel,
          contacts: 0,
          ahtSeconds: interval.ahtSeconds,
        },
        at: gap,
        slot: 0,
        staffed: isStaffed(start, interval.minutes),
      });
    }
  });
  return prepared;
};

/** Each group's whole scheduled seats per slot; light seats as positions (rounded per slot later). */
interface SlotSeats {
  readonly voice: Float64Array;
  readonly chat: Float64Array;
  readonly lightPositions: Float64Array;
}

interface Scenario {
  /** Only when asked for: the rows of the plan, and the slot of each. */
  readonly rows: PlanRow[];
  readonly rowSlots: number[];
  readonly problems: PlanProblem[];
  readonly seats: SlotSeats;
}

const queueFiguresOf = (figures: QueueFigures) => ({
  serviceLevel: figures.serviceLevel,
  asa: figures.asa,
  occupancy: figures.occupancy,
  ...(figures.abandonment === undefined ? {} : { abandonment: figures.abandonment }),
});

/**
 * Plans every interval with contacts multiplied by `factor`: each group's seats per slot, and the rows
 * when `withRows` (the reserve scenarios need the seats only).
 */
const planIntervals = (
  byChannel: ReadonlyMap<PlanningChannel, readonly Prepared[]>,
  slotCount: number,
  settings: PlanSettings,
  factor: number,
  withRows: boolean,
): Scenario => {
  const rows: PlanRow[] = [];
  const rowSlots: number[] = [];
  const problems: PlanProblem[] = [];
  const seats: SlotSeats = {
    voice: new Float64Array(slotCount),
    chat: new Float64Array(slotCount),
    lightPositions: new Float64Array(slotCount),
  };
  const gross = 1 - settings.shrinkage;
  const scheduledOf = (positions: number, agents: number) => ({
    scheduled: positions / gross,
    scheduledWhole: scheduledSeats(agents, settings.shrinkage),
  });
  const impossibleAht = (interval: ForecastInterval, contacts: number): PlanProblem => ({
    start: interval.start,
    channel: interval.channel,
    message: `AHT ${interval.ahtSeconds} s with ${contacts} contacts cannot be planned: a contact takes time to handle`,
  });

  for (const channel of PLANNING_CHANNELS) {
    const prepared = byChannel.get(channel) ?? [];
    if (channel === 'voice' || channel === 'chat') {
      const target = settings[channel];
      const slotSeats = seats[channel];
      const method: PlanMethod = target.patienceSeconds === undefined ? 'erlang-c' : 'erlang-a';
      const tier = channel === 'chat' ? settings.chat.seasonalTier : 1;
      // The forecast's chat AHT was measured at ahtMeasuredAt chats at once; the tier's AHT follows.
      const ahtScale =
        channel === 'chat'
          ? chatAhtFactor(tier, settings.chat.ahtFactors) /
            chatAhtFactor(settings.chat.ahtMeasuredAt, settings.chat.ahtFactors)
          : 1;
      for (const { interval, slot } of prepared) {
        const contacts = interval.contacts * factor;
        const aht = interval.ahtSeconds * ahtScale;
        if (contacts > 0 && !(aht > 0 && Number.isFinite(aht))) {
          problems.push(impossibleAht(interval, contacts));
          continue;
        }
        const staffing = staff(
          { calls: contacts, intervalSeconds: interval.minutes * 60, ahtSeconds: contacts > 0 ? aht : 1 },
          target,
        );
        if (!staffing.ok) {
          problems.push({ start: interval.start, channel, message: staffing.reason });
          continue;
        }
        const servers = staffing.figures.agents;
        const positions = staffing.fractionalAgents / tier;
        const agents = wholeUp(servers / tier);
        const scheduled = scheduledOf(positions, agents);
        slotSeats[slot] = (slotSeats[slot] ?? 0) + scheduled.scheduledWhole;
        if (!withRows) continue;
        rowSlots.push(slot);
        rows.push({
          start: interval.start,
          minutes: interval.minutes,
          channel,
          contacts,
          ahtSeconds: interval.ahtSeconds,
          method,
          workload: (contacts * aht) / (interval.minutes * 60) / tier,
          positions,
          agents,
          ...scheduled,
          ...(channel === 'chat' ? { servers, plannedAhtSeconds: aht } : {}),
          ...(contacts > 0 ? queueFiguresOf(staffing.figures) : {}),
        });
      }
    } else {
      const planned: Prepared[] = [];
      for (const item of prepared) {
        const { interval } = item;
        if (interval.contacts > 0 && !(interval.ahtSeconds > 0 && Number.isFinite(interval.ahtSeconds))) {
          problems.push(impossibleAht(interval, interval.contacts * factor));
        } else planned.push(item);
      }
      const steps = backlogPositions(
        planned.map(({ interval, staffed }) => ({
          minutes: interval.minutes,
          contacts: interval.contacts * factor,
          ahtSeconds: interval.ahtSeconds,
          staffed,
        })),
        settings[channel].replySeconds,
      );
      planned.forEach(({ interval, slot }, i) => {
        const step = steps[i] ?? { positions: 0, backlogContacts: 0 };
        seats.lightPositions[slot] = (seats.lightPositions[slot] ?? 0) + step.positions;
        if (!withRows) return;
        rowSlots.push(slot);
        const contacts = interval.contacts * factor;
        const agents = wholeUp(step.positions);
        rows.push({
          start: interval.start,
          minutes: interval.minutes,
          channel,
          contacts,
          ahtSeconds: interval.ahtSeconds,
          method: 'backlog',
          workload: (contacts * interval.ahtSeconds) / (interval.minutes * 60),
          positions: step.positions,
          agents,
          ...scheduledOf(step.positions, agents),
          backlogContacts: step.backlogContacts,
        });
      });
    }
  }
  return { rows, rowSlots, problems, seats };
};

/** Each group's whole scheduled seats in slot i; light seats take e-mail and tasks alike. */
const seatsAt = (seats: SlotSeats, slot: number, shrinkage: number): Record<SeatGroup, number> => ({
  voice: seats.voice[slot] ?? 0,
  chat: seats.chat[slot] ?? 0,
  light: scheduledSeats(seats.lightPositions[slot] ?? 0, shrinkage),
});

const groupPeaksOf = (seats: SlotSeats, slotStarts: readonly string[], shrinkage: number): GroupPeak[] => {
  const best: Record<SeatGroup, { slot: number; seats: number }> = {
    voice: { slot: -1, seats: 0 },
    chat: { slot: -1, seats: 0 },
    light: { slot: -1, seats: 0 },
  };
  for (let slot = 0; slot < slotStarts.length; slot += 1) {
    const now = seatsAt(seats, slot, shrinkage);
    for (const group of SEAT_GROUPS) {
      if (now[group] > best[group].seats) best[group] = { slot, seats: now[group] };
    }
  }
  return SEAT_GROUPS.map((group) => {
    const { slot, seats: most } = best[group];
    const start = slotStarts[slot];
    return start === undefined ? { group, scheduledWhole: 0 } : { group, start, scheduledWhole: most };
  });
};

/**
 * The seats of each type a group's peak need takes: the permanent staff first (in GROUP_TYPES order),
 * then seasonal seats of the group's seasonal type for the rest.
 */
const seatsForPeaks = (
  peaks: readonly GroupPeak[],
  permanent: SeatCounts,
  settings: PlanSettings,
): Record<SeatType, number> => {
  const needed: Record<SeatType, number> = { ...NO_SEATS };
  const seasonalChat = `chat-${settings.chat.seasonalTier}` as SeatType;
  const tierOf = (type: SeatType): number => Number(type.replace('chat-', ''));
  for (const { group, scheduledWhole } of peaks) {
    // Chat need is in agents of the seasonal tier; other tiers count by their throughput against it.
    const worth = (type: SeatType): number =>
      group === 'chat'
        ? chatThroughput(tierOf(type), settings.chat.ahtFactors) /
          chatThroughput(settings.chat.seasonalTier, settings.chat.ahtFactors)
        : 1;
    let remaining = scheduledWhole;
    for (const type of GROUP_TYPES[group]) {
      if (remaining <= SEAT_DUST) break;
      const used = Math.min(permanent[type], wholeUp(remaining / worth(type)));
      needed[type] += used;
      remaining -= used * worth(type);
    }
    const seasonalType: SeatType = group === 'voice' ? 'voice' : group === 'chat' ? seasonalChat : 'light';
    needed[seasonalType] += wholeUp(remaining);
  }
  return needed;
};

const sumsOf = (rows: readonly PlanRow[]): PositionSums => {
  let positions = 0;
  let agents = 0;
  let scheduled = 0;
  let scheduledWhole = 0;
  let positionHours = 0;
  let agentHours = 0;
  for (const row of rows) {
    positions += row.positions;
    agents += row.agents;
    scheduled += row.scheduled;
    scheduledWhole += row.scheduledWhole;
    positionHours += (row.positions * row.minutes) / 60;
    agentHours += (row.agents * row.minutes) / 60;
  }
  return {
    positions,
    agents,
    scheduled,
    scheduledWhole,
    positionHours,
    agentHours,
    roundingShare: positions > 0 ? agents / positions - 1 : 0,
  };
};

const channelSummary = (channel: PlanningChannel, rows: readonly PlanRow[], settings: PlanSettings) => {
  let peak: PlanRow | undefined;
  let contacts = 0;
  for (const row of rows) {
    contacts += row.contacts;
    if (row.agents > (peak?.agents ?? 0)) peak = row;
  }
  const method: PlanMethod =
    channel === 'email' || channel === 'task'
      ? 'backlog'
      : settings[channel].patienceSeconds === undefined
        ? 'erlang-c'
        : 'erlang-a';
  return {
    channel,
    method,
    intervals: rows.length,
    contacts,
    ...sumsOf(rows),
    ...(peak === undefined
      ? {}
      : {
          peak: {
            start: peak.start,
            positions: peak.positions,
            agents: peak.agents,
            scheduledWhole: peak.scheduledWhole,
          },
        }),
  };
};

/**
 * Plans a forecast: every interval and channel, the peak, the seats per type over the permanent staff,
 * and the reserve pool for `settings.scenarios`. Rows with impossible inputs (contacts without an AHT)
 * are left out and listed in `problems`. Throws a RangeError naming the settings' impossible targets.
 */
export const planFromForecast = (
  intervals: readonly ForecastInterval[],
  settings: PlanSettings = DEFAULT_PLAN_SETTINGS,
  permanent: SeatCounts = NO_SEATS,
): Plan => {
  const wrong = settingsProblems(settings);
  if (wrong.length > 0) throw new RangeError(wrong.join('; '));

  const sorted = intervals
    .map((interval) => ({ interval, at: Date.parse(interval.start) }))
    .sort((a, b) => a.at - b.at);
  const byChannel = new Map<PlanningChannel, Prepared[]>();
  for (const channel of PLANNING_CHANNELS) {
    const own = sorted.filter(({ interval }) => interval.channel === channel);
    if (own.length === 0) continue;
    byChannel.set(
      channel,
      channel === 'email' || channel === 'task'
        ? withoutGaps(own, settings[channel].staffedHours)
        : own.map(({ interval, at }) => ({ interval, at, slot: 0, staffed: true })),
    );
  }
  // Slots: the distinct starts of all channels, so channels planned apart are added up per interval.
  const all = [...byChannel.values()].flat().sort((a, b) => a.at - b.at);
  const slotStarts: string[] = [];
  let lastAt = Number.NaN;
  for (const item of all) {
    if (item.at !== lastAt) {
      slotStarts.push(item.interval.start);
      lastAt = item.at;
    }
    item.slot = slotStarts.length - 1;
  }

  const base = planIntervals(byChannel, slotStarts.length, settings, 1, true);
  const channelOrder = (channel: PlanningChannel) => PLANNING_CHANNELS.indexOf(channel);
  // Time first, then channel: the order of the --csv output and of a reader's eye.
  const rows = base.rows
    .map((row, i) => ({ row, slot: base.rowSlots[i] ?? 0, order: channelOrder(row.channel) }))
    .sort((a, b) => a.slot - b.slot || a.order - b.order)
    .map(({ row }) => row);
  const groupPeaks = groupPeaksOf(base.seats, slotStarts, settings.shrinkage);
  const needed = seatsForPeaks(groupPeaks, permanent, settings);
  const seasonal = (counts: Record<SeatType, number>, type: SeatType) =>
    Math.max(0, counts[type] - permanent[type]);

  const scenarios = settings.scenarios.map((factor) => {
    const { seats: slotSeats } = planIntervals(byChannel, slotStarts.length, settings, factor, false);
    const peaks = groupPeaksOf(slotSeats, slotStarts, settings.shrinkage);
    return { factor, needed: seatsForPeaks(peaks, permanent, settings) };
  });

  const groupOfType = (type: SeatType): SeatGroup =>
    SEAT_GROUPS.find((group) => GROUP_TYPES[group].includes(type)) ?? 'light';
  const seats: SeatLine[] = SEAT_TYPES.map((type) => ({
    type,
    group: groupOfType(type),
    neededAtPeak: needed[type],
    permanent: permanent[type],
    seasonal: seasonal(needed, type),
    reserve: scenarios.map((scenario) => ({
      factor: scenario.factor,
      neededAtPeak: scenario.needed[type],
      extra: Math.max(0, seasonal(scenario.needed, type) - seasonal(needed, type)),
    })),
  }));

  let peak: { start: string; scheduledWhole: number } | undefined;
  slotStarts.forEach((start, slot) => {
    const now = seatsAt(base.seats, slot, settings.shrinkage);
    const total = now.voice + now.chat + now.light;
    if (total > (peak?.scheduledWhole ?? 0)) peak = { start, scheduledWhole: total };
  });

  const rowsOf = (channel: PlanningChannel) => rows.filter((row) => row.channel === channel);
  const firstStart = sorted[0]?.interval.start;
  const lastStart = sorted[sorted.length - 1]?.interval.start;
  return {
    version: PLAN_VERSION,
    settings,
    ...(firstStart === undefined ? {} : { from: firstStart }),
    ...(lastStart === undefined ? {} : { to: lastStart }),
    channels: PLANNING_CHANNELS.filter((channel) => byChannel.has(channel)).map((channel) =>
      channelSummary(channel, rowsOf(channel), settings),
    ),
    totals: sumsOf(rows),
    ...(peak === undefined ? {} : { peak }),
    groupPeaks,
    seats,
    reserves: settings.scenarios.map((factor, i) => ({
      factor,
      extra: seats.reduce((sum, line) => sum + (line.reserve[i]?.extra ?? 0), 0),
    })),
    problems: base.problems,
    rows,
  };
};

/**
 * The seats the centre would have under each demand the plan looked at: the permanent staff plus the
 * seasonal seats (factor 1), plus the reserve for each scenario, per seat type. What `peakline simulate
 * --seats` takes, so a plan's promise can be replayed at the demand it was made for.
 */
export const plannedSeatCounts = (plan: Plan): { readonly factor: number; readonly counts: SeatCounts }[] => {
  const countsFor = (seats: (line: SeatLine) => number): SeatCounts => {
    const counts: Record<SeatType, number> = { ...NO_SEATS };
    for (const line of plan.seats) counts[line.type] = seats(line);
    return counts;
  };
  return [
    { factor: 1, counts: countsFor((line) => line.permanent + line.seasonal) },
    ...plan.settings.scenarios.map((factor, i) => ({
      factor,
      counts: countsFor((line) => line.permanent + line.seasonal + (line.reserve[i]?.extra ?? 0)),
    })),
  ];
};

/**
 * The plan as the `--json` document: `Plan` with the chat AHT factors as an object
 * (`{"1": 1, "2": 1.25, ...}`); figures that do not apply are absent, an unbounded ASA is null.
 */
export const planJson = (plan: Plan): unknown => ({
  ...plan,
  settings: {
    ...plan.settings,
    chat: {
      ...plan.settings.chat,
      ahtFactors: Object.fromEntries(
        [...plan.settings.chat.ahtFactors.entries()].map(([n, f]) => [String(n), f]),
      ),
    },
  },
});
