/**
 * What the seat sweeper and the TTL backstop read from `process.env`, checked by hand at cold start (no zod
 * in their bundles: see #adapters/environment/fields.ts); environment.ts gives the same fields as the zod
 * schema the CDK app checks at synth. Measured A/B on the sweeper: bundle 616 -> 518 KiB, 807 -> 747 M
 * instructions (valgrind), 198 -> 170 CPU ms (medians of 9, load 2-5); bench/levers.ts.
 */
import type { IdentityManagement } from '#adapters/connect/contact-centre.js';
import {
  type EnvField,
  EnvFieldError,
  type EnvValues,
  integer,
  readFields,
  text,
} from '#adapters/environment/fields.js';

const IDENTITY_MANAGEMENT = [
  'CONNECT_MANAGED',
  'SAML',
  'EXISTING_DIRECTORY',
] as const satisfies readonly IdentityManagement[];

/** A number above zero, fractions allowed (a share of an API rate). */
export const positiveNumber = (): EnvField<number> => ({
  parse: (raw) => {
    const value = text().parse(raw).trim();
    const number = value === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(number)) throw new EnvFieldError(`expected a number, got "${value}"`);
    if (number <= 0) throw new EnvFieldError('expected a number above 0');
    return number;
  },
});

/** One of `values`. */
export const oneOf = <const T extends readonly string[]>(values: T): EnvField<T[number]> => ({
  parse: (raw) => {
    const value = text().parse(raw);
    if (!(values as readonly string[]).includes(value)) {
      throw new EnvFieldError(`expected one of ${values.join(', ')}`);
    }
    return value as T[number];
  },
});

export const seatRevocationFields = {
  SEATS_TABLE_NAME: text(),
  /** How long a revoked seat is kept (its new TTL), in days. */
  SEATS_REVOKED_RETENTION_DAYS: integer({ min: 1 }),
  EVENT_BUS_NAME: text(),
  /** The Connect instance's id (the last part of its ARN), which the Connect API takes. */
  CONNECT_INSTANCE_ID: text(),
  /** Connect API calls per second this function keeps under: its share of connect.apiCallsPerSecond. */
  CONNECT_CALLS_PER_SECOND: positiveNumber(),
  CONNECT_IDENTITY_MANAGEMENT: oneOf(IDENTITY_MANAGEMENT),
  /** The value of the `peakline:managed` tag this stage's users carry (the stage): only those are deleted. */
  CONNECT_MANAGED_USER_TAG: text(),
};

export type SeatRevocationEnvironment = EnvValues<typeof seatRevocationFields>;

/** The functions' environment at cold start, or an error naming every bad variable. */
export const readSeatRevocationEnvironment = (
  env: Readonly<Record<string, unknown>> = process.env,
): SeatRevocationEnvironment => readFields(seatRevocationFields, env);
