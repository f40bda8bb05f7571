import {
  BatchGetCommand,
  type DocumentClient,
  isConditionalCheckFailed,
  PutCommand,
  QueryCommand,
} from './document-client.js';
import {
  callbackFiguresOf,
  dayKey,
  type Fact,
  type FactFamily,
  FACTS_RETENTION_DAYS,
  type FactRecorderStore,
  familyOf,
  type FigureRange,
  orderFactId,
  type RecordOutcome,
  smsFiguresOf,
  storedFactSchema,
  utcDaysOverlapping,
} from '#core/reporting/facts.js';
import type { DailyCallbackFigures, DailySmsFigures, OwnFiguresSource } from '#core/reporting/types.js';
import { TABLES } from './tables.js';

/** The by-day index, the only one the report reads. */
export const FACTS_BY_DAY_INDEX = 'by-day';

/** BatchGetItem takes at most this many keys a call. */
const BATCH_GET_KEYS = 100;
/** Rounds of UnprocessedKeys retried before the read gives up (throttling that does not pass). */
const BATCH_GET_ROUNDS = 8;

export interface FactStoreOptions {
  /** Days a fact is kept after it happened. @default FACTS_RETENTION_DAYS (400) */
  readonly retentionDays?: number;
  /** Between rounds of UnprocessedKeys. @default exponential, 50 ms doubling */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Items a by-day Query page holds at most. @default DynamoDB's own (1 MB a page) */
  readonly pageSize?: number;
}

if (!TABLES.facts.indexes.some((index) => index.name === FACTS_BY_DAY_INDEX)) {
  throw new Error(`The facts table has no ${FACTS_BY_DAY_INDEX} index for the report to read.`);
}

/**
 * peakline's facts on DynamoDB: the recorder writes them (one conditional put each, so a copy is a duplicate),
 * and the KPI report reads its figures from them (`OwnFiguresSource`).
 *
 * Items: `id` (the fact's identity), `type`, `at`, the few fields the figures need, `eventId`, `expiresAt`
 * (TTL) and, for SMS and callback facts, `day` = `<family>#<UTC day>` for the by-day index. An order of a cart
 * has no `day`: it is only read by key. The cart's order keeps its latest placing (a cart ordered twice converts
 * a callback if any order came after the task), so a late copy of an earlier order changes nothing.
 */
export class DynamoFactStore implements FactRecorderStore, OwnFiguresSource {
  readonly #retentionDays: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #pageSize: number | undefined;

  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
    options: FactStoreOptions = {},
  ) {
    this.#retentionDays = options.retentionDays ?? FACTS_RETENTION_DAYS;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#pageSize = options.pageSize;
  }

  async record(fact: Fact): Promise<RecordOutcome> {
    const family = familyOf(fact.type);
    const item = {
      ...fact,
      ...(family === undefined ? {} : { day: dayKey(family, fact.at.slice(0, 10)) }),
      expiresAt: Math.floor(Date.parse(fact.at) / 1000) + this.#retentionDays * 86_400,
    };
    const isOrder = fact.type === 'OrderPlaced';
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: isOrder ? 'attribute_not_exists(id) OR #at < :at' : 'attribute_not_exists(id)',
          ...(isOrder
            ? { ExpressionAttributeNames: { '#at': 'at' }, ExpressionAttributeValues: { ':at': fact.at } }
            : {}),
        }),
      );
      return 'recorded';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'duplicate';
      throw error;
    }
  }

  /** The facts of a family that happened in [from, to), read from each UTC day's partition, across pages. */
  async factsBetween(family: FactFamily, range: Pick<FigureRange, 'from' | 'to'>): Promise<Fact[]> {
    const facts: Fact[] = [];
    if (range.to.getTime() <= range.from.getTime()) return facts;
    const first = range.from.toISOString();
    const last = new Date(range.to.getTime() - 1).toISOString();
    for (const utcDay of utcDaysOverlapping(range)) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: FACTS_BY_DAY_INDEX,
            KeyConditionExpression: '#day = :day AND #at BETWEEN :first AND :last',
            ExpressionAttributeNames: { '#day': 'day', '#at': 'at' },
            ExpressionAttributeValues: { ':day': dayKey(family, utcDay), ':first': first, ':last': last },
            ExclusiveStartKey: startKey,
            ...(this.#pageSize === undefined ? {} : { Limit: this.#pageSize }),
          }),
        );
        for (const item of page.Items ?? []) facts.push(storedFactSchema.parse(item));
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
    }
    return facts;
  }

  /** When each cart was (last) ordered, for the carts that were; BatchGet, 100 keys a call. */
  async ordersOfCarts(cartIds: Iterable<string>): Promise<Map<string, string>> {
    const orderedAt = new Map<string, string>();
    const keys = [...new Set(cartIds)].map((cartId) => ({ id: orderFactId(cartId) }));
    for (let i = 0; i < keys.length; i += BATCH_GET_KEYS) {
      let pending: Record<string, unknown>[] = keys.slice(i, i + BATCH_GET_KEYS);
      for (let round = 0; pending.length > 0; round += 1) {
        if (round === BATCH_GET_ROUNDS) {
          throw new Error(`DynamoDB left ${pending.length} cart orders unread after ${round} rounds.`);
        }
        if (round > 0) await this.#sleep(50 * 2 ** (round - 1));
        const answer = await this.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: pending,
                ProjectionExpression: 'cartId, #at',
                ExpressionAttributeNames: { '#at': 'at' },
              },
            },
          }),
        );
        for (const item of answer.Responses?.[this.tableName] ?? []) {
          if (typeof item.cartId === 'string' && typeof item.at === 'string')
            orderedAt.set(item.cartId, item.at);
        }
        pending = answer.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return orderedAt;
  }

  async smsFigures(range: FigureRange): Promise<DailySmsFigures[]> {
    return smsFiguresOf(await this.factsBetween('sms', range), range);
  }

  async callbackFigures(range: FigureRange): Promise<DailyCallbackFigures[]> {
    const facts = await this.factsBetween('callback', range);
    const carts = facts.flatMap((fact) => (fact.type === 'CallbackCreated' ? [fact.cartId] : []));
    return callbackFiguresOf(facts, await this.ordersOfCarts(carts), range);
  }
}
