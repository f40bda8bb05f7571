/**
 * Every `seats.sweepEveryMinutes` minutes: revokes the seats whose contract has ended (deletes the Connect
 * user and its quick connects, marks the seat revoked, announces SeatRevoked), oldest end first, as many
 * as fit this run at the Connect API rate; what does not fit waits for the next run.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { getDocumentClient } from '#adapters/dynamodb/shared-document-client.js';
import { countActiveSeats } from '#adapters/dynamodb/seat-store.js';
import { createMetrics } from '#adapters/lambda/metrics.js';
import { revokeDueSeats } from '#core/seats/revocation.js';
import { seatsPerRun } from './connect-budget.js';
import { readSeatRevocationEnvironment } from './environment-fields.js';
import {
  awsSeatRevocationDeps,
  revocationLogFields,
  SEAT_REVOCATION_FAILURES_METRIC,
  SEATS_ACTIVE_METRIC,
  SEATS_REVOKED_METRIC,
} from './wiring.js';

const env = readSeatRevocationEnvironment();
const logger = new Logger();
const metrics = createMetrics();
const deps = awsSeatRevocationDeps(env);

export const handler = middy(async (_event: unknown, context: Context) => {
  // From the time this run has, not a constant: the limit stays right whatever the timeout is set to.
  const limit = seatsPerRun(context.getRemainingTimeInMillis(), env.CONNECT_CALLS_PER_SECOND);
  const report = await revokeDueSeats(deps, limit);
  for (const seat of report.revoked) logger.info('seat revoked', revocationLogFields(seat));
  for (const seat of report.announced) {
    logger.info('earlier revocation announced', revocationLogFields(seat));
  }
  // One seat's failure is its own: reported here, counted (the alarm), and the others went on.
  for (const failure of report.failures) logger.error('seat revocation failed', { ...failure });
  // Zero too: a steady series shows the sweeper is alive, and a dashboard sums it per day.
  metrics.addMetric(SEATS_REVOKED_METRIC, MetricUnit.Count, report.revoked.length);
  metrics.addMetric(SEAT_REVOCATION_FAILURES_METRIC, MetricUnit.Count, report.failures.length);
  try {
    const active = await countActiveSeats(getDocumentClient(), env.SEATS_TABLE_NAME, deps.clock.now());
    metrics.addMetric(SEATS_ACTIVE_METRIC, MetricUnit.Count, active);
  } catch (error) {
    // The revocations are done; a gap in the gauge is no reason to fail (and retry) the run.
    logger.warn('the active seats could not be counted', { error: String(error) });
  }
  if (report.revoked.length + report.failures.length >= limit) {
    logger.warn('more seats may be due than one run revokes; the next run goes on', { limit });
  }
  return {
    revoked: report.revoked.length,
    announced: report.announced.length,
    failed: report.failures.length,
    limit,
  };
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
