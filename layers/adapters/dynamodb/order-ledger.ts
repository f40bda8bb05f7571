import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeferredSms, LedgerStatus, OrderLedger } from '#core/ports.js';
import { queryDue } from './query-due.js';

/**
 * How far an order has got. DELAYED is not a step: it may come at any point before delivery and leaves
 * the step as it was. CANCELLED ends the order: nothing after it sends anything.
 */
const RANK: Readonly<Record<Exclude<LedgerStatus, 'DELAYED'>, number>> = {
  PLACED: 0,
  PACKED: 1,
  SHIPPED: 2,
  OUT_FOR_DELIVERY: 3,
  DELIVERED: 4,
  CANCELLED: 9,
};
const STATUS_OF_RANK = new Map(Object.entries(RANK).map(([status, rank]) => [rank, status as LedgerStatus]));

/** A sweep that dies mid-send leaves its claim; another may take the SMS after this. */
const LEASE_SECONDS = 120;
/** A deferred SMS nobody released (the sweeper was down for days) is forgotten after this. */
const DEFERRED_KEEP_SECONDS = 2 * 86_400;

const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * The notification ledger on DynamoDB: per-order status (`order#<id>`), deferred SMS
 * (`deferred#<order>#<status>`, in the sparse `deferred-by-time` index) and daily part counts
 * (`daily#<day>`), next to the Powertools idempotency records. Every item expires with the TTL.
 */
export class DynamoOrderLedger implements OrderLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private expiration(): number {
    return epoch(this.now()) + this.retentionDays * 86_400;
  }

  async claimOnce(key: string, at: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { id: `once#${key}`, at: at.toISOString(), expiration: this.expiration() },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async advance(
    orderId: string,
    status: LedgerStatus,
    at: Date,
  ): Promise<{ advanced: true } | { advanced: false; current: LedgerStatus }> {
    const values: Record<string, unknown> = {
      ':status': status,
      ':at': at.toISOString(),
      ':expiration': this.expiration(),
    };
    let update = 'SET #lastStatus = :status, #lastAt = :at, #expiration = :expiration';
    let condition: string;
    // `#lastStatus = :status` lets a retry of the same fact through: the idempotency layer already makes
    // sure only one run of a fact completes, and a run that failed half-way must be able to finish.
    if (status === 'DELAYED' || status === 'CANCELLED') {
      // Both are possible at any step before delivery, and neither after delivery or cancellation.
      values[':delivered'] = RANK.DELIVERED;
      condition = 'attribute_not_exists(id) OR #rank < :delivered OR #lastStatus = :status';
      values[':rank'] = status === 'CANCELLED' ? RANK.CANCELLED : RANK.PLACED;
      update += status === 'CANCELLED' ? ', #rank = :rank' : ', #rank = if_not_exists(#rank, :rank)';
    } else {
      values[':rank'] = RANK[status];
      condition = 'attribute_not_exists(id) OR #rank < :rank OR #lastStatus = :status';
      update += ', #rank = :rank';
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: `order#${orderId}` },
          UpdateExpression: update,
          ConditionExpression: condition,
          // Every name aliased: DynamoDB reserves hundreds of words, `rank` among them.
          ExpressionAttributeNames: {
            '#rank': 'rank',
            '#lastStatus': 'lastStatus',
            '#lastAt': 'lastAt',
            '#expiration': 'expiration',
          },
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { advanced: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const rank = Number(error.Item?.rank?.N ?? 0);
      const current = STATUS_OF_RANK.get(rank) ?? 'PLACED';
      return {
        advanced: false,
        current: status === 'DELAYED' && rank < RANK.DELIVERED ? 'DELAYED' : current,
      };
    }
  }

  async defer(sms: DeferredSms): Promise<void> {
    const sendAt = epoch(sms.sendAt);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          id: `deferred#${sms.id}`,
          deferred: 'SMS',
          sendAt,
          smsId: sms.id,
          to: sms.to,
          body: sms.body,
          kind: sms.kind,
          segments: sms.segments,
          encoding: sms.encoding,
          ...(sms.orderId ? { orderId: sms.orderId } : {}),
          ...(sms.cartId ? { cartId: sms.cartId } : {}),
          // The phone is kept only until the SMS goes (or, at the latest, two days after it was due).
          expiration: sendAt + DEFERRED_KEEP_SECONDS,
        },
      }),
    );
  }

  async dueDeferred(now: Date, limit: number): Promise<DeferredSms[]> {
    const Items = await queryDue(this.client, {
      tableName: this.tableName,
      indexName: 'deferred-by-time',
      partition: { name: 'deferred', value: 'SMS' },
      sortKey: { name: 'sendAt', upTo: epoch(now) },
      limit,
    });
    return Items.map((item) => ({
      id: String(item.smsId),
      sendAt: new Date(Number(item.sendAt) * 1000),
      to: String(item.to),
      body: String(item.body),
      kind: String(item.kind),
      segments: Number(item.segments),
      encoding: item.encoding === 'UCS-2' ? 'UCS-2' : 'GSM-7',
      ...(item.orderId ? { orderId: String(item.orderId) } : {}),
      ...(item.cartId ? { cartId: String(item.cartId) } : {}),
    }));
  }

  async claimDeferred(id: string, now: Date): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: `deferred#${id}` },
          UpdateExpression: 'SET #lease = :until',
          ConditionExpression: 'attribute_exists(id) AND (attribute_not_exists(#lease) OR #lease < :now)',
          ExpressionAttributeNames: { '#lease': 'leaseUntil' },
          ExpressionAttributeValues: { ':until': epoch(now) + LEASE_SECONDS, ':now': epoch(now) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async completeDeferred(id: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { id: `deferred#${id}` } }));
  }

  async addDailySegments(day: string, segments: number): Promise<number> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { id: `daily#${day}` },
        UpdateExpression: 'ADD #segments :n SET #expiration = if_not_exists(#expiration, :expiration)',
        ExpressionAttributeNames: { '#segments': 'segments', '#expiration': 'expiration' },
        ExpressionAttributeValues: { ':n': segments, ':expiration': this.expiration() },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.segments ?? segments);
  }
}
