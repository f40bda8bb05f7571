import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SuppressionEntry, SuppressionStore } from '#core/ports.js';
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
    private readonly client: DynamoDBDocumentClient,
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
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async isSuppressed(phoneHash: string, now: Date): Promise<boolean> {
    if (await this.#liveEntry(await this.#storedKey(phoneHash), now)) return true;
    if (this.#legacyReadsUntil === undefined || now >= this.#legacyReadsUntil) return false;
    return this.#liveEntry(phoneHash, now);
  }

  async #liveEntry(phoneHash: string, now: Date): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { phoneHash }, ConsistentRead: true }),
    );
    // TTL deletes lazily (hours, on AWS); an expired item is treated as already gone.
    return Item !== undefined && Number(Item.expiresAt) > Math.floor(now.getTime() / 1000);
  }
}
