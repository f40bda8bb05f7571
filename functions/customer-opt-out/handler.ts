/**
 * CustomerOptedOut -> the suppression list. Its own queue and function (not the order-SMS buffer) so
 * an opt-out is honoured within seconds even while a peak's SMS backlog drains.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { getDocumentClient } from '#adapters/dynamodb/shared-document-client.js';
import { DynamoSuppressionStore } from '#adapters/dynamodb/suppression-store.js';
import { suppressionKeying } from '#adapters/secrets/phone-hash-key.js';
import { createMetrics } from '#adapters/lambda/metrics.js';
import { sqsConsumerHandler } from '#adapters/lambda/sqs-consumer-handler.js';
import { rejectedEventsQueue } from '#adapters/sqs/rejected-events.js';
import { createOptOutConsumer } from './consumer.js';
import { readOptOutEnvironment } from './environment-fields.js';

const env = readOptOutEnvironment();

const logger = new Logger();
const metrics = createMetrics();

const consume = createOptOutConsumer({
  store: new DynamoSuppressionStore(getDocumentClient(), env.SUPPRESSION_TABLE_NAME, suppressionKeying()),
  deadLetters: rejectedEventsQueue(env.REJECTED_EVENTS_QUEUE_URL),
  retentionDays: env.SUPPRESSION_RETENTION_DAYS,
  log: (message, fields) => logger.info(message, fields),
  count: (metric) => metrics.addMetric(metric, MetricUnit.Count, 1),
});

export const handler = sqsConsumerHandler(consume, { logger, metrics });
