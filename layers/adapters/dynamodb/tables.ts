/**
 * The one definition of every peakline table: keys, indexes, TTL attribute and stream. The DataStack
 * builds its CloudFormation tables from it, and the local stack and the integration tests create their
 * DynamoDB Local tables from it, so the three worlds can never disagree on a key name.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export type AttributeType = 'S' | 'N';

export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** Why the index exists; sparse indexes say which attribute makes an item appear in them. */
  readonly purpose: string;
}

export interface TableDefinition {
  /** Logical name, also the suffix of the physical table name. */
  readonly name: TableName;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** Epoch-seconds attribute DynamoDB's TTL deletes the item by. */
  readonly ttlAttribute: string;
  readonly indexes: readonly IndexDefinition[];
  /** Stream view, only where a feature consumes the stream. */
  readonly stream?: 'OLD_IMAGE' | 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
  /**
   * DynamoDB's table class. Standard-IA stores for 60% less and charges 25% more per request: for a table
   * written once and read seldom, whose storage outweighs its requests over its retention.
   * @default 'STANDARD'
   */
  readonly tableClass?: 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
  readonly purpose: string;
}

export type TableName = 'seats' | 'ledger' | 'callbacks' | 'routing' | 'suppression' | 'facts' | 'orders';

export const TABLES: Readonly<Record<TableName, TableDefinition>> = {
  seats: {
    name: 'seats',
    partitionKey: { name: 'username', type: 'S' },
    ttlAttribute: 'expiresAt',
    indexes: [
      {
        name: 'active-by-expiry',
        // Sparse: only seats that still hold a Connect user carry `active`, so the sweeper reads
        // exactly the seats it may have to revoke, oldest expiry first.
        partitionKey: { name: 'active', type: 'S' },
        sortKey: { name: 'expiresAt', type: 'N' },
        purpose: 'Active seats ordered by expiry, for the revocation sweeper.',
      },
    ],
    // The TTL deletion's stream record is the backstop that revokes a seat the sweeper missed; it only
    // needs the deleted item.
    stream: 'OLD_IMAGE',
    purpose: 'Seasonal Connect seats; the TTL is the end of the contract.',
  },
  ledger: {
    name: 'ledger',
    // `id` and `expiration` are the names Powertools idempotency uses by default, so the idempotency
    // records and the per-order status state share one table without extra configuration.
    partitionKey: { name: 'id', type: 'S' },
    ttlAttribute: 'expiration',
    indexes: [
      {
        name: 'deferred-by-time',
        // Sparse: only SMS held back by quiet hours (`deferred` = SMS, by release time) and SMS outcomes
        // recorded but not yet announced on the bus (`deferred` = ANNOUNCE, by the time they were
        // recorded) carry `deferred`, so the minute release sweeper reads what is due and nothing else.
        partitionKey: { name: 'deferred', type: 'S' },
        sortKey: { name: 'sendAt', type: 'N' },
        purpose: 'Deferred SMS and unannounced SMS outcomes, by time, for the release sweeper.',
      },
    ],
    purpose:
      'Notification ledger: per order its status and SMS attempts, SMS outcomes, deferred SMS, daily counts.',
  },
  callbacks: {
    name: 'callbacks',
    // `cart#<cartId>` for a callback, `customer#<customerId>` for the marker of the callback that counts
    // for the customer's one-per-day; both written in one transaction when a callback is scheduled.
    partitionKey: { name: 'pk', type: 'S' },
    ttlAttribute: 'expiresAt',
    indexes: [
      {
        name: 'due',
        // Sparse: only callbacks the sweeper still has something to do with (waiting, held by a sweep,
        // or ended but not yet announced) carry `pending`, so the minute sweeper's query returns the due
        // ones and nothing settled. `dueAt` is in epoch milliseconds.
        partitionKey: { name: 'pending', type: 'S' },
        sortKey: { name: 'dueAt', type: 'N' },
        purpose: 'Pending callbacks by due time, for the minute sweeper.',
      },
    ],
    purpose: 'Cart callbacks held until due, and the one-per-customer-per-day markers.',
  },
  routing: {
    name: 'routing',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    ttlAttribute: 'expiresAt',
    indexes: [],
    purpose: 'Routing state per queue (NORMAL, OVERFLOW, DEFLECT) and its audit trail.',
  },
  suppression: {
    name: 'suppression',
    // An HMAC of the number's digest under the secret phone-hash key (`keyedPhoneHash`), never the number.
    partitionKey: { name: 'phoneHash', type: 'S' },
    ttlAttribute: 'expiresAt',
    indexes: [],
    purpose: 'Phones that opted out of SMS.',
  },
  facts: {
    name: 'facts',
    // The fact's own identity, not the EventBridge event's id: `SmsSent#<messageId>`, `OrderPlaced#cart#<cartId>`,
    // `CallbackCreated#<cartId>#<createdAt>`, `SmsSuppressed#<digest of the detail>` (see
    // `layers/core/reporting/facts.ts`), so a fact delivered twice or announced again under a new event id is
    // written once, by a conditional put.
    partitionKey: { name: 'id', type: 'S' },
    // Epoch seconds, `data.factsRetentionDays` (default 400) after the fact: a year back, plus a month, so a
    // monthly report can set a month beside the same month a year before.
    ttlAttribute: 'expiresAt',
    indexes: [
      {
        name: 'by-day',
        // `<family>#<UTC day>` (`sms#2026-11-27`, `callback#2026-11-27`) by ISO time: a report reads each UTC
        // day overlapping its range, for the one family it needs. Sparse: OrderPlaced facts have no `day`,
        // they are only read by key (BatchGet by cart) for callback conversion.
        partitionKey: { name: 'day', type: 'S' },
        sortKey: { name: 'at', type: 'S' },
        purpose: 'SMS and callback facts by UTC day and time, for the KPI report.',
      },
    ],
    // Written once per fact, kept 400 days, read by the monthly report: `npm run cost` counted its storage (the
    // index's copy included) above its writes per order event, so the cheaper storage pays for the dearer writes.
    tableClass: 'STANDARD_INFREQUENT_ACCESS',
    purpose:
      "peakline's own facts for the KPI report (SMS sent and suppressed, callbacks, orders of carts): no phone, no customer id.",
  },
  orders: {
    name: 'orders',
    // `keyedPhoneHash` of the customer's phone, as the suppression list keys it: the lookup of a caller's
    // number is one Query of its partition, and neither the number nor its plain digest is stored.
    partitionKey: { name: 'phoneKey', type: 'S' },
    sortKey: { name: 'orderId', type: 'S' },
    // Epoch seconds, `sms.retentionDays` after the order's last change.
    ttlAttribute: 'expiresAt',
    indexes: [],
    purpose:
      'The order index: per phone (keyed hash, never in clear) its few most recent orders, with only what the status announcement needs (status, when, carrier, tracking link, estimate, language, zone, SMS consent).',
  },
};

export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

/** Physical name: `peakline-<stage>-<table>`, the same on AWS and locally. */
export const physicalTableName = (stage: string, table: TableName): string => `peakline-${stage}-${table}`;

/** The CreateTable request for DynamoDB Local, from the same definition the DataStack uses. */
export const toCreateTableInput = (def: TableDefinition, tableName: string): CreateTableCommandInput => {
  const attributes = new Map<string, AttributeType>();
  const add = (k?: KeyAttribute) => {
    if (k) attributes.set(k.name, k.type);
  };
  add(def.partitionKey);
  add(def.sortKey);
  for (const index of def.indexes) {
    add(index.partitionKey);
    add(index.sortKey);
  }
  const keySchema = (pk: KeyAttribute, sk?: KeyAttribute) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: keySchema(def.partitionKey, def.sortKey),
    ...(def.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: def.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' },
          })),
        }
      : {}),
    ...(def.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream } } : {}),
  };
};
