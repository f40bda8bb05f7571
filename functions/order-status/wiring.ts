import type { DocumentReads } from '#adapters/dynamodb/document-reads.js';
import { OrderIndexReader } from '#adapters/dynamodb/order-index-reader.js';
import type { PhoneHashKey } from '#adapters/secrets/phone-hash-key.js';
import type { AwsJsonClient } from '#adapters/signed-json/aws-json-client.js';
import { sendMessage } from '#adapters/signed-json/sqs.js';
import type { Clock } from '#core/ports.js';
import type { QueuedTracking } from '#core/sms/tracking-sms.js';
import type { OrderStatusPorts } from './answer.js';
import type { OrderStatusEnvironment } from './environment-fields.js';

export interface OrderStatusWorld {
  readonly clock: Clock;
  /**
   * The index's reads: the lean reads with a caller's short tries in the Lambda (LeanDynamoDb), a document
   * client's elsewhere (`documentReads`).
   */
  readonly reads: DocumentReads;
  /** The phone-hash key the index is keyed with (the suppression list's). */
  readonly key: PhoneHashKey;
  readonly enqueue: (request: QueuedTracking) => Promise<void>;
}

/** The order-status ports on DynamoDB, from the function's environment: the Lambda and the local stack alike. */
export const orderStatusPorts = (env: OrderStatusEnvironment, world: OrderStatusWorld): OrderStatusPorts => ({
  index: new OrderIndexReader(world.reads, env.ORDERS_TABLE_NAME, {
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
  (sqs: AwsJsonClient, queueUrl: string) =>
  async (request: QueuedTracking): Promise<void> => {
    await sendMessage(sqs, { QueueUrl: queueUrl, MessageBody: JSON.stringify(request) });
  };
