/**
 * The planning vocabulary every planning part shares (forecast, plan, simulate): one definition of a
 * channel and of an interval's expected work, so a forecast file means the same to each of them.
 */

/**
 * The channels a shop's contact centre plans for. Voice and chat customers wait on the line; e-mail (and
 * the web requests deflection creates) and tasks (payment cases, cart callbacks) wait in a backlog and are
 * judged by their reply time.
 */
export const PLANNING_CHANNELS = ['voice', 'chat', 'email', 'task'] as const;
export type PlanningChannel = (typeof PLANNING_CHANNELS)[number];

export const isPlanningChannel = (value: unknown): value is PlanningChannel =>
  typeof value === 'string' && (PLANNING_CHANNELS as readonly string[]).includes(value);

/**
 * One interval of one channel's expected work: a row of the forecast file (columns `intervalStart,
 * minutes,channel,contacts,ahtSeconds`) and the planner's and simulator's input.
 */
export interface ForecastInterval {
  /** The interval's first moment, ISO-8601 with the contact centre's offset, e.g. 2027-11-26T09:00:00+01:00. */
  readonly start: string;
  /** The interval's length: 15 or 30. */
  readonly minutes: number;
  readonly channel: PlanningChannel;
  /** Expected contacts arriving in the interval; fractional (a forecast is a mean, not a count). */
  readonly contacts: number;
  /** Expected average handling time, seconds (talk, hold and after-contact work; a chat's whole length). */
  readonly ahtSeconds: number;
}
