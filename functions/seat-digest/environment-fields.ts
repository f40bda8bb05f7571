/**
 * What the seat digest reads from `process.env`, checked by hand at cold start (no zod in its bundle: see
 * #adapters/environment/fields.ts); environment.ts gives the same fields as the zod schema the CDK app
 * checks at synth. Measured A/B: bundle 475 -> 379 KiB, 773 -> 717 M instructions (valgrind), 157 -> 141 CPU ms
 * (medians of 9, load 3-4); bench/levers.ts.
 */
import {
  type EnvField,
  EnvFieldError,
  type EnvValues,
  integer,
  matching,
  readFields,
  text,
} from '#adapters/environment/fields.js';

/** A zone Intl knows, e.g. Europe/Warsaw. */
const ianaZone = (): EnvField<string> => ({
  parse: (raw) => {
    const zone = text().parse(raw);
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
    } catch {
      throw new EnvFieldError('expected an IANA time zone such as "Europe/Warsaw"');
    }
    return zone;
  },
});

export const seatDigestFields = {
  SEATS_TABLE_NAME: text(),
  /** The seat store's setting (how long a revoked seat is kept); the digest only reads. */
  SEATS_REVOKED_RETENTION_DAYS: integer({ min: 1 }),
  OPS_TOPIC_ARN: matching(/^arn:aws[a-z-]*:sns:/, 'expected an SNS topic ARN'),
  /** `connect.timeZone`: whose "tomorrow" the digest lists. */
  CONNECT_TIME_ZONE: ianaZone(),
};

export type SeatDigestEnvironment = EnvValues<typeof seatDigestFields>;

/** The digest's environment at cold start, or an error naming every bad variable. */
export const readSeatDigestEnvironment = (
  env: Readonly<Record<string, unknown>> = process.env,
): SeatDigestEnvironment => readFields(seatDigestFields, env);
