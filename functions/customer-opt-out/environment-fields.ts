/**
 * What the opt-out consumer reads from `process.env`, checked by hand at cold start (the environment's zod
 * schema no longer built at load: see #adapters/environment/fields.ts); environment.ts gives the same fields
 * as the zod schema the CDK app checks at synth. Measured A/B in bench/levers.ts ("environment checked
 * without zod").
 */
import { type EnvValues, integer, readFields, text, url } from '#adapters/environment/fields.js';

export const optOutFields = {
  SUPPRESSION_TABLE_NAME: text(),
  REJECTED_EVENTS_QUEUE_URL: url(),
  SUPPRESSION_RETENTION_DAYS: integer({ min: 1 }),
};

export type OptOutEnvironment = EnvValues<typeof optOutFields>;

/** The consumer's environment at cold start, or an error naming every bad variable. */
export const readOptOutEnvironment = (
  env: Readonly<Record<string, unknown>> = process.env,
): OptOutEnvironment => readFields(optOutFields, env);
