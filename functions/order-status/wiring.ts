import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoOrderIndex } from '#adapters/dynamodb/order-index.js';
import type { PhoneHashKey } from '#adapters/secrets/phone-hash-key.js';
import type { Clock } from '#core/ports.js';
import type { QueuedTracking } from '#core/sms/tracking-sms.js';
import type { OrderStatusPorts } from './answer.js';
import type { OrderStatusEnvironment } from './environment.js';

export interface OrderStatusWorld {
  readonly clock: Clock;
  readonly documentClient: DynamoDBDocumentClient;
  /** The phone-hash key the index is keyed with (the suppression list's). */
  readonly key: PhoneHashKey;
  readonly enqueue: (request: QueuedTracking) => Promise<void>;
}

/** The order-status ports on DynamoDB, from the function's environment: the Lambda and the local stack alike. */
export const orderStatusPorts = (env: OrderStatusEnvironment, world: OrderStatusWorld): OrderStatusPorts => ({
  index: new DynamoOrderIndex(world.documentClient, env.ORDERS_TABLE_NAME, {
    key: world.key,
    maxOrdersPerPhone: env.ORDER_STATUS_MAX_ORDERS,
    now: () => world.clock.now(),
  }),
  clock: world.clock,
  fallbackTimeZone: env.CONTACT_CENTRE_TIME_ZONE,
  lookupBudgetMs: env.ORDER_LOOKUP_BUDGET_MS,
  enqueue: world.enqueue,
});

/**
 * A tracking-link request onto the caller-SMS queue. A duplicate (a retry after SQS took the first) costs
 * nothing: the sender's once-per-call record sends one tracking SMS per contact.
 */
export const enqueueOn =
  (sqs: SQSClient, queueUrl: string) =>
  async (request: QueuedTracking): Promise<void> => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(request) }));
  };
