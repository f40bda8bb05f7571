/**
 * DynamoDB's TTL, on the local stack's virtual clock. DynamoDB Local's own TTL deletes by the machine's
 * real clock, so with a virtual clock set in the past it deleted a seat before the sweeper revoked it (the
 * Connect user stayed, nothing was announced) and could delete a deferred SMS before its release. Its TTL
 * is therefore off (see `createTables`) and this reaper does the job instead, on the virtual clock:
 *
 * - each table with a `ttlAttribute` in the DataStack's definitions is scanned for items whose TTL (epoch
 *   seconds, a Number, as AWS requires) has passed on the virtual clock;
 * - each is deleted on condition that its TTL is still the value seen, so an update that extended the TTL
 *   in the meantime wins, as it does on AWS;
 * - for a table with a stream, the deletion becomes the stream record AWS writes for a TTL deletion
 *   (`REMOVE`, `userIdentity` of the DynamoDB service, the old image in DynamoDB JSON), delivered to the
 *   table's subscribers through their event filters, in order, retried from the first failed record, and
 *   dead-lettered after the last retry, as a Lambda event source mapping does.
 *
 * AWS deletes an expired item "within a few days", never at the second; `lagMs` keeps an item that long
 * past its TTL so the code that owns an expiry (the seat sweeper, every few minutes) acts first, as on AWS,
 * and the TTL stays a backstop.
 */
import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { TABLE_NAMES, type TableDefinition, TABLES, type TableName } from '#adapters/dynamodb/tables.js';
import type { EventPattern } from '#events/rules.js';
import { matchesEventPattern } from '../bus/event-pattern.js';

/** Who a TTL deletion's stream record names: the DynamoDB service, not a caller's IAM identity. */
export const TTL_USER_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' } as const;

/** AWS ignores a TTL more than five years in the past (a value in the wrong unit, usually); so do we. */
const FIVE_YEARS_S = 5 * 365 * 24 * 3600;

/** A consumer of a table's stream: what a Lambda event source mapping is on AWS. */
export interface StreamSubscription {
  readonly name: string;
  /** The mapping's filter patterns; a record is delivered if any matches. @default every record */
  readonly filters?: readonly EventPattern[];
  /** @default 10 */
  readonly batchSize?: number;
  /** Retries after the first failed delivery of a record before it is dead-lettered. @default 5 */
  readonly retryAttempts?: number;
  /** Returns the sequence numbers of the records that failed (ReportBatchItemFailures). */
  readonly consume: (
    records: DynamoDBRecord[],
  ) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
}

export interface TtlReaperOptions {
  readonly client: DynamoDBClient;
  readonly tableNames: Readonly<Record<TableName, string>>;
  /** The virtual clock. */
  readonly nowMs: () => number;
  /** Virtual milliseconds an item outlives its TTL before it is deleted. @default 0 */
  readonly lagMs?: number;
  readonly region: string;
  readonly account: string;
  /** Each table's stream subscribers. */
  readonly streams?: Partial<Record<TableName, readonly StreamSubscription[]>>;
  /** A record whose last retry failed: on AWS, the mapping's on-failure destination. */
  readonly onDeadLetter?: (
    subscription: string,
    record: DynamoDBRecord,
    reason: string,
  ) => Promise<void> | void;
  /** Items a Scan page reads. @default 1000 */
  readonly pageSize?: number;
}

export interface ReapResult {
  /** Items deleted, by table. */
  readonly deleted: Partial<Record<TableName, number>>;
  /** Expired items left alone because their TTL changed (or they went) between the scan and the delete. */
  readonly skipped: number;
}

interface Pending {
  readonly record: DynamoDBRecord;
  failures: number;
  lastError?: string;
}

export class TtlReaper {
  private sequence = 0;
  private readonly pending = new Map<StreamSubscription, Pending[]>();
  private readonly streamLabel = new Date(0).toISOString().replace(/Z$/, '');

  constructor(private readonly options: TtlReaperOptions) {
    for (const table of Object.keys(options.streams ?? {}) as TableName[]) {
      if (TABLES[table].stream === undefined) {
        throw new Error(`The ${table} table has no stream for a subscriber to read.`);
      }
    }
  }

  /** One pass: deletes what has expired on the virtual clock, then delivers the stream records. */
  async reap(): Promise<ReapResult> {
    const deleted: Partial<Record<TableName, number>> = {};
    let skipped = 0;
    for (const table of TABLE_NAMES) {
      const result = await this.reapTable(TABLES[table]);
      if (result.deleted > 0) deleted[table] = result.deleted;
      skipped += result.skipped;
    }
    await this.deliver();
    return { deleted, skipped };
  }

  /** Stream records not yet delivered (waiting for a retry). */
  backlog(): number {
    let n = 0;
    for (const queue of this.pending.values()) n += queue.length;
    return n;
  }

  private async reapTable(def: TableDefinition): Promise<{ deleted: number; skipped: number }> {
    const tableName = this.options.tableNames[def.name];
    const dueS = Math.floor((this.options.nowMs() - (this.options.lagMs ?? 0)) / 1000);
    const projection = keyProjection(def);
    let deleted = 0;
    let skipped = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.options.client.send(
        new ScanCommand({
          TableName: tableName,
          // BETWEEN on a Number: an item whose TTL attribute is missing or not a Number never expires.
          FilterExpression: '#ttl BETWEEN :oldest AND :due',
          // Keys and TTL only: the delete returns the whole item for the stream record.
          ProjectionExpression: projection.expression,
          ExpressionAttributeNames: { '#ttl': def.ttlAttribute, ...projection.names },
          ExpressionAttributeValues: {
            ':oldest': { N: String(dueS - FIVE_YEARS_S) },
            ':due': { N: String(dueS) },
          },
          Limit: this.options.pageSize ?? 1_000,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const old = await this.deleteIfStillExpired(def, tableName, item);
        if (old === undefined) {
          skipped += 1;
          continue;
        }
        deleted += 1;
        this.publish(def, tableName, old);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return { deleted, skipped };
  }

  /** The deleted item as it was, or undefined when its TTL changed or it is gone. */
  private async deleteIfStillExpired(
    def: TableDefinition,
    tableName: string,
    item: Record<string, AttributeValue>,
  ): Promise<Record<string, AttributeValue> | undefined> {
    const seen = item[def.ttlAttribute];
    if (seen === undefined) return undefined;
    try {
      const { Attributes } = await this.options.client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: keysOf(def, item),
          // The TTL seen by the scan: an update that extended it since then wins.
          ConditionExpression: '#ttl = :seen',
          ExpressionAttributeNames: { '#ttl': def.ttlAttribute },
          ExpressionAttributeValues: { ':seen': seen },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /** The stream record AWS writes for a TTL deletion, to each subscriber whose filter matches it. */
  private publish(def: TableDefinition, tableName: string, old: Record<string, AttributeValue>): void {
    const view = def.stream;
    const subscribers = this.options.streams?.[def.name] ?? [];
    if (view === undefined || subscribers.length === 0) return;
    this.sequence += 1;
    const withOldImage = view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES';
    const record = {
      eventID: randomUUID().replaceAll('-', ''),
      eventName: 'REMOVE',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.options.region,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(this.options.nowMs() / 1000),
        Keys: keysOf(def, old),
        ...(withOldImage ? { OldImage: old } : {}),
        SequenceNumber: String(this.sequence).padStart(21, '0'),
        SizeBytes: Buffer.byteLength(JSON.stringify(old)),
        StreamViewType: view,
      },
      userIdentity: { ...TTL_USER_IDENTITY },
      eventSourceARN: `arn:aws:dynamodb:${this.options.region}:${this.options.account}:table/${tableName}/stream/${this.streamLabel}`,
    } as DynamoDBRecord;
    for (const subscriber of subscribers) {
      const filters = subscriber.filters;
      if (filters !== undefined && !filters.some((pattern) => matchesEventPattern(pattern, record))) continue;
      const queue = this.pending.get(subscriber) ?? [];
      queue.push({ record, failures: 0 });
      this.pending.set(subscriber, queue);
    }
  }

  /**
   * Delivers each subscriber's records in order. A failed record holds back those after it (a shard is
   * read in order) until the next pass, and after its last retry goes to the dead letters so the shard
   * moves on, as a mapping with `retryAttempts` and an on-failure destination does.
   */
  private async deliver(): Promise<void> {
    for (const [subscriber, queue] of this.pending) {
      while (queue.length > 0) {
        const batch = queue.slice(0, subscriber.batchSize ?? 10);
        let failedIds: Set<string>;
        let error: string | undefined;
        try {
          const { batchItemFailures } = await subscriber.consume(batch.map((p) => p.record));
          failedIds = new Set(batchItemFailures.map((f) => f.itemIdentifier));
        } catch (thrown) {
          error = thrown instanceof Error ? thrown.message : String(thrown);
          failedIds = new Set(batch.map((p) => p.record.dynamodb?.SequenceNumber ?? ''));
        }
        const firstFailed = batch.findIndex((p) => failedIds.has(p.record.dynamodb?.SequenceNumber ?? ''));
        if (firstFailed < 0) {
          queue.splice(0, batch.length);
          continue;
        }
        queue.splice(0, firstFailed);
        const head = queue[0];
        if (head === undefined) break;
        head.failures += 1;
        if (error !== undefined) head.lastError = error;
        if (head.failures <= (subscriber.retryAttempts ?? 5)) break;
        queue.shift();
        await this.options.onDeadLetter?.(
          subscriber.name,
          head.record,
          `${subscriber.name}: the stream record failed ${head.failures} times; last error: ${head.lastError ?? 'reported as a batch item failure'}`,
        );
      }
    }
  }
}

/** `#k0, #k1, #ttl`: the keys and the TTL attribute, by placeholder (a key may be a reserved word). */
const keyProjection = (def: TableDefinition) => {
  const keys = [def.partitionKey, def.sortKey].filter((k) => k !== undefined);
  return {
    expression: [...keys.map((_, i) => `#k${i}`), '#ttl'].join(', '),
    names: Object.fromEntries(keys.map((k, i) => [`#k${i}`, k.name])),
  };
};

const keysOf = (
  def: TableDefinition,
  item: Record<string, AttributeValue>,
): Record<string, AttributeValue> => {
  const keys: Record<string, AttributeValue> = {};
  for (const key of [def.partitionKey, def.sortKey]) {
    if (key === undefined) continue;
    const value = item[key.name];
    if (value === undefined) throw new Error(`An item of ${def.name} has no ${key.name}`);
    keys[key.name] = value;
  }
  return keys;
};
