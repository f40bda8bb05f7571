/**
 * The expected wait of a contact that joins a queue now (DESIGN.md, part 3): what the overflow controller
 * judges a queue on, and compares the primary queue with the second line by. The oldest contact's age says
 * how long someone has waited; it says little about the next caller (it falls the moment callers stop
 * joining, as they do when overflow sends them elsewhere, and it ignores how many agents are on).
 *
 * The estimator is the queue-length one with abandonment of Ibrahim and Whitt (2009): a new contact with
 * n others ahead of it and every agent busy waits for n + 1 departures from the queue; while k contacts are
 * ahead, they leave at N·μ (agents finishing, μ = 1 / handling time) plus k·θ (callers ahead hanging up,
 * θ = 1 / mean patience), so
 *
 *     E[W | n ahead] = Σ_{k=0}^{n} 1 / (N·μ + k·θ)
 *
 * Without abandonment (θ = 0) it is Whitt's (1999) (n + 1) / (N·μ). Free agents take the first contacts in
 * the queue at once, so n counts only the contacts beyond them.
 *
 * References: R. Ibrahim and W. Whitt, "Real-time delay estimation in overloaded multiserver queues with
 * abandonments", Management Science 55(10), 2009, pp. 1729-1742 (estimator QL_m, eq. 2.4); W. Whitt,
 * "Predicting queueing delays", Management Science 45(6), 1999, pp. 870-888.
 */
import type { ChannelMetrics } from '../ports.js';

/** What a queue's wait is reckoned with: its contacts' handling time and the callers' patience. */
export interface WaitModel {
  /** Mean handling time of a contact, seconds (the plan's AHT). */
  readonly handlingSeconds: number;
  /** Mean time a caller waits before hanging up, seconds; Infinity: nobody hangs up. */
  readonly patienceSeconds: number;
}

/**
 * The most the estimate says, seconds: a queue with contacts waiting and no agent on has no finite
 * expected wait, and an hour says "nobody will answer" as well as infinity does, while staying a number
 * every threshold, store and chart can take.
 */
export const EXPECTED_WAIT_CAP_SECONDS = 3600;

/** Throws when the model cannot give a wait (the stage config checks the same at synth). */
export const checkWaitModel = (model: WaitModel): void => {
  if (!(Number.isFinite(model.handlingSeconds) && model.handlingSeconds > 0)) {
    throw new RangeError(`handlingSeconds must be a positive number, got ${model.handlingSeconds}`);
  }
  if (!(model.patienceSeconds > 0)) {
    throw new RangeError(
      `patienceSeconds must be a positive number or Infinity, got ${model.patienceSeconds}`,
    );
  }
};

/**
 * The expected wait, seconds, of a contact joining a queue with these figures (one channel's: agents
 * serving other channels do not answer it). 0 when an agent is free for it or nobody waits with nobody on;
 * NaN when the figures are no counts (the controller then has no sample, rather than a guess).
 */
export const expectedWaitSeconds = (
  figures: Pick<ChannelMetrics, 'contactsInQueue' | 'agentsAvailable' | 'agentsOnContact'>,
  model: WaitModel,
): number => {
  const { contactsInQueue: waiting, agentsAvailable: free, agentsOnContact: busy } = figures;
  if (![waiting, free, busy].every((n) => Number.isFinite(n) && n >= 0)) return Number.NaN;
  // Nobody waiting and nobody on (the centre closed): nothing to judge, and below every threshold.
  if (waiting === 0 && free + busy === 0) return 0;
  const ahead = Math.floor(waiting) - Math.floor(free);
  if (ahead < 0) return 0;
  const agents = free + busy;
  if (agents === 0) return EXPECTED_WAIT_CAP_SECONDS;
  const service = agents / model.handlingSeconds;
  const abandon = Number.isFinite(model.patienceSeconds) ? 1 / model.patienceSeconds : 0;
  let wait = 0;
  for (let k = 0; k <= ahead; k += 1) {
    wait += 1 / (service + k * abandon);
    // Past the cap the rest of the sum changes nothing a threshold can see; stop before a long queue's loop.
    if (wait >= EXPECTED_WAIT_CAP_SECONDS) return EXPECTED_WAIT_CAP_SECONDS;
  }
  return wait;
};

/** What the router does with the primary queue's callers while it overflows. */
export interface SecondLineSettings {
  /** A caller goes to the second line only when their expected wait there is shorter by this, seconds. */
  readonly marginSeconds: number;
  /** The most of the callers sent there (0 to 1). */
  readonly maxShare: number;
}

/**
 * The share of the primary queue's next callers to send to the second line: 0 unless a caller would wait
 * there at least `marginSeconds` less; then the second line's advantage as a share of the primary wait,
 * but never more than its share of the agents on the calls (`capacityShare`: sent more, its own queue
 * would grow faster than the primary's) nor `maxShare`. Recomputed at every sample, the share shrinks as
 * the second line's queue grows (its expected wait rises with every caller sent), so the second line is
 * fed while it is the shorter wait and not past it: it cannot be drowned by a state that sends everyone.
 */
export const secondLineShare = (
  primaryWaitSeconds: number,
  secondLineWaitSeconds: number,
  settings: SecondLineSettings,
  capacityShare = 1,
): number => {
  if (!Number.isFinite(primaryWaitSeconds) || !Number.isFinite(secondLineWaitSeconds)) return 0;
  if (primaryWaitSeconds <= 0 || !(capacityShare > 0)) return 0;
  const advantage = primaryWaitSeconds - secondLineWaitSeconds - settings.marginSeconds;
  if (!(advantage > 0)) return 0;
  return Math.min(settings.maxShare, Math.min(1, capacityShare), advantage / primaryWaitSeconds);
};
