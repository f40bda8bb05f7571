import type { DocumentClient } from '#adapters/dynamodb/document-client.js';
import { getDocumentClient } from '#adapters/dynamodb/shared-document-client.js';
import { DynamoSeatStore } from '#adapters/dynamodb/seat-store.js';
import { SnsOpsNotifier } from '#adapters/sns/ops-notifier.js';
import type { SnsPublish } from '#adapters/sns/publish.js';
import { getSnsPublish } from '#adapters/sns/shared-publish.js';
import { type Clock, systemClock } from '#core/ports.js';
import type { SeatDigestDeps } from '#core/seats/digest.js';
import type { SeatDigestEnvironment } from './environment-fields.js';

export interface SeatDigestWorld {
  readonly clock: Clock;
  readonly documentClient: DocumentClient;
  readonly publish: SnsPublish;
}

/** The digest's ports: the seats table and the ops topic, from the function's environment. */
export const seatDigestDeps = (env: SeatDigestEnvironment, world: SeatDigestWorld): SeatDigestDeps => ({
  store: new DynamoSeatStore(world.documentClient, env.SEATS_TABLE_NAME, {
    revokedRetentionDays: env.SEATS_REVOKED_RETENTION_DAYS,
  }),
  ops: new SnsOpsNotifier(world.publish, env.OPS_TOPIC_ARN),
  clock: world.clock,
});

/** The digest's ports on AWS, built once per container. */
export const awsSeatDigestDeps = (env: SeatDigestEnvironment): SeatDigestDeps =>
  seatDigestDeps(env, { clock: systemClock, documentClient: getDocumentClient(), publish: getSnsPublish() });
