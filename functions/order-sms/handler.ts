/**
 * OrderPlaced and OrderStatusChanged -> at most one SMS per order and status, in the customer's
 * language, outside their quiet hours, never regressing, under the SMS rate.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent } from 'aws-lambda';
import { getDynamoClient, getSqsClient } from '#adapters/aws-clients.js';
import { readEnvironment } from '#adapters/lambda/environment.js';
import { SqsDeadLetterSink } from '#adapters/sqs/dead-letter-queue.js';
import { createOrderSmsConsumer } from './consumer.js';
import { orderSmsEnvironment } from './environment.js';
import { idempotentDecide } from './idempotent-decide.js';
import { awsOrderSmsDeps } from './wiring.js';

const env = readEnvironment(orderSmsEnvironment);
const logger = new Logger();
const metrics = new Metrics();
const processor = new BatchProcessor(EventType.SQS);

const deps = awsOrderSmsDeps(env);
const { decide, config } = idempotentDecide(deps, {
  client: getDynamoClient(),
  tableName: env.LEDGER_TABLE_NAME,
  retentionDays: env.SMS_RETENTION_DAYS,
});

const consume = createOrderSmsConsumer({
  decide,
  deadLetters: new SqsDeadLetterSink(getSqsClient(), env.REJECTED_EVENTS_QUEUE_URL),
  maxAttempts: env.SMS_MAX_ATTEMPTS,
  log: (message, fields) => logger.info(message, fields),
  count: (metric, value = 1) => metrics.addMetric(metric, MetricUnit.Count, value),
});

export const handler = middy((event: SQSEvent, context: Context) => {
  // Lets the idempotency layer expire an in-progress record if this invocation times out.
  config.registerLambdaContext(context);
  // In order: statuses of one order often arrive in one batch, and in parallel a DELIVERED could overtake
  // the OUT_FOR_DELIVERY before it, which would then never be sent. (Order across batches is SQS's, and
  // the ledger keeps that from regressing.)
  // A batch that fails whole (SNS throttling every send) is reported as batch item failures, not as a
  // failed invocation: SQS brings the records back either way, and throttling is not a function error.
  return processPartialResponse(event, consume, processor, {
    context,
    processInParallel: false,
    throwOnFullBatchFailure: false,
  });
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
