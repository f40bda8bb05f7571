import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricUnit as Unit } from '@aws-lambda-powertools/metrics/types';

/**
 * The dimensions a metric may carry besides the defaults (`service`, `stage`). Each has a handful of
 * values: a dimension with one value per order, phone or contact would make a custom metric (and a bill)
 * per customer, and put personal data in CloudWatch's metric names.
 */
export type MetricDimension = 'kind' | 'reason' | 'queue';

/** The namespace every peakline metric lives in; PeaklineFunction sets it, the default is for tests. */
export const METRICS_NAMESPACE = 'peakline';

/**
 * The stage a function runs in, from `PEAKLINE_STAGE` (PeaklineFunction sets it). The local stack and the
 * unit tests run handlers without the CDK's environment: `local` there, never a missing dimension, which
 * would put their metrics in a different series from the stage's alarms.
 */
export const stageOf = (env: NodeJS.ProcessEnv = process.env): string => env.PEAKLINE_STAGE ?? 'local';

/**
 * Every function's Powertools Metrics: namespace `peakline` (POWERTOOLS_METRICS_NAMESPACE), default
 * dimensions `service` (POWERTOOLS_SERVICE_NAME, `peakline-<function>`) and `stage`, so one dashboard or
 * alarm per stage reads its own series, and two stages in one account never mix.
 */
export const createMetrics = (env: NodeJS.ProcessEnv = process.env): Metrics =>
  new Metrics({
    namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
    defaultDimensions: { stage: stageOf(env) },
  });

/**
 * One count with its own low-cardinality dimensions (a `reason`, a `queue`), flushed as a metric of its own
 * so the dimension belongs to this count only and not to the batch's other metrics. Without dimensions it
 * is an ordinary count, aggregated with the invocation's others.
 */
export const countWith = (
  metrics: Metrics,
  name: string,
  value = 1,
  dimensions: Readonly<Partial<Record<MetricDimension, string>>> = {},
  unit: Unit = MetricUnit.Count,
): void => {
  const entries = Object.entries(dimensions).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  if (entries.length === 0) {
    metrics.addMetric(name, unit, value);
    return;
  }
  const single = metrics.singleMetric();
  for (const [dimension, dimensionValue] of entries) single.addDimension(dimension, dimensionValue);
  single.addMetric(name, unit, value);
};
