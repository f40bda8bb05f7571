import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoRoutingStateReader } from '#adapters/dynamodb/routing-state.js';
import { OverflowRouter } from '#core/routing/router.js';
import type { OverflowRouterEnvironment } from './environment.js';

/**
 * A caller hears silence while the router thinks, so a state read gets a second (two tries, each cut
 * short) and the router answers the primary queue after that; the function's timeout, and Connect's
 * 8 seconds, are far behind.
 */
export const ROUTER_READ_DEADLINE_MS = 1_000;

/**
 * Its own DynamoDB client rather than the shared one: an in-region GetItem takes a few milliseconds, so a
 * request that has not answered in half a second is retried at once rather than waited for.
 */
export const routerDocumentClient = (config: DynamoDBClientConfig = {}): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 300, requestTimeout: 450 },
      // For the tests: another endpoint (DynamoDB Local, or a store that is down or slow).
      ...config,
    }),
  );

/** The router on a routing table, from the function's environment; the cache is the router's own. */
export const overflowRouter = (
  env: OverflowRouterEnvironment,
  documentClient: DynamoDBDocumentClient = routerDocumentClient(),
  nowMs: () => number = Date.now,
): OverflowRouter =>
  // The reader reports nothing itself: the handler counts each fallback, per caller, with its reason.
  new OverflowRouter(
    new DynamoRoutingStateReader(documentClient, env.ROUTING_TABLE_NAME, 0, nowMs, {
      onDoubt: () => undefined,
    }),
    {
      queueArns: { primary: env.QUEUE_ARN_PRIMARY, secondLine: env.QUEUE_ARN_SECOND_LINE },
      cacheMs: env.ROUTER_CACHE_SECONDS * 1000,
      readDeadlineMs: ROUTER_READ_DEADLINE_MS,
      nowMs,
    },
  );
