/**
 * CartAbandoned -> the cart's callback, due after `callbacks.delayMinutes` within the opening hours;
 * OrderPlaced with the cart's id -> the cart's tombstone, and the callback cancelled if it has not been
 * made yet. The tombstone makes the order win whatever arrives first: a CartAbandoned that comes after
 * it (a redelivery, two pollers) is refused, and the sweeper never gives a held callback back.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { countWith, createMetrics } from '#adapters/lambda/metrics.js';
import { sqsConsumerHandler } from '#adapters/lambda/sqs-consumer-handler.js';
import { rejectedEventsQueue } from '#adapters/sqs/rejected-events.js';
import { createCartCallbacksConsumer } from './consumer.js';
import { readCartCallbacksEnvironment } from './environment-fields.js';
import { awsCartCallbackDeps } from './wiring.js';

const env = readCartCallbacksEnvironment();
const logger = new Logger();
const metrics = createMetrics();

const consume = createCartCallbacksConsumer({
  callbacks: awsCartCallbackDeps(env),
  deadLetters: rejectedEventsQueue(env.REJECTED_EVENTS_QUEUE_URL),
  log: (message, fields) => logger.info(message, fields),
  // With a reason, a metric of its own: the reason is a dimension of this count alone, not the batch's.
  count: (metric, dimensions) => countWith(metrics, metric, 1, dimensions),
});

export const handler = sqsConsumerHandler(consume, { logger, metrics });
