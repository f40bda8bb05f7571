import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { RoutingState, RoutingStateReader } from '#core/ports.js';

/** The key of a queue's current routing state in the routing table; the overflow controller writes it. */
export const routingStateKey = (queueId: string) => ({ pk: `queue#${queueId}`, sk: 'STATE' });

/** Reads a queue's routing state; a queue nobody has judged yet routes normally. */
export class DynamoRoutingStateReader implements RoutingStateReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async stateOf(queueId: string): Promise<RoutingState> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: routingStateKey(queueId) }),
    );
    const state = Item?.state;
    return state === 'OVERFLOW' || state === 'DEFLECT' ? state : 'NORMAL';
  }
}
