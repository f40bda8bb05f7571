import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { RoutingState, RoutingStateReader } from '#core/ports.js';

/** The key of a queue's current routing state in the routing table; the overflow controller writes it. */
export const routingStateKey = (queueId: string) => ({ pk: `queue#${queueId}`, sk: 'STATE' });

/**
 * Reads a queue's routing state; a queue nobody has judged yet routes normally. The answer is kept for
 * a few seconds: the controller changes it at most a few times a minute, and at peak thousands of
 * confirmations a minute ask the same question.
 */
export class DynamoRoutingStateReader implements RoutingStateReader {
  private readonly cache = new Map<string, { state: RoutingState; until: number }>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cacheMs = 5_000,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async stateOf(queueId: string): Promise<RoutingState> {
    const cached = this.cache.get(queueId);
    if (cached && cached.until > this.nowMs()) return cached.state;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: routingStateKey(queueId) }),
    );
    const state: RoutingState =
      Item?.state === 'OVERFLOW' || Item?.state === 'DEFLECT' ? Item.state : 'NORMAL';
    this.cache.set(queueId, { state, until: this.nowMs() + this.cacheMs });
    return state;
  }
}
