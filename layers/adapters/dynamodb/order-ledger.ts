import { randomUUID } from 'node:crypto';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DocumentClient,
  GetCommand,
  isConditionalCheckFailed,
  isTransactionCanceled,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from './document-client.js';
import type {
  DeferredSms,
  LedgerStatus,
  OrderLedger,
  OrderSmsState,
  PendingAnnouncement,
  SmsAttempt,
  SmsAttemptState,
  SmsAttemptView,
  SmsClaimResult,
  SmsOutcomeRecord,
} from '#core/ports.js';
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

/** A sweep that dies mid-send leaves its claim on the deferred SMS; another may look at it after this. */
const DEFERRED_KEEP_SECONDS = 2 * 86_400;
/**
 * The sparse index the release sweeper reads. Deferred SMS sit in its `SMS` partition by release time;
 * outcomes recorded but not announced sit in its `ANNOUNCE` partition by the time they were recorded,
 * so the same minute sweeper drains both (one index, one grant).
 */
const DUE_INDEX = 'deferred-by-time';
const DEFERRED = 'SMS';
const ANNOUNCE = 'ANNOUNCE';

const epoch = (date: Date) => Math.floor(date.getTime() / 1000);
/** The attribute of the order item that holds one attempt. */
const attemptAttribute = (key: string) => `sms#${key}`;
const outcomeId = (orderId: string, key: string) => `outcome#${orderId}#${key}`;

type Item = Record<string, unknown>;

/**
 * Every conditional write of this ledger carries a fence: a token of its own, written with it. When the
 * answer to a write that DynamoDB carried out is lost (a timeout, a dropped connection) the SDK sends it
 * again, and the repeat fails its own condition; the token in the item as it now stands tells "my own
 * write, already done" from "another run's", so a lost answer never turns a claim into a refusal (which
 * would leave the SMS claimed by nobody: never sent, never marked unknown).
 */
const fence = (): string => randomUUID();

/** The item a failed condition returns (ReturnValuesOnConditionCheckFailure: ALL_OLD), plain. */
const oldItemOf = (error: { readonly Item?: Record<string, unknown> }): Item | undefined =>
  error.Item ? unmarshall(error.Item as Parameters<typeof unmarshall>[0]) : undefined;

/** The fence of one attempt of the order item: whose write it was. */
const attemptFence = (item: Item | undefined, key: string): unknown =>
  (item?.[attemptAttribute(key)] as { t?: unknown } | undefined)?.t;

const attemptOf = (item: Item | undefined, key: string) => {
  const attempt = item?.[attemptAttribute(key)] as { s?: string; lease?: number; t?: unknown } | undefined;
  if (!attempt?.s) return undefined;
  return {
    state: attempt.s as SmsAttemptState,
    ...(attempt.s === 'unknown' && typeof attempt.t === 'string' ? { markedBy: attempt.t } : {}),
    ...(attempt.lease !== undefined ? { leaseUntil: new Date(Number(attempt.lease) * 1000) } : {}),
  };
};

/** Whether another SMS of the order (not `key`) still waits for the end of quiet hours. */
const heldOvernight = (item: Item | undefined, key: string): boolean =>
  Object.entries(item ?? {}).some(
    ([name, value]) =>
      name.startsWith('sms#') &&
      name !== attemptAttribute(key) &&
      (value as { s?: string } | undefined)?.s === 'deferred',
  );

const currentOf = (item: Item | undefined): LedgerStatus | undefined =>
  item?.rank === undefined ? undefined : STATUS_OF_RANK.get(Number(item.rank));

/**
 * The notification ledger on DynamoDB. Per order, one item (`order#<id>`): the step it stands at, and one
 * attribute per SMS attempt (`sms#<status>`, `sms#DELAYED@<estimate>`) with its state and lease; the
 * claim of an attempt and the advance of the status are one conditional write. Beside it: the outcome of
 * each attempt (`outcome#<order>#<key>`, with its messageId), deferred SMS (`deferred#<order>#<key>`) and
 * daily part counts (`daily#<day>`). Every item expires with the TTL.
 */
export class DynamoOrderLedger implements OrderLedger {
  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private expiration(): number {
    return epoch(this.now()) + this.retentionDays * 86_400;
  }

  async claimOnce(key: string, at: Date): Promise<boolean> {
    const token = fence();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { id: `once#${key}`, at: at.toISOString(), expiration: this.expiration(), t: token },
          ConditionExpression: 'attribute_not_exists(id)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // Our own put, met by the SDK's retry after its answer was lost: the claim is ours.
      return oldItemOf(error)?.t === token;
    }
  }

  async releaseOnce(key: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { id: `once#${key}` } }));
  }

  /** The conditional update that claims an attempt and advances the order: shared by both claims. */
  private claimUpdate(
    attempt: SmsAttempt,
    options: { leaseUntil: Date; maxDelayUpdates: number; defer?: DeferredSms },
    token: string,
  ) {
    const names: Record<string, string> = {
      '#rank': 'rank',
      '#expiration': 'expiration',
      '#att': attemptAttribute(attempt.key),
      '#s': 's',
    };
    const values: Record<string, unknown> = {
      ':expiration': this.expiration(),
      ':attempt': {
        s: options.defer ? 'deferred' : 'claimed',
        at: attempt.at.toISOString(),
        t: token,
        ...(options.defer ? {} : { lease: epoch(options.leaseUntil) }),
      },
      ':released': 'released',
    };
    let update = 'SET #expiration = :expiration, #att = :attempt';
    let condition: string;
    if (attempt.status === 'DELAYED') {
      // Not a step: once per estimate, while neither delivered nor cancelled, at most maxDelayUpdates.
      names['#delays'] = 'delays';
      names['#lastDelay'] = 'lastDelay';
      values[':delivered'] = RANK.DELIVERED;
      values[':placed'] = RANK.PLACED;
      values[':maxDelays'] = options.maxDelayUpdates;
      values[':one'] = 1;
      values[':key'] = attempt.key;
      update += ', #rank = if_not_exists(#rank, :placed), #lastDelay = :key ADD #delays :one';
      condition =
        '(attribute_not_exists(id) OR #rank < :delivered) AND (attribute_not_exists(#att) OR #att.#s = :released) AND (attribute_not_exists(#delays) OR #delays < :maxDelays)';
    } else {
      // The rank alone says the status (STATUS_OF_RANK), and the attempt its time: the claim writes nothing
      // else, as DynamoDB's work per claim grows with its expression (issue 16: the status and time written
      // again beside them cost DynamoDB Local about 14% more CPU per claim, and nothing read them).
      values[':rank'] = RANK[attempt.status];
      update += ', #rank = :rank';
      // A step moves the order forward, or retries its own released attempt (the step still the latest:
      // the rank only grows). CANCELLED is possible at any step before delivery.
      const forward =
        attempt.status === 'CANCELLED'
          ? ((values[':delivered'] = RANK.DELIVERED), '#rank < :delivered')
          : '#rank < :rank';
      condition = `attribute_not_exists(id) OR ${forward} OR (#rank = :rank AND #att.#s = :released)`;
    }
    return {
      TableName: this.tableName,
      Key: { id: `order#${attempt.orderId}` },
      UpdateExpression: update,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  private refused(attempt: SmsAttempt, item: Item | undefined): SmsClaimResult {
    const state = attemptOf(item, attempt.key);
    return {
      claimed: false,
      current: currentOf(item) ?? 'PLACED',
      ...(state ? { attempt: state } : {}),
      delayUpdates: Number(item?.delays ?? 0),
    };
  }

  async claim(
    attempt: SmsAttempt,
    options: { leaseUntil: Date; maxDelayUpdates: number; defer?: DeferredSms },
  ): Promise<SmsClaimResult> {
    const token = fence();
    const update = this.claimUpdate(attempt, options, token);
    if (options.defer) {
      // The claim and the held SMS together or not at all: a deferred attempt without its SMS would be lost.
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Update: { ...update, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
              { Put: { TableName: this.tableName, Item: this.deferredItem(options.defer, attempt) } },
            ],
          }),
        );
        return { claimed: true, behindDeferred: false };
      } catch (error) {
        if (!isTransactionCanceled(error)) throw error;
        const reason = error.CancellationReasons?.[0];
        if (reason?.Code !== 'ConditionalCheckFailed') throw error;
        const item = reason.Item
          ? unmarshall(reason.Item as Parameters<typeof unmarshall>[0])
          : await this.orderItem(attempt.orderId);
        // Our own transaction, carried out before its answer was lost: the claim and the held SMS are ours.
        if (attemptFence(item, attempt.key) === token) return { claimed: true, behindDeferred: false };
        return this.refused(attempt, item);
      }
    }
    try {
      // The old item, free with the write: it says whether an SMS of this order is still held overnight.
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          ...update,
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claimed: true, behindDeferred: heldOvernight(Attributes, attempt.key) };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const item = oldItemOf(error) ?? (await this.orderItem(attempt.orderId));
      // Our own write, carried out before its answer was lost and met by the SDK's retry: the claim is ours.
      if (attemptFence(item, attempt.key) === token) {
        return { claimed: true, behindDeferred: heldOvernight(item, attempt.key) };
      }
      return this.refused(attempt, item);
    }
  }

  private async orderItem(orderId: string): Promise<Item | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { id: `order#${orderId}` }, ConsistentRead: true }),
    );
    return Item;
  }

  async releaseClaim(attempt: SmsAttempt): Promise<void> {
    const names: Record<string, string> = { '#att': attemptAttribute(attempt.key), '#s': 's' };
    const values: Record<string, unknown> = { ':released': 'released', ':claimed': 'claimed' };
    let update = 'SET #att.#s = :released';
    if (attempt.status === 'DELAYED') {
      // A DELAYED given back does not count against maxDelayUpdates.
      names['#delays'] = 'delays';
      values[':minusOne'] = -1;
      update += ' ADD #delays :minusOne';
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: `order#${attempt.orderId}` },
          UpdateExpression: update,
          ConditionExpression: '#att.#s = :claimed',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      // Already marked unknown by another run: it stays so (nothing is resent after doubt).
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async deferClaimed(attempt: SmsAttempt, sms: DeferredSms): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: { id: `order#${attempt.orderId}` },
              UpdateExpression: 'SET #att.#s = :deferred REMOVE #att.#lease',
              ConditionExpression: '#att.#s = :claimed',
              ExpressionAttributeNames: {
                '#att': attemptAttribute(attempt.key),
                '#s': 's',
                '#lease': 'lease',
              },
              ExpressionAttributeValues: { ':deferred': 'deferred', ':claimed': 'claimed' },
            },
          },
          { Put: { TableName: this.tableName, Item: this.deferredItem(sms, attempt) } },
        ],
      }),
    );
  }

  async markUnknown(orderId: string, key: string, now: Date, markedBy: string): Promise<boolean> {
    // The mark's fence is the caller's delivery, not a token of this call: if every try of this call
    // fails after one of them was carried out, the retry of the delivery still knows the mark as its own.
    const token = markedBy;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: `order#${orderId}` },
          UpdateExpression: 'SET #att.#s = :unknown, #att.#t = :token',
          // The lease is over when its second has begun (the core's `leaseUntil <= now`, in whole seconds).
          ConditionExpression: '#att.#s = :claimed AND #att.#lease <= :now',
          ExpressionAttributeNames: {
            '#att': attemptAttribute(key),
            '#s': 's',
            '#lease': 'lease',
            '#t': 't',
          },
          ExpressionAttributeValues: {
            ':unknown': 'unknown',
            ':claimed': 'claimed',
            ':now': epoch(now),
            ':token': token,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // Marked by this very call, whose first answer was lost: it is ours to count.
      return attemptFence(oldItemOf(error) ?? (await this.orderItem(orderId)), key) === token;
    }
  }

  /** What every outcome item holds: whose attempt it ends, how, and when it expires. */
  private outcomeBase(outcome: SmsOutcomeRecord): Item {
    return {
      id: outcomeId(outcome.orderId, outcome.key),
      orderId: outcome.orderId,
      key: outcome.key,
      outcome: outcome.outcome,
      detailType: outcome.detailType,
      expiration: this.expiration(),
    };
  }

  /**
   * A settled outcome: the attempt's end, and what a reader of the ledger would ask of it (the SNS
   * messageId of a sent SMS), not the fact itself, which is on the bus and in the facts table. Small, as
   * it is written for every SMS.
   */
  private settledItem(outcome: SmsOutcomeRecord): Item {
    const messageId = outcome.detail.messageId;
    return { ...this.outcomeBase(outcome), ...(typeof messageId === 'string' ? { messageId } : {}) };
  }

  /** A pending outcome: the whole fact, in the sweeper's index until it is announced and settled. */
  private pendingItem(outcome: SmsOutcomeRecord, since: Date): Item {
    return { ...this.outcomeBase(outcome), detail: outcome.detail, deferred: ANNOUNCE, sendAt: epoch(since) };
  }

  async outcomeOf(orderId: string, key: string): Promise<SmsOutcomeRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { id: outcomeId(orderId, key) },
        ConsistentRead: true,
      }),
    );
    return Item ? toOutcome(Item) : undefined;
  }

  /** Puts whole items, 25 to a call, and tries unprocessed ones again a few times; returns the rest. */
  private async putAll(items: Item[]): Promise<Item[]> {
    const left: Item[] = [];
    for (let i = 0; i < items.length; i += 25) {
      let batch = items.slice(i, i + 25);
      for (let round = 0; round < 4 && batch.length > 0; round += 1) {
        const { UnprocessedItems } = await this.client.send(
          new BatchWriteCommand({
            RequestItems: { [this.tableName]: batch.map((Item) => ({ PutRequest: { Item } })) },
          }),
        );
        batch = (UnprocessedItems?.[this.tableName] ?? []).flatMap((r) =>
          r.PutRequest?.Item ? [r.PutRequest.Item] : [],
        );
      }
      left.push(...batch);
    }
    return left;
  }

  async recordAnnounced(outcomes: readonly SmsOutcomeRecord[]): Promise<SmsOutcomeRecord[]> {
    return this.record(outcomes, (outcome) => this.settledItem(outcome));
  }

  async recordPending(outcomes: readonly SmsOutcomeRecord[], now: Date): Promise<SmsOutcomeRecord[]> {
    return this.record(outcomes, (outcome) => this.pendingItem(outcome, now));
  }

  /** Puts one item per outcome (a settled one over a pending one takes it out of the sweeper's index). */
  private async record(
    outcomes: readonly SmsOutcomeRecord[],
    item: (outcome: SmsOutcomeRecord) => Item,
  ): Promise<SmsOutcomeRecord[]> {
    if (outcomes.length === 0) return [];
    const byId = new Map(outcomes.map((outcome) => [outcomeId(outcome.orderId, outcome.key), outcome]));
    const left = await this.putAll(outcomes.map(item));
    return left.flatMap((unwritten) => {
      const outcome = byId.get(String(unwritten.id));
      return outcome ? [outcome] : [];
    });
  }

  async dueAnnouncements(now: Date, graceSeconds: number, limit: number): Promise<PendingAnnouncement[]> {
    const items = await queryDue(this.client, {
      tableName: this.tableName,
      indexName: DUE_INDEX,
      partition: { name: 'deferred', value: ANNOUNCE },
      sortKey: { name: 'sendAt', upTo: epoch(now) - graceSeconds },
      limit,
    });
    return items.map((item) => ({ ...toOutcome(item), recordedAt: new Date(Number(item.sendAt) * 1000) }));
  }

  async orderState(orderId: string): Promise<OrderSmsState> {
    const item = await this.orderItem(orderId);
    const attempts: Record<string, SmsAttemptView> = {};
    for (const name of Object.keys(item ?? {})) {
      if (!name.startsWith('sms#')) continue;
      const key = name.slice('sms#'.length);
      const attempt = attemptOf(item, key);
      if (attempt) attempts[key] = attempt;
    }
    const current = currentOf(item);
    return {
      ...(current ? { current } : {}),
      ...(typeof item?.lastDelay === 'string' ? { latestDelayKey: item.lastDelay } : {}),
      attempts,
    };
  }

  async claimDeferredAttempt(orderId: string, key: string, leaseUntil: Date): Promise<boolean> {
    const token = fence();
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: `order#${orderId}` },
          // A deferred SMS held before attempts were recorded (written by an earlier version) has none.
          UpdateExpression: 'SET #att = :attempt',
          ConditionExpression: '#att.#s = :deferred OR attribute_not_exists(#att)',
          ExpressionAttributeNames: { '#att': attemptAttribute(key), '#s': 's' },
          ExpressionAttributeValues: {
            ':attempt': { s: 'claimed', lease: epoch(leaseUntil), at: this.now().toISOString(), t: token },
            ':deferred': 'deferred',
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      return attemptFence(oldItemOf(error) ?? (await this.orderItem(orderId)), key) === token;
    }
  }

  private deferredItem(sms: DeferredSms, attempt?: SmsAttempt): Item {
    const sendAt = epoch(sms.sendAt);
    return {
      id: `deferred#${sms.id}`,
      deferred: DEFERRED,
      sendAt,
      smsId: sms.id,
      to: sms.to,
      body: sms.body,
      kind: sms.kind,
      segments: sms.segments,
      encoding: sms.encoding,
      ...(sms.orderId ? { orderId: sms.orderId } : {}),
      ...(sms.cartId ? { cartId: sms.cartId } : {}),
      ...(attempt
        ? { status: attempt.status, attemptKey: attempt.key, occurredAt: attempt.at.toISOString() }
        : {}),
      // The phone is kept only until the SMS goes (or, at the latest, two days after it was due).
      expiration: sendAt + DEFERRED_KEEP_SECONDS,
    };
  }

  async dueDeferred(now: Date, limit: number): Promise<DeferredSms[]> {
    const Items = await queryDue(this.client, {
      tableName: this.tableName,
      indexName: DUE_INDEX,
      partition: { name: 'deferred', value: DEFERRED },
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
      ...(item.status ? { status: item.status as LedgerStatus } : {}),
      ...(item.attemptKey ? { attemptKey: String(item.attemptKey) } : {}),
      ...(item.occurredAt ? { occurredAt: new Date(String(item.occurredAt)) } : {}),
    }));
  }

  async completeDeferred(id: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { id: `deferred#${id}` } }));
  }

  async reserveDailySegments(day: string, segments: number, cap: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: `daily#${day}` },
          UpdateExpression: 'ADD #segments :n SET #expiration = if_not_exists(#expiration, :expiration)',
          // Never past the cap, whoever else is reserving at the same time.
          ...(segments > 0
            ? {
                ConditionExpression: 'attribute_not_exists(#segments) OR #segments <= :room',
                ExpressionAttributeValues: {
                  ':n': segments,
                  ':expiration': this.expiration(),
                  ':room': cap - segments,
                },
              }
            : { ExpressionAttributeValues: { ':n': segments, ':expiration': this.expiration() } }),
          ExpressionAttributeNames: { '#segments': 'segments', '#expiration': 'expiration' },
        }),
      );
      return segments <= 0 || segments <= cap;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
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

const toOutcome = (item: Item): SmsOutcomeRecord => ({
  orderId: String(item.orderId),
  key: String(item.key),
  outcome: item.outcome === 'SUPPRESSED' ? 'SUPPRESSED' : 'SENT',
  detailType: item.detailType === 'SmsSuppressed' ? 'SmsSuppressed' : 'SmsSent',
  detail: (item.detail ?? {}) as Record<string, unknown>,
});
