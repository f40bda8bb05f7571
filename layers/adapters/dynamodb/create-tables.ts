import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { physicalTableName, TABLE_NAMES, TABLES, toCreateTableInput } from './tables.js';

/**
 * Creates every peakline table (with its TTL) on a DynamoDB endpoint, from the definitions the
 * DataStack uses. Meant for DynamoDB Local; on AWS the DataStack owns the tables.
 * Returns the physical names by logical name.
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
      continue;
    }
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
      }),
    );
  }
  return names;
};
