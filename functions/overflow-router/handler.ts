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
 * A caller who was told their order's status before routing (issue 15) and still comes here, because they
 * asked for someone (2) or did not hang up, carries the contact attribute `peaklineOrderOutcome`: they are
 * counted once (`OrderStatusThenQueue`), so the dashboard's contained calls are OrderStatusTold (the lookup's
 * count) minus these.
 *
 * Every caller waits for this answer in silence, so the handler carries no middleware and no logging
 * library: a log line and an EMF metric written by hand, only when it falls back or counts.
 */
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { jsonLines, writeLine } from '#adapters/logging/json-lines.js';
import { ORDER_ATTRIBUTES } from '#core/orders/types.js';
import type { FallbackReason, RouteAnswer, RouteDecision } from '#core/routing/router.js';
import { readOverflowRouterEnvironment } from './environment-fields.js';
import { overflowRouter } from './wiring.js';

// Checked by hand, not with zod: ~10 ms less cold start (#adapters/environment/fields.ts).
const env = readOverflowRouterEnvironment();
const router = overflowRouter(env);
// The same series every other function counts in (service, stage), written by hand: no Powertools here.
const lines = jsonLines('peakline-overflow-router');

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

/** One count of `metric` as an EMF line, with `context` beside it (not dimensions). */
const emfCount = (metric: string, timestamp: number, context: Readonly<Record<string, unknown>>): void =>
  lines.counts(new Map([[metric, 1]]), timestamp, context);

const reportFallback = (decision: RouteDecision, contactId: unknown, requested: unknown): void => {
  const timestamp = Date.now();
  // Whatever POWERTOOLS_LOG_LEVEL says: a fallback is always worth its line.
  writeLine({
    level: decision.fallback === 'unknown-queue' ? 'WARN' : 'ERROR',
    message: 'routed to the primary queue: the routing state could not be used',
    timestamp: new Date(timestamp).toISOString(),
    service: lines.service,
    reason: decision.fallback,
    requestedQueue: typeof requested === 'string' ? requested : typeof requested,
    ...(typeof contactId === 'string' ? { contactId } : {}),
    ...(decision.error === undefined ? {} : { error: errorText(decision.error) }),
  });
  emfCount('RouterFallbacks', timestamp, { reason: decision.fallback });
  // A state the controller stopped confirming is counted under the name every reader uses.
  if (STATE_DOUBTS.has(decision.fallback)) {
    emfCount('RoutingStateStale', timestamp, { reason: decision.fallback });
  }
};

/** The outcomes of a caller who heard their order's status and goes on to a queue ('sms' hangs up in the flow). */
const THEN_QUEUE_OUTCOMES: ReadonlySet<unknown> = new Set(['told', 'agent']);

const countOrderStatusThenQueue = (event: ConnectContactFlowEvent): void => {
  const outcome: unknown = event?.Details?.ContactData?.Attributes?.[ORDER_ATTRIBUTES.outcome];
  if (THEN_QUEUE_OUTCOMES.has(outcome)) {
    emfCount('OrderStatusThenQueue', Date.now(), { outcome });
  }
};

export const handler = async (event: ConnectContactFlowEvent): Promise<RouteAnswer> => {
  let requested: unknown;
  let contactId: unknown;
  try {
    requested = event?.Details?.Parameters?.queue;
    contactId = event?.Details?.ContactData?.ContactId;
    countOrderStatusThenQueue(event);
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
