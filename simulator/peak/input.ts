/**
 * What one peak simulation needs, as plain data (it crosses to worker threads by structured clone), and
 * how it is made from a forecast, a seats file and the stage's configuration: the same settings the
 * deployed overflow controller, router, inbound flow and deflection SMS run with.
 */
import type { WeeklyHours } from '#core/callbacks/business-hours.js';
import { chatAhtFactor, DEFAULT_CHAT_AHT_FACTORS } from '#core/planning/concurrency.js';
import type { ForecastInterval } from '#core/planning/types.js';
import { defaultStateMaxAgeSeconds } from '#core/routing/freshness.js';
import type { SecondLineSettings, WaitModel } from '#core/routing/expected-wait.js';
import type { Thresholds } from '#core/routing/hysteresis.js';
import { renderDeflectionSms } from '#core/sms/deflection-sms.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { SEAT_TYPES, type SeatType } from '#infra/constructs/connect/seat-types.js';

/**
 * How callers are routed (issue 13's yardstick):
 * - `peakline`: as deployed: the overflow controller (judging the expected wait of a new caller, sharing
 *   callers with the second line while they wait less there, deflecting past T_deflect) and the router,
 *   with the second line's routing profile also serving the primary queue after the configured assist
 *   delay (Connect's native delay, which keeps the second line busy whenever callers wait);
 * - `none`: no overflow at all: every caller queues for the primary queue, and the second line serves
 *   only its own (empty) queue;
 * - `connect-delay`: Amazon Connect's native way: no controller, every caller to the primary queue, and
 *   the second line also serves the primary queue's calls at priority 2 once they have waited the
 *   overflow enter threshold.
 */
export const ROUTING_POLICIES = ['none', 'connect-delay', 'peakline'] as const;
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];
export const DEFAULT_ROUTING_POLICY: RoutingPolicy = 'peakline';

/** How deflected callers answer the menu, shares of 1: keep waiting (1), a callback (2), the SMS (3). */
export interface MenuChoices {
  readonly wait: number;
  readonly callback: number;
  readonly sms: number;
}

export interface PeakInput {
  /** The forecast's intervals to simulate (a day or a season), any order. */
  readonly intervals: readonly ForecastInterval[];
  /** Seats per type (the seats file); agents logged in = seats × (1 - shrinkage), rounded down. */
  readonly seats: Readonly<Record<SeatType, number>>;
  readonly shrinkage: number;
  /** Arrivals multiplied by this (x1.5, x3). */
  readonly scenario: number;
  /** Lognormal handling times with this coefficient of variation; absent: exponential. */
  readonly handlingCv?: number;
  /** Mean patience, seconds, exponential; Infinity: nobody hangs up. */
  readonly patienceSeconds: { readonly voice: number; readonly chat: number };
  /** Calls and chats: answered within this counts as in time. */
  readonly targetSeconds: number;
  /** E-mails, tasks and queued callbacks: answered within this counts as in time. */
  readonly replySeconds: { readonly email: number; readonly task: number };
  /** Abandoned within this is left out of the service level (Connect's short abandons). */
  readonly shortAbandonSeconds: number;
  /** A chat agent at concurrency n takes factor(n) / factor(measuredAt) × the forecast's chat AHT. */
  readonly chatAhtFactors: readonly (readonly [number, number])[];
  readonly chatAhtMeasuredAt: number;
  readonly overflow: {
    readonly queues: readonly string[];
    readonly samplesPerMinute: number;
    readonly thresholds: Thresholds;
    readonly stateMaxAgeSeconds: number;
    readonly routerCacheSeconds: number;
    /** Handling time and patience the controller reckons expected waits with (the stage's settings). */
    readonly waitModel: WaitModel;
    readonly secondLine: SecondLineSettings;
    /** Seconds a primary call waits before the second line's agents are offered it (routing profile delay). */
    readonly secondLineAssistDelaySeconds: number;
  };
  readonly menu: MenuChoices;
  /** The deflection SMS's parts, as the Lambda renders it; absent: the menu has no option 3. */
  readonly sms?: { readonly parts: number; readonly dailyPartCap: number };
  readonly hours: { readonly timeZone: string; readonly weekly: WeeklyHours };
  /** How callers are routed; absent: `peakline` (inputs made before the policies existed). */
  readonly policy?: RoutingPolicy;
  /**
   * The share of callers (in opening hours) who only want their order's status: told before the router,
   * they leave without queueing (issue 15). Absent or 0: nobody, and the replication draws exactly as before.
   */
  readonly statusOnlyShare?: number;
}

/** The menu as ops answer it unless told: half keep waiting, 30% take a callback, 20% the SMS. */
export const DEFAULT_MENU_CHOICES: MenuChoices = { wait: 0.5, callback: 0.3, sms: 0.2 };

/** The ConnectSimulator's defaults, kept here so the report can say them. */
export const DEFAULT_PATIENCE_SECONDS = { voice: 180, chat: 600 } as const;

export interface PeakOptions {
  readonly scenario?: number;
  readonly shrinkage?: number;
  readonly handlingCv?: number;
  readonly patienceSeconds?: Partial<PeakInput['patienceSeconds']>;
  readonly targetSeconds?: number;
  readonly replySeconds?: Partial<PeakInput['replySeconds']>;
  readonly menu?: MenuChoices;
  readonly policy?: RoutingPolicy;
  /** @default 0 (`peakline simulate` passes the stage's `orderStatus.statusOnlyCallerShare`) */
  readonly statusOnlyShare?: number;
}

/**
 * The stage's share of status-only callers: `orderStatus.statusOnlyCallerShare`, or 0 when the stage tells
 * no order status (`orderStatus.enabled` false: the flow goes straight to the router).
 */
export const stageStatusOnlyShare = (config: PeaklineConfig): number =>
  config.orderStatus.enabled ? config.orderStatus.statusOnlyCallerShare : 0;

/** The planner's defaults, so plan and simulate judge the same day alike. */
export const DEFAULT_SHRINKAGE = 0.3;
export const DEFAULT_REPLY_SECONDS = { email: 24 * 3600, task: 4 * 3600 } as const;

/** The stage's hysteresis thresholds (T_enter, N, T_exit, M, T_deflect), as the overflow controller takes them. */
export const overflowThresholds = (overflow: PeaklineConfig['overflow']): Thresholds => ({
  enterWaitSeconds: overflow.enterWaitSeconds,
  enterSamples: overflow.enterSamples,
  exitWaitSeconds: overflow.exitWaitSeconds,
  exitSamples: overflow.exitSamples,
  deflectWaitSeconds: overflow.deflectWaitSeconds,
  minDwellSeconds: overflow.minDwellSeconds,
});

export const peakInput = (
  intervals: readonly ForecastInterval[],
  seats: Readonly<Record<SeatType, number>>,
  config: PeaklineConfig,
  options: PeakOptions = {},
): PeakInput => {
  const overflow = config.overflow;
  const rendered =
    overflow.requestUrl === undefined
      ? undefined
      : renderDeflectionSms(
          {
            shopName: config.sms.shopName,
            requestUrl: overflow.requestUrl,
            ...(overflow.bonusCode === undefined ? {} : { bonusCode: overflow.bonusCode }),
            segmentCap: config.sms.segmentCap,
          },
          config.connect.language,
        );
  return {
    intervals,
    seats: Object.fromEntries(SEAT_TYPES.map((t) => [t, seats[t] ?? 0])) as Record<SeatType, number>,
    shrinkage: options.shrinkage ?? DEFAULT_SHRINKAGE,
    scenario: options.scenario ?? 1,
    ...(options.handlingCv === undefined ? {} : { handlingCv: options.handlingCv }),
    patienceSeconds: { ...DEFAULT_PATIENCE_SECONDS, ...options.patienceSeconds },
    targetSeconds: options.targetSeconds ?? 20,
    replySeconds: { ...DEFAULT_REPLY_SECONDS, ...options.replySeconds },
    shortAbandonSeconds: 5,
    chatAhtFactors: [...DEFAULT_CHAT_AHT_FACTORS.entries()],
    chatAhtMeasuredAt: 1,
    overflow: {
      queues: overflow.queues,
      samplesPerMinute: overflow.samplesPerMinute,
      thresholds: overflowThresholds(overflow),
      stateMaxAgeSeconds: overflow.stateMaxAgeSeconds ?? defaultStateMaxAgeSeconds(overflow.samplesPerMinute),
      routerCacheSeconds: overflow.routerCacheSeconds,
      waitModel: { handlingSeconds: overflow.handlingSeconds, patienceSeconds: overflow.patienceSeconds },
      secondLine: { marginSeconds: overflow.secondLineMarginSeconds, maxShare: overflow.secondLineMaxShare },
      secondLineAssistDelaySeconds: overflow.secondLineAssistDelaySeconds,
    },
    menu: options.menu ?? DEFAULT_MENU_CHOICES,
    ...(rendered === undefined
      ? {}
      : { sms: { parts: rendered.segments, dailyPartCap: config.sms.dailySegmentCap } }),
    hours: { timeZone: config.connect.timeZone, weekly: config.connect.hours },
    policy: options.policy ?? DEFAULT_ROUTING_POLICY,
    ...(options.statusOnlyShare ? { statusOnlyShare: options.statusOnlyShare } : {}),
  };
};

/** Problems with the input, in words; [] when it can run. */
export const peakInputProblems = (input: PeakInput): string[] => {
  const problems: string[] = [];
  if (input.intervals.length === 0) problems.push('the forecast has no interval to simulate');
  if (!(input.scenario > 0 && Number.isFinite(input.scenario))) {
    problems.push(`the scenario must multiply arrivals by a positive number (got ${input.scenario})`);
  }
  if (!(input.shrinkage >= 0 && input.shrinkage < 1)) {
    problems.push(`shrinkage must be from 0 to below 1 (got ${input.shrinkage})`);
  }
  if (input.handlingCv !== undefined && !(input.handlingCv > 0 && Number.isFinite(input.handlingCv))) {
    problems.push(`the handling CV must be a positive number (got ${input.handlingCv})`);
  }
  const seats = SEAT_TYPES.reduce((sum, t) => sum + input.seats[t], 0);
  if (seats <= 0) problems.push('the seats file gives no seat at all: nobody would answer');
  for (const t of SEAT_TYPES) {
    if (!(Number.isInteger(input.seats[t]) && input.seats[t] >= 0)) {
      problems.push(`${t} seats must be a whole number from 0 (got ${input.seats[t]})`);
    }
  }
  if (input.policy !== undefined && !ROUTING_POLICIES.includes(input.policy)) {
    problems.push(`the policy must be one of ${ROUTING_POLICIES.join(', ')} (got ${String(input.policy)})`);
  }
  const statusOnly = input.statusOnlyShare ?? 0;
  if (!(statusOnly >= 0 && statusOnly <= 1)) {
    problems.push(`the share of status-only callers must be from 0 to 1 (got ${statusOnly})`);
  }
  const { wait, callback, sms } = input.menu;
  if (![wait, callback, sms].every((s) => s >= 0) || Math.abs(wait + callback + sms - 1) > 1e-9) {
    problems.push(`the menu's shares must be from 0 and add up to 1 (got ${wait}, ${callback}, ${sms})`);
  }
  return problems;
};

/** The chat tier's handling factor against the AHT the forecast gives. */
export const chatHandlingFactor = (input: PeakInput, concurrency: number): number => {
  const factors = new Map(input.chatAhtFactors);
  return chatAhtFactor(concurrency, factors) / chatAhtFactor(input.chatAhtMeasuredAt, factors);
};
