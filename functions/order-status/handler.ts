/**
 * Invoked by the inbound contact flow before the menu and the queue (issue 15), with
 * `Details.Parameters.action`: `lookup` (the caller's order and what to tell them) or `send-link` (the
 * caller pressed 1: the tracking link goes to the caller-SMS queue). Answers Connect a flat map of strings
 * and never throws (see `answerOrderStatus`): fail open, the caller reaches the queue as before.
 *
 * The caller waits in silence for the lookup, so the SDK clients are built once with short timeouts and
 * few tries: a slow index costs the caller the announcement, never their place in the queue.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { readEnvironment } from '#adapters/lambda/environment.js';
import { createMetrics } from '#adapters/lambda/metrics.js';
import { suppressionKeying } from '#adapters/secrets/phone-hash-key.js';
import { systemClock } from '#core/ports.js';
import { answerOrderStatus } from './answer.js';
import { orderStatusEnvironment } from './environment.js';
import { enqueueOn, orderStatusPorts } from './wiring.js';

const env = readEnvironment(orderStatusEnvironment);
const logger = new Logger();
const metrics = createMetrics();
// Two tries, each cut short: the whole lookup has ORDER_LOOKUP_BUDGET_MS (by default 2.5 s).
const documentClient = DynamoDBDocumentClient.from(
  new DynamoDBClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 500, requestTimeout: 1_000 } }),
);
const sqs = new SQSClient({
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 500, requestTimeout: 1_500 },
});
const { key } = suppressionKeying();
// The first caller after a cold start would otherwise wait for Secrets Manager inside the lookup's budget:
// the read starts while the container initialises. A failed read is not kept (the first lookup reads again,
// and fails open if it must), so nothing is lost by not waiting for it here.
if (typeof key === 'function') key().catch(() => undefined);
const ports = orderStatusPorts(env, {
  clock: systemClock,
  documentClient,
  key,
  enqueue: enqueueOn(sqs, env.CALLER_SMS_QUEUE_URL),
});

export const handler = middy(async (event: ConnectContactFlowEvent) =>
  answerOrderStatus(event, ports, {
    log: (message, fields) => logger.info(message, fields),
    count: (metric, value = 1) => metrics.addMetric(metric, MetricUnit.Count, value),
  }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
