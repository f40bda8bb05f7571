import {
  BatchGetCommand,
  type DocumentClient,
  GetCommand,
  isConditionalCheckFailed,
  isTransactionCanceled,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  TransactWriteCommand,
} from './document-client.js';
import type { RoutingState } from '#core/ports.js';
import { type QueueMemory, ROUTING_STATES } from '#core/routing/hysteresis.js';
import type { RoutingStateStore, StateChangeRecord } from '#core/routing/store.js';
import {
  CachedRoutingStateReader,
  type RoutingStateReaderOptions,
  routingStateKey,
} from './routing-state-reader.js';
import { documentReads } from './document-reads.js';

export {
  CachedRoutingStateReader,
  lambdaDoubtReporter,
  type RoutingStateDoubtReporter,
  type RoutingStateReaderOptions,
  routingStateKey,
} from './routing-state-reader.js';

/** An audit entry's key: beside the queue's state, one per change, in time order. */
export const routingAuditKey = (queueId: string, at: string) => ({
  pk: `queue#${queueId}`,
  sk: `AUDIT#${at}`,
});

/** How long the audit trail keeps a change (the table's TTL): a season and its post-mortem. */
export const ROUTING_AUDIT_RETENTION_DAYS = 90;

const isState = (value: unknown): value is RoutingState =>
  typeof value === 'string' && (ROUTING_STATES as readonly string[]).includes(value);

/**
 * The reader on the SDK's document client, for the functions that carry the SDK anyway (the order SMS,
 * the callback sweeper, the local stack); the router reads through the same CachedRoutingStateReader on
 * the lean signed request (functions/overflow-router/wiring.ts).
 */
export class DynamoRoutingStateReader extends CachedRoutingStateReader {
  constructor(
    client: DocumentClient,
    tableName: string,
    cacheMs = 5_000,
    nowMs: () => number = Date.now,
    options: RoutingStateReaderOptions = {},
  ) {
    super(documentReads(client), tableName, cacheMs, nowMs, options);
  }
}

type Item = Record<string, unknown>;

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;

/**
 * The memory in a state item. An item without a version (ops forcing a state by hand, writing only
 * `state`) is taken as version 0 with nothing counted, so the controller carries on from the forced state.
 */
export const memoryFromItem = (item: Item): QueueMemory => ({
  state: isState(item.state) ? item.state : 'NORMAL',
  aboveEnter: count(item.aboveEnter),
  aboveDeflect: count(item.aboveDeflect),
  belowEnter: count(item.belowEnter),
  belowExit: count(item.belowExit),
  version: count(item.version),
  ...(typeof item.updatedAt === 'string' ? { updatedAt: item.updatedAt } : {}),
  ...(typeof item.since === 'string' ? { since: item.since } : {}),
  ...(typeof item.lastWaitSeconds === 'number' ? { lastWaitSeconds: item.lastWaitSeconds } : {}),
  ...(typeof item.maxAgeSeconds === 'number' ? { maxAgeSeconds: item.maxAgeSeconds } : {}),
  ...(typeof item.secondLineShare === 'number' ? { secondLineShare: item.secondLineShare } : {}),
  ...(typeof item.deflectShare === 'number' ? { deflectShare: item.deflectShare } : {}),
});

const epochSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** BatchGetItem takes 100 keys. */
const KEYS_PER_BATCH = 100;
/** Rounds of UnprocessedKeys before the rest is read one by one. */
const BATCH_ROUNDS = 3;

/**
 * The overflow controller's memory in the routing table: one state item per queue (`state` is what the
 * router and the order SMS read), written only over the version it was read at, and one audit item per
 * change, written in the same transaction as the change.
 */
export class DynamoRoutingStateStore implements RoutingStateStore {
  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
  ) {}

  async read(queueKeys: readonly string[]): Promise<Map<string, QueueMemory>> {
    const found = new Map<string, QueueMemory>();
    const keep = (item: Item) => {
      const pk = typeof item.pk === 'string' ? item.pk : '';
      if (pk.startsWith('queue#')) found.set(pk.slice('queue#'.length), memoryFromItem(item));
    };
    const unique = [...new Set(queueKeys)];
    for (let i = 0; i < unique.length; i += KEYS_PER_BATCH) {
      let keys: Item[] = unique.slice(i, i + KEYS_PER_BATCH).map(routingStateKey);
      for (let round = 0; round < BATCH_ROUNDS && keys.length > 0; round += 1) {
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetCommand({
            // Consistent: the version read is the version the conditional write compares with.
            RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } },
          }),
        );
        for (const item of Responses?.[this.tableName] ?? []) keep(item);
        keys = (UnprocessedKeys?.[this.tableName]?.Keys as Item[] | undefined) ?? [];
      }
      // What DynamoDB kept declining in a batch (it does under throttling) is read one by one.
      for (const key of keys) {
        const { Item } = await this.client.send(
          new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
        );
        if (Item) keep(Item);
      }
    }
    return found;
  }

  async write(
    queueKey: string,
    expectedVersion: number,
    memory: QueueMemory,
    change?: StateChangeRecord,
  ): Promise<boolean> {
    const condition: Pick<
      PutCommandInput,
      'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    > =
      expectedVersion === 0
        ? {
            // Nothing stored yet, or a state forced by hand without a version.
            ConditionExpression: 'attribute_not_exists(#pk) OR attribute_not_exists(#version)',
            ExpressionAttributeNames: { '#pk': 'pk', '#version': 'version' },
          }
        : {
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          };
    const put = {
      TableName: this.tableName,
      Item: {
        ...routingStateKey(queueKey),
        state: memory.state,
        aboveEnter: memory.aboveEnter,
        aboveDeflect: memory.aboveDeflect,
        belowEnter: memory.belowEnter,
        belowExit: memory.belowExit,
        version: memory.version,
        updatedAt: memory.updatedAt,
        since: memory.since,
        lastWaitSeconds: memory.lastWaitSeconds,
        // The share of callers the router sends to the second line while the state overflows.
        secondLineShare: memory.secondLineShare,
        // In DEFLECT, the share of callers offered the menu.
        deflectShare: memory.deflectShare,
        // How long readers believe this state without a newer sample (see freshness.ts).
        maxAgeSeconds: memory.maxAgeSeconds,
      },
      ...condition,
    };
    try {
      if (change === undefined) {
        await this.client.send(new PutCommand(put));
      } else {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: put },
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...routingAuditKey(queueKey, change.at),
                    ...change,
                    thresholds: { ...change.thresholds },
                    expiresAt: epochSeconds(change.at) + ROUTING_AUDIT_RETENTION_DAYS * 86_400,
                  },
                },
              },
            ],
          }),
        );
      }
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      if (isTransactionCanceled(error) && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
        return false;
      }
      throw error;
    }
  }

  /** The queue's changes, newest first: for ops and the dashboard (the controller never reads them). */
  async history(queueKey: string, limit = 50): Promise<StateChangeRecord[]> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :audit)',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': routingStateKey(queueKey).pk, ':audit': 'AUDIT#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map(auditRecordOf);
  }

  /** The queue's changes with `from <= at < to`, oldest first, every page: for the KPI report. */
  async changesBetween(queueKey: string, from: Date, to: Date): Promise<StateChangeRecord[]> {
    const records: StateChangeRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          // BETWEEN includes its upper bound; a change exactly at `to` belongs to the next range and is dropped below.
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
          ExpressionAttributeValues: {
            ':pk': routingStateKey(queueKey).pk,
            ':from': routingAuditKey(queueKey, from.toISOString()).sk,
            ':to': routingAuditKey(queueKey, to.toISOString()).sk,
          },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) records.push(auditRecordOf(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return records.filter((r) => Date.parse(r.at) < to.getTime());
  }

  /** The queue's last change at or before `at`: the state a report's range starts in. */
  async lastChangeBefore(queueKey: string, at: Date): Promise<StateChangeRecord | undefined> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        // 'AUDIT#' sorts before every audit key and 'STATE' after them all, so the state item stays out.
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :first AND :at',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: {
          ':pk': routingStateKey(queueKey).pk,
          ':first': 'AUDIT#',
          ':at': routingAuditKey(queueKey, at.toISOString()).sk,
        },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = Items?.[0];
    return item === undefined ? undefined : auditRecordOf(item);
  }
}

/** An audit item as the record the controller wrote. */
const auditRecordOf = (item: Item): StateChangeRecord => ({
  queueKey: String(item.queueKey),
  queueId: String(item.queueId),
  from: isState(item.from) ? item.from : 'NORMAL',
  to: isState(item.to) ? item.to : 'NORMAL',
  at: String(item.at),
  oldestContactAgeSeconds: Number(item.oldestContactAgeSeconds),
  contactsInQueue: Number(item.contactsInQueue),
  thresholds: item.thresholds as StateChangeRecord['thresholds'],
});
