import * as z from 'zod';

/** What the seat digest reads from `process.env`; checked at synth by PeaklineFunction, and at cold start. */
export const seatDigestEnvironment = z.object({
  SEATS_TABLE_NAME: z.string().min(1),
  /** The seat store's setting (how long a revoked seat is kept); the digest only reads. */
  SEATS_REVOKED_RETENTION_DAYS: z.coerce.number().int().positive(),
  OPS_TOPIC_ARN: z.string().regex(/^arn:aws[a-z-]*:sns:/, 'expected an SNS topic ARN'),
  /** `connect.timeZone`: whose "tomorrow" the digest lists. */
  CONNECT_TIME_ZONE: z.string().refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'expected an IANA time zone such as "Europe/Warsaw"'),
});

export type SeatDigestEnvironment = z.output<typeof seatDigestEnvironment>;

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
