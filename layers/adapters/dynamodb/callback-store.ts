import {
  DeleteCommand,
  type DocumentClient,
  GetCommand,
  isConditionalCheckFailed,
  isTransactionCanceled,
  PutCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from './document-client.js';
import { CALLBACK_STATES, type Callback, type CallbackState } from '#core/callbacks/callback.js';
import {
  type AddResult,
  type CallbackStore,
  type MarkerChange,
  mayStillAct,
  type Tombstone,
} from '#core/callbacks/store.js';
import { queryDue } from './query-due.js';

/** The sparse index's partition value: on every callback the sweeper still has something to do with. */
const PENDING = 'CALLBACK';
const DUE_INDEX = 'due';
/** `add` tries again when DynamoDB cancels the transaction for a concurrent one (not a condition). */
const ADD_ATTEMPTS = 3;

type Item = Record<string, unknown>;

export const callbackKey = (cartId: string) => ({ pk: `cart#${cartId}` });
export const customerMarkerKey = (customerId: string) => ({ pk: `customer#${customerId}` });
/** Not `cart#…`: the scan of callbacks (`list`) must not meet it. */
export const tombstoneKey = (cartId: string) => ({ pk: `ordered-cart#${cartId}` });

/** Rounded up, so the TTL never deletes an item before its time. */
const epochSeconds = (ms: number): number => Math.ceil(ms / 1000);

/**
 * Cart callbacks on DynamoDB (see TABLES.callbacks): one item per cart (`cart#<cartId>`), one marker
 * per customer (`customer#<customerId>`) holding the cart whose callback counts for the customer's
 * "one per `perCustomerHours`", and one tombstone per ordered cart (`ordered-cart#<cartId>`).
 *
 * - While the sweeper has something to do with a callback (wait, retry, announce its end), it carries
 *   `pending`, which puts it in the sparse `due` index by `dueAt` (epoch milliseconds).
 * - Every write is conditional on the version read, so the sweepers and the OrderPlaced consumer never
 *   overwrite each other; the loser is told and re-reads.
 * - A write that leaves a callback able to act (scheduled, postponed, claimed, released) is a transaction
 *   with a ConditionCheck that the cart has no tombstone, so an OrderPlaced processed at any moment
 *   before it is honoured; the OrderPlaced writes the tombstone and the callback's end in one transaction.
 * - The TTL (`expiresAt`, epoch seconds) is the callback's `retainUntil`: well after it could still be
 *   made while it waits, the retention after its end once settled (when the phone is also removed). The
 *   offer's own expiry is `staleAt`. A marker's TTL is its end.
 */
export class DynamoCallbackStore implements CallbackStore {
  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
  ) {}

  async add(callback: Callback, markerUntil: Date, now: Date): Promise<AddResult> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: toItem(callback),
                  // A callback past its retention but not yet deleted by TTL (lazy, up to days) is gone.
                  ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt < :nowSeconds',
                  ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
                  ExpressionAttributeValues: { ':nowSeconds': Math.floor(now.getTime() / 1000) },
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: markerItem(callback.customer.customerId, callback.cartId, markerUntil),
                  ConditionExpression: 'attribute_not_exists(pk) OR #until <= :now',
                  ExpressionAttributeNames: { '#until': 'until' },
                  ExpressionAttributeValues: { ':now': now.getTime() },
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              },
              this.noTombstone(callback.cartId),
            ],
          }),
        );
        return { added: true };
      } catch (error) {
        if (!isTransactionCanceled(error)) throw error;
        const [cart, marker, tombstone] = error.CancellationReasons ?? [];
        if (tombstone?.Code === 'ConditionalCheckFailed') {
          const orderId = attributeString(tombstone.Item?.orderId);
          return { added: false, conflict: 'ordered', ...(orderId === undefined ? {} : { orderId }) };
        }
        if (cart?.Code === 'ConditionalCheckFailed') {
          const existing = await this.get(callback.cartId);
          if (existing !== undefined) return { added: false, conflict: 'cart', existing };
        } else if (marker?.Code === 'ConditionalCheckFailed') {
          const cartId = attributeString(marker.Item?.cartId);
          return { added: false, conflict: 'customer', ...(cartId === undefined ? {} : { cartId }) };
        }
        // A concurrent transaction on the same items (TransactionConflict), or the cart deleted by TTL
        // between the two reads: the next attempt sees where things stand.
        if (attempt >= ADD_ATTEMPTS) throw error;
      }
    }
  }

  async tombstoneOf(cartId: string): Promise<Tombstone | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: tombstoneKey(cartId), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    return {
      cartId,
      orderId: String(Item.orderId),
      orderedAt: String(Item.orderedAt),
      retainUntil: String(Item.retainUntil),
    };
  }

  async get(cartId: string): Promise<Callback | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: callbackKey(cartId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : fromItem(Item);
  }

  /**
   * Every callback still kept, newest abandonment first, at most `limit`: the local stack's `/api/callbacks`
   * and ops' look at the table. A scan, so not for the hot path.
   */
  async list(limit: number): Promise<Callback[]> {
    const callbacks: Callback[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'begins_with(pk, :cart)',
          ExpressionAttributeValues: { ':cart': 'cart#' },
          ExclusiveStartKey: startKey,
        }),
      );
      callbacks.push(...(page.Items ?? []).map(fromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return callbacks.sort((a, b) => b.abandonedAt.localeCompare(a.abandonedAt)).slice(0, limit);
  }

  async due(now: Date, limit: number): Promise<Callback[]> {
    const items = await queryDue(this.client, {
      tableName: this.tableName,
      indexName: DUE_INDEX,
      partition: { name: 'pending', value: PENDING },
      sortKey: { name: 'dueAt', upTo: now.getTime() },
      limit,
    });
    // The index is eventually consistent: what it shows may be a version behind, which the version
    // check of the next write catches.
    return items.map(fromItem);
  }

  async replace(
    seen: Callback,
    next: Callback,
    marker?: MarkerChange,
    now: Date = new Date(),
  ): Promise<boolean> {
    if (next.cartId !== seen.cartId || next.version !== seen.version + 1) {
      throw new RangeError(
        `A callback replaces version ${seen.version} of its own cart with version ${seen.version + 1}; got cart ${next.cartId} version ${next.version}.`,
      );
    }
    const put = {
      TableName: this.tableName,
      Item: toItem(next),
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':version': seen.version },
    };
    try {
      if (mayStillAct(next)) {
        // One condition for both: an OrderPlaced processed before this write, however shortly, wins.
        await this.client.send(
          new TransactWriteCommand({ TransactItems: [{ Put: put }, this.noTombstone(seen.cartId)] }),
        );
      } else {
        await this.client.send(new PutCommand(put));
      }
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      // Refused by a condition, or by a concurrent transaction on the same items: either way another
      // writer came first, and the caller re-reads.
      if (isTransactionCanceled(error)) return false;
      throw error;
    }
    if (marker !== undefined) await this.changeMarker(seen, marker, now);
    return true;
  }

  async cancel(
    tombstone: Tombstone,
    write?: { readonly seen: Callback; readonly next: Callback; readonly marker?: MarkerChange },
    now: Date = new Date(),
  ): Promise<boolean> {
    const update = this.tombstoneUpdate(tombstone);
    if (write === undefined) {
      await this.client.send(new UpdateCommand(update));
      return true;
    }
    if (write.next.cartId !== tombstone.cartId || write.next.version !== write.seen.version + 1) {
      throw new RangeError(`A cancellation replaces version ${write.seen.version} of its own cart.`);
    }
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: update },
            {
              Put: {
                TableName: this.tableName,
                Item: toItem(write.next),
                ConditionExpression: '#version = :version',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': write.seen.version },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (isTransactionCanceled(error)) return false;
      throw error;
    }
    if (write.marker !== undefined) await this.changeMarker(write.seen, write.marker, now);
    return true;
  }

  /** The transaction item that refuses a write while the cart has a tombstone. */
  private noTombstone(cartId: string) {
    return {
      ConditionCheck: {
        TableName: this.tableName,
        Key: tombstoneKey(cartId),
        // Honoured while it is there, also past its TTL: a late tombstone only ever stops a callback.
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    };
  }

  /** Idempotent: the first order's tombstone stays as it is, whoever writes it again. */
  private tombstoneUpdate(tombstone: Tombstone) {
    return {
      TableName: this.tableName,
      Key: tombstoneKey(tombstone.cartId),
      UpdateExpression:
        'SET #kind = :kind, #orderId = if_not_exists(#orderId, :orderId), #orderedAt = if_not_exists(#orderedAt, :orderedAt), #retainUntil = if_not_exists(#retainUntil, :retainUntil), #expiresAt = if_not_exists(#expiresAt, :ttl)',
      ExpressionAttributeNames: {
        '#kind': 'kind',
        '#orderId': 'orderId',
        '#orderedAt': 'orderedAt',
        '#retainUntil': 'retainUntil',
        '#expiresAt': 'expiresAt',
      },
      ExpressionAttributeValues: {
        ':kind': TOMBSTONE_KIND,
        ':orderId': tombstone.orderId,
        ':orderedAt': tombstone.orderedAt,
        ':retainUntil': tombstone.retainUntil,
        ':ttl': epochSeconds(msOf(tombstone.retainUntil, 'tombstone retainUntil')),
      },
    };
  }

  /**
   * Only a marker held by this cart, expired, or absent is touched: another cart's live marker is that
   * cart's. Best effort after the callback's own write: losing it costs at most one extra callback.
   */
  private async changeMarker(callback: Callback, change: MarkerChange, now: Date): Promise<void> {
    const key = customerMarkerKey(callback.customer.customerId);
    try {
      if (change.kind === 'release') {
        await this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: key,
            ConditionExpression: '#cartId = :cartId',
            ExpressionAttributeNames: { '#cartId': 'cartId' },
            ExpressionAttributeValues: { ':cartId': callback.cartId },
          }),
        );
        return;
      }
      const until = change.until.getTime();
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #cartId = :cartId, #until = :until, #kind = :kind, #expiresAt = :ttl',
          // Never shortening its own marker: a postponement after the call would not undo the call.
          ConditionExpression:
            'attribute_not_exists(pk) OR #until <= :now OR (#cartId = :cartId AND #until < :until)',
          ExpressionAttributeNames: {
            '#cartId': 'cartId',
            '#until': 'until',
            '#kind': 'kind',
            '#expiresAt': 'expiresAt',
          },
          ExpressionAttributeValues: {
            ':cartId': callback.cartId,
            ':until': until,
            ':kind': MARKER_KIND,
            ':ttl': epochSeconds(until),
            ':now': now.getTime(),
          },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}

const CALLBACK_KIND = 'callback';
const MARKER_KIND = 'customer-marker';
const TOMBSTONE_KIND = 'cart-tombstone';

const markerItem = (customerId: string, cartId: string, until: Date): Item => ({
  ...customerMarkerKey(customerId),
  kind: MARKER_KIND,
  cartId,
  until: until.getTime(),
  expiresAt: epochSeconds(until.getTime()),
});

/** A string attribute as the document client gives it, or raw (cancellation reasons are not unmarshalled). */
const attributeString = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  const raw = (value as { S?: unknown } | undefined)?.S;
  return typeof raw === 'string' ? raw : undefined;
};

const msOf = (iso: string, what: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`The callback's ${what} is not a date: ${JSON.stringify(iso)}.`);
  return ms;
};

const toItem = (callback: Callback): Item => {
  const { dueAt, expiresAt, pending, retainUntil, ...rest } = callback;
  return {
    ...callbackKey(callback.cartId),
    kind: CALLBACK_KIND,
    ...rest,
    ...(pending ? { pending: PENDING } : {}),
    dueAt: msOf(dueAt, 'dueAt'),
    staleAt: expiresAt,
    retainUntil,
    expiresAt: epochSeconds(msOf(retainUntil, 'retainUntil')),
  };
};

const fromItem = (item: Item): Callback => {
  const { pk: _pk, kind: _kind, pending, dueAt, staleAt, expiresAt: _ttl, ...rest } = item;
  if (!CALLBACK_STATES.includes(rest.state as CallbackState) || typeof dueAt !== 'number') {
    throw new Error(
      `The callback item ${JSON.stringify(item.pk)} is malformed (state ${String(rest.state)}).`,
    );
  }
  return {
    ...(rest as Omit<Callback, 'dueAt' | 'expiresAt' | 'pending'>),
    pending: pending === PENDING,
    dueAt: new Date(dueAt).toISOString(),
    expiresAt: String(staleAt),
  };
};
