/**
 * Every minute: announces the SMS outcomes recorded but never announced (the bus failed, or a run died
 * before announcing), then sends the SMS that waited for the end of a customer's quiet hours, what is
 * still news per order, oldest first, as many parts as the SMS rate allows before the timeout; what does
 * not fit waits for the next run.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { countWith, createMetrics } from '#adapters/lambda/metrics.js';
import { readOrderSmsEnvironment } from '#functions/order-sms/environment-fields.js';
import { awsOrderSmsDeps } from '#functions/order-sms/wiring.js';
import { runSmsRelease } from './run.js';

const env = readOrderSmsEnvironment();
const logger = new Logger();
const metrics = createMetrics();
const deps = awsOrderSmsDeps(env);

export const handler = middy(async (_event: unknown, context: Context) =>
  runSmsRelease(deps, {
    partsPerSecond: env.SMS_PARTS_PER_SECOND,
    remainingMs: () => context.getRemainingTimeInMillis(),
    log: (message, fields) => logger.info(message, fields),
    count: (metric, value = 1, dimensions) => countWith(metrics, metric, value, dimensions),
  }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
