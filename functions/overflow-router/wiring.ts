import type { DocumentReads } from '#adapters/dynamodb/document-reads.js';
import { LeanDynamoDb, type LeanDynamoDbOptions } from '#adapters/dynamodb/lean-dynamodb.js';
import { CachedRoutingStateReader } from '#adapters/dynamodb/routing-state-reader.js';
import { OverflowRouter } from '#core/routing/router.js';
import type { OverflowRouterEnvironment } from './environment-fields.js';

/**
 * A caller hears silence while the router thinks, so a state read gets a second (two tries, each cut
 * short) and the router answers the primary queue after that; the function's timeout, and Connect's
 * 8 seconds, are far behind.
 */
export const ROUTER_READ_DEADLINE_MS = 1_000;

/**
 * The router's own DynamoDB reads: one signed GetItem over node's https, no SDK. Every caller waits
 * through the router's cold start, and the SDK's DynamoDB and document clients were most of it (load
 * 63-70 ms and a first call of ~30 ms: 111 ms of CPU over a bare node, 47 without it, bench/levers.ts).
 * An in-region GetItem takes a few milliseconds, so an attempt that has not answered in 450 ms (or not
 * connected in 300) is abandoned and tried once more at once, well inside ROUTER_READ_DEADLINE_MS: the
 * SDK client's settings before (maxAttempts 2, connectionTimeout 300, requestTimeout 450), kept.
 */
export const routerDynamoDb = (options: LeanDynamoDbOptions = {}): LeanDynamoDb =>
  new LeanDynamoDb({
    maxAttempts: 2,
    connectionTimeoutMs: 300,
    attemptTimeoutMs: 450,
    // For the tests: another endpoint (DynamoDB Local, or a store that is down or slow).
    ...options,
  });

/** The router on a routing table, from the function's environment; the cache is the router's own. */
export const overflowRouter = (
  env: OverflowRouterEnvironment,
  reads: DocumentReads = routerDynamoDb(),
  nowMs: () => number = Date.now,
): OverflowRouter =>
  // The reader reports nothing itself: the handler counts each fallback, per caller, with its reason.
  new OverflowRouter(
    new CachedRoutingStateReader(reads, env.ROUTING_TABLE_NAME, 0, nowMs, {
      onDoubt: () => undefined,
    }),
    {
      queueArns: { primary: env.QUEUE_ARN_PRIMARY, secondLine: env.QUEUE_ARN_SECOND_LINE },
      cacheMs: env.ROUTER_CACHE_SECONDS * 1000,
      readDeadlineMs: ROUTER_READ_DEADLINE_MS,
      nowMs,
    },
  );
