/**
 * OrderPlaced and OrderStatusChanged -> at most one SMS per order and status, in the customer's
 * language, outside their quiet hours, never regressing, under the SMS rate.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent } from 'aws-lambda';
import { countWith, createMetrics } from '#adapters/lambda/metrics.js';
import { rejectedEventsQueue } from '#adapters/sqs/rejected-events.js';
import { createOrderSmsBatchConsumer } from './consumer.js';
import { readOrderSmsEnvironment } from './environment-fields.js';
import { awsOrderSmsDeps } from './wiring.js';

const env = readOrderSmsEnvironment();
const logger = new Logger();
const metrics = createMetrics();

const deps = awsOrderSmsDeps(env);
/** The invocation's context: the consumer starts no record it could not finish before the timeout. */
let current: Pick<Context, 'getRemainingTimeInMillis'> | undefined;

const consume = createOrderSmsBatchConsumer({
  sms: deps,
  deadLetters: rejectedEventsQueue(env.REJECTED_EVENTS_QUEUE_URL),
  maxAttempts: env.SMS_MAX_ATTEMPTS,
  log: (message, fields) => logger.info(message, fields),
  count: (metric, value = 1, dimensions) => countWith(metrics, metric, value, dimensions),
  remainingMs: () => current?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY,
});

export const handler = middy((event: SQSEvent, context: Context) => {
  current = context;
  // In order, reported record by record, the batch's outcomes recorded and announced at its end.
  return consume(event.Records);
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
