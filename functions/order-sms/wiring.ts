import type { DocumentClient } from '#adapters/dynamodb/document-client.js';
import { getDocumentClient } from '#adapters/dynamodb/shared-document-client.js';
import { EventBridgePublisher } from '#adapters/eventbridge/event-publisher.js';
import { getPutEvents } from '#adapters/eventbridge/shared-put-events.js';
import { getSnsPublish } from '#adapters/sns/shared-publish.js';
import { SnsSmsSender } from '#adapters/sns/sms-sender.js';
import { DynamoOrderLedger } from '#adapters/dynamodb/order-ledger.js';
import { DynamoRoutingStateReader } from '#adapters/dynamodb/routing-state.js';
import { DynamoSuppressionStore } from '#adapters/dynamodb/suppression-store.js';
import { suppressionKeying } from '#adapters/secrets/phone-hash-key.js';
import { type Clock, type EventPublisher, type SmsSender, systemClock } from '#core/ports.js';
import { DailyAllowance, type OrderSmsDeps, SmsOutbox } from '#core/sms/order-sms.js';
import type { OrderSmsEnvironment } from './environment.js';

export interface OrderSmsWorld {
  readonly clock: Clock;
  readonly documentClient: DocumentClient;
  readonly sender: SmsSender;
  readonly events: EventPublisher;
}

/**
 * The order-SMS ports on DynamoDB, from the function's environment: the Lambda handlers and the local
 * stack (which builds the same environment from the stage's settings) wire it the same way.
 */
export const orderSmsDeps = (env: OrderSmsEnvironment, world: OrderSmsWorld): OrderSmsDeps => {
  const ledger = new DynamoOrderLedger(
    world.documentClient,
    env.LEDGER_TABLE_NAME,
    env.SMS_RETENTION_DAYS,
    () => world.clock.now(),
  );
  return {
    clock: world.clock,
    ledger,
    suppression: new DynamoSuppressionStore(
      world.documentClient,
      env.SUPPRESSION_TABLE_NAME,
      suppressionKeying(),
    ),
    routing: new DynamoRoutingStateReader(world.documentClient, env.ROUTING_TABLE_NAME, undefined, () =>
      world.clock.now().getTime(),
    ),
    sender: world.sender,
    events: world.events,
    outbox: new SmsOutbox(),
    allowance: new DailyAllowance(ledger, () => env.SMS_DAILY_SEGMENT_CAP),
    settings: {
      shopName: env.SMS_SHOP_NAME,
      segmentCap: env.SMS_SEGMENT_CAP,
      dailySegmentCap: env.SMS_DAILY_SEGMENT_CAP,
      quietHours: { start: env.SMS_QUIET_START, end: env.SMS_QUIET_END },
      replyWithinHours: { OVERFLOW: env.SMS_REPLY_HOURS_OVERFLOW, DEFLECT: env.SMS_REPLY_HOURS_DEFLECT },
      overloaded: env.SMS_OVERLOADED,
      fallbackTimeZone: env.CONTACT_CENTRE_TIME_ZONE,
      primaryQueueId: env.PRIMARY_QUEUE_ID,
      maxDelayUpdates: env.SMS_MAX_DELAY_UPDATES,
    },
  };
};

/** The order-SMS ports on AWS: DynamoDB, SNS and EventBridge, with the clients built once per container. */
export const awsOrderSmsDeps = (env: OrderSmsEnvironment): OrderSmsDeps =>
  orderSmsDeps(env, {
    clock: systemClock,
    documentClient: getDocumentClient(),
    sender: new SnsSmsSender(getSnsPublish(), {
      senderId: env.SMS_SENDER_ID,
      partsPerSecond: env.SMS_PARTS_PER_SECOND,
    }),
    events: new EventBridgePublisher(getPutEvents(), env.EVENT_BUS_NAME),
  });
