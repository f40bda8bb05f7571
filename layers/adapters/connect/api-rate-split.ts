/**
 * Who shares the Amazon Connect API rate, and each one's share.
 *
 * Connect's throttling quotas are per account and Region, not per caller or instance: by default 2
 * requests a second (burst 5) for the user and task APIs together (CreateUser, DescribeUser, DeleteUser,
 * SearchUsers, the quick-connect calls, StartTaskContact, …), which ops may have raised;
 * `connect.apiCallsPerSecond` is that rate. Every peakline caller below may run at the same moment, so
 * each invocation paces itself at `connect.apiCallsPerSecond / CONNECT_API_SLOTS`: together they never
 * plan on more than the rate, whatever runs at once (the SMS rate is shared the same way, see
 * SMS_SENDERS in functions/order-sms/environment.ts).
 *
 * Not in the split: the overflow controller's GetCurrentMetricData, which has a quota of its own (5 a
 * second, burst 8, not adjustable; GetMetricData shares it) and paces itself to that
 * (functions/overflow-controller/wiring.ts).
 */

export interface ConnectApiCaller {
  /** Invocations (or runs) that can call Connect at the same time, and what holds it to that. */
  readonly maxConcurrency: number;
  readonly bound: string;
}

export const CONNECT_API_CALLERS = {
  'payment-issues': {
    maxConcurrency: 2,
    bound: "the payment buffer's event source maximum concurrency (2, the least SQS allows)",
  },
  'callback-sweeper': { maxConcurrency: 1, bound: 'reserved concurrency 1' },
  'seat-sweeper': { maxConcurrency: 1, bound: 'reserved concurrency 1' },
  'seat-ttl-backstop': { maxConcurrency: 1, bound: 'reserved concurrency 1' },
  'seats-cli': {
    maxConcurrency: 1,
    bound: 'one `peakline seats` run at a time, by ops convention (the README says so)',
  },
} as const satisfies Record<string, ConnectApiCaller>;

export type ConnectApiCallerName = keyof typeof CONNECT_API_CALLERS;

/** How many Connect-calling invocations can run at once: the rate is cut into this many equal slots. */
export const CONNECT_API_SLOTS = Object.values(CONNECT_API_CALLERS).reduce(
  (sum, caller) => sum + caller.maxConcurrency,
  0,
);

/**
 * The Connect calls a second one invocation of `caller` may make, out of `apiCallsPerSecond` (the
 * account's rate, `connect.apiCallsPerSecond`). Every invocation of a caller gets one slot.
 */
export const connectCallsPerSecondFor = (caller: ConnectApiCallerName, apiCallsPerSecond: number): number => {
  if (!(apiCallsPerSecond > 0) || !Number.isFinite(apiCallsPerSecond)) {
    throw new RangeError(`connect.apiCallsPerSecond must be a positive number, got ${apiCallsPerSecond}`);
  }
  const { maxConcurrency } = CONNECT_API_CALLERS[caller];
  // The caller's part of the rate (its slots), spread over the invocations that may run at once.
  return (apiCallsPerSecond * maxConcurrency) / CONNECT_API_SLOTS / maxConcurrency;
};
