/**
 * The overflow state of one queue, with hysteresis and a minimum dwell (DESIGN.md, part 3). A pure
 * function of the previous memory and one sample of the queue's wait (the controller judges the primary
 * queue on the expected wait of a new caller, see expected-wait.ts), so the controller Lambda, the local
 * stack and `peakline simulate` judge a queue the same way.
 *
 * The rules, with N = `enterSamples` and M = `exitSamples` (a sample is one reading of the wait):
 * - NORMAL -> OVERFLOW after N samples in a row above T_enter;
 * - NORMAL or OVERFLOW -> DEFLECT after N samples in a row above T_deflect (from NORMAL straight to
 *   DEFLECT when the wait jumps that high: routing the callers to the second line first would only make
 *   them wait longer before they are offered to leave);
 * - OVERFLOW or DEFLECT -> NORMAL after M samples in a row below T_exit;
 * - DEFLECT -> OVERFLOW after M samples in a row below T_enter. Deflection is left below T_enter rather
 *   than below T_deflect, so that it has a band of its own ([T_enter, T_deflect]) to stay on in, as
 *   OVERFLOW has [T_exit, T_enter]: a wait hovering around T_deflect does not switch the menu on and off.
 *   A fall through both thresholds goes straight to NORMAL when its M samples are all below T_exit.
 *
 * Minimum dwell: no change until the state has lasted `minDwellSeconds` since it began (the counts go on
 * meanwhile, so a change that is due happens on the first sample after the dwell). Thresholds and sample
 * runs stop a wait hovering on one threshold from flapping; the dwell bounds the changes whatever the
 * waits do: two changes are at least `minDwellSeconds` apart, so an hour holds at most
 * floor(3600 / minDwellSeconds) + 1 of them (the property test checks it on arbitrary waits).
 *
 * "Above" is strictly greater and "below" strictly less: a wait exactly on a threshold counts for neither
 * side (and so breaks both sides' runs). An empty queue (wait 0) is below every threshold, so that a T_exit
 * of 0 means "back to NORMAL once nobody waits" rather than "never".
 *
 * The counts are runs of samples in a row, kept across changes, so the rules hold as stated: N samples
 * above T_deflect deflect from NORMAL or OVERFLOW alike, even when OVERFLOW began during those N. What
 * keeps the state from flapping is that a sample rising above T_enter ends every run below it, and one
 * falling below T_enter ends every run above it: after a rise, a fall needs M fresh samples, and after a
 * fall a rise needs N. Two changes in the same direction may follow each other closely (NORMAL, OVERFLOW,
 * DEFLECT as a wait climbs through both thresholds); that is the wait climbing, not the state flapping.
 *
 * A missing sample (the metrics call was throttled or failed) changes nothing: the state and the counts
 * stand, and the next sample carries on from them.
 */
import type { RoutingState } from '../ports.js';

export const ROUTING_STATES = ['NORMAL', 'OVERFLOW', 'DEFLECT'] as const satisfies readonly RoutingState[];

export interface Thresholds {
  /** T_enter, seconds. */
  readonly enterWaitSeconds: number;
  /** N: samples in a row above T_enter (or T_deflect) before the state rises. */
  readonly enterSamples: number;
  /** T_exit, seconds; below T_enter. */
  readonly exitWaitSeconds: number;
  /** M: samples in a row below T_exit (or, from DEFLECT, below T_enter) before the state falls. */
  readonly exitSamples: number;
  /** T_deflect, seconds; above T_enter. */
  readonly deflectWaitSeconds: number;
  /**
   * The least time a state lasts before it may change, seconds.
   * @default 0 (the sample runs alone keep the state from flapping)
   */
  readonly minDwellSeconds?: number;
}

/** What the controller keeps per queue between samples (the routing table's state item). */
export interface QueueMemory {
  readonly state: RoutingState;
  /** Samples in a row with the wait above T_enter (capped at N: more says nothing new). */
  readonly aboveEnter: number;
  /** Samples in a row above T_deflect (capped at N). */
  readonly aboveDeflect: number;
  /** Samples in a row below T_enter (capped at M). */
  readonly belowEnter: number;
  /** Samples in a row below T_exit (capped at M). */
  readonly belowExit: number;
  /**
   * Bumped by every applied sample; the store writes a memory only over the version it was computed from,
   * so two overlapping controllers cannot overwrite each other's samples. 0: never written.
   */
  readonly version: number;
  /** When the memory last changed (the last applied sample's time), ISO-8601; absent before the first. */
  readonly updatedAt?: string;
  /** When the current state began, ISO-8601; absent while the queue has never left NORMAL. */
  readonly since?: string;
  /** The last applied sample's wait (the judged one: the expected wait of a new caller), seconds. */
  readonly lastWaitSeconds?: number;
  /**
   * The share of the queue's callers the router sends to the second line while the state is OVERFLOW or
   * DEFLECT (0 to 1), set by the controller on every sample from both queues' expected waits. Absent (a
   * state forced by hand, or written before shares): all of them, as the forced state says.
   */
  readonly secondLineShare?: number;
  /**
   * Outside NORMAL, the share of the callers offered the menu (0 to 1), from the last sample's wait: see
   * `deflectShare`. Absent (forced by hand, or written before shares): as the state says.
   */
  readonly deflectShare?: number;
  /**
   * How long after `updatedAt` readers still believe `state` (the controller's `overflow.stateMaxAgeSeconds`,
   * stamped on every write; see freshness.ts). Not part of the judgement: the controller adds it.
   */
  readonly maxAgeSeconds?: number;
}

/** One reading of a queue. */
export interface WaitSample {
  /** The wait judged, seconds (the expected wait of a new caller, or the oldest contact's age); 0: nobody waits. */
  readonly waitSeconds: number;
  readonly at: Date;
}

export interface StateChange {
  readonly from: RoutingState;
  readonly to: RoutingState;
}

export interface NextMemory {
  readonly memory: QueueMemory;
  /** Present when this sample changed the state. */
  readonly change?: StateChange;
}

/** A queue nobody has judged yet: NORMAL, with nothing counted. */
export const initialMemory = (): QueueMemory => ({
  state: 'NORMAL',
  aboveEnter: 0,
  aboveDeflect: 0,
  belowEnter: 0,
  belowExit: 0,
  version: 0,
});

/** Throws when the thresholds cannot give hysteresis; the stage config checks the same at synth. */
export const checkThresholds = (t: Thresholds): void => {
  const problems: string[] = [];
  for (const key of ['enterSamples', 'exitSamples'] as const) {
    if (!Number.isInteger(t[key]) || t[key] < 1) problems.push(`${key} must be a whole number of at least 1`);
  }
  for (const key of ['enterWaitSeconds', 'exitWaitSeconds', 'deflectWaitSeconds'] as const) {
    if (!Number.isFinite(t[key]) || t[key] < 0) problems.push(`${key} must be a number of at least 0`);
  }
  if (!(t.exitWaitSeconds < t.enterWaitSeconds))
    problems.push('exitWaitSeconds must be below enterWaitSeconds');
  if (!(t.deflectWaitSeconds > t.enterWaitSeconds)) {
    problems.push('deflectWaitSeconds must be above enterWaitSeconds');
  }
  if (t.minDwellSeconds !== undefined && !(Number.isFinite(t.minDwellSeconds) && t.minDwellSeconds >= 0)) {
    problems.push('minDwellSeconds must be a number of at least 0');
  }
  if (problems.length > 0) throw new RangeError(`Invalid overflow thresholds: ${problems.join('; ')}`);
};

const count = (previous: number, holds: boolean, cap: number): number =>
  holds ? Math.min(previous + 1, cap) : 0;

/** The state the counts call for, from `state`; `state` itself when they call for nothing. */
const judge = (
  state: RoutingState,
  counts: Pick<QueueMemory, 'aboveEnter' | 'aboveDeflect' | 'belowEnter' | 'belowExit'>,
  t: Thresholds,
): RoutingState => {
  switch (state) {
    case 'NORMAL':
      if (counts.aboveDeflect >= t.enterSamples) return 'DEFLECT';
      return counts.aboveEnter >= t.enterSamples ? 'OVERFLOW' : 'NORMAL';
    case 'OVERFLOW':
      if (counts.aboveDeflect >= t.enterSamples) return 'DEFLECT';
      return counts.belowExit >= t.exitSamples ? 'NORMAL' : 'OVERFLOW';
    case 'DEFLECT':
      if (counts.belowExit >= t.exitSamples) return 'NORMAL';
      return counts.belowEnter >= t.exitSamples ? 'OVERFLOW' : 'DEFLECT';
  }
};

/**
 * The memory after `sample`; with no sample (a throttled or failed metrics call), the memory as it was.
 * A wait that is not a finite number of seconds counts as no sample: judging on it would be a guess.
 */
export const next = (memory: QueueMemory, sample: WaitSample | undefined, t: Thresholds): NextMemory => {
  if (sample === undefined) return { memory };
  const wait = sample.waitSeconds;
  if (!Number.isFinite(wait) || wait < 0) return { memory };

  // Nobody waiting is below every threshold, T_exit 0 included (which would otherwise never be left).
  const empty = wait === 0;
  const counts = {
    aboveEnter: count(memory.aboveEnter, wait > t.enterWaitSeconds, t.enterSamples),
    aboveDeflect: count(memory.aboveDeflect, wait > t.deflectWaitSeconds, t.enterSamples),
    belowEnter: count(memory.belowEnter, empty || wait < t.enterWaitSeconds, t.exitSamples),
    belowExit: count(memory.belowExit, empty || wait < t.exitWaitSeconds, t.exitSamples),
  };
  const at = sample.at.toISOString();
  // The dwell counts from when the state began. A queue that never left NORMAL has dwelt long enough, and
  // so has one whose start is unreadable or later than the sample: a bad item must not pin a state.
  const atMs = sample.at.getTime();
  const sinceMs = memory.since === undefined ? Number.NaN : Date.parse(memory.since);
  const dwelt =
    !Number.isFinite(sinceMs) || sinceMs > atMs || atMs - sinceMs >= (t.minDwellSeconds ?? 0) * 1000;
  const state = dwelt ? judge(memory.state, counts, t) : memory.state;
  const changed = state !== memory.state;
  return {
    memory: {
      state,
      ...counts,
      version: memory.version + 1,
      updatedAt: at,
      ...(changed ? { since: at } : memory.since === undefined ? {} : { since: memory.since }),
      lastWaitSeconds: wait,
    },
    ...(changed ? { change: { from: memory.state, to: state } } : {}),
  };
};

/**
 * The share of callers offered the deflection menu while the queue is out of NORMAL: all of them at or
 * above T_deflect, none at or below T_enter, in proportion between. Offering it to everyone the moment the
 * wait passes T_deflect, and to nobody the moment it falls back, is a switch with a delay in its loop:
 * half the callers leave, the queue drains, the menu goes off, the queue refills, and the menu comes back
 * every few minutes (the first simulation of x3 did exactly that, 60 times a day). In proportion, the menu
 * settles on the share that holds the wait inside the band, and the state stays put. It starts in
 * OVERFLOW already: with patient callers' waits held between T_enter and T_deflect by those who hang up,
 * the local demo lost most of its callers in OVERFLOW while nobody was offered to leave.
 */
export const deflectShare = (waitSeconds: number, t: Thresholds): number => {
  if (!Number.isFinite(waitSeconds)) return 1;
  const share = (waitSeconds - t.enterWaitSeconds) / (t.deflectWaitSeconds - t.enterWaitSeconds);
  return Math.min(1, Math.max(0, share));
};
