/**
 * Invoked by the inbound contact flow for every caller: answers where to transfer them, from the routing
 * state the overflow controller keeps (cached for `overflow.routerCacheSeconds`).
 *
 * Contract: `Details.Parameters.queue` names the queue the caller came for, by peakline's key (default
 * `primary`). The answer is a flat map of strings, `{ mode, queueArn, queueKey }`:
 * - NORMAL: the queue itself (the primary queue);
 * - OVERFLOW: the second line for the controller's share of the callers (drawn per caller), the queue
 *   itself for the others;
 * - DEFLECT: the same queues, and `mode` DEFLECT (the flow offers the deflection menu first, and "keep
 *   waiting" goes to `queueArn`) for the controller's deflection share, OVERFLOW for the others.
 * `queueKey` is the key of the queue in `queueArn`. On any error, an unknown queue, a slow read or a state
 * the controller has stopped confirming (older than `overflow.stateMaxAgeSeconds`, undated, garbage) the answer
 * is `{ mode: 'NORMAL', queueArn: <primary>, queueKey: 'primary' }`, logged and counted
 * (`RouterFallbacks`); the function never throws, and the flow's error branch goes to the primary queue too.
 *
 * Every caller waits for this answer in silence, so the handler carries no middleware and no logging
 * library: a log line and an EMF metric written by hand, only when it falls back.
 */
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { readEnvironment } from '#adapters/lambda/environment.js';
import { METRICS_NAMESPACE, stageOf } from '#adapters/lambda/metrics.js';
import type { FallbackReason, RouteAnswer, RouteDecision } from '#core/routing/router.js';
import { overflowRouterEnvironment } from './environment.js';
import { overflowRouter } from './wiring.js';

const env = readEnvironment(overflowRouterEnvironment);
const router = overflowRouter(env);
const service = process.env.POWERTOOLS_SERVICE_NAME ?? 'peakline-overflow-router';
const namespace = process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE;
// The same default dimensions createMetrics() gives every other function, so the alarms read one series.
const stage = stageOf();

/** One JSON line on stdout, as Powertools writes it: CloudWatch Logs keeps it, and reads EMF from it. */
const writeLine = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

const STATE_DOUBTS: ReadonlySet<unknown> = new Set<FallbackReason>([
  'state-stale',
  'state-unconfirmed',
  'state-garbage',
]);

const errorText = (error: unknown): string | undefined =>
  error === undefined
    ? undefined
    : error instanceof Error
      ? `${error.name}: ${error.message}`
      : String(error);

/** One count of `metric` as an EMF line, by service and stage, with the reason beside it (not a dimension). */
const emfCount = (metric: string, timestamp: number, reason: unknown): Record<string, unknown> => ({
  _aws: {
    Timestamp: timestamp,
    CloudWatchMetrics: [
      {
        Namespace: namespace,
        Dimensions: [['service', 'stage']],
        Metrics: [{ Name: metric, Unit: 'Count' }],
      },
    ],
  },
  service,
  stage,
  reason,
  [metric]: 1,
});

const reportFallback = (decision: RouteDecision, contactId: unknown, requested: unknown): void => {
  const timestamp = Date.now();
  writeLine({
    level: decision.fallback === 'unknown-queue' ? 'WARN' : 'ERROR',
    message: 'routed to the primary queue: the routing state could not be used',
    timestamp: new Date(timestamp).toISOString(),
    service,
    reason: decision.fallback,
    requestedQueue: typeof requested === 'string' ? requested : typeof requested,
    ...(typeof contactId === 'string' ? { contactId } : {}),
    ...(decision.error === undefined ? {} : { error: errorText(decision.error) }),
  });
  writeLine(emfCount('RouterFallbacks', timestamp, decision.fallback));
  // A state the controller stopped confirming is counted under the name every reader uses.
  if (STATE_DOUBTS.has(decision.fallback)) {
    writeLine(emfCount('RoutingStateStale', timestamp, decision.fallback));
  }
};

export const handler = async (event: ConnectContactFlowEvent): Promise<RouteAnswer> => {
  let requested: unknown;
  let contactId: unknown;
  try {
    requested = event?.Details?.Parameters?.queue;
    contactId = event?.Details?.ContactData?.ContactId;
    const decision = await router.route(requested);
    if (decision.fallback !== undefined) reportFallback(decision, contactId, requested);
    return decision.answer;
  } catch (error) {
    // route() never throws; this is for the unforeseen (a malformed event), which must not reach the caller.
    const answer = router.fallbackAnswer();
    reportFallback({ answer, fallback: 'unexpected-error', cached: false, error }, contactId, requested);
    return answer;
  }
};
