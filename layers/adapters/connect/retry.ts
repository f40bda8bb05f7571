/**
 * Pacing and throttling retries for the Amazon Connect API. Connect's quotas for the user, task and
 * metrics APIs are small (2 requests a second by default, with a small burst), and the seat import,
 * the callback sweeper and the overflow controller all share them; so every call is spaced out ahead
 * of time, and a "too fast" answer is waited out rather than surfaced.
 */

/** How long to wait, and how often to try again, after Connect says "too fast". */
export interface ThrottlingRetryPolicy {
  /** Tries in all, the first one included. */
  readonly maxAttempts: number;
  /** Ceiling of the first pause; each further pause may be up to twice as long. */
  readonly baseDelayMs: number;
  /** No pause exceeds this, however many tries went before. */
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** In [0, 1), as Math.random. */
  readonly random: () => number;
}

const ALWAYS_THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException']);

/**
 * True when Connect turned a call down for its rate, so that the same call is worth trying again later.
 *
 * LimitExceededException needs a closer look: Connect sends it (HTTP 429, like the throttling errors)
 * both for a rate limit and for a quota that no waiting lifts, such as the number of users an instance
 * may have. Only the rate limit is retried; a quota is for ops to raise, and retrying it would only burn
 * the API rate the other callers need.
 */
export function isThrottling(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (typeof name !== 'string') return false;
  if (ALWAYS_THROTTLING.has(name)) return true;
  if (name === 'LimitExceededException') {
    return /\brate\b|too many requests|throttl/i.test(typeof message === 'string' ? message : '');
  }
  return false;
}

/**
 * Runs `call`, and while Connect answers it with throttling, runs it again after an exponential backoff
 * with full jitter (a pause drawn uniformly between 0 and the ceiling), so that callers throttled together
 * do not all come back at the same moment. Gives up after `maxAttempts` tries with the last error, as
 * thrown; any other error is thrown at once, unchanged.
 */
export async function retryThrottled<T>(call: () => Promise<T>, policy: ThrottlingRetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || attempt >= policy.maxAttempts) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await policy.sleep(Math.floor(policy.random() * ceiling));
    }
  }
}

/**
 * Spaces calls at least `1000 / callsPerSecond` ms apart: each call books the next free slot before it
 * waits, so calls started together (a Promise.all over a batch) are spread out too, not only calls made
 * one after another.
 */
export class CallPacer {
  private nextFreeAt = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;

  constructor(
    callsPerSecond: number,
    private readonly nowMs: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {
    if (!(callsPerSecond > 0) || !Number.isFinite(callsPerSecond)) {
      throw new RangeError(`callsPerSecond must be a positive number, got ${callsPerSecond}`);
    }
    this.intervalMs = 1000 / callsPerSecond;
  }

  /** Resolves when the caller may make its call. */
  async take(): Promise<void> {
    const now = this.nowMs();
    const startAt = Math.max(now, this.nextFreeAt);
    this.nextFreeAt = startAt + this.intervalMs;
    if (startAt > now) await this.sleep(startAt - now);
  }
}
