/**
 * peakline's SMS and callback facts, and the shop's orders of carts -> the facts table the KPI report reads.
 * Its own buffer and function, so the report's bookkeeping never slows an SMS or a callback, and a facts
 * table in trouble never holds them back.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { getDocumentClient } from '#adapters/dynamodb/shared-document-client.js';
import { DynamoFactStore } from '#adapters/dynamodb/fact-store.js';
import { createMetrics } from '#adapters/lambda/metrics.js';
import { sqsConsumerHandler } from '#adapters/lambda/sqs-consumer-handler.js';
import { rejectedEventsQueue } from '#adapters/sqs/rejected-events.js';
import { createFactRecorderConsumer } from './consumer.js';
import { readFactRecorderEnvironment } from './environment-fields.js';

const env = readFactRecorderEnvironment();

const logger = new Logger();
const metrics = createMetrics();

const consume = createFactRecorderConsumer({
  store: new DynamoFactStore(getDocumentClient(), env.FACTS_TABLE_NAME, {
    retentionDays: env.FACTS_RETENTION_DAYS,
  }),
  deadLetters: rejectedEventsQueue(env.REJECTED_EVENTS_QUEUE_URL),
  shopSource: env.SHOP_SOURCE,
  log: (message, fields) => logger.info(message, fields),
  count: (metric) => metrics.addMetric(metric, MetricUnit.Count, 1),
});

export const handler = sqsConsumerHandler(consume, { logger, metrics });
