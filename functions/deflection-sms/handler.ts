/**
 * Invoked by the inbound contact flow when a caller, offered the choice in DEFLECT, presses 3. It answers
 * at once and sends nothing itself: the request (contact, number, language) goes to the deflection queue,
 * which the `deflection-sms-sender` function drains at its share of the SMS rate (see `acceptDeflection`
 * for why: a burst of callers must never meet Lambda's throttling). Answers Connect a flat map,
 * `{ sent: 'true' | 'false' }` ('true': queued, the SMS is on its way), and never throws: the flow must be
 * able to carry on whatever happened, well inside Connect's 8-second limit.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { createMetrics } from '#adapters/lambda/metrics.js';
import { callerSqsClient, sendMessage } from '#adapters/signed-json/sqs.js';
import { acceptDeflection } from './answer.js';
import { readDeflectionAcceptEnvironment } from './accept-environment.js';

const env = readDeflectionAcceptEnvironment();
const logger = new Logger();
const metrics = createMetrics();
/**
 * Its own client: the caller waits in silence, so a SendMessage gets two tries cut short, not the SDK's
 * default patience. A duplicate message (a retry after SQS took the first) costs nothing: the sender's
 * once-per-call record sends one SMS per contact. The signed JSON request, not the SDK's SQS client: the
 * caller waits through the cold start too.
 */
const sqs = callerSqsClient();

export const handler = middy(async (event: ConnectContactFlowEvent) =>
  acceptDeflection(
    event,
    {
      enqueue: async (request) => {
        await sendMessage(sqs, {
          QueueUrl: env.DEFLECTION_QUEUE_URL,
          MessageBody: JSON.stringify(request),
        });
      },
      fallbackTimeZone: env.CONTACT_CENTRE_TIME_ZONE,
    },
    {
      log: (message, fields) => logger.info(message, fields),
      count: (metric) => metrics.addMetric(metric, MetricUnit.Count, 1),
    },
  ),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
