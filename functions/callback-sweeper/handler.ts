/**
 * Every minute: the due cart callbacks become tasks in the callback queue, oldest first, as many as fit this
 * run at the Connect API rate (and `callbacks.sweepBatch`); while the queue is overloaded they are postponed
 * or replaced by the saved-cart SMS. What does not fit waits for the next run.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createMetrics } from '#adapters/lambda/metrics.js';
import { sweepDueCallbacks } from '#core/callbacks/sweep.js';
import { callbacksPerRun } from './connect-budget.js';
import { readCallbackSweeperEnvironment } from './environment-fields.js';
import { awsCallbackSweeperDeps, BACKLOG_AGE_METRIC, backlogAgeSeconds, sweepMetrics } from './wiring.js';

const env = readCallbackSweeperEnvironment();
const logger = new Logger();
const metrics = createMetrics();
const deps = awsCallbackSweeperDeps(env);

export const handler = middy(async (_event: unknown, context: Context) => {
  // From the time this run has, not a constant: the limit stays right whatever the timeout is set to.
  const limit = callbacksPerRun(
    context.getRemainingTimeInMillis(),
    env.CONNECT_CALLS_PER_SECOND,
    env.CALLBACK_SWEEP_BATCH,
  );
  const result = await sweepDueCallbacks(deps, limit);
  for (const outcome of result.outcomes) logger.info('callback swept', { ...outcome });
  for (const [name, value] of Object.entries(sweepMetrics(result, limit))) {
    metrics.addMetric(name, MetricUnit.Count, value);
  }
  try {
    const age = await backlogAgeSeconds(deps.store, deps.clock.now());
    metrics.addMetric(BACKLOG_AGE_METRIC, MetricUnit.Seconds, age);
  } catch (error) {
    // The sweep is done; a missing datapoint is the alarm's to judge, not a reason to fail the run.
    logger.warn('the callback backlog could not be measured', { error: String(error) });
  }
  if (result.routingStateError !== undefined) {
    logger.warn('the callback queue state could not be read; swept as NORMAL', {
      error: result.routingStateError,
    });
  }
  if (result.stoppedByThrottling) {
    logger.warn('Connect throttled StartTaskContact; the rest waits for the next run', { limit });
  } else if (result.due >= limit) {
    logger.warn('more callbacks may be due than one run takes; the next run goes on', { limit });
  }
  return { due: result.due, limit, counts: result.counts };
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
