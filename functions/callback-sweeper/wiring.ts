import { getDocumentClient } from '#adapters/dynamodb/shared-document-client.js';
import { isThrottling } from '#adapters/connect/retry.js';
import { DynamoCallbackStore } from '#adapters/dynamodb/callback-store.js';
import { DynamoOrderLedger } from '#adapters/dynamodb/order-ledger.js';
import { DynamoRoutingStateReader } from '#adapters/dynamodb/routing-state.js';
import { DynamoSuppressionStore } from '#adapters/dynamodb/suppression-store.js';
import { suppressionKeying } from '#adapters/secrets/phone-hash-key.js';
import { EventBridgePublisher } from '#adapters/eventbridge/event-publisher.js';
import { getPutEvents } from '#adapters/eventbridge/shared-put-events.js';
import { getSnsPublish } from '#adapters/sns/shared-publish.js';
import { SnsSmsSender } from '#adapters/sns/sms-sender.js';
import type { SweepResult } from '#core/callbacks/sweep.js';
import type { SweepDeps } from '#core/callbacks/settings.js';
import { systemClock } from '#core/ports.js';
import { callbackSettingsFromEnvironment } from '#functions/cart-callbacks/environment-fields.js';
import type { CallbackWorld } from '#functions/cart-callbacks/wiring.js';
import { connectTaskCentre } from './connect-tasks.js';
import type { CallbackSweeperEnvironment } from './environment.js';

export { connectTaskCentre } from './connect-tasks.js';

export type CallbackSweeperWorld = CallbackWorld & Required<Pick<CallbackWorld, 'contactCentre'>>;

/**
 * The sweep's ports on DynamoDB, from the function's environment. The saved-cart SMS is wired only with
 * `peakBehaviour` 'sms' and a sender; otherwise an overloaded queue postpones the callback.
 */
export const callbackSweeperDeps = (
  env: CallbackSweeperEnvironment,
  world: CallbackSweeperWorld,
): SweepDeps => {
  const settings = callbackSettingsFromEnvironment(env);
  const sms =
    settings.peakBehaviour === 'sms' && world.smsSender !== undefined
      ? {
          ledger: new DynamoOrderLedger(
            world.documentClient,
            env.LEDGER_TABLE_NAME,
            env.SMS_RETENTION_DAYS,
            () => world.clock.now(),
          ),
          sender: world.smsSender,
          settings: {
            shopName: env.SMS_SHOP_NAME,
            segmentCap: env.SMS_SEGMENT_CAP,
            dailySegmentCap: env.SMS_DAILY_SEGMENT_CAP,
            quietHours: { start: env.SMS_QUIET_START, end: env.SMS_QUIET_END },
            fallbackTimeZone: env.CONTACT_CENTRE_TIME_ZONE,
          },
        }
      : undefined;
  return {
    clock: world.clock,
    store: new DynamoCallbackStore(world.documentClient, env.CALLBACKS_TABLE_NAME),
    suppression: new DynamoSuppressionStore(
      world.documentClient,
      env.SUPPRESSION_TABLE_NAME,
      suppressionKeying(),
    ),
    routing: new DynamoRoutingStateReader(world.documentClient, env.ROUTING_TABLE_NAME, undefined, () =>
      world.clock.now().getTime(),
    ),
    events: world.events,
    contactCentre: world.contactCentre,
    settings,
    // The adapter's test: a LimitExceededException for a quota is no reason to stop the sweep.
    isThrottling,
    ...(sms === undefined ? {} : { sms }),
    ...(world.newToken === undefined ? {} : { newToken: world.newToken }),
  };
};

/** The sweep's ports on AWS: DynamoDB, Connect, EventBridge and (for the saved-cart SMS) SNS. */
export const awsCallbackSweeperDeps = (env: CallbackSweeperEnvironment): SweepDeps =>
  callbackSweeperDeps(env, {
    clock: systemClock,
    documentClient: getDocumentClient(),
    contactCentre: connectTaskCentre(env),
    events: new EventBridgePublisher(getPutEvents(), env.EVENT_BUS_NAME),
    ...(env.CALLBACK_PEAK_BEHAVIOUR === 'sms'
      ? {
          smsSender: new SnsSmsSender(getSnsPublish(), {
            senderId: env.SMS_SENDER_ID,
            partsPerSecond: env.SMS_PARTS_PER_SECOND,
          }),
        }
      : {}),
  });

/** The sweep's metric per outcome (zeros included, so the series stay continuous). */
export const SWEEP_METRICS: Readonly<Record<keyof SweepResult['counts'], string>> = {
  // The metrics contract's name (CallbackScheduled and CallbackCancelled come from the consumer).
  CREATED: 'CallbackCreated',
  POSTPONED: 'CallbacksPostponed',
  REPLACED_BY_SMS: 'CallbacksReplacedBySms',
  SKIPPED: 'CallbacksSkipped',
  CANCELLED: 'CallbacksCancelledBySweep',
  ANNOUNCED: 'CallbacksAnnounced',
  RELEASED: 'CallbacksReleased',
  LOST: 'CallbacksLost',
  ERROR: 'CallbackSweepErrors',
};

/**
 * After a run, how long the oldest callback still due has waited for its task, in seconds (0 when none is
 * due): the backlog alarm watches it, whatever the cause (Connect throttling, a failing task, too small a
 * share of the API rate). Read from the due index after the sweep, so what the sweep made is not counted.
 */
export const BACKLOG_AGE_METRIC = 'CallbackBacklogAgeSeconds';

export const backlogAgeSeconds = async (
  store: Pick<SweepDeps['store'], 'due'>,
  now: Date,
): Promise<number> => {
  const [oldest] = await store.due(now, 1);
  if (oldest === undefined) return 0;
  return Math.max(0, Math.floor((now.getTime() - Date.parse(oldest.dueAt)) / 1000));
};

/** 1 when a run had as many due callbacks as it could take: the backlog alarm watches it. */
export const SWEEP_FULL_METRIC = 'CallbackSweepFull';
/** 1 when Connect throttled and the run stopped early. */
export const SWEEP_THROTTLED_METRIC = 'CallbackSweepThrottled';

/**
 * A sweep in numbers and a few lines: per outcome, whether it was full or throttled. The outcomes carry
 * cart ids and reasons, never the customer's phone.
 */
export const sweepMetrics = (result: SweepResult, limit: number): Record<string, number> => ({
  ...Object.fromEntries(
    (Object.keys(SWEEP_METRICS) as (keyof SweepResult['counts'])[]).map((kind) => [
      SWEEP_METRICS[kind],
      result.counts[kind],
    ]),
  ),
  CallbacksDue: result.due,
  [SWEEP_FULL_METRIC]: result.due >= limit ? 1 : 0,
  [SWEEP_THROTTLED_METRIC]: result.stoppedByThrottling ? 1 : 0,
});
