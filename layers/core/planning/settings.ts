/**
 * What a plan aims for on each channel, and the defaults ops start from. Voice and chat customers wait on
 * the line, so their targets are a service level (a share answered within so many seconds) under an
 * occupancy cap; e-mail and tasks wait in a backlog, so theirs is a reply time.
 */
import { chatAhtFactor, type ConcurrencyFactors, DEFAULT_CHAT_AHT_FACTORS } from './concurrency.js';

export interface QueueTarget {
  /** The share of contacts to answer within `targetSeconds`, between 0 and 1 (exclusive). */
  readonly serviceLevel: number;
  readonly targetSeconds: number;
  /**
   * The most of their time agents (for chat: chat slots) may be busy, between 0 and 1. Above about 0.85
   * agents burn out over a season, whatever the service level says.
   */
  readonly maxOccupancy: number;
  /**
   * Mean patience in seconds: staffing by Erlang A (callers hang up after an exponential patience with
   * this mean) instead of Erlang C (nobody hangs up).
   * @default - Erlang C
   */
  readonly patienceSeconds?: number;
}

export interface ChatTarget extends QueueTarget {
  /** f(n) = AHT at concurrency n / solo AHT. */
  readonly ahtFactors: ConcurrencyFactors;
  /** The chat tier seasonal hires start at (their seat type chat-<tier>). */
  readonly seasonalTier: number;
  /**
   * The concurrency the forecast's chat AHT was measured at. 1: the forecast's AHT is the solo AHT (a
   * chat's length when the agent has no other chat), which is how peakline reads it unless told.
   */
  readonly ahtMeasuredAt: number;
}

export interface BacklogTarget {
  /**
   * Every contact is handled within this many seconds of arriving (or of the next staffed interval, for
   * a contact arriving while nobody works the backlog).
   */
  readonly replySeconds: number;
  /**
   * The hours the backlog is worked each day, on the forecast's wall clock: from `from` to `to` (hours,
   * 0-24; 0-24 is round the clock). Contacts arrive round the clock; the work waits for these hours.
   */
  readonly staffedHours: { readonly from: number; readonly to: number };
}

export interface PlanSettings {
  readonly voice: QueueTarget;
  readonly chat: ChatTarget;
  readonly email: BacklogTarget;
  readonly task: BacklogTarget;
  /**
   * The share of paid time agents are not available to take contacts (breaks, meetings, training,
   * absence): scheduled seats = positions / (1 - shrinkage).
   */
  readonly shrinkage: number;
  /** Demand multipliers the reserve pool is sized for. */
  readonly scenarios: readonly number[];
}

const HOUR = 3600;

export const DEFAULT_PLAN_SETTINGS: PlanSettings = {
  voice: { serviceLevel: 0.8, targetSeconds: 20, maxOccupancy: 0.85 },
  chat: {
    serviceLevel: 0.8,
    targetSeconds: 30,
    maxOccupancy: 0.85,
    ahtFactors: DEFAULT_CHAT_AHT_FACTORS,
    // Newcomers start at 2 parallel chats and are promoted as they cope (seat types chat-2/4/6).
    seasonalTier: 2,
    ahtMeasuredAt: 1,
  },
  // The back office that works e-mail and tasks keeps the contact centre's weekday hours every day, and
  // the reply clock runs in those hours only: 12 hours is "by the same time the next working day".
  email: { replySeconds: 12 * HOUR, staffedHours: { from: 8, to: 20 } },
  task: { replySeconds: 4 * HOUR, staffedHours: { from: 8, to: 20 } },
  shrinkage: 0.3,
  scenarios: [1.5, 3],
};

export const CHAT_TIERS = [2, 4, 6] as const;

/** Below this, a fraction of a seat is floating-point dust, not demand. */
export const SEAT_DUST = 1e-9;
/** Rounds up, forgiving the dust of floating point (3.0000000000004 agents are 3). */
export const wholeUp = (value: number): number => Math.max(0, Math.ceil(value - SEAT_DUST));
/**
 * Seats to schedule for positions on contacts, given the share of paid time off them (breaks, training,
 * absence): whole seats, rounded up. 14 / (1 - 0.3) is 20.000000000000004 in binary, and 20 seats, not 21.
 */
export const scheduledSeats = (positions: number, shrinkage: number): number =>
  wholeUp(positions / (1 - shrinkage));

const queueProblems = (name: string, target: QueueTarget): string[] => {
  const problems: string[] = [];
  const { serviceLevel, targetSeconds, maxOccupancy, patienceSeconds } = target;
  if (!(serviceLevel > 0 && serviceLevel < 1)) {
    problems.push(
      serviceLevel >= 1
        ? `${name} target service level ${serviceLevel} cannot be met: some contact always waits longer than any target with random arrivals; aim below 1 (such as 0.8)`
        : `${name} target service level ${serviceLevel} is not a share between 0 and 1`,
    );
  }
  if (!(targetSeconds >= 0) || !Number.isFinite(targetSeconds)) {
    problems.push(`${name} target time ${targetSeconds} s is not 0 or more seconds`);
  }
  if (!(maxOccupancy > 0 && maxOccupancy <= 1)) {
    problems.push(
      `${name} occupancy cap ${maxOccupancy} cannot be met: agents are busy a share of their time between 0 and 1, so the cap must be above 0 and at most 1`,
    );
  }
  if (patienceSeconds !== undefined && !(patienceSeconds > 0 && Number.isFinite(patienceSeconds))) {
    problems.push(`${name} patience ${patienceSeconds} s is not a positive number of seconds`);
  }
  return problems;
};

/** The settings' impossible or meaningless targets, in words; empty when the plan can be made. */
export const settingsProblems = (settings: PlanSettings): string[] => {
  const problems = [...queueProblems('voice', settings.voice), ...queueProblems('chat', settings.chat)];
  for (const channel of ['email', 'task'] as const) {
    const { replySeconds, staffedHours } = settings[channel];
    if (!(replySeconds > 0) || !Number.isFinite(replySeconds)) {
      problems.push(
        `${channel} reply target ${replySeconds} s cannot be met: a contact takes time to handle, so the reply target must be above 0`,
      );
    }
    const { from, to } = staffedHours;
    if (!(from >= 0 && to <= 24 && from < to)) {
      problems.push(
        `${channel} staffed hours ${from}-${to} leave no time to work the backlog; give hours from 0 to 24 with the start before the end (such as 8-20)`,
      );
    }
  }
  if (!(settings.shrinkage >= 0 && settings.shrinkage < 1)) {
    problems.push(
      `shrinkage ${settings.shrinkage} is not a share from 0 up to (not including) 1: at 1 nobody is ever available`,
    );
  }
  const { seasonalTier, ahtMeasuredAt, ahtFactors } = settings.chat;
  if (!(CHAT_TIERS as readonly number[]).includes(seasonalTier)) {
    problems.push(
      `seasonal chat tier ${seasonalTier} is not a chat seat type; choose one of ${CHAT_TIERS.join(', ')}`,
    );
  }
  for (const n of [seasonalTier, ahtMeasuredAt]) {
    try {
      chatAhtFactor(n, ahtFactors);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  for (const factor of settings.scenarios) {
    if (!(factor > 0) || !Number.isFinite(factor)) {
      problems.push(`scenario x${factor} is not a positive demand multiplier`);
    }
  }
  return problems;
};
