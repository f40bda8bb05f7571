/**
 * What the router reads from `process.env`, checked by hand (no zod in the router's bundle: see
 * #adapters/environment/fields.ts); environment.ts gives the same fields as the zod schema the CDK app
 * checks at synth.
 */
import { type EnvValues, integer, queueArn, readFields, text } from '#adapters/environment/fields.js';

export const overflowRouterFields = {
  ROUTING_TABLE_NAME: text(),
  /** How long a queue's state is reused, seconds (config `overflow.routerCacheSeconds`). */
  ROUTER_CACHE_SECONDS: integer({ min: 0, max: 60 }),
  /** Where callers go in NORMAL, and whenever the router is in doubt. */
  QUEUE_ARN_PRIMARY: queueArn(),
  /** Where the controller's share of the callers goes in OVERFLOW and DEFLECT (the others stay in the primary queue). */
  QUEUE_ARN_SECOND_LINE: queueArn(),
};

export type OverflowRouterEnvironment = EnvValues<typeof overflowRouterFields>;

/** The router's environment at cold start, or an error naming every bad variable. */
export const readOverflowRouterEnvironment = (
  env: Readonly<Record<string, unknown>> = process.env,
): OverflowRouterEnvironment => readFields(overflowRouterFields, env);
