/**
 * How much revoking a run can do at the Connect API rate. Connect, not DynamoDB, is the bottleneck: its
 * user APIs allow 2 calls a second by default, shared by everything that calls them.
 */

/**
 * Connect calls one revocation makes at most, as a rule: one page of SearchQuickConnects (an instance with
 * up to 100 quick connects), one DeleteQuickConnect (an agent has at most one quick connect, as a rule),
 * and DeleteUser. A seat without a user makes none. A seat whose provisioning was interrupted before its
user id was recorded (rare) makes one SearchUsers more, which the margin below absorbs. An instance with more quick connects needs a page
 * more per hundred, which the margin below and the next run absorb.
 */
export const CONNECT_CALLS_PER_REVOCATION = 3;

/**
 * The share of a run's time given to Connect calls at the paced rate; the rest is the margin for the
 * DynamoDB and EventBridge calls, for throttling backoff, and for one revocation more than planned.
 */
const CONNECT_SHARE_OF_RUN = 0.75;

/**
 * How many seats a run may take on so that it ends within `remainingMs` at `callsPerSecond`: at 2 calls a
 * second, a one-minute run revokes up to 30 seats (60 s × 0.75 × 2 / 3). What does not fit waits for the
 * next run, oldest contract end first; one seat at least, so that a run always makes progress.
 */
export const seatsPerRun = (remainingMs: number, callsPerSecond: number): number =>
  Math.max(
    1,
    Math.floor(((remainingMs / 1000) * CONNECT_SHARE_OF_RUN * callsPerSecond) / CONNECT_CALLS_PER_REVOCATION),
  );

/** Stream records the TTL backstop takes per invocation. */
export const BACKSTOP_BATCH_SIZE = 10;

/**
 * The backstop's timeout: a full batch at the paced rate, four times over for throttling backoff (each
 * throttled call may wait up to about 15 s), at least a minute and at most Lambda's 15 minutes. At 2 calls
 * a second: 10 records × 3 calls / 2 per second = 15 s, so 60 s.
 */
export const backstopTimeoutSeconds = (callsPerSecond: number): number =>
  Math.min(
    900,
    Math.max(60, Math.ceil((4 * BACKSTOP_BATCH_SIZE * CONNECT_CALLS_PER_REVOCATION) / callsPerSecond)),
  );
