/**
 * The router (DESIGN.md, part 3): the inbound flow asks it, for each caller, which queue to transfer to.
 * It answers from the routing state the controller keeps, kept here for a few seconds (the controller
 * changes it at most a few times a minute, and at peak thousands of callers a minute ask the same
 * question), so a warm answer takes microseconds and a cold one a single DynamoDB read.
 *
 * In OVERFLOW and DEFLECT a caller goes to the second line with the share the controller set for the
 * queue (`secondLineShare`: how much the second line can take while callers wait less there), else to the
 * queue itself; and is offered the deflection menu (`mode` DEFLECT, which the flow plays) with the share
 * `deflectShare`, which grows with the expected wait from none at T_enter to all at T_deflect.
 *
 * When in any doubt it routes to the primary queue, as the flow's error branch does: an unknown queue, a
 * failed or slow read, a state the controller has stopped confirming (stale, undated or garbage: see
 * freshness.ts), anything unexpected. A cached state is kept no longer than it stays fresh. Sending a caller where callers always went is never wrong;
 * sending one to a second line that may not be staffed can be.
 */
import type { RoutingState } from '../ports.js';
import type { FreshRoutingStateReader, ReadRoutingState, StateDoubt } from './freshness.js';

/** The answer Connect gets: a flat map of strings, as a flow's Lambda result must be. */
export interface RouteAnswer {
  readonly [key: string]: string;
  readonly mode: RoutingState;
  /** ARN of the queue the flow transfers the caller to. */
  readonly queueArn: string;
  /** peakline's key of that queue (`primary`, `secondLine`, ...). */
  readonly queueKey: string;
}

export type FallbackReason =
  'unknown-queue' | 'state-read-failed' | 'state-read-timeout' | `state-${StateDoubt}` | 'unexpected-error';

export interface RouteDecision {
  readonly answer: RouteAnswer;
  /** Why the answer is the primary queue whatever the state; absent when the state decided. */
  readonly fallback?: FallbackReason;
  /** Whether the state came from the cache. */
  readonly cached: boolean;
  readonly error?: unknown;
}

/** The queues' ARNs by key; `primary` (the fallback) and `secondLine` (where overflow goes) at least. */
export type RouterQueueArns = Readonly<Record<string, string>> & {
  readonly primary: string;
  readonly secondLine: string;
};

export interface RouterOptions {
  readonly queueArns: RouterQueueArns;
  /** How long a state read is reused, ms; 0 reads every time. */
  readonly cacheMs: number;
  /**
   * How long to wait for a state read before answering the primary queue, ms. Connect gives the Lambda 8
   * seconds at most and the caller hears silence meanwhile.
   * @default 1000
   */
  readonly readDeadlineMs?: number;
  /**
   * After a failed or slow read, how long the router answers the primary queue without trying again, ms:
   * during a DynamoDB outage one caller a second waits for the deadline, not every caller.
   * @default 1000
   */
  readonly failureHoldMs?: number;
  /** @default Date.now */
  readonly nowMs?: () => number;
  /**
   * A number in [0, 1) per caller, drawn against the state's second-line share.
   * @default Math.random (a caller's queue needs no cryptographic chance; the simulator passes its seeded one)
   */
  readonly random?: () => number;
}

const DEFAULT_QUEUE = 'primary';

class ReadTimeout extends Error {
  override readonly name = 'ReadTimeout';
}

export class OverflowRouter {
  private readonly states = new Map<string, { readonly read: ReadRoutingState; readonly until: number }>();
  private readonly failedUntil = new Map<string, number>();
  private readonly nowMs: () => number;
  private readonly readDeadlineMs: number;
  private readonly failureHoldMs: number;
  private readonly random: () => number;

  constructor(
    private readonly reader: FreshRoutingStateReader,
    private readonly options: RouterOptions,
  ) {
    this.nowMs = options.nowMs ?? Date.now;
    this.readDeadlineMs = options.readDeadlineMs ?? 1000;
    this.failureHoldMs = options.failureHoldMs ?? 1000;
    this.random = options.random ?? Math.random;
  }

  /** The primary queue, NORMAL: the answer whenever the router is in doubt. */
  fallbackAnswer(): RouteAnswer {
    return { mode: 'NORMAL', queueArn: this.options.queueArns.primary, queueKey: DEFAULT_QUEUE };
  }

  /**
   * Where the caller of `requested` (the flow's `queue` parameter; absent: the primary queue) goes now.
   * Never throws: every failure is a fallback to the primary queue, with its reason.
   */
  async route(requested: unknown): Promise<RouteDecision> {
    const queueKey = requested === undefined || requested === '' ? DEFAULT_QUEUE : requested;
    if (typeof queueKey !== 'string' || !Object.hasOwn(this.options.queueArns, queueKey)) {
      return { answer: this.fallbackAnswer(), fallback: 'unknown-queue', cached: false };
    }
    const now = this.nowMs();
    const cached = this.states.get(queueKey);
    if (cached !== undefined && cached.until > now) return this.answer(queueKey, cached.read, true);
    if ((this.failedUntil.get(queueKey) ?? 0) > now) {
      return { answer: this.fallbackAnswer(), fallback: 'state-read-failed', cached: true };
    }
    try {
      const read = await this.readWithDeadline(queueKey);
      this.failedUntil.delete(queueKey);
      if (this.options.cacheMs > 0) {
        // Never past the moment the state turns stale: a cached OVERFLOW must expire like a stored one.
        const until = Math.min(this.nowMs() + this.options.cacheMs, read.freshUntilMs ?? Infinity);
        this.states.set(queueKey, { read, until });
      }
      return this.answer(queueKey, read, false);
    } catch (error) {
      this.failedUntil.set(queueKey, this.nowMs() + this.failureHoldMs);
      return {
        answer: this.fallbackAnswer(),
        fallback: error instanceof ReadTimeout ? 'state-read-timeout' : 'state-read-failed',
        cached: false,
        error,
      };
    }
  }

  private answer(queueKey: string, read: ReadRoutingState, cached: boolean): RouteDecision {
    if (read.doubt !== undefined) {
      return { answer: this.fallbackAnswer(), fallback: `state-${read.doubt}`, cached };
    }
    const state = read.state;
    // While the queue overflows, each caller goes to the second line with the controller's share: the
    // share is what the second line can take while its wait stays shorter (expected-wait.ts), so the rest
    // wait where they are rather than drown it. NORMAL keeps everyone in their own queue.
    const share = read.secondLineShare ?? 1;
    const target = state !== 'NORMAL' && share > 0 && this.random() < share ? 'secondLine' : queueKey;
    // Outside NORMAL the menu is offered to the controller's share of the callers (none at T_enter, all at
    // T_deflect); the others are routed as in OVERFLOW. The answer's mode is what the flow plays for this
    // caller, not the stored state.
    const offered = read.deflectShare ?? (state === 'DEFLECT' ? 1 : 0);
    const menu = offered >= 1 || (offered > 0 && this.random() < offered);
    const mode: RoutingState = state === 'NORMAL' ? state : menu ? 'DEFLECT' : 'OVERFLOW';
    const queueArn = this.options.queueArns[target];
    // The map is checked at start-up; this only guards a map missing its second line.
    if (queueArn === undefined) return { answer: this.fallbackAnswer(), fallback: 'unknown-queue', cached };
    return { answer: { mode, queueArn, queueKey: target }, cached };
  }

  private readWithDeadline(queueKey: string): Promise<ReadRoutingState> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ReadTimeout(`no routing state within ${this.readDeadlineMs} ms`)),
        this.readDeadlineMs,
      );
    });
    return Promise.race([this.reader.readState(queueKey), deadline]).finally(() => clearTimeout(timer));
  }
}
