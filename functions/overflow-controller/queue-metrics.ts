import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RoutingState } from '#core/ports.js';
import type { SampleResult } from '#core/routing/controller.js';

/** `RoutingState` as a number, so that a graph and an alarm on its Maximum read the worst of a period. */
export const ROUTING_STATE_VALUE: Readonly<Record<RoutingState, number>> = {
  NORMAL: 0,
  OVERFLOW: 1,
  DEFLECT: 2,
};

/**
 * Per watched queue (dimension `queue`, the queue key: a handful of values) and per applied sample:
 * `RoutingState`, `ExpectedWaitSeconds` (queues judged on the expected wait of a new contact only: the
 * callback queue's judged wait is its oldest contact's age, which has its own metric) and
 * `OldestContactAgeSeconds`. One metrics object per queue, so each EMF blob carries the run's samples as
 * one array per metric, and the `queue` dimension belongs to these metrics only, not to the run's counts.
 * A missing or skipped sample has no datapoint: a gap, not a made-up value.
 */
export const emitQueueMetrics = (
  samples: readonly Pick<SampleResult, 'readings'>[],
  metricsFor: () => Metrics,
): void => {
  const keys = [...new Set(samples.flatMap((s) => Object.keys(s.readings)))].sort();
  for (const key of keys) {
    const metrics = metricsFor();
    metrics.addDimension('queue', key);
    for (const sample of samples) {
      const reading = sample.readings[key];
      if (reading === undefined) continue;
      metrics.addMetric('RoutingState', MetricUnit.Count, ROUTING_STATE_VALUE[reading.state]);
      if (reading.expected) {
        metrics.addMetric('ExpectedWaitSeconds', MetricUnit.Seconds, reading.waitSeconds);
      }
      metrics.addMetric('OldestContactAgeSeconds', MetricUnit.Seconds, reading.oldestContactAgeSeconds);
    }
    metrics.publishStoredMetrics();
  }
};
