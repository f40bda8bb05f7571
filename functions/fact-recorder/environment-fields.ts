/**
 * What the fact recorder reads from `process.env`, checked by hand at cold start (the environment's zod
 * schema no longer built at load: see #adapters/environment/fields.ts); environment.ts gives the same fields
 * as the zod schema the CDK app checks at synth. Measured A/B in bench/levers.ts ("environment checked
 * without zod").
 */
import { type EnvValues, integer, orDefault, readFields, text, url } from '#adapters/environment/fields.js';
import { FACTS_RETENTION_DAYS } from '#core/reporting/facts.js';

export const factRecorderFields = {
  FACTS_TABLE_NAME: text(),
  REJECTED_EVENTS_QUEUE_URL: url(),
  /** The shop's event source: only its OrderPlaced is an order. */
  SHOP_SOURCE: text(),
  FACTS_RETENTION_DAYS: orDefault(integer({ min: 30, max: 3650 }), FACTS_RETENTION_DAYS),
};

export type FactRecorderEnvironment = EnvValues<typeof factRecorderFields>;

/** The recorder's environment at cold start, or an error naming every bad variable. */
export const readFactRecorderEnvironment = (
  env: Readonly<Record<string, unknown>> = process.env,
): FactRecorderEnvironment => readFields(factRecorderFields, env);
