/**
 * The seat TTL backstop as its Lambda runs it, subscribed to the seats table's stream that the TTL reaper
 * (`runtime/ttl-reaper.ts`) writes on the virtual clock: the same filter as the CDK event source mapping
 * (TTL_REMOVAL_FILTER: only TTL deletions), the same batch size and retries, the same record code
 * (`revokeTtlRecord`), here on DynamoDB Local and the simulator.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord } from 'aws-lambda';
import { TTL_REMOVAL_FILTER } from '#core/seats/revocation.js';
import { BACKSTOP_BATCH_SIZE } from '#functions/seat-sweeper/connect-budget.js';
import {
  seatRevocationEnvironment,
  seatRevocationEnvironmentFrom,
} from '#functions/seat-sweeper/environment.js';
import { revocationLogFields, seatRevocationDeps } from '#functions/seat-sweeper/wiring.js';
import { revokeTtlRecord } from '#functions/seat-ttl-backstop/revoke-record.js';
import type { LocalWiring } from './functions.js';
import type { StreamSubscription } from './runtime/ttl-reaper.js';

/** As the CDK mapping's `retryAttempts`. */
const BACKSTOP_RETRY_ATTEMPTS = 5;

export const seatTtlBackstop = (
  wiring: Pick<
    LocalWiring,
    | 'config'
    | 'tableNames'
    | 'busName'
    | 'clock'
    | 'documentClient'
    | 'contactCentre'
    | 'events'
    | 'log'
    | 'count'
  >,
): StreamSubscription => {
  const env = seatRevocationEnvironment.parse(
    seatRevocationEnvironmentFrom(wiring.config, {
      seatsTable: wiring.tableNames.seats,
      busName: wiring.busName,
      connectInstanceId: 'local',
    }),
  );
  const deps = seatRevocationDeps(env, {
    clock: wiring.clock,
    documentClient: wiring.documentClient,
    contactCentre: wiring.contactCentre,
    events: wiring.events,
  });
  return {
    name: 'seat-ttl-backstop',
    filters: [TTL_REMOVAL_FILTER],
    batchSize: BACKSTOP_BATCH_SIZE,
    retryAttempts: BACKSTOP_RETRY_ATTEMPTS,
    consume: async (records) => {
      const processor = new BatchProcessor(EventType.DynamoDBStreams);
      let revoked = 0;
      const response = await processPartialResponse(
        { Records: records },
        async (record: DynamoDBRecord) => {
          const result = await revokeTtlRecord(deps, record);
          if (result.outcome !== 'revoked') return;
          revoked += 1;
          wiring.log('seat-ttl-backstop', 'seat revoked after its TTL deletion', {
            ...revocationLogFields(result.seat),
            eventID: record.eventID,
          });
        },
        processor,
        { processInParallel: false, throwOnFullBatchFailure: false },
      );
      for (const error of processor.errors) {
        wiring.log('seat-ttl-backstop', 'revocation failed; the record will be retried', {
          error: `${error.name}: ${error.message}`,
        });
      }
      if (revoked > 0) wiring.count('seat-ttl-backstop', 'SeatsRevoked', revoked);
      return response;
    },
  };
};
