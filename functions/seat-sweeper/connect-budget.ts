/**
 * How much revoking a run can do at its share of the Connect API rate. Connect, not DynamoDB, is the
 * bottleneck: its user APIs allow 2 calls a second by default for the whole account, and the seat sweeper
 * and the backstop each get one slot of that (see CONNECT_API_CALLERS in
 * layers/adapters/connect/api-rate-split.ts).
 */

/**
 * Connect calls one revocation makes at most, as a rule: DescribeUser (is the user tagged as peakline's?),
 * one page of SearchQuickConnects (an instance with up to 100 quick connects), one DeleteQuickConnect (an
 * agent has at most one quick connect, as a rule), and DeleteUser. A seat without a user makes none. A
 * seat whose provisioning was interrupted before its user id was recorded (rare) makes one SearchUsers
 * more, and an instance with more quick connects a page more per hundred, which the margin below and the
 * next run absorb.
 */
export const CONNECT_CALLS_PER_REVOCATION = 4;

/**
 * The share of a run's time given to Connect calls at the paced rate; the rest is the margin for the
 * DynamoDB and EventBridge calls, for throttling backoff, and for one revocation more than planned.
 */
const CONNECT_SHARE_OF_RUN = 0.75;

/**
 * How many seats a run may take on so that it ends within `remainingMs` at `callsPerSecond` (the
 * sweeper's share): with connect.apiCallsPerSecond at 2, a share of 1/3 a second, a five-minute run revokes
 * up to 18 seats (300 s × 0.75 × 1/3 / 4). What does not fit waits for the next run, oldest contract end
 * first; one seat at least, so that a run always makes progress.
 */
export const seatsPerRun = (remainingMs: number, callsPerSecond: number): number =>
  Math.max(
    1,
    Math.floor(((remainingMs / 1000) * CONNECT_SHARE_OF_RUN * callsPerSecond) / CONNECT_CALLS_PER_REVOCATION),
  );

/** Stream records the TTL backstop takes per invocation. */
export const BACKSTOP_BATCH_SIZE = 10;

/**
 * The backstop's timeout: a full batch at its paced share, four times over for throttling backoff (each
 * throttled call may wait up to about 15 s), at least a minute and at most Lambda's 15 minutes. At a share
 * of 1/3 call a second: 10 records × 4 calls × 3 s = 120 s, so 480 s.
 */
export const backstopTimeoutSeconds = (callsPerSecond: number): number =>
  Math.min(
    900,
    Math.max(60, Math.ceil((4 * BACKSTOP_BATCH_SIZE * CONNECT_CALLS_PER_REVOCATION) / callsPerSecond)),
  );
