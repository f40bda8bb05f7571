/**
 * Drains the caller-SMS queue (the deflection queue: requests the inbound flow accepted when callers pressed
 * 3 in the deflection menu, or 1 for their order's tracking link): each request is decided and sent as one SMS, at this function's part of the SMS rate (the pacer may wait
 * here: nobody is on the line for it). Reports failures record by record (partial batch response): a
 * failed request comes back after the visibility timeout (see `drainDeflections` for why that never sends
 * twice) and, after the queue's receive limit, lands in its dead-letter queue, alarmed.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { countWith, createMetrics } from '#adapters/lambda/metrics.js';
import { callerSmsSenderDeps, trackingIndex } from '#functions/deflection-sms/wiring.js';
import { awsOrderSmsDeps } from '#functions/order-sms/wiring.js';
import { getDocumentClient } from '#adapters/dynamodb/shared-document-client.js';
import { suppressionKeying } from '#adapters/secrets/phone-hash-key.js';
import { drainDeflections } from './drain.js';
import { deflectionSenderPartsPerSecond, readDeflectionSenderEnvironment } from './environment-fields.js';

const env = readDeflectionSenderEnvironment();
const logger = new Logger();
const metrics = createMetrics();
const deps = callerSmsSenderDeps(
  env,
  awsOrderSmsDeps({ ...env, SMS_PARTS_PER_SECOND: deflectionSenderPartsPerSecond(env.SMS_PARTS_PER_SECOND) }),
  trackingIndex(env, getDocumentClient(), suppressionKeying().key),
);

export const handler = middy(async (event: SQSEvent) =>
  drainDeflections(event.Records, deps, {
    log: (message, fields) => logger.info(message, fields),
    count: (metric, value = 1, dimensions) => countWith(metrics, metric, value, dimensions),
  }),
)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
