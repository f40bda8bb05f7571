import { zodSchemaOf } from '#adapters/environment/zod-schema.js';
import { overflowRouterFields } from './environment-fields.js';

export type { OverflowRouterEnvironment } from './environment-fields.js';

/**
 * What the router reads from `process.env`, as the zod schema PeaklineFunction checks at synth; the
 * handler checks the very same fields by hand at cold start (environment-fields.ts), without zod's load.
 */
export const overflowRouterEnvironment = zodSchemaOf(overflowRouterFields);

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
