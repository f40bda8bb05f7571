/**
 * peakline's SMS and callback facts, and the shop's orders of carts -> the facts table the KPI report reads.
 * Its own buffer and function, so the report's bookkeeping never slows an SMS or a callback, and a facts
 * table in trouble never holds them back.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent } from 'aws-lambda';
import { getDocumentClient, getSqsClient } from '#adapters/aws-clients.js';
import { DynamoFactStore } from '#adapters/dynamodb/fact-store.js';
import { readEnvironment } from '#adapters/lambda/environment.js';
import { createMetrics } from '#adapters/lambda/metrics.js';
import { SqsDeadLetterSink } from '#adapters/sqs/dead-letter-queue.js';
import { createFactRecorderConsumer } from './consumer.js';
import { factRecorderEnvironment } from './environment.js';

const env = readEnvironment(factRecorderEnvironment);

const logger = new Logger();
const metrics = createMetrics();
const processor = new BatchProcessor(EventType.SQS);

const consume = createFactRecorderConsumer({
  store: new DynamoFactStore(getDocumentClient(), env.FACTS_TABLE_NAME, {
    retentionDays: env.FACTS_RETENTION_DAYS,
  }),
  deadLetters: new SqsDeadLetterSink(getSqsClient(), env.REJECTED_EVENTS_QUEUE_URL),
  shopSource: env.SHOP_SOURCE,
  log: (message, fields) => logger.info(message, fields),
  count: (metric) => metrics.addMetric(metric, MetricUnit.Count, 1),
});

export const handler = middy((event: SQSEvent, context: Context) =>
  processPartialResponse(event, consume, processor, {
    context,
    processInParallel: false,
    throwOnFullBatchFailure: false,
  }),
)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
