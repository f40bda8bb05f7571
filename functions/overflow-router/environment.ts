import * as z from 'zod';

const queueArn = z.string().regex(/\/queue\/[^/]+$/, 'expected a Connect queue ARN');

/** What the router reads from `process.env`; checked at synth by PeaklineFunction, and at cold start. */
export const overflowRouterEnvironment = z.object({
  ROUTING_TABLE_NAME: z.string().min(1),
  /** How long a queue's state is reused, seconds (config `overflow.routerCacheSeconds`). */
  ROUTER_CACHE_SECONDS: z.coerce.number().int().min(0).max(60),
  /** Where callers go in NORMAL, and whenever the router is in doubt. */
  QUEUE_ARN_PRIMARY: queueArn,
  /** Where the controller's share of the callers goes in OVERFLOW and DEFLECT (the others stay in the primary queue). */
  QUEUE_ARN_SECOND_LINE: queueArn,
});

export type OverflowRouterEnvironment = z.output<typeof overflowRouterEnvironment>;

export interface OverflowRouterResources {
  readonly routingTable: string;
  readonly queueArns: { readonly primary: string; readonly secondLine: string };
}

/** The router's environment from the stage's settings, as the CDK app builds it. */
export const overflowRouterEnvironmentFrom = (
  config: { readonly overflow: { readonly routerCacheSeconds: number } },
  resources: OverflowRouterResources,
): Record<string, string> => ({
  ROUTING_TABLE_NAME: resources.routingTable,
  ROUTER_CACHE_SECONDS: String(config.overflow.routerCacheSeconds),
  QUEUE_ARN_PRIMARY: resources.queueArns.primary,
  QUEUE_ARN_SECOND_LINE: resources.queueArns.secondLine,
});
