/**
 * The backstop for a seat the sweeper missed: DynamoDB's TTL deleted the seat's item, and its stream
 * record (filtered to TTL deletions by the event source mapping) still holds the old image, so the user
 * can be deleted and the revocation recorded. A seat already revoked (whose retention the TTL ended) needs
 * nothing. A record that fails is reported by its sequence number, so Lambda retries from it, not the batch.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createMetrics } from '#adapters/lambda/metrics.js';
import { readSeatRevocationEnvironment } from '#functions/seat-sweeper/environment-fields.js';
import {
  awsSeatRevocationDeps,
  revocationLogFields,
  SEATS_REVOKED_METRIC,
} from '#functions/seat-sweeper/wiring.js';
import { revokeTtlRecord } from './revoke-record.js';

const env = readSeatRevocationEnvironment();
const logger = new Logger();
const metrics = createMetrics();
const processor = new BatchProcessor(EventType.DynamoDBStreams);
const deps = awsSeatRevocationDeps(env);

/** One stream record: true when it revoked a seat. */
const revokeRecord = async (record: DynamoDBRecord): Promise<boolean> => {
  const at = { eventID: record.eventID, sequenceNumber: record.dynamodb?.SequenceNumber };
  const result = await revokeTtlRecord(deps, record);
  if (result.outcome === 'not-a-ttl-deletion') {
    logger.info('not a TTL deletion; left alone', { ...at, eventName: record.eventName });
  }
  if (result.outcome !== 'revoked') return false;
  logger.info('seat revoked after its TTL deletion', { ...revocationLogFields(result.seat), ...at });
  return true;
};

export const handler = middy(async (event: DynamoDBStreamEvent, context: Context) => {
  let revoked = 0;
  // In order: a record's retry starts from the first failed sequence number, and the Connect calls are
  // paced one after another anyway.
  const response = await processPartialResponse(
    event,
    async (record: DynamoDBRecord) => {
      try {
        if (await revokeRecord(record)) revoked += 1;
      } catch (error) {
        logger.error('revocation failed; the record will be retried', {
          eventID: record.eventID,
          sequenceNumber: record.dynamodb?.SequenceNumber,
          error: error as Error,
        });
        throw error;
      }
    },
    processor,
    { context, processInParallel: false, throwOnFullBatchFailure: false },
  );
  metrics.addMetric(SEATS_REVOKED_METRIC, MetricUnit.Count, revoked);
  return response;
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
