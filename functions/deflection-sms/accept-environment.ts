/**
 * What the deflection accept function (the one the caller waits on) reads from `process.env`, checked by
 * hand at cold start: no zod in its bundle, and not the sender's order-SMS schema either, which environment.ts
 * builds when loaded (see #adapters/environment/fields.ts). environment.ts gives the same fields as the zod
 * schema the CDK app checks at synth. Measured A/B: bundle 580 -> 483 KiB, 969 -> 904 M instructions (valgrind),
 * 154 -> 139 CPU ms (medians of 9, load 3-4); bench/levers.ts.
 */
import { type EnvValues, readFields, text, url } from '#adapters/environment/fields.js';

export const deflectionAcceptFields = {
  DEFLECTION_QUEUE_URL: url(),
  CONTACT_CENTRE_TIME_ZONE: text(),
};

export type DeflectionAcceptEnvironment = EnvValues<typeof deflectionAcceptFields>;

/** The function's environment at cold start, or an error naming every bad variable. */
export const readDeflectionAcceptEnvironment = (
  env: Readonly<Record<string, unknown>> = process.env,
): DeflectionAcceptEnvironment => readFields(deflectionAcceptFields, env);
