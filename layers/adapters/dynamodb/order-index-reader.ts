/**
 * The reading side of the order index (what the order lookup and the tracking-link sender ask), without
 * the SDK: the item's fields, how an item becomes an IndexedOrder, and the two reads, on the DocumentReads
 * port. The order-status function reads through the lean signed request (a caller waits through its cold
 * start); DynamoOrderIndex (order-index.ts), the writer, reads the same way on the SDK's document client.
 */
import {
  byRecentChange,
  epochSeconds,
  FILLABLE_DETAILS,
  type FillableDetail,
} from '#core/orders/order-index.js';
import {
  INDEXED_STATUSES,
  type IndexedOrder,
  type IndexedStatus,
  type OrderIndex,
} from '#core/orders/types.js';
import { SMS_LANGUAGES, type SmsLanguage } from '#core/sms/templates.js';
import type { PhoneHashKey } from '#adapters/secrets/phone-hash-key.js';
import { type DocumentItem, type DocumentReads, queryAll } from './document-reads.js';
import { keyedPhoneHash } from './keyed-phone-hash.js';

export interface OrderIndexReaderOptions {
  /** The phone-hash key the partition key is an HMAC under (as the suppression list's). */
  readonly key: PhoneHashKey;
  /** Orders kept per phone (`orderStatus.maxOrdersPerPhone`): how many a lookup answers at most. */
  readonly maxOrdersPerPhone: number;
  /**
   * The world's clock, for reading: an entry past its expiry is treated as gone, as DynamoDB's TTL deletes
   * lazily (within days on AWS). Pass the local stack's virtual clock there. @default the system clock
   */
  readonly now?: () => Date;
}

/** What an item holds besides its keys: the IndexedOrder's fields and the TTL, nothing else. */
const ORDER_FIELDS = [
  'orderId',
  'status',
  'changedAt',
  'carrier',
  'trackingUrl',
  'estimatedDelivery',
  'reason',
  'language',
  'timeZone',
  'smsConsent',
] as const satisfies readonly (keyof IndexedOrder)[];

/** Every attribute is named through a placeholder: `status`, `language` and `timeZone` are reserved words. */
const NAMES = Object.fromEntries(
  [...ORDER_FIELDS, 'phoneKey', 'expiresAt'].map((name) => [`#${name}`, name]),
) as Record<string, string>;
const READ_PROJECTION = [...ORDER_FIELDS, 'expiresAt'].map((name) => `#${name}`).join(', ');

/** Only the names an expression uses: DynamoDB refuses unused placeholders. */
export const namesIn = (...expressions: string[]): Record<string, string> =>
  Object.fromEntries(
    Object.entries(NAMES).filter(([placeholder]) =>
      expressions.some((e) => new RegExp(`${placeholder}\\b`).test(e)),
    ),
  );

const isStatus = (value: unknown): value is IndexedStatus =>
  (INDEXED_STATUSES as readonly unknown[]).includes(value);
const isLanguage = (value: unknown): value is SmsLanguage =>
  (SMS_LANGUAGES as readonly unknown[]).includes(value);

/** An item back to an IndexedOrder; an item this adapter did not write is skipped rather than trusted. */
export const orderOf = (item: DocumentItem): IndexedOrder | undefined => {
  const { orderId, status, changedAt, language, timeZone, smsConsent } = item;
  if (typeof orderId !== 'string' || !isStatus(status) || typeof changedAt !== 'string') return undefined;
  const details: Partial<Record<FillableDetail | 'reason', string>> = {};
  for (const name of [...FILLABLE_DETAILS, 'reason'] as const) {
    const value = item[name];
    if (typeof value === 'string') details[name] = value;
  }
  return {
    orderId,
    status,
    changedAt,
    ...details,
    language: isLanguage(language) ? language : 'en',
    timeZone: typeof timeZone === 'string' ? timeZone : 'UTC',
    smsConsent: smsConsent === true,
  };
};

/** The partition key of a phone: its digest's HMAC under the phone-hash key (loaded at the first use). */
export const phoneKeyOf = async (key: PhoneHashKey, digest: string): Promise<string> =>
  keyedPhoneHash(typeof key === 'function' ? await key() : key, digest);

/** Every item of a phone, with `projection` (placeholders of the item's fields). */
export const itemsOfPhone = (
  reads: DocumentReads,
  tableName: string,
  phoneKey: string,
  projection: string,
  consistent: boolean,
): Promise<DocumentItem[]> =>
  queryAll(reads, {
    TableName: tableName,
    KeyConditionExpression: '#phoneKey = :phoneKey',
    ProjectionExpression: projection,
    ExpressionAttributeNames: namesIn('#phoneKey', projection),
    ExpressionAttributeValues: { ':phoneKey': phoneKey },
    ConsistentRead: consistent,
  });

/** The order index's reads: a phone's recent orders (the lookup), one order (the tracking link). */
export class OrderIndexReader implements Pick<OrderIndex, 'recent' | 'get'> {
  readonly #key: PhoneHashKey;
  readonly #max: number;
  readonly #now: () => Date;

  constructor(
    private readonly reads: DocumentReads,
    private readonly tableName: string,
    options: OrderIndexReaderOptions,
  ) {
    this.#key = options.key;
    this.#max = options.maxOrdersPerPhone;
    this.#now = options.now ?? (() => new Date());
  }

  async recent(phoneDigest: string): Promise<readonly IndexedOrder[]> {
    const phoneKey = await phoneKeyOf(this.#key, phoneDigest);
    // Eventually consistent: a status a second old is as good to a caller, at half the read's cost.
    const items = await itemsOfPhone(this.reads, this.tableName, phoneKey, READ_PROJECTION, false);
    return this.#live(items).sort(byRecentChange).slice(0, this.#max);
  }

  async get(phoneDigest: string, orderId: string): Promise<IndexedOrder | undefined> {
    const { Item } = await this.reads.get({
      TableName: this.tableName,
      Key: { phoneKey: await phoneKeyOf(this.#key, phoneDigest), orderId },
      ProjectionExpression: READ_PROJECTION,
      ExpressionAttributeNames: namesIn(READ_PROJECTION),
    });
    return Item === undefined ? undefined : this.#live([Item])[0];
  }

  #live(items: readonly DocumentItem[]): IndexedOrder[] {
    const now = epochSeconds(this.#now());
    return items.flatMap((item) => {
      const order = Number(item.expiresAt) > now ? orderOf(item) : undefined;
      return order === undefined ? [] : [order];
    });
  }
}
