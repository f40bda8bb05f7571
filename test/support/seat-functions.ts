/**
 * What the seat sweeper's and the TTL backstop's handler tests share: a seats table of their own on the
 * run's DynamoDB Local (the sweeper revokes every due seat it finds, so it must not meet the seats of the
 * other integration tests), the environment the CDK app gives the functions, and their EMF output.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { TABLES, toCreateTableInput } from '#adapters/dynamodb/tables.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';

export const CONNECT_INSTANCE_ID = '11111111-2222-3333-4444-555555555555';
export const BUS_NAME = 'peakline-it';
/** The stage the functions run as: the value of the peakline:managed tag their users carry. */
export const STAGE = 'it';
/** DescribeUser's answer for a user the seats CLI created for this stage. */
export const MANAGED_USER = { User: { Tags: { 'peakline:managed': STAGE } } };

/**
 * Creates a seats table from the DataStack's definition, under a name no other test uses. Its TTL stays
 * off: the handlers run on the real clock, so these seats have really ended, and DynamoDB Local's TTL
 * would delete them before the sweeper could find them.
 */
export const createSeatsTable = async (label: string): Promise<string> => {
  const tableName = `peakline-it-${label}-${randomUUID().slice(0, 8)}-seats`;
  const client = new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await client.send(new CreateTableCommand(toCreateTableInput(TABLES.seats, tableName)));
  } finally {
    client.destroy();
  }
  return tableName;
};

/**
 * The functions' environment as PeaklineFunction sets it, with DynamoDB pointed at DynamoDB Local through
 * the SDK's own endpoint variable (no code path differs), and a fast Connect rate so tests do not wait.
 */
export const seatFunctionEnvironment = (service: string, seatsTable: string): Record<string, string> => ({
  SEATS_TABLE_NAME: seatsTable,
  SEATS_REVOKED_RETENTION_DAYS: '400',
  EVENT_BUS_NAME: BUS_NAME,
  CONNECT_INSTANCE_ID,
  CONNECT_CALLS_PER_SECOND: '50',
  CONNECT_IDENTITY_MANAGEMENT: 'CONNECT_MANAGED',
  CONNECT_MANAGED_USER_TAG: STAGE,
  POWERTOOLS_SERVICE_NAME: service,
  POWERTOOLS_METRICS_NAMESPACE: 'peakline',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  AWS_REGION: LOCAL_REGION,
  AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
});

/** The JSON lines a function wrote to stdout: its log lines and its EMF blobs. */
export const jsonLines = (output: readonly string[]): Record<string, unknown>[] =>
  output
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** The values an EMF blob recorded for `metric`, with the blob's dimensions (service, …). */
export const metricValues = (output: readonly string[], metric: string): Record<string, unknown>[] =>
  jsonLines(output).filter((line) => '_aws' in line && metric in line);
