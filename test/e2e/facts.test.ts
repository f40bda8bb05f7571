import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BridgedDocumentClient } from '#adapters/dynamodb/sdk-document-client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoFactStore } from '#adapters/dynamodb/fact-store.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import type { LocalStack } from '#local/stack.js';
import { sampleEntries } from '#test/support/events.js';
import { eventBridgeClient, eventually, startTestStack } from '#test/support/local-stack.js';

describe("the local stack records the KPI report's facts", () => {
  let stack: LocalStack;
  let events: EventBridgeClient;
  let documents: BridgedDocumentClient;

  beforeAll(async () => {
    stack = await startTestStack();
    events = eventBridgeClient(stack);
    documents = BridgedDocumentClient.over(
      new DynamoDBClient({
        endpoint: stack.dynamodbEndpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      }),
    );
  });

  afterAll(async () => {
    documents?.destroy();
    events?.destroy();
    await stack?.stop();
  });

  it("counts the order confirmation peakline sent, and keeps the cart's order for conversion", async () => {
    // Prepare: the stack's clock starts at 18:00 in Warsaw on 2026-11-27; the sample's cart was ordered in 2025.
    const [entry] = sampleEntries('order-placed');
    const { cartId, placedAt } = JSON.parse(entry?.Detail ?? '{}') as { cartId: string; placedAt: string };
    const store = new DynamoFactStore(documents, stack.tableNames.facts);
    const day = {
      from: new Date('2026-11-26T23:00:00Z'),
      to: new Date('2026-11-27T23:00:00Z'),
      timeZone: 'Europe/Warsaw',
    };

    // Act
    await events.send(new PutEventsCommand({ Entries: [entry as never] }));

    // Assess
    await eventually(stack, async () => {
      expect(await store.smsFigures(day)).toEqual([
        expect.objectContaining({ day: '2026-11-27', outcome: 'SENT', status: 'PLACED', count: 1 }),
      ]);
      expect(await store.ordersOfCarts([cartId])).toEqual(
        new Map([[cartId, new Date(placedAt).toISOString()]]),
      );
    });
  });
});
