import type { DocumentClient } from '#adapters/dynamodb/document-client.js';
import { getDocumentClient } from '#adapters/dynamodb/shared-document-client.js';
import { ConnectContactCentre } from '#adapters/connect/contact-centre.js';
import { getConnectClient } from '#adapters/connect/shared-connect-client.js';
import { DynamoSeatStore } from '#adapters/dynamodb/seat-store.js';
import { EventBridgePublisher } from '#adapters/eventbridge/event-publisher.js';
import { getPutEvents } from '#adapters/eventbridge/shared-put-events.js';
import { type Clock, type ContactCentre, type EventPublisher, systemClock } from '#core/ports.js';
import { managedUserTag } from '#core/seats/managed-user.js';
import type { RevocationDeps } from '#core/seats/revocation.js';
import type { Seat } from '#core/seats/seat.js';
import type { SeatRevocationEnvironment } from './environment-fields.js';

export interface SeatRevocationWorld {
  readonly clock: Clock;
  readonly documentClient: DocumentClient;
  readonly contactCentre: Pick<ContactCentre, 'deleteUser' | 'findUserId'>;
  readonly events: EventPublisher;
}

/** The revocation ports on DynamoDB, from the function's environment. */
export const seatRevocationDeps = (
  env: SeatRevocationEnvironment,
  world: SeatRevocationWorld,
): RevocationDeps => ({
  store: new DynamoSeatStore(world.documentClient, env.SEATS_TABLE_NAME, {
    revokedRetentionDays: env.SEATS_REVOKED_RETENTION_DAYS,
  }),
  contactCentre: world.contactCentre,
  events: world.events,
  clock: world.clock,
});

/**
 * The revocation ports on AWS: DynamoDB, Connect and EventBridge, built once per container. The adapter
 * (and its pacing schedule) lives as long as the container, so back-to-back invocations share one rate.
 * Connect through the lean client (one attempt a call: the adapter paces and retries throttling itself):
 * without the SDK's ConnectClient, seat-sweeper's bundle is 459 -> 89 KiB, a cold start 668 -> 420 M
 * instructions (valgrind).
 */
export const awsSeatRevocationDeps = (env: SeatRevocationEnvironment): RevocationDeps =>
  seatRevocationDeps(env, {
    clock: systemClock,
    documentClient: getDocumentClient(),
    contactCentre: new ConnectContactCentre(getConnectClient(), {
      instanceId: env.CONNECT_INSTANCE_ID,
      callsPerSecond: env.CONNECT_CALLS_PER_SECOND,
      identityManagement: env.CONNECT_IDENTITY_MANAGEMENT,
      managedUserTag: managedUserTag(env.CONNECT_MANAGED_USER_TAG),
    }),
    events: new EventBridgePublisher(getPutEvents(), env.EVENT_BUS_NAME),
  });

/** The seats whose contract runs at the end of a sweep (a gauge: dashboards take its Maximum). */
export const SEATS_ACTIVE_METRIC = 'SeatsActive';

/** The metric both revokers count in; the `service` dimension tells the sweeper from the backstop. */
export const SEATS_REVOKED_METRIC = 'SeatsRevoked';

/**
 * Seats a sweep could not revoke or whose revocation it could not announce; any at all is alarmed. A seat
 * that keeps failing counts on every run (and is retried on every run), while the others go on.
 */
export const SEAT_REVOCATION_FAILURES_METRIC = 'SeatRevocationFailures';

/**
 * What a revocation's log line says: who lost access and why, never anything to reach them by (seats have
 * no phone number; the e-mail stays in the table).
 */
export const revocationLogFields = (seat: Seat): Record<string, unknown> => ({
  username: seat.username,
  type: seat.type,
  ...(seat.userId === undefined ? {} : { userId: seat.userId }),
  contractEnd: seat.expiresAt,
  revokedAt: seat.revokedAt,
  revokedBy: seat.revokedBy,
  ...(seat.announced === undefined ? {} : { announced: seat.announced }),
});
