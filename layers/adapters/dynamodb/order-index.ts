import {
  DeleteCommand,
  type DocumentClient,
  isConditionalCheckFailed,
  UpdateCommand,
} from './document-client.js';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  epochSeconds,
  FILLABLE_DETAILS,
  type FillableDetail,
  indexTime,
  isFinal,
  missingDetails,
  ordersBeyondKept,
} from '#core/orders/order-index.js';
import { FINAL_STATUSES, type IndexedOrder, type OrderIndex } from '#core/orders/types.js';
import type { PhoneHashKey } from '#adapters/secrets/phone-hash-key.js';
import type { DocumentReads } from './document-reads.js';
import {
  itemsOfPhone,
  namesIn,
  orderOf,
  OrderIndexReader,
  type OrderIndexReaderOptions,
  phoneKeyOf,
} from './order-index-reader.js';
import { documentReads } from './document-reads.js';

export interface DynamoOrderIndexOptions extends OrderIndexReaderOptions {
  /** Orders kept per phone (`orderStatus.maxOrdersPerPhone`): older ones are deleted when a new one arrives. */
  readonly maxOrdersPerPhone: number;
}

const FINAL_PLACEHOLDERS = [...FINAL_STATUSES].map((_, i) => `:final${i}`);
const FINAL_VALUES = Object.fromEntries([...FINAL_STATUSES].map((status, i) => [`:final${i}`, status]));

/** Attempts of one `record` when another writer changes the item between its two updates. */
const MAX_RECORD_ATTEMPTS = 3;

/**
 * The order index on DynamoDB: one item per (phone, order), the phone as `keyedPhoneHash` (HMAC under the
 * secret phone-hash key of the core's digest), so a table export can be neither read nor enumerated.
 *
 * `record` is one conditional UpdateItem in the common case (a newer status, or a new order), two for an
 * event that changes no status but brings a detail the item lacks, and a Query (+ a DeleteItem per order
 * beyond the cap) when an order is new to the phone.
 */
export class DynamoOrderIndex implements OrderIndex {
  readonly #key: PhoneHashKey;
  readonly #max: number;
  readonly #reads: DocumentReads;
  /** The reads, as the order lookup makes them without the SDK (order-index-reader.ts). */
  readonly #reader: OrderIndexReader;

  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
    options: DynamoOrderIndexOptions,
  ) {
    this.#key = options.key;
    this.#max = options.maxOrdersPerPhone;
    this.#reads = documentReads(client);
    this.#reader = new OrderIndexReader(this.#reads, tableName, options);
  }

  #phoneKey(digest: string): Promise<string> {
    return phoneKeyOf(this.#key, digest);
  }

  async record(phoneDigest: string, order: IndexedOrder, expiresAt: Date): Promise<'recorded' | 'stale'> {
    const phoneKey = await this.#phoneKey(phoneDigest);
    // UTC, one fixed form: the condition below compares times as text.
    const incoming: IndexedOrder = { ...order, changedAt: indexTime(order.changedAt) };
    const expiry = epochSeconds(expiresAt);
    for (let attempt = 1; ; attempt += 1) {
      const applied = await this.#apply(phoneKey, incoming, expiry);
      if (applied.outcome === 'new') return (await this.#prune(phoneKey, incoming)) ? 'recorded' : 'stale';
      if (applied.outcome === 'superseded') return 'recorded';
      if (await this.#fill(phoneKey, applied.kept, incoming, expiry)) return 'stale';
      if (attempt >= MAX_RECORD_ATTEMPTS) {
        throw new Error(`order ${order.orderId} changed under ${MAX_RECORD_ATTEMPTS} attempts to index it`);
      }
    }
  }

  /**
   * The status, written only when the item is new or the event supersedes it (`supersedes` in the core,
   * as a condition): the kept order neither delivered nor cancelled, and the event newer than the kept
   * change or the order's end.
   * Details the event does not repeat stay; the reason goes with the status it came with.
   */
  async #apply(
    phoneKey: string,
    order: IndexedOrder,
    expiry: number,
  ): Promise<
    | { outcome: 'new' }
    | { outcome: 'superseded' }
    | { outcome: 'refused'; kept: { order: IndexedOrder; expiresAt: number } | undefined }
  > {
    const set = ['status', 'changedAt', 'language', 'timeZone', 'smsConsent', 'expiresAt'];
    const values: Record<string, unknown> = {
      ':status': order.status,
      ':changedAt': order.changedAt,
      ':language': order.language,
      ':timeZone': order.timeZone,
      ':smsConsent': order.smsConsent,
      ':expiresAt': expiry,
    };
    for (const name of [...FILLABLE_DETAILS, 'reason'] as const) {
      const value = order[name];
      if (value === undefined) continue;
      set.push(name);
      values[`:${name}`] = value;
    }
    const update =
      `SET ${set.map((name) => `#${name} = :${name}`).join(', ')}` +
      (order.reason === undefined ? ' REMOVE #reason' : '');
    // An order's end supersedes any status in progress whatever its time; any other status only a older one.
    const newer = isFinal(order.status) ? '' : '#changedAt < :changedAt AND ';
    const condition = `attribute_not_exists(#phoneKey) OR (${newer}NOT (#status IN (${FINAL_PLACEHOLDERS.join(', ')})))`;
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { phoneKey, orderId: order.orderId },
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: namesIn(update, condition),
          ExpressionAttributeValues: { ...values, ...FINAL_VALUES },
          // No old values: the item did not exist, the order is new to the phone.
          ReturnValues: 'UPDATED_OLD',
          // A refusal brings the kept item back, so a stale event costs no extra read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return Attributes === undefined ? { outcome: 'new' } : { outcome: 'superseded' };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const item =
        error.Item === undefined ? undefined : unmarshall(error.Item as Parameters<typeof unmarshall>[0]);
      const kept = item === undefined ? undefined : orderOf(item);
      return {
        outcome: 'refused',
        kept: kept === undefined ? undefined : { order: kept, expiresAt: Number(item?.expiresAt ?? 0) },
      };
    }
  }

  /**
   * An event that changes no status (older, a duplicate, or about a delivered or cancelled order) may still
   * bring what the item lacks: the tracking link of a SHIPPED that arrived after its OUT_FOR_DELIVERY is
   * the link the caller wants. A second update, because one expression cannot both write the status under
   * a condition and fill details whatever the condition says; `if_not_exists` keeps it from overwriting a
   * detail another writer added meanwhile, and the expiry only ever moves forward. False when the item
   * changed under it (the caller tries again).
   */
  async #fill(
    phoneKey: string,
    kept: { order: IndexedOrder; expiresAt: number } | undefined,
    incoming: IndexedOrder,
    expiry: number,
  ): Promise<boolean> {
    // Gone between the two calls (TTL, pruning): the next attempt writes it as new.
    if (kept === undefined) return false;
    const filled = missingDetails(kept.order, incoming);
    const later = expiry > kept.expiresAt;
    const names = Object.keys(filled) as FillableDetail[];
    if (names.length === 0 && !later) return true;
    const set = names.map((name) => `#${name} = if_not_exists(#${name}, :${name})`);
    const values: Record<string, unknown> = Object.fromEntries(
      names.map((name) => [`:${name}`, filled[name]]),
    );
    let condition = 'attribute_exists(#phoneKey)';
    if (later) {
      set.push('#expiresAt = :expiresAt');
      values[':expiresAt'] = expiry;
      condition += ' AND #expiresAt < :expiresAt';
    }
    const update = `SET ${set.join(', ')}`;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { phoneKey, orderId: incoming.orderId },
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: namesIn(update, condition),
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /**
   * A new order of the phone: the orders beyond the `maxOrdersPerPhone` most recently changed are deleted,
   * each only if it has not changed since it was read. False when the new order is itself the oldest, and
   * so not kept.
   */
  async #prune(phoneKey: string, order: IndexedOrder): Promise<boolean> {
    const keys = await this.#query(phoneKey, '#orderId, #changedAt', true);
    const listed = keys.flatMap((item) =>
      typeof item.orderId === 'string' && typeof item.changedAt === 'string'
        ? [{ orderId: item.orderId, changedAt: item.changedAt }]
        : [],
    );
    const dropped = ordersBeyondKept(listed, this.#max);
    for (const old of dropped) {
      try {
        await this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { phoneKey, orderId: old.orderId },
            ConditionExpression: '#changedAt = :changedAt',
            ExpressionAttributeNames: { '#changedAt': 'changedAt' },
            ExpressionAttributeValues: { ':changedAt': old.changedAt },
          }),
        );
      } catch (error) {
        // It changed since the Query: it is recent again, and stays.
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
    return !dropped.some((old) => old.orderId === order.orderId);
  }

  #query(phoneKey: string, projection: string, consistent: boolean): Promise<Record<string, unknown>[]> {
    return itemsOfPhone(this.#reads, this.tableName, phoneKey, projection, consistent);
  }

  recent(phoneDigest: string): Promise<readonly IndexedOrder[]> {
    return this.#reader.recent(phoneDigest);
  }

  get(phoneDigest: string, orderId: string): Promise<IndexedOrder | undefined> {
    return this.#reader.get(phoneDigest, orderId);
  }
}
