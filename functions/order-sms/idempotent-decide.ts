import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { decideOrderSms, type OrderFact, type OrderSmsDeps, type SmsDecision } from '#core/sms/order-sms.js';

export interface IdempotencyStore {
  readonly client: DynamoDBClient;
  /** The ledger: Powertools' `id` and `expiration` are its key and TTL attribute. */
  readonly tableName: string;
  readonly retentionDays: number;
}

/**
 * The decision once per (order, status), with Powertools idempotency on the ledger: EventBridge
 * delivering twice, the shop sending the same fact again under a new event id, and two copies running
 * at once all come down to one decision, stored with its reason for the retention period. A copy that
 * meets another still in progress fails its record, and SQS brings it back once the first has decided.
 */
export const idempotentDecide = (
  deps: OrderSmsDeps,
  store: IdempotencyStore,
): { readonly decide: (fact: OrderFact) => Promise<SmsDecision>; readonly config: IdempotencyConfig } => {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[orderId, status]',
    expiresAfterSeconds: store.retentionDays * 86_400,
  });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: store.tableName,
    awsSdkV3Client: store.client,
  });
  const decide = makeIdempotent((fact: OrderFact) => decideOrderSms(fact, deps), {
    persistenceStore,
    config,
  });
  return { decide: (fact) => decide(fact) as Promise<SmsDecision>, config };
};
