import { zodSchemaOf } from '#adapters/environment/zod-schema.js';
import { seatDigestFields } from './environment-fields.js';

export type { SeatDigestEnvironment } from './environment-fields.js';

/**
 * What the seat digest reads from `process.env`, as the zod schema PeaklineFunction checks at synth; the
 * handler checks the very same fields by hand at cold start (environment-fields.ts).
 */
export const seatDigestEnvironment = zodSchemaOf(seatDigestFields);

/** The function's environment from the stage's settings, as the CDK app builds it. */
export const seatDigestEnvironmentFrom = (
  config: {
    readonly connect: { readonly timeZone: string };
    readonly seats: { readonly revokedRetentionDays: number };
  },
  resources: { readonly seatsTable: string; readonly opsTopicArn: string },
): Record<string, string> => ({
  SEATS_TABLE_NAME: resources.seatsTable,
  SEATS_REVOKED_RETENTION_DAYS: String(config.seats.revokedRetentionDays),
  OPS_TOPIC_ARN: resources.opsTopicArn,
  CONNECT_TIME_ZONE: config.connect.timeZone,
});
