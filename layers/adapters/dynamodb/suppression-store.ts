import {
  BatchGetCommand,
  type DocumentClient,
  GetCommand,
  isConditionalCheckFailed,
  PutCommand,
} from './document-client.js';
import type { OptOutRead, SuppressionEntry, SuppressionStore } from '#core/ports.js';
import type { PhoneHashKey, SuppressionKeying } from '#adapters/secrets/phone-hash-key.js';
import { keyedPhoneHash } from './keyed-phone-hash.js';

export { keyedPhoneHash } from './keyed-phone-hash.js';

/**
 * The suppression list on DynamoDB: one item per phone, keyed by `keyedPhoneHash`.
 *
 * Migration: entries written before the key existed are keyed by the plain digest. While
 * `legacyReadsUntil` is in the future, a phone not found under its keyed hash is looked up under its
 * digest too (one more GetItem, for phones that are not suppressed, only during that window). Set it to
 * the upgrade date plus `data.suppressionRetentionDays`, when the last legacy entry has expired; new
 * stages leave it unset and never read the legacy form.
 */
export class DynamoSuppressionStore implements SuppressionStore {
  readonly #key: PhoneHashKey;
  readonly #legacyReadsUntil: Date | undefined;

  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
    keying: SuppressionKeying,
  ) {
    this.#key = keying.key;
    this.#legacyReadsUntil = keying.legacyReadsUntil;
  }

  async #storedKey(digest: string): Promise<string> {
    const key = typeof this.#key === 'function' ? await this.#key() : this.#key;
    return keyedPhoneHash(key, digest);
  }

  async suppress(entry: SuppressionEntry): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...entry, phoneHash: await this.#storedKey(entry.phoneHash) },
          // A late-arriving older opt-out must not overwrite a newer one (and shorten its retention).
          ConditionExpression: 'attribute_not_exists(phoneHash) OR optedOutAt < :at',
          ExpressionAttributeValues: { ':at': entry.optedOutAt },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async isSuppressed(phoneHash: string, now: Date): Promise<boolean> {
    if (await this.#liveEntry(await this.#storedKey(phoneHash), now)) return true;
    if (this.#legacyReadsUntil === undefined || now >= this.#legacyReadsUntil) return false;
    return this.#liveEntry(phoneHash, now);
  }

  /**
   * The batch's phones in one BatchGetItem (an order-SMS batch has at most 10, the call takes 100) instead
   * of one GetItem each. Keys DynamoDB leaves unprocessed (throttling, a busy partition) are asked again
   * after a short wait, a few times; what is still unread then is said so, never taken for "not suppressed".
   */
  async readOptOuts(phoneHashes: readonly string[], now: Date): Promise<OptOutRead> {
    const digests = [...new Set(phoneHashes)];
    const stored = new Map<string, string>();
    for (const digest of digests) stored.set(await this.#storedKey(digest), digest);
    const keyed = await this.#liveEntries([...stored.keys()], now);
    const suppressed = new Set<string>();
    const unread = new Set<string>();
    for (const [key, digest] of stored) {
      if (keyed.live.has(key)) suppressed.add(digest);
      else if (keyed.unread.has(key)) unread.add(digest);
    }
    if (this.#legacyReadsUntil !== undefined && now < this.#legacyReadsUntil) {
      // Entries written before the key existed, for the phones not found under their keyed hash.
      const notFound = digests.filter((digest) => !suppressed.has(digest) && !unread.has(digest));
      const legacy = await this.#liveEntries(notFound, now);
      for (const digest of legacy.live) suppressed.add(digest);
      for (const digest of legacy.unread) unread.add(digest);
    }
    return { suppressed, unread };
  }

  async #liveEntries(
    keys: readonly string[],
    now: Date,
  ): Promise<{ live: Set<string>; unread: Set<string> }> {
    const live = new Set<string>();
    const unread = new Set<string>();
    // A BatchGetItem takes at most 100 keys.
    for (let i = 0; i < keys.length; i += 100) {
      let left = keys.slice(i, i + 100).map((phoneHash) => ({ phoneHash }));
      for (let round = 0; left.length > 0 && round < BATCH_READ_ROUNDS; round += 1) {
        if (round > 0) await sleep(BATCH_READ_BACKOFF_MS * 2 ** (round - 1));
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: left, ConsistentRead: true } } }),
        );
        for (const item of Responses?.[this.tableName] ?? []) {
          if (isLive(item, now)) live.add(String(item.phoneHash));
        }
        left = (UnprocessedKeys?.[this.tableName]?.Keys ?? []).map((key) => ({
          phoneHash: String(key.phoneHash),
        }));
      }
      for (const key of left) unread.add(key.phoneHash);
    }
    return { live, unread };
  }

  async #liveEntry(phoneHash: string, now: Date): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { phoneHash }, ConsistentRead: true }),
    );
    return Item !== undefined && isLive(Item, now);
  }
}

/** TTL deletes lazily (hours, on AWS); an expired item is treated as already gone. */
const isLive = (item: Record<string, unknown>, now: Date): boolean =>
  Number(item.expiresAt) > Math.floor(now.getTime() / 1000);

/** Tries of the keys a BatchGetItem leaves unprocessed, and the first wait (doubling) between them. */
const BATCH_READ_ROUNDS = 4;
const BATCH_READ_BACKOFF_MS = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
