import * as z from 'zod';
import { connectCallsPerSecondFor } from '#adapters/connect/api-rate-split.js';
import type { IdentityManagement } from '#adapters/connect/contact-centre.js';

const IDENTITY_MANAGEMENT = [
  'CONNECT_MANAGED',
  'SAML',
  'EXISTING_DIRECTORY',
] as const satisfies readonly IdentityManagement[];

/**
 * What the seat sweeper and the TTL backstop read from `process.env`; checked at synth by
 * PeaklineFunction, and at cold start.
 */
export const seatRevocationEnvironment = z.object({
  SEATS_TABLE_NAME: z.string().min(1),
  /** How long a revoked seat is kept (its new TTL), in days. */
  SEATS_REVOKED_RETENTION_DAYS: z.coerce.number().int().positive(),
  EVENT_BUS_NAME: z.string().min(1),
  /** The Connect instance's id (the last part of its ARN), which the Connect API takes. */
  CONNECT_INSTANCE_ID: z.string().min(1),
  /** Connect API calls per second this function keeps under: its share of connect.apiCallsPerSecond. */
  CONNECT_CALLS_PER_SECOND: z.coerce.number().positive(),
  CONNECT_IDENTITY_MANAGEMENT: z.enum(IDENTITY_MANAGEMENT),
  /** The value of the `peakline:managed` tag this stage's users carry (the stage): only those are deleted. */
  CONNECT_MANAGED_USER_TAG: z.string().min(1),
});

export type SeatRevocationEnvironment = z.output<typeof seatRevocationEnvironment>;

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
