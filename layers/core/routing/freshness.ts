/**
 * How old a routing state may be before nobody believes it (DESIGN.md, "Promises under faults"): a state
 * is only as good as the last sample that confirmed it. If the controller stops (its permissions, a
 * recreated queue, Connect throttling it for good), the OVERFLOW or DEFLECT it last wrote would otherwise
 * stay in force forever: callers sent to the small second line, every confirmation promising a late reply,
 * every callback postponed. So every reader (the router, the order SMS, the callback sweeper) reads a state
 * older than its maximum age as NORMAL, the answer that is never wrong.
 *
 * The controller stamps each state item with the time of the sample that confirmed it (`updatedAt`, the
 * world's clock: the virtual clock in the local stack) on every sample, whether the state changed or not,
 * and with the maximum age it was configured with (`overflow.stateMaxAgeSeconds`). The age travels with
 * the state, so every reader applies the controller's own setting without a copy of it; a reader only
 * needs its world's clock.
 */
import type { RoutingState } from '../ports.js';
import { ROUTING_STATES } from './hysteresis.js';

/** The controller's default pace (`overflow.samplesPerMinute`). */
export const DEFAULT_SAMPLES_PER_MINUTE = 4;

/**
 * The default maximum age: three sample periods. One missing sample (a throttled metrics call) or a run
 * that starts a little late does not end a state; three in a row mean the controller is not looking.
 */
export const defaultStateMaxAgeSeconds = (samplesPerMinute: number): number => (3 * 60) / samplesPerMinute;

/** What a reader assumes for a state item that carries no maximum age (written before it did). */
export const FALLBACK_STATE_MAX_AGE_SECONDS = defaultStateMaxAgeSeconds(DEFAULT_SAMPLES_PER_MINUTE);

/**
 * The most any item may claim (the setting's own limit): an item claiming more, like one dated in the
 * future, is not believed, or one bad write could pin a state for good.
 */
export const STATE_MAX_AGE_CEILING_SECONDS = 600;

/** A state item as stored, every field unchecked: a hand edit or a bad write may have put anything there. */
export interface StoredRoutingState {
  readonly state?: unknown;
  /** The confirming sample's time, ISO-8601. */
  readonly updatedAt?: unknown;
  readonly maxAgeSeconds?: unknown;
  /** The share of callers for the second line (0 to 1); absent: all of them (a state forced by hand). */
  readonly secondLineShare?: unknown;
  /** Outside NORMAL, the share of callers offered the menu (0 to 1); absent: as the state says. */
  readonly deflectShare?: unknown;
}

/**
 * Why a reader did not take the stored state:
 * - `stale`: its last sample is older than its maximum age (the controller stopped confirming it);
 * - `unconfirmed`: no sample time (a state written by hand, or by something else than the controller);
 * - `garbage`: an unknown state, a sample time in the future, a maximum age that is no sensible number.
 */
export type StateDoubt = 'stale' | 'unconfirmed' | 'garbage';

export interface ReadRoutingState {
  /** The state to act on. */
  readonly state: RoutingState;
  /**
   * While the state is OVERFLOW or DEFLECT, the share of callers to send to the second line (0 to 1). A
   * state without one (forced by hand, or written before shares) sends all; one that is no share at all
   * sends none: the primary queue on any doubt.
   */
  readonly secondLineShare?: number;
  /**
   * While the state is OVERFLOW or DEFLECT, the share of callers offered the menu (0 to 1). Absent or no
   * share: the state as written (DEFLECT: all, and the menu still lets a caller wait; OVERFLOW: none).
   */
  readonly deflectShare?: number;
  /** Present when the stored state was not taken (and `state` is NORMAL). */
  readonly doubt?: StateDoubt;
  /** The stored state when it was not taken, for the log. */
  readonly stored?: string;
  /**
   * Epoch ms when this answer stops being true (the state turns stale): a cache must not keep it longer.
   * Absent when nothing stored will expire (no item, or a NORMAL one: stale NORMAL is still NORMAL).
   */
  readonly freshUntilMs?: number;
}

const isState = (value: unknown): value is RoutingState =>
  typeof value === 'string' && (ROUTING_STATES as readonly string[]).includes(value);

const NORMAL: ReadRoutingState = { state: 'NORMAL' };

/** The state a reader acts on at `nowMs`, from the item as stored (undefined: no item). */
export const judgeStoredState = (item: StoredRoutingState | undefined, nowMs: number): ReadRoutingState => {
  if (item === undefined || item.state === undefined) return NORMAL;
  const doubt = (reason: StateDoubt): ReadRoutingState => ({
    state: 'NORMAL',
    doubt: reason,
    stored: typeof item.state === 'string' ? item.state.slice(0, 20) : typeof item.state,
  });
  if (!isState(item.state)) return doubt('garbage');
  // NORMAL needs no confirmation: it is what a doubtful state reads as anyway.
  if (item.state === 'NORMAL') return NORMAL;
  let maxAgeMs = FALLBACK_STATE_MAX_AGE_SECONDS * 1000;
  if (item.maxAgeSeconds !== undefined) {
    const seconds = item.maxAgeSeconds;
    if (
      typeof seconds !== 'number' ||
      !Number.isFinite(seconds) ||
      seconds <= 0 ||
      seconds > STATE_MAX_AGE_CEILING_SECONDS
    ) {
      return doubt('garbage');
    }
    maxAgeMs = seconds * 1000;
  }
  if (typeof item.updatedAt !== 'string') return doubt('unconfirmed');
  const sampledAtMs = Date.parse(item.updatedAt);
  if (!Number.isFinite(sampledAtMs)) return doubt('garbage');
  // A sample from the future would keep its state for as long as that future is away.
  if (sampledAtMs > nowMs + maxAgeMs) return doubt('garbage');
  const freshUntilMs = sampledAtMs + maxAgeMs;
  if (nowMs >= freshUntilMs) return doubt('stale');
  const share = item.secondLineShare;
  const secondLineShare =
    share === undefined ? 1 : typeof share === 'number' && share >= 0 && share <= 1 ? share : 0;
  // No share, or no sensible one: the state as written (DEFLECT offers the menu to all, OVERFLOW to none).
  const d = item.deflectShare;
  const deflectShare = typeof d === 'number' && d >= 0 && d <= 1 ? d : item.state === 'DEFLECT' ? 1 : 0;
  return { state: item.state, freshUntilMs, secondLineShare, deflectShare };
};

/** A reader that tells why it did not take a state and how long its answer holds (the router's cache). */
export interface FreshRoutingStateReader {
  readState(queueId: string): Promise<ReadRoutingState>;
}
