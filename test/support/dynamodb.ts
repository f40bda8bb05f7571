import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import type { TableName } from '#adapters/dynamodb/tables.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';

/** A document client on the run's DynamoDB Local, configured as the Lambda adapters configure theirs. */
export const localDocumentClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: inject('dynamodbEndpoint'),
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );

export const tableName = (table: TableName): string => {
  const name = inject('tableNames')[table];
  if (!name) throw new Error(`No local table for ${table}`);
  return name;
};
