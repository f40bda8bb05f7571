/**
 * The router's reads without the SDK (LeanDynamoDb: the signed JSON request) on DynamoDB Local: the same
 * values the SDK's document client reads, an item or a table missing, DynamoDB refusing the credentials,
 * and the router built on it keeping callers in the primary queue whenever the read fails.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '#adapters/dynamodb/document-client.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { queryAll } from '#adapters/dynamodb/document-reads.js';
import { LeanDynamoDb } from '#adapters/dynamodb/lean-dynamodb.js';
import { TABLES, toCreateTableInput } from '#adapters/dynamodb/tables.js';
import { AwsServiceError } from '#adapters/signed-json/aws-json-client.js';
import { overflowRouter, routerDynamoDb } from '#functions/overflow-router/wiring.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import { localSdkDocumentClient } from '#test/support/dynamodb.js';

const INSTANCE = 'arn:aws:connect:eu-central-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
const PRIMARY = `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000001`;
const SECOND_LINE = `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000002`;
const TABLE = `peakline-it-router-lean-${Date.now().toString(36)}-routing`;
const ENV = {
  ROUTING_TABLE_NAME: TABLE,
  ROUTER_CACHE_SECONDS: 5,
  QUEUE_ARN_PRIMARY: PRIMARY,
  QUEUE_ARN_SECOND_LINE: SECOND_LINE,
};
const PRIMARY_ANSWER = { mode: 'NORMAL', queueArn: PRIMARY, queueKey: 'primary' };
const T0 = Date.UTC(2026, 10, 27, 19);

const endpoint = inject('dynamodbEndpoint');
// The SDK's document client: what the lean reads are compared with.
const documents = localSdkDocumentClient();
const lean = new LeanDynamoDb({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

beforeAll(async () => {
  const admin = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    await admin.send(new CreateTableCommand(toCreateTableInput(TABLES.routing, TABLE)));
  } finally {
    admin.destroy();
  }
});

afterAll(() => {
  lean.destroy();
  documents.destroy();
});

describe('LeanDynamoDb on DynamoDB Local', () => {
  it('reads an item as the SDK’s document client reads it', async () => {
    // Prepare: every kind of value a state item (or an order) holds, and a few more
    const item = {
      pk: 'queue#values',
      sk: 'STATE',
      state: 'OVERFLOW',
      maxAgeSeconds: 45,
      secondLineShare: 0.375,
      forced: false,
      note: null,
      thresholds: { enterWaitSeconds: 120, samples: [3, 4] },
      tags: new Set(['a', 'b']),
    };
    await documents.send(new PutCommand({ TableName: TABLE, Item: item }));
    const key = { pk: 'queue#values', sk: 'STATE' };

    // Act
    const read = await lean.get({ TableName: TABLE, Key: key });
    const bySdk = await documents.send(new GetCommand({ TableName: TABLE, Key: key }));

    // Assess
    expect(read.Item).toEqual(item);
    expect(read.Item).toEqual(bySdk.Item);
  });

  it('reads only the projected attributes, through placeholders for reserved words', async () => {
    // Prepare
    await documents.send(
      new PutCommand({
        TableName: TABLE,
        Item: { pk: 'queue#projected', sk: 'STATE', state: 'DEFLECT', version: 7, updatedAt: 'x' },
      }),
    );

    // Act
    const read = await lean.get({
      TableName: TABLE,
      Key: { pk: 'queue#projected', sk: 'STATE' },
      ProjectionExpression: '#state, #updatedAt',
      ExpressionAttributeNames: { '#state': 'state', '#updatedAt': 'updatedAt' },
    });

    // Assess
    expect(read.Item).toEqual({ state: 'DEFLECT', updatedAt: 'x' });
  });

  it('answers no item for a key that holds none', async () => {
    // Act
    const read = await lean.get({ TableName: TABLE, Key: { pk: 'queue#nobody', sk: 'STATE' } });

    // Assess
    expect(read).toEqual({});
  });

  it('reads every page of a Query, in the order the SDK reads them', async () => {
    // Prepare: five audit entries of one queue
    for (let i = 0; i < 5; i += 1) {
      await documents.send(
        new PutCommand({
          TableName: TABLE,
          Item: { pk: 'queue#paged', sk: `AUDIT#2026-11-27T19:0${i}:00.000Z`, step: i },
        }),
      );
    }
    const input = {
      TableName: TABLE,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :audit)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: { ':pk': 'queue#paged', ':audit': 'AUDIT#' },
      ScanIndexForward: false,
      Limit: 2,
    };

    // Act
    const first = await lean.query(input);
    const all = await queryAll(lean, input);
    const bySdk = await documents.send(new QueryCommand({ ...input, Limit: undefined }));

    // Assess: two a page, each page pointing at the next
    expect(first.Items).toHaveLength(2);
    expect(first.LastEvaluatedKey).toEqual({ pk: 'queue#paged', sk: 'AUDIT#2026-11-27T19:03:00.000Z' });
    expect(all.map((item) => item.step)).toEqual([4, 3, 2, 1, 0]);
    expect(all).toEqual(bySdk.Items);
  });

  it('names DynamoDB’s error: a table that does not exist', async () => {
    // Act
    const failure = await lean
      .get({ TableName: `${TABLE}-missing`, Key: { pk: 'queue#primary', sk: 'STATE' } })
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(AwsServiceError);
    expect(failure).toMatchObject({ name: 'ResourceNotFoundException', statusCode: 400, retryable: false });
    expect((failure as Error).message).toMatch(/non-existent table|not found/i);
  });

  it('names DynamoDB’s error: credentials it does not accept', async () => {
    // Prepare: DynamoDB Local accepts only letters and digits in an access key id, as AWS refuses an unknown one
    const wrong = new LeanDynamoDb({
      endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'not-a-key!', secretAccessKey: 'wrong' },
    });

    // Act
    const failure = await wrong
      .get({ TableName: TABLE, Key: { pk: 'queue#primary', sk: 'STATE' } })
      .catch((error: unknown) => error);
    wrong.destroy();

    // Assess
    expect(failure).toBeInstanceOf(AwsServiceError);
    expect(failure).toMatchObject({ name: 'UnrecognizedClientException', retryable: false });
  });

  it('finds DynamoDB Local through AWS_ENDPOINT_URL_DYNAMODB, as the SDK does', async () => {
    // Prepare
    const fromEnvironment = new LeanDynamoDb({
      env: {
        AWS_ENDPOINT_URL_DYNAMODB: endpoint,
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_REGION: LOCAL_REGION,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      },
    });

    // Act
    const read = await fromEnvironment.get({ TableName: TABLE, Key: { pk: 'queue#nobody', sk: 'STATE' } });
    fromEnvironment.destroy();

    // Assess
    expect(read).toEqual({});
  });
});

describe('the router on LeanDynamoDb', () => {
  it('routes by the state the controller stored', async () => {
    // Prepare
    await documents.send(
      new PutCommand({
        TableName: TABLE,
        Item: {
          pk: 'queue#primary',
          sk: 'STATE',
          state: 'OVERFLOW',
          updatedAt: new Date(T0).toISOString(),
          maxAgeSeconds: 45,
          secondLineShare: 1,
          deflectShare: 0,
        },
      }),
    );

    // Act
    const decision = await overflowRouter(ENV, lean, () => T0 + 1_000).route('primary');

    // Assess
    expect(decision.fallback).toBeUndefined();
    expect(decision.answer).toEqual({ mode: 'OVERFLOW', queueArn: SECOND_LINE, queueKey: 'secondLine' });
  });

  it('sends callers to the primary queue when DynamoDB refuses its credentials, saying why', async () => {
    // Prepare
    const refused = routerDynamoDb({
      endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'not-a-key!', secretAccessKey: 'wrong' },
    });

    // Act
    const decision = await overflowRouter(ENV, refused, () => T0 + 1_000).route('primary');
    refused.destroy();

    // Assess
    expect(decision).toMatchObject({ answer: PRIMARY_ANSWER, fallback: 'state-read-failed' });
    expect(decision.error).toMatchObject({ name: 'UnrecognizedClientException' });
  });

  it('sends callers to the primary queue when the routing table is missing', async () => {
    // Act
    const decision = await overflowRouter(
      { ...ENV, ROUTING_TABLE_NAME: `${TABLE}-missing` },
      lean,
      () => T0,
    ).route('primary');

    // Assess
    expect(decision).toMatchObject({ answer: PRIMARY_ANSWER, fallback: 'state-read-failed' });
    expect(decision.error).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('routes normally for a queue the controller has not judged yet (no item)', async () => {
    // Prepare: a table of its own, empty
    const table = `${TABLE}-empty`;
    const admin = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    await admin.send(new CreateTableCommand(toCreateTableInput(TABLES.routing, table)));
    admin.destroy();

    // Act
    const decision = await overflowRouter({ ...ENV, ROUTING_TABLE_NAME: table }, lean, () => T0).route(
      'primary',
    );

    // Assess
    expect(decision).toEqual({ answer: PRIMARY_ANSWER, cached: false });
  });
});
