/**
 * Invoked by the inbound contact flow when a caller, offered the choice in DEFLECT, presses 3: sends the
 * SMS with the request link and the bonus code. Answers Connect a flat map, `{ sent: 'true' | 'false' }`,
 * and never throws: the flow must be able to carry on (it apologises and queues the caller) whatever
 * happened, well inside Connect's 8-second limit.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { readEnvironment } from '#adapters/lambda/environment.js';
import { awsOrderSmsDeps } from '#functions/order-sms/wiring.js';
import { answerDeflection } from './answer.js';
import { deflectionSmsEnvironment } from './environment.js';
import { deflectionSmsDeps } from './wiring.js';

const env = readEnvironment(deflectionSmsEnvironment);
const logger = new Logger();
const metrics = new Metrics();
const deps = deflectionSmsDeps(env, awsOrderSmsDeps(env));

export const handler = middy(async (event: ConnectContactFlowEvent) =>
  answerDeflection(event, deps, {
    log: (message, fields) => logger.info(message, fields),
    count: (metric) => metrics.addMetric(metric, MetricUnit.Count, 1),
  }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
