import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SuppressionEntry, SuppressionStore } from '#core/ports.js';

/** The suppression list on DynamoDB: one item per hashed phone. */
export class DynamoSuppressionStore implements SuppressionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async suppress(entry: SuppressionEntry): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...entry },
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
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { phoneHash }, ConsistentRead: true }),
    );
    // TTL deletes lazily (hours, on AWS); an expired item is treated as already gone.
    return Item !== undefined && Number(Item.expiresAt) > Math.floor(now.getTime() / 1000);
  }
}
