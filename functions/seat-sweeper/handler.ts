/**
 * Every `seats.sweepEveryMinutes` minutes: revokes the seats whose contract has ended (deletes the Connect
 * user and its quick connects, marks the seat revoked, announces SeatRevoked), oldest end first, as many
 * as fit this run at the Connect API rate; what does not fit waits for the next run.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { readEnvironment } from '#adapters/lambda/environment.js';
import { revokeDueSeats } from '#core/seats/revocation.js';
import { seatsPerRun } from './connect-budget.js';
import { seatRevocationEnvironment } from './environment.js';
import { awsSeatRevocationDeps, revocationLogFields, SEATS_REVOKED_METRIC } from './wiring.js';

const env = readEnvironment(seatRevocationEnvironment);
const logger = new Logger();
const metrics = new Metrics();
const deps = awsSeatRevocationDeps(env);

export const handler = middy(async (_event: unknown, context: Context) => {
  // From the time this run has, not a constant: the limit stays right whatever the timeout is set to.
  const limit = seatsPerRun(context.getRemainingTimeInMillis(), env.CONNECT_CALLS_PER_SECOND);
  const revoked = await revokeDueSeats(deps, limit);
  for (const seat of revoked) logger.info('seat revoked', revocationLogFields(seat));
  // Zero too: a steady series shows the sweeper is alive, and a dashboard sums it per day.
  metrics.addMetric(SEATS_REVOKED_METRIC, MetricUnit.Count, revoked.length);
  if (revoked.length >= limit) {
    logger.warn('more seats may be due than one run revokes; the next run goes on', { limit });
  }
  return { revoked: revoked.length, limit };
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
