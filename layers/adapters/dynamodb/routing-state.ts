import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { RoutingState, RoutingStateReader } from '#core/ports.js';
import {
  type FreshRoutingStateReader,
  judgeStoredState,
  type ReadRoutingState,
} from '#core/routing/freshness.js';
import { type QueueMemory, ROUTING_STATES } from '#core/routing/hysteresis.js';
import type { RoutingStateStore, StateChangeRecord } from '#core/routing/store.js';

/**
 * The key of a queue's current routing state in the routing table; the overflow controller writes it.
 * `queueId` is the queue as peakline knows it (`primary`, `callback`): the same key on AWS, in the local
 * stack and in the simulator, and what the order SMS and the router ask for.
 */
export const routingStateKey = (queueId: string) => ({ pk: `queue#${queueId}`, sk: 'STATE' });

/** An audit entry's key: beside the queue's state, one per change, in time order. */
export const routingAuditKey = (queueId: string, at: string) => ({
  pk: `queue#${queueId}`,
  sk: `AUDIT#${at}`,
});

/** How long the audit trail keeps a change (the table's TTL): a season and its post-mortem. */
export const ROUTING_AUDIT_RETENTION_DAYS = 90;

const isState = (value: unknown): value is RoutingState =>
  typeof value === 'string' && (ROUTING_STATES as readonly string[]).includes(value);

/** What a reader does with a state it did not take (stale, unconfirmed, garbage): count it, log it. */
export type RoutingStateDoubtReporter = (queueId: string, read: ReadRoutingState) => void;

/**
 * The default reporter: in a Lambda, one log line and one EMF metric (`RoutingStateStale`, by service and
 * reason) on stdout, written by hand as the router writes its own, so that every function reading the
 * state (the order SMS, the callback sweeper) counts it without wiring of its own; elsewhere (tests, the
 * local stack, which pass their own) nothing.
 */
export const lambdaDoubtReporter: RoutingStateDoubtReporter = (queueId, read) => {
  if (process.env.AWS_LAMBDA_FUNCTION_NAME === undefined) return;
  const service = process.env.POWERTOOLS_SERVICE_NAME ?? process.env.AWS_LAMBDA_FUNCTION_NAME;
  const timestamp = Date.now();
  const line = (fields: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(fields)}\n`);
  line({
    level: 'WARN',
    message: 'routing state not taken: read as NORMAL',
    timestamp: new Date(timestamp).toISOString(),
    service,
    queue: queueId,
    reason: read.doubt,
    stored: read.stored,
  });
  line({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'peakline',
          Dimensions: [['service']],
          Metrics: [{ Name: 'RoutingStateStale', Unit: 'Count' }],
        },
      ],
    },
    service,
    reason: read.doubt,
    RoutingStateStale: 1,
  });
};

export interface RoutingStateReaderOptions {
  /** @default lambdaDoubtReporter */
  readonly onDoubt?: RoutingStateDoubtReporter;
}

/**
 * Reads a queue's routing state; a queue nobody has judged yet routes normally, and so does a state the
 * controller has stopped confirming (`judgeStoredState`: older than its maximum age, undated, garbage),
 * judged on `nowMs`, the world's clock. The answer is kept for `cacheMs`, never past the moment the state
 * turns stale: the controller changes it at most a few times a minute, and at peak thousands of
 * confirmations a minute ask the same question.
 */
export class DynamoRoutingStateReader implements RoutingStateReader, FreshRoutingStateReader {
  private readonly cache = new Map<string, { read: ReadRoutingState; until: number }>();
  private readonly onDoubt: RoutingStateDoubtReporter;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cacheMs = 5_000,
    private readonly nowMs: () => number = Date.now,
    options: RoutingStateReaderOptions = {},
  ) {
    this.onDoubt = options.onDoubt ?? lambdaDoubtReporter;
  }

  async stateOf(queueId: string): Promise<RoutingState> {
    return (await this.readState(queueId)).state;
  }

  /** The state with why it was not taken, and until when it holds: for the router's own cache. */
  async readState(queueId: string): Promise<ReadRoutingState> {
    const cached = this.cache.get(queueId);
    if (cached && cached.until > this.nowMs()) return cached.read;
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: routingStateKey(queueId),
        // The readers need only these; a smaller answer is a faster one.
        ProjectionExpression: '#state, #updatedAt, #maxAge, #share, #deflect',
        ExpressionAttributeNames: {
          '#state': 'state',
          '#updatedAt': 'updatedAt',
          '#maxAge': 'maxAgeSeconds',
          '#share': 'secondLineShare',
          '#deflect': 'deflectShare',
        },
      }),
    );
    const now = this.nowMs();
    const read = judgeStoredState(Item, now);
    if (read.doubt !== undefined) this.onDoubt(queueId, read);
    if (this.cacheMs > 0) {
      this.cache.set(queueId, { read, until: Math.min(now + this.cacheMs, read.freshUntilMs ?? Infinity) });
    }
    return read;
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
    private readonly client: DynamoDBDocumentClient,
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
      if (error instanceof ConditionalCheckFailedException) return false;
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
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
