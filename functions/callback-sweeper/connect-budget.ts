/**
 * A callback that becomes a task costs one StartTaskContact; postponing, skipping and the saved-cart SMS
 * cost none. So a run takes on as many due callbacks as its time allows at the Connect rate.
 */
export const CONNECT_CALLS_PER_CALLBACK = 1;

/**
 * The share of a run's time given to Connect calls at the paced rate; the rest is the margin for the
 * DynamoDB and EventBridge calls (a claim, a record and an announcement per callback) and for backoff.
 */
const CONNECT_SHARE_OF_RUN = 0.75;

/** The sweeper's timeout and schedule: a run has ended (or been stopped) when the next one starts. */
export const SWEEP_EVERY_SECONDS = 60;

/**
 * How many due callbacks a run may take on so that it ends within `remainingMs` at `callsPerSecond`, and
 * never more than `sweepBatch`: at 2 calls a second, a one-minute run makes up to 90 tasks (60 s × 0.75 ×
 * 2), so the default batch of 60 decides. One at least, so that a run always makes progress.
 */
export const callbacksPerRun = (remainingMs: number, callsPerSecond: number, sweepBatch: number): number =>
  Math.max(
    1,
    Math.min(
      sweepBatch,
      Math.floor(((remainingMs / 1000) * CONNECT_SHARE_OF_RUN * callsPerSecond) / CONNECT_CALLS_PER_CALLBACK),
    ),
  );
