/**
 * What the TTL backstop does with one stream record, shared by the Lambda handler (records from the
 * seats table's stream on AWS) and the local stack (records from the TTL reaper on the virtual clock), so
 * the two worlds revoke the same way.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { seatFromItem } from '#adapters/dynamodb/seat-store.js';
import { isTtlRemoval, type RevocationDeps, revokeAfterTtl } from '#core/seats/revocation.js';
import type { Seat } from '#core/seats/seat.js';

export type TtlRecordOutcome =
  | { readonly outcome: 'not-a-ttl-deletion' }
  | { readonly outcome: 'nothing-to-revoke' }
  | { readonly outcome: 'revoked'; readonly seat: Seat };

/** Revokes the seat a TTL deletion removed, if it still held a user; throws so the record is retried. */
export const revokeTtlRecord = async (
  deps: RevocationDeps,
  record: DynamoDBRecord,
): Promise<TtlRecordOutcome> => {
  // The mapping's filter already keeps only TTL deletions; a DeleteItem by a person or a test is theirs.
  if (!isTtlRemoval(record)) return { outcome: 'not-a-ttl-deletion' };
  const image = record.dynamodb?.OldImage;
  if (image === undefined) {
    throw new Error(
      `The TTL deletion ${record.eventID} carries no old image: the seats stream must be OLD_IMAGE.`,
    );
  }
  // Lambda's event types and the SDK's name the same DynamoDB JSON differently.
  const seat = seatFromItem(unmarshall(image as Parameters<typeof unmarshall>[0]));
  const revoked = await revokeAfterTtl(deps, seat);
  return revoked === undefined ? { outcome: 'nothing-to-revoke' } : { outcome: 'revoked', seat: revoked };
};
