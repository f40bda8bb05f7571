/**
 * The backstop for a seat the sweeper missed: DynamoDB's TTL deleted the seat's item, and its stream
 * record (filtered to TTL deletions by the event source mapping) still holds the old image, so the user
 * can be deleted and the revocation recorded. A seat already revoked (whose retention the TTL ended) needs
 * nothing. A record that fails is reported by its sequence number, so Lambda retries from it, not the batch.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { seatFromItem } from '#adapters/dynamodb/seat-store.js';
import { readEnvironment } from '#adapters/lambda/environment.js';
import { isTtlRemoval, revokeAfterTtl } from '#core/seats/revocation.js';
import { seatRevocationEnvironment } from '#functions/seat-sweeper/environment.js';
import {
  awsSeatRevocationDeps,
  revocationLogFields,
  SEATS_REVOKED_METRIC,
} from '#functions/seat-sweeper/wiring.js';

const env = readEnvironment(seatRevocationEnvironment);
const logger = new Logger();
const metrics = new Metrics();
const processor = new BatchProcessor(EventType.DynamoDBStreams);
const deps = awsSeatRevocationDeps(env);

/** One stream record: true when it revoked a seat. */
const revokeRecord = async (record: DynamoDBRecord): Promise<boolean> => {
  const at = { eventID: record.eventID, sequenceNumber: record.dynamodb?.SequenceNumber };
  // The mapping's filter already keeps only TTL deletions; a DeleteItem by a person or a test is theirs.
  if (!isTtlRemoval(record)) {
    logger.info('not a TTL deletion; left alone', { ...at, eventName: record.eventName });
    return false;
  }
  const image = record.dynamodb?.OldImage;
  if (image === undefined) {
    throw new Error(
      `The TTL deletion ${record.eventID} carries no old image: the seats stream must be OLD_IMAGE.`,
    );
  }
  // Lambda's event types and the SDK's name the same DynamoDB JSON differently.
  const seat = seatFromItem(unmarshall(image as Parameters<typeof unmarshall>[0]));
  const revoked = await revokeAfterTtl(deps, seat);
  if (revoked === undefined) return false;
  logger.info('seat revoked after its TTL deletion', { ...revocationLogFields(revoked), ...at });
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
