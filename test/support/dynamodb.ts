import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { LeanDocumentClient } from '#adapters/dynamodb/lean-document-client.js';
import { BridgedDocumentClient } from '#adapters/dynamodb/sdk-document-client.js';
import type { TableName } from '#adapters/dynamodb/tables.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';

/**
 * The document client the deployed functions use (LeanDocumentClient: the signed JSON request), on the
 * run's DynamoDB Local: so every adapter test runs on what Lambda runs.
 */
export const localDocumentClient = (): LeanDocumentClient =>
  new LeanDocumentClient({
    endpoint: inject('dynamodbEndpoint'),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });

/** The SDK's DynamoDB client on the run's DynamoDB Local, for a test that breaks the world at its wire. */
export const localDynamoDbClient = (options: { readonly maxAttempts?: number } = {}): DynamoDBClient =>
  new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    ...options,
  });

/** The adapters' commands over the SDK's document client (see sdk-document-client.ts). */
export const localSdkDocumentClient = (): BridgedDocumentClient =>
  BridgedDocumentClient.over(localDynamoDbClient());

export const tableName = (table: TableName): string => {
  const name = inject('tableNames')[table];
  if (!name) throw new Error(`No local table for ${table}`);
  return name;
};
