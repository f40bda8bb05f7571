import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { physicalTableName, TABLE_NAMES, TABLES, toCreateTableInput } from './tables.js';

/**
 * Creates every peakline table on a DynamoDB endpoint, from the definitions the DataStack uses. Meant for
 * DynamoDB Local; on AWS the DataStack owns the tables. Returns the physical names by logical name.
 *
 * TTL is left OFF, on purpose: DynamoDB Local's TTL deletes by the machine's real clock (within seconds of
 * an item's TTL passing), while the local stack and the tests run on a virtual clock, often set in the past,
 * so it would delete a seat or a deferred SMS before the code that owns it ever saw it expire. In the local
 * stack the TTL reaper (`local/runtime/ttl-reaper.ts`) deletes expired items on the virtual clock instead,
 * from the same `ttlAttribute` of each definition. A table kept from an older run (`--keep`) that still has
 * TTL on gets it turned off.
 */
export const createTables = async (
  client: DynamoDBClient,
  stage: string,
): Promise<Record<string, string>> => {
  const names: Record<string, string> = {};
  for (const table of TABLE_NAMES) {
    const def = TABLES[table];
    const tableName = physicalTableName(stage, table);
    names[table] = tableName;
    try {
      await client.send(new CreateTableCommand(toCreateTableInput(def, tableName)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      await turnTtlOff(client, tableName);
    }
  }
  return names;
};

const turnTtlOff = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  const { TimeToLiveDescription: ttl } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  if (ttl?.TimeToLiveStatus !== 'ENABLED' || ttl.AttributeName === undefined) return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: false },
    }),
  );
};
