/**
 * Every minute: sends the SMS that waited for the end of a customer's quiet hours, at most what the
 * SMS rate allows in the minute, oldest first; what does not fit waits for the next run.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { readEnvironment } from '#adapters/lambda/environment.js';
import { releaseDeferredSms } from '#core/sms/order-sms.js';
import { recordDecision } from '#functions/order-sms/consumer.js';
import { orderSmsEnvironment } from '#functions/order-sms/environment.js';
import { awsOrderSmsDeps } from '#functions/order-sms/wiring.js';

const env = readEnvironment(orderSmsEnvironment);
const logger = new Logger();
const metrics = new Metrics();
const deps = awsOrderSmsDeps(env);

/** Parts of one minute at this function's rate, leaving a margin inside the 60-second timeout. */
const perRun = Math.max(1, Math.floor(env.SMS_PARTS_PER_SECOND * 45));

export const handler = middy(async () => {
  const decisions = await releaseDeferredSms(deps, perRun);
  for (const decision of decisions) {
    recordDecision(
      {
        log: (message, fields) => logger.info(message, fields),
        count: (metric, value = 1) => metrics.addMetric(metric, MetricUnit.Count, value),
      },
      decision,
    );
  }
  return { released: decisions.length };
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
