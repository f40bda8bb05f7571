/**
 * PaymentIssueReported -> a task for the accounting queue's light agents, with the case and no phone.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent } from 'aws-lambda';
import { getSqsClient } from '#adapters/aws-clients.js';
import { isThrottling } from '#adapters/connect/retry.js';
import { readEnvironment } from '#adapters/lambda/environment.js';
import { createMetrics } from '#adapters/lambda/metrics.js';
import { SqsDeadLetterSink } from '#adapters/sqs/dead-letter-queue.js';
import { connectTaskCentre } from '#functions/callback-sweeper/wiring.js';
import { createPaymentIssuesConsumer } from './consumer.js';
import { paymentIssuesEnvironment } from './environment.js';
import { paymentIssuesDeps } from './wiring.js';

const env = readEnvironment(paymentIssuesEnvironment);
const logger = new Logger();
const metrics = createMetrics();
const processor = new BatchProcessor(EventType.SQS);

const consume = createPaymentIssuesConsumer({
  tasks: paymentIssuesDeps(env, { contactCentre: connectTaskCentre(env) }),
  isThrottling,
  deadLetters: new SqsDeadLetterSink(getSqsClient(), env.REJECTED_EVENTS_QUEUE_URL),
  log: (message, fields) => logger.info(message, fields),
  count: (metric) => metrics.addMetric(metric, MetricUnit.Count, 1),
});

export const handler = middy((event: SQSEvent, context: Context) =>
  // One at a time: the records share the Connect rate, and throttling fails only the records it hit.
  processPartialResponse(event, consume, processor, {
    context,
    processInParallel: false,
    throwOnFullBatchFailure: false,
  }),
)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
