import { connectCallsPerSecondFor } from '#adapters/connect/api-rate-split.js';
import type { IdentityManagement } from '#adapters/connect/contact-centre.js';
import { zodSchemaOf } from '#adapters/environment/zod-schema.js';
import { seatRevocationFields } from './environment-fields.js';

export type { SeatRevocationEnvironment } from './environment-fields.js';

/**
 * What the seat sweeper and the TTL backstop read from `process.env`, as the zod schema PeaklineFunction
 * checks at synth; the handlers check the very same fields by hand at cold start (environment-fields.ts).
 */
export const seatRevocationEnvironment = zodSchemaOf(seatRevocationFields);

export interface SeatRevocationResources {
  readonly seatsTable: string;
  readonly busName: string;
  readonly connectInstanceId: string;
}

/** The functions' environment from the stage's settings, as the CDK app builds it. */
export const seatRevocationEnvironmentFrom = (
  config: {
    readonly stage: string;
    readonly connect: { readonly apiCallsPerSecond: number; readonly identityManagement: IdentityManagement };
    readonly seats: { readonly revokedRetentionDays: number };
  },
  resources: SeatRevocationResources,
): Record<string, string> => ({
  SEATS_TABLE_NAME: resources.seatsTable,
  SEATS_REVOKED_RETENTION_DAYS: String(config.seats.revokedRetentionDays),
  EVENT_BUS_NAME: resources.busName,
  CONNECT_INSTANCE_ID: resources.connectInstanceId,
  // The sweeper and the backstop have one slot each and the same share (CONNECT_API_CALLERS).
  CONNECT_CALLS_PER_SECOND: String(
    connectCallsPerSecondFor('seat-sweeper', config.connect.apiCallsPerSecond),
  ),
  CONNECT_IDENTITY_MANAGEMENT: config.connect.identityManagement,
  CONNECT_MANAGED_USER_TAG: config.stage,
});
