import {
  announcePending,
  type OrderSmsDeps,
  releaseDeferredSms,
  type SmsDecision,
} from '#core/sms/order-sms.js';
import { type OrderSmsMetric, recordDecision } from '#functions/order-sms/decision-log.js';

export interface SmsReleaseRun {
  /** This sender's share of the account's SMS rate. */
  readonly partsPerSecond: number;
  /** Time left before the timeout: the Lambda context's, or a virtual clock's in the local stack and tests. */
  readonly remainingMs: () => number;
  readonly log: (message: string, fields: Record<string, unknown>) => void;
  readonly count: (
    metric: OrderSmsMetric | 'SmsAnnouncedLate',
    value?: number,
    dimensions?: Readonly<Record<'reason', string>>,
  ) => void;
  /** @default none */
  readonly onDecision?: (decision: SmsDecision) => void | Promise<void>;
}

/** Outcomes announced late per run, at most: a backlog drains over a few minutes. */
const ANNOUNCE_PER_RUN = 200;
/** Kept free at the end of a run for the last record and announcement. */
const MARGIN_MS = 5_000;

/**
 * One run of the sms-release sweeper, shared by the Lambda handler and the local stack: announce what
 * was recorded and not announced, then release the deferred SMS, sized in parts (the pacer's unit) by the
 * time left, not in messages: at 4 parts a second a 3-part SMS takes 750 ms, and a run that counted
 * messages would overrun its timeout every morning after a busy evening.
 */
export const runSmsRelease = async (deps: OrderSmsDeps, run: SmsReleaseRun) => {
  const announced = await announcePending(deps, ANNOUNCE_PER_RUN);
  if (announced > 0) {
    run.log('sms outcomes announced late', { announced });
    run.count('SmsAnnouncedLate', announced);
  }
  const usableMs = Math.max(0, run.remainingMs() - MARGIN_MS);
  const decisions = await releaseDeferredSms(deps, {
    maxParts: Math.max(1, Math.floor((run.partsPerSecond * usableMs) / 1000)),
    partsPerSecond: run.partsPerSecond,
    remainingMs: run.remainingMs,
    marginMs: MARGIN_MS,
  });
  for (const decision of decisions) {
    recordDecision(run, decision);
    await run.onDecision?.(decision);
  }
  return { released: decisions.length, announced };
};
