/**
 * Once a day at `alarms.seatDigestAt` in `connect.timeZone` (EventBridge Scheduler): tells the ops topic which
 * seasonal seats end tomorrow, by type; nothing is sent on a day with none.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { createMetrics } from '#adapters/lambda/metrics.js';
import { sendSeatDigest } from '#core/seats/digest.js';
import { readSeatDigestEnvironment } from './environment-fields.js';
import { awsSeatDigestDeps } from './wiring.js';

const env = readSeatDigestEnvironment();
const logger = new Logger();
const metrics = createMetrics();
const deps = awsSeatDigestDeps(env);

export const handler = middy(async () => {
  // A failed send throws: the invocation is retried, and then kept in the failure queue (alarmed).
  const { digest, sent } = await sendSeatDigest(deps, env.CONNECT_TIME_ZONE);
  metrics.addMetric('SeatsEndingTomorrow', MetricUnit.Count, digest.total);
  const byType = Object.fromEntries(digest.byType.map((group) => [group.type, group.seats.length]));
  // Counts only: the usernames go to the ops topic, never into the log.
  logger.info(sent ? 'seat digest sent to the ops topic' : 'no seat ends tomorrow: nothing sent', {
    day: digest.day,
    timeZone: digest.timeZone,
    total: digest.total,
    byType,
  });
  return { day: digest.day, total: digest.total, sent };
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
