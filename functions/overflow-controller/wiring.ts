import type { DocumentClient } from '#adapters/dynamodb/document-client.js';
import { getDocumentClient } from '#adapters/dynamodb/shared-document-client.js';
import { ConnectContactCentre } from '#adapters/connect/contact-centre.js';
import { LeanConnectClient } from '#adapters/connect/lean-connect-client.js';
import { DynamoRoutingStateStore } from '#adapters/dynamodb/routing-state.js';
import { EventBridgePublisher } from '#adapters/eventbridge/event-publisher.js';
import { getPutEvents } from '#adapters/eventbridge/shared-put-events.js';
import { leanPutObject } from '#adapters/s3/lean-put-object.js';
import type { PutObject } from '#adapters/s3/put-object.js';
import { S3PublicStatusWriter } from '#adapters/s3/public-status.js';
import { SnsOpsNotifier } from '#adapters/sns/ops-notifier.js';
import { getSnsPublish } from '#adapters/sns/shared-publish.js';
import { type Clock, type ContactCentre, type EventPublisher, systemClock } from '#core/ports.js';
import type { ControllerDeps, ControllerSettings } from '#core/routing/controller.js';
import { defaultStateMaxAgeSeconds } from '#core/routing/freshness.js';
import { PublicStatusPublisher, type PublicStatusWriter } from '#core/routing/public-status.js';
import type { OpsNotifier } from '#core/routing/store.js';
import {
  type OverflowControllerEnvironment,
  publicStatusFrom,
  secondLineFrom,
  thresholdsFrom,
  waitModelFrom,
  watchedQueuesFrom,
} from './environment-fields.js';

export interface OverflowControllerWorld {
  readonly clock: Clock;
  readonly documentClient: DocumentClient;
  readonly contactCentre: Pick<ContactCentre, 'getCurrentMetrics'>;
  readonly events: EventPublisher;
  readonly ops: OpsNotifier;
  readonly log?: ControllerDeps['log'];
}

/** The controller's ports on DynamoDB, from the function's environment. */
export const overflowControllerDeps = (
  env: OverflowControllerEnvironment,
  world: OverflowControllerWorld,
): ControllerDeps => ({
  contactCentre: world.contactCentre,
  store: new DynamoRoutingStateStore(world.documentClient, env.ROUTING_TABLE_NAME),
  events: world.events,
  ops: world.ops,
  clock: world.clock,
  ...(world.log ? { log: world.log } : {}),
});

export const overflowControllerSettings = (env: OverflowControllerEnvironment): ControllerSettings => ({
  queues: watchedQueuesFrom(env),
  thresholds: thresholdsFrom(env),
  stateMaxAgeSeconds:
    env.OVERFLOW_STATE_MAX_AGE_SECONDS ?? defaultStateMaxAgeSeconds(env.OVERFLOW_SAMPLES_PER_MINUTE),
  waitModel: waitModelFrom(env),
  secondLine: secondLineFrom(env),
});

/**
 * GetCurrentMetricData's own quota: 5 a second, which AWS does not raise. The controller makes a few calls
 * a minute, so the pacing only matters when several samples' calls meet (a retried run beside a new one).
 */
const METRICS_CALLS_PER_SECOND = 5;

/**
 * Two tries in all: a sample that Connect throttles twice is a missing sample (the states stand), not a
 * reason to make the next samples late. The backoff between them is at most 0.5 s.
 */
const METRICS_ATTEMPTS = 2;

let connectClient: LeanConnectClient | undefined;

/**
 * Built once per execution environment, one attempt a call (the adapter retries throttling itself, at its
 * pace) and a deadline, so that a hung call costs a sample, not the run. The lean client, not the SDK's
 * ConnectClient: the bundle 657 -> 437 KiB (lean-connect-client.ts has the figures).
 */
const getConnectClient = (): LeanConnectClient => {
  connectClient ??= new LeanConnectClient({ connectionTimeoutMs: 1_000, attemptTimeoutMs: 3_000 });
  return connectClient;
};

/** The controller's ports on AWS: Connect, DynamoDB, EventBridge and SNS, built once per container. */
export const awsOverflowControllerDeps = (
  env: OverflowControllerEnvironment,
  log?: ControllerDeps['log'],
): ControllerDeps =>
  overflowControllerDeps(env, {
    clock: systemClock,
    documentClient: getDocumentClient(),
    contactCentre: new ConnectContactCentre(getConnectClient(), {
      instanceId: env.CONNECT_INSTANCE_ID,
      callsPerSecond: METRICS_CALLS_PER_SECOND,
      maxAttempts: METRICS_ATTEMPTS,
    }),
    events: new EventBridgePublisher(getPutEvents(), env.EVENT_BUS_NAME),
    ops: new SnsOpsNotifier(getSnsPublish(), env.OPS_TOPIC_ARN),
    ...(log ? { log } : {}),
  });

/**
 * The public status publisher over any writer (S3 on AWS, memory in the local stack); undefined when the
 * stage publishes no document. The phone line is the primary queue's callers.
 */
export const publicStatusPublisher = (
  env: OverflowControllerEnvironment,
  writer: (settings: NonNullable<ReturnType<typeof publicStatusFrom>>) => PublicStatusWriter,
): PublicStatusPublisher | undefined => {
  const settings = publicStatusFrom(env);
  return settings === undefined
    ? undefined
    : new PublicStatusPublisher(writer(settings), {
        replyWithinHours: settings.replyWithinHours,
        phoneQueueKey: 'primary',
      });
};

/**
 * The longest a document write may take: one try, a second to connect and two to answer. A write that
 * fails is not retried here: the next run, a minute later, writes the same document anyway.
 */
const S3_CONNECTION_TIMEOUT_MS = 1_000;
const S3_REQUEST_TIMEOUT_MS = 2_000;

/** The time a run must have left to write the document; less, and the next run writes it. */
export const PUBLISH_BUDGET_MS = S3_CONNECTION_TIMEOUT_MS + S3_REQUEST_TIMEOUT_MS + 500;

let s3PutObject: PutObject | undefined;

/**
 * The signed PUT, not the SDK's S3Client, which was the last SDK client in this bundle (with it went
 * @smithy/core and the retry and endpoint machinery): bundle 414 -> 109 KiB, module load ~60 -> ~22 ms,
 * a cold start ~92 -> ~56 ms over a bare node (bench:cold, 5 interleaved A/B runs of 7 samples, load ~4.5).
 * Its deadline is the whole attempt's, connection included (the SDK's requestTimeout was the socket's
 * idle time), so a write never outlasts the budget.
 */
const getS3PutObject = (): PutObject => {
  s3PutObject ??= leanPutObject({
    maxAttempts: 1,
    connectionTimeoutMs: S3_CONNECTION_TIMEOUT_MS,
    // Connection included: a second to connect, two to answer.
    attemptTimeoutMs: S3_CONNECTION_TIMEOUT_MS + S3_REQUEST_TIMEOUT_MS,
  });
  return s3PutObject;
};

/** The public status publisher on S3, built once per container (it remembers the last document written). */
export const awsPublicStatusPublisher = (
  env: OverflowControllerEnvironment,
): PublicStatusPublisher | undefined =>
  publicStatusPublisher(
    env,
    (settings) =>
      new S3PublicStatusWriter(getS3PutObject(), {
        bucket: settings.bucket,
        key: settings.key,
        cacheSeconds: settings.cacheSeconds,
      }),
  );
