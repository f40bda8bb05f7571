/**
 * Log lines and EMF counts written by hand, as Powertools writes them (one JSON object a line on stdout,
 * which CloudWatch Logs keeps and reads metrics from): for the functions a caller waits on through their
 * cold start. Powertools' Logger, Metrics and middy cost the order lookup 60 -> 51 ms of CPU over a bare
 * node (bench/levers.ts) for a few lines an invocation; the router never carried them.
 *
 * The lines are those Powertools wrote: `level`, `message`, `timestamp`, `service` and the fields; a count
 * is `{ _aws: { Timestamp, CloudWatchMetrics: [{ Namespace, Dimensions: [['service', 'stage']], Metrics }] },
 * service, stage, <metric>: value }`, in the namespace and with the default dimensions every function's
 * metrics have (createMetrics in #adapters/lambda/metrics.ts), so alarms and dashboards read one series.
 */

import type { Context } from 'aws-lambda';

const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LEVELS)[number];

/** One JSON line on stdout. */
export const writeLine = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

export interface JsonLines {
  readonly service: string;
  readonly namespace: string;
  readonly stage: string;
  /** A log line at `level`, unless POWERTOOLS_LOG_LEVEL is above it. */
  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void;
  /** The EMF line of `counts` (metric -> value), as one Powertools flush; nothing when empty. */
  counts(
    counts: ReadonlyMap<string, number>,
    timestamp?: number,
    context?: Readonly<Record<string, unknown>>,
  ): void;
}

/**
 * The writer of a function, its service, namespace, stage and level read once from the environment
 * (PeaklineFunction sets them: POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, PEAKLINE_STAGE,
 * POWERTOOLS_LOG_LEVEL).
 */
export const jsonLines = (defaultService: string, env: NodeJS.ProcessEnv = process.env): JsonLines => {
  const service = env.POWERTOOLS_SERVICE_NAME ?? defaultService;
  const namespace = env.POWERTOOLS_METRICS_NAMESPACE ?? 'peakline';
  // As stageOf (#adapters/lambda/metrics.ts): a function run outside the CDK's environment is `local`.
  const stage = env.PEAKLINE_STAGE ?? 'local';
  const configured = (env.POWERTOOLS_LOG_LEVEL ?? 'INFO').toUpperCase();
  const lowest = Math.max(0, LEVELS.indexOf(configured as LogLevel));
  return {
    service,
    namespace,
    stage,
    log: (level, message, fields = {}) => {
      if (LEVELS.indexOf(level) < lowest) return;
      writeLine({ level, message, timestamp: new Date().toISOString(), service, ...fields });
    },
    counts: (counts, timestamp = Date.now(), context = {}) => {
      if (counts.size === 0) return;
      writeLine({
        _aws: {
          Timestamp: timestamp,
          CloudWatchMetrics: [
            {
              Namespace: namespace,
              Dimensions: [['service', 'stage']],
              Metrics: [...counts.keys()].map((name) => ({ Name: name, Unit: 'Count' })),
            },
          ],
        },
        service,
        stage,
        ...context,
        ...Object.fromEntries(counts),
      });
    },
  };
};

/** The part of Lambda's context a log line carries. */
type InvocationContext = Pick<
  Context,
  'functionName' | 'memoryLimitInMB' | 'invokedFunctionArn' | 'awsRequestId'
>;

/**
 * What Powertools' injectLambdaContext put on every line of an invocation: `cold_start` (true for the
 * container's first invocation only), the function's name, memory, ARN and request id, and the X-Ray trace
 * id when Lambda gives one. One per function: it keeps whether the first invocation has been.
 */
export const invocationFields = (env: NodeJS.ProcessEnv = process.env) => {
  let coldStart = true;
  return (context?: InvocationContext): Record<string, unknown> => {
    const traceId = env._X_AMZN_TRACE_ID;
    const fields = {
      cold_start: coldStart,
      ...(context === undefined
        ? {}
        : {
            function_name: context.functionName,
            function_memory_size: Number(context.memoryLimitInMB),
            function_arn: context.invokedFunctionArn,
            function_request_id: context.awsRequestId,
          }),
      ...(traceId ? { xray_trace_id: traceId.split(';')[0]?.replace('Root=', '') } : {}),
    };
    coldStart = false;
    return fields;
  };
};
