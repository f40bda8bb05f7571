/**
 * Vitest global setup of the integration project: one DynamoDB Local for the whole run, with every
 * peakline table created from the DataStack's own definitions, and its Java process stopped at the end.
 * The tables have DynamoDB Local's TTL off (`createTables` never turns it on): it deletes by the real clock,
 * and tests set their own clocks, so an item a test wrote with a TTL in the real past (a seat that ended in
 * 2026, a ledger entry dated by a fixed clock) must stay until the test is done with it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TestProject } from 'vitest/node';
import { createTables } from '#adapters/dynamodb/create-tables.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '#local/dynamodb-local.js';

export const TEST_STAGE = 'test';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    tableNames: Record<string, string>;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamo = await startDynamoDbLocal();
  // Java must not outlive an interrupted run either.
  const onSignal = () => {
    void dynamo.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const tableNames = await createTables(client, TEST_STAGE);
  client.destroy();

  project.provide('dynamodbEndpoint', dynamo.endpoint);
  project.provide('tableNames', tableNames);
  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await dynamo.stop();
  };
}
