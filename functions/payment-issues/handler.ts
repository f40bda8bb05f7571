/**
 * PaymentIssueReported -> a task for the accounting queue's light agents, with the case and no phone.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { isThrottling } from '#adapters/connect/retry.js';
import { createMetrics } from '#adapters/lambda/metrics.js';
import { sqsConsumerHandler } from '#adapters/lambda/sqs-consumer-handler.js';
import { rejectedEventsQueue } from '#adapters/sqs/rejected-events.js';
import { connectTaskCentre } from '#functions/callback-sweeper/connect-tasks.js';
import { createPaymentIssuesConsumer } from './consumer.js';
import { readPaymentIssuesEnvironment } from './environment-fields.js';
import { paymentIssuesDeps } from './wiring.js';

const env = readPaymentIssuesEnvironment();
const logger = new Logger();
const metrics = createMetrics();

const consume = createPaymentIssuesConsumer({
  tasks: paymentIssuesDeps(env, { contactCentre: connectTaskCentre(env) }),
  isThrottling,
  deadLetters: rejectedEventsQueue(env.REJECTED_EVENTS_QUEUE_URL),
  log: (message, fields) => logger.info(message, fields),
  count: (metric) => metrics.addMetric(metric, MetricUnit.Count, 1),
});

export const handler = sqsConsumerHandler(consume, { logger, metrics });
