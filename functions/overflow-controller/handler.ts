/**
 * Every minute (EventBridge schedule): samples the watched queues `overflow.samplesPerMinute` times, evenly
 * over the minute, one GetCurrentMetricData call each, and keeps each queue's routing state (NORMAL,
 * OVERFLOW, DEFLECT) with hysteresis; a change is audited and announced on the bus and to ops.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createMetrics } from '#adapters/lambda/metrics.js';
import { runController } from '#core/routing/controller.js';
import { readOverflowControllerEnvironment } from './environment-fields.js';
import { emitQueueMetrics } from './queue-metrics.js';
import {
  awsOverflowControllerDeps,
  awsPublicStatusPublisher,
  overflowControllerSettings,
  PUBLISH_BUDGET_MS,
} from './wiring.js';

const env = readOverflowControllerEnvironment();
const logger = new Logger();
const metrics = createMetrics();
const settings = overflowControllerSettings(env);
const deps = awsOverflowControllerDeps(env, (level, message, fields) => logger[level](message, fields));
// Here, not in the controller: the routing states must not wait on, nor fail with, the website's line,
// and the local stack and `simulate` run the controller without one.
const publicStatus = awsPublicStatusPublisher(env);

/** Thrown after a run whose trouble ops must see (the function's error alarm); the states are kept. */
export class OverflowRunError extends Error {
  override readonly name = 'OverflowRunError';
}

export const handler = middy(async (_event: unknown, context: Context) => {
  const run = await runController(deps, settings, {
    samplesPerMinute: env.OVERFLOW_SAMPLES_PER_MINUTE,
    remainingMs: () => context.getRemainingTimeInMillis(),
    sleep: (ms) => sleep(ms),
  });
  const metricsCalls = run.samples.reduce((sum, s) => sum + s.metricsCalls, 0);
  const failedCalls = run.samples.reduce((sum, s) => sum + s.failedMetricsCalls, 0);
  const changes = run.samples.flatMap((s) => s.changes);
  // Queue states a sample confirmed (written, changed or not): what keeps them believed by their readers.
  // Zero for minutes on end is a controller that lets its states expire; the alarm watches this.
  const confirmed = run.samples.reduce(
    (sum, s) => sum + Object.values(s.outcomes).filter((o) => o === 'applied' || o === 'changed').length,
    0,
  );
  const failedQueues = run.samples.flatMap((s) =>
    Object.entries(s.outcomes).flatMap(([queue, outcome]) => (outcome === 'failed' ? [queue] : [])),
  );
  // Zeros too: a steady series shows the controller is alive and what it costs in Connect calls.
  metrics.addMetric('OverflowSamples', MetricUnit.Count, run.samples.length);
  metrics.addMetric('ConnectMetricsCalls', MetricUnit.Count, metricsCalls);
  metrics.addMetric('ConnectMetricsCallsFailed', MetricUnit.Count, failedCalls);
  metrics.addMetric('OverflowStateChanges', MetricUnit.Count, changes.length);
  metrics.addMetric('RoutingStatesConfirmed', MetricUnit.Count, confirmed);
  if (run.skippedSamples > 0) {
    logger.warn('samples left out: the time left could not hold them', { skipped: run.skippedSamples });
  }
  emitQueueMetrics(run.samples, createMetrics);
  if (publicStatus !== undefined) {
    if (context.getRemainingTimeInMillis() < PUBLISH_BUDGET_MS) {
      // The next run, a minute later, publishes from its own samples; this one must not time out.
      logger.warn('public status not published: too little time left in this run');
    } else {
      const published = await publicStatus.publish(run.samples, deps.clock.now());
      // Zeros too: most runs write nothing (the document did not change), and any failure is news.
      metrics.addMetric('PublicStatusWrites', MetricUnit.Count, published.written ? 1 : 0);
      metrics.addMetric('PublicStatusWriteFailures', MetricUnit.Count, published.error ? 1 : 0);
      if (published.error !== undefined) {
        logger.error('public status document not written; the next run tries again', {
          error: published.error,
        });
      } else if (published.written) {
        logger.info('public status document written', {
          decision: published.decision,
          phone: published.document.channels.phone.wait,
          state: published.document.channels.phone.state,
        });
      }
    }
  }

  const unannounced = changes.filter((c) => !c.announced);
  // One failed metrics call is a missing sample and nothing more; a run without a single one is a
  // controller that sees nothing (permissions, an outage), and the states it keeps are getting old.
  const blind = run.samples.length > 0 && failedCalls === metricsCalls;
  if (blind || unannounced.length > 0 || failedQueues.length > 0) {
    throw new OverflowRunError(
      [
        blind
          ? `every metrics call of this run failed (${failedCalls}); the routing states are unchanged`
          : '',
        unannounced.length > 0
          ? `${unannounced.length} state change(s) written and audited but not announced: ${unannounced.map((c) => `${c.queueKey} ${c.from}->${c.to}`).join(', ')}`
          : '',
        failedQueues.length > 0
          ? `routing state not updated for: ${[...new Set(failedQueues)].join(', ')}`
          : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  }
  return {
    samples: run.samples.length,
    skippedSamples: run.skippedSamples,
    metricsCalls,
    changes: changes.map((c) => `${c.queueKey} ${c.from}->${c.to}`),
  };
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
