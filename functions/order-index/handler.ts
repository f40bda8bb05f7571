/**
 * OrderPlaced and OrderStatusChanged -> the order index: per phone (keyed hash) its few most recent
 * orders, for the status told to a caller before the queue. Its own buffer and function, so the index in
 * trouble never holds back an SMS, and an SMS in trouble never leaves the index behind.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { getDocumentClient } from '#adapters/dynamodb/shared-document-client.js';
import { DynamoOrderIndex } from '#adapters/dynamodb/order-index.js';
import { createMetrics } from '#adapters/lambda/metrics.js';
import { sqsConsumerHandler } from '#adapters/lambda/sqs-consumer-handler.js';
import { suppressionKeying } from '#adapters/secrets/phone-hash-key.js';
import { rejectedEventsQueue } from '#adapters/sqs/rejected-events.js';
import { createOrderIndexConsumer } from './consumer.js';
import { readOrderIndexEnvironment } from './environment-fields.js';

const env = readOrderIndexEnvironment();

const logger = new Logger();
const metrics = createMetrics();

const consume = createOrderIndexConsumer({
  index: new DynamoOrderIndex(getDocumentClient(), env.ORDERS_TABLE_NAME, {
    key: suppressionKeying().key,
    maxOrdersPerPhone: env.MAX_ORDERS_PER_PHONE,
  }),
  deadLetters: rejectedEventsQueue(env.REJECTED_EVENTS_QUEUE_URL),
  retentionDays: env.ORDER_INDEX_RETENTION_DAYS,
  fallbackTimeZone: env.CONTACT_CENTRE_TIME_ZONE,
  now: () => new Date(),
  log: (message, fields) => logger.info(message, fields),
  count: (metric) => metrics.addMetric(metric, MetricUnit.Count, 1),
});

export const handler = sqsConsumerHandler(consume, { logger, metrics });
