/**
 * The document client every deployed function uses (LeanDocumentClient: one signed JSON request per
 * command) against the SDK's DynamoDBDocumentClient, on DynamoDB Local: each command the adapters send
 * answers the same values on both, DynamoDB's refusals arrive as the same named errors with the same
 * members, and the retries keep the promises the adapters build on them (a lost answer is sent again and
 * met by its own condition; a refused request is never sent twice).
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DocumentClient,
  GetCommand,
  isConditionalCheckFailed,
  isTransactionCanceled,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '#adapters/dynamodb/document-client.js';
import {
  LeanDocumentClient,
  type LeanDocumentClientOptions,
} from '#adapters/dynamodb/lean-document-client.js';
import { TABLES, toCreateTableInput } from '#adapters/dynamodb/tables.js';
import { AwsServiceError } from '#adapters/signed-json/aws-json-client.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import { FaultInjector } from '#local/faults/fault-plan.js';
import { dynamoDbFaultWire } from '#local/faults/stand-ins.js';
import { localDocumentClient, localSdkDocumentClient } from '#test/support/dynamodb.js';

const RUN = Date.now().toString(36);
const TABLE = `peakline-it-lean-${RUN}-routing`;
const SECOND_TABLE = `peakline-it-lean-${RUN}-ledger`;
const endpoint = inject('dynamodbEndpoint');

const lean = localDocumentClient();
const sdk = localSdkDocumentClient();
const CLIENTS: readonly (readonly [string, DocumentClient])[] = [
  ['LeanDocumentClient', lean],
  ['the SDK’s document client', sdk],
];

beforeAll(async () => {
  const admin = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    await admin.send(new CreateTableCommand(toCreateTableInput(TABLES.routing, TABLE)));
    await admin.send(new CreateTableCommand(toCreateTableInput(TABLES.ledger, SECOND_TABLE)));
  } finally {
    admin.destroy();
  }
});

afterAll(() => {
  lean.destroy();
  sdk.destroy();
});

/** A partition of its own per test and client, so the two clients' writes never meet. */
const partition = (name: string) => `p#${name}#${randomUUID()}`;

/** Every kind of value an adapter writes. */
const EVERY_KIND = {
  text: 'Zamówienie 1042 wysłane',
  whole: 42,
  fraction: 0.375,
  negative: -7,
  yes: true,
  nothing: null,
  list: [1, 'two', { three: 3 }],
  nested: { deeper: { deepest: ['x'] }, empty: {} },
  names: new Set(['a', 'b']),
  numbers: new Set([1, 2]),
};

/** The same answer from both clients, compared as values (sets as sorted lists). */
const comparable = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_key, inner: unknown) => (inner instanceof Set ? [...inner].sort() : inner)),
  );

describe.each(CLIENTS)('%s on DynamoDB Local', (_name, client) => {
  it('puts, gets, updates and deletes every kind of value', async () => {
    // Prepare
    const pk = partition('values');
    const key = { pk, sk: 'STATE' };

    // Act
    await client.send(
      new PutCommand({ TableName: TABLE, Item: { ...key, ...EVERY_KIND, dropped: undefined } }),
    );
    const { Item: put } = await client.send(new GetCommand({ TableName: TABLE, Key: key }));
    const { Attributes: updated } = await client.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: key,
        UpdateExpression: 'SET whole = whole + :one, added = :added',
        ExpressionAttributeValues: { ':one': 1, ':added': { at: '2026-11-27T19:00:00Z' } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const { Attributes: deleted } = await client.send(
      new DeleteCommand({ TableName: TABLE, Key: key, ReturnValues: 'ALL_OLD' }),
    );
    const { Item: gone } = await client.send(new GetCommand({ TableName: TABLE, Key: key }));

    // Assess: undefined members dropped, numbers as numbers, sets as sets
    expect(put).toEqual({ ...key, ...EVERY_KIND });
    expect(put?.names).toBeInstanceOf(Set);
    expect(updated).toEqual({ whole: 43, added: { at: '2026-11-27T19:00:00Z' } });
    expect(deleted).toEqual({ ...key, ...EVERY_KIND, whole: 43, added: { at: '2026-11-27T19:00:00Z' } });
    expect(gone).toBeUndefined();
  });

  it('queries page by page and scans with a filter', async () => {
    // Prepare
    const pk = partition('pages');
    for (const sk of ['a', 'b', 'c', 'd', 'e']) {
      await client.send(new PutCommand({ TableName: TABLE, Item: { pk, sk, n: sk.charCodeAt(0) } }));
    }

    // Act
    const pages: unknown[][] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :pk AND sk > :after',
          ExpressionAttributeValues: { ':pk': pk, ':after': 'a' },
          Limit: 2,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      pages.push((page.Items ?? []).map((item) => item.sk));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    const scanned = await client.send(
      new ScanCommand({
        TableName: TABLE,
        FilterExpression: 'pk = :pk AND n >= :from',
        ExpressionAttributeValues: { ':pk': pk, ':from': 'd'.charCodeAt(0) },
      }),
    );

    // Assess
    expect(pages.flat()).toEqual(['b', 'c', 'd', 'e']);
    expect(pages[0]).toEqual(['b', 'c']);
    expect((scanned.Items ?? []).map((item) => item.sk).sort()).toEqual(['d', 'e']);
  });

  it('writes and reads in batches across two tables', async () => {
    // Prepare
    const pk = partition('batch');
    const id = `order#${randomUUID()}`;
    await client.send(new PutCommand({ TableName: TABLE, Item: { pk, sk: 'old', n: 0 } }));

    // Act
    const written = await client.send(
      new BatchWriteCommand({
        RequestItems: {
          [TABLE]: [
            { PutRequest: { Item: { pk, sk: 'new', tags: new Set(['x']) } } },
            { DeleteRequest: { Key: { pk, sk: 'old' } } },
          ],
          [SECOND_TABLE]: [{ PutRequest: { Item: { id, state: 'SENT' } } }],
        },
      }),
    );
    const read = await client.send(
      new BatchGetCommand({
        RequestItems: {
          [TABLE]: {
            Keys: [
              { pk, sk: 'new' },
              { pk, sk: 'old' },
            ],
          },
          [SECOND_TABLE]: {
            Keys: [{ id }],
            ProjectionExpression: '#s',
            ExpressionAttributeNames: { '#s': 'state' },
          },
        },
      }),
    );

    // Assess
    expect(Object.values(written.UnprocessedItems ?? {}).flat()).toEqual([]);
    expect(read.Responses?.[TABLE]).toEqual([{ pk, sk: 'new', tags: new Set(['x']) }]);
    expect(read.Responses?.[SECOND_TABLE]).toEqual([{ state: 'SENT' }]);
  });

  it('refuses a conditional write with the item it saw, named as the SDK names it', async () => {
    // Prepare
    const key = { pk: partition('condition'), sk: 'STATE' };
    await client.send(new PutCommand({ TableName: TABLE, Item: { ...key, fence: 7 } }));

    // Act
    const refusal = await client
      .send(
        new UpdateCommand({
          TableName: TABLE,
          Key: key,
          UpdateExpression: 'SET fence = :mine',
          ConditionExpression: 'attribute_not_exists(fence)',
          ExpressionAttributeValues: { ':mine': 8 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      .catch((error: unknown) => error);

    // Assess: the item in DynamoDB's attribute values, as the SDK leaves it on its exception
    expect(isConditionalCheckFailed(refusal)).toBe(true);
    expect(isConditionalCheckFailed(refusal) && refusal.Item).toEqual({
      pk: { S: key.pk },
      sk: { S: 'STATE' },
      fence: { N: '7' },
    });
  });

  it('cancels a transaction with a reason per item, the refused one carrying its item', async () => {
    // Prepare
    const pk = partition('transaction');
    await client.send(new PutCommand({ TableName: TABLE, Item: { pk, sk: 'taken', owner: 'them' } }));

    // Act
    const refusal = await client
      .send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: TABLE, Item: { pk, sk: 'mine', owner: 'me' } } },
            {
              Update: {
                TableName: TABLE,
                Key: { pk, sk: 'taken' },
                UpdateExpression: 'SET #o = :me',
                ConditionExpression: '#o = :me',
                ExpressionAttributeNames: { '#o': 'owner' },
                ExpressionAttributeValues: { ':me': 'me' },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      )
      .catch((error: unknown) => error);
    const { Item: mine } = await client.send(new GetCommand({ TableName: TABLE, Key: { pk, sk: 'mine' } }));

    // Assess: nothing written, and the reasons in TransactItems' order
    expect(isTransactionCanceled(refusal)).toBe(true);
    const reasons = isTransactionCanceled(refusal) ? refusal.CancellationReasons : undefined;
    expect(reasons?.map((reason) => reason.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(reasons?.[1]?.Item).toEqual({ pk: { S: pk }, sk: { S: 'taken' }, owner: { S: 'them' } });
    expect(mine).toBeUndefined();
  });

  it('answers the same values as the other client for the same items', async () => {
    // Prepare: written by the other client
    const other = client === lean ? sdk : lean;
    const key = { pk: partition('parity'), sk: 'STATE' };
    await other.send(new PutCommand({ TableName: TABLE, Item: { ...key, ...EVERY_KIND } }));

    // Act
    const { Item: mine } = await client.send(new GetCommand({ TableName: TABLE, Key: key }));
    const { Item: theirs } = await other.send(new GetCommand({ TableName: TABLE, Key: key }));

    // Assess
    expect(comparable(mine)).toEqual(comparable(theirs));
    expect(mine).toEqual({ ...key, ...EVERY_KIND });
  });
});

describe('LeanDocumentClient’s retries', () => {
  /** A lean client whose wire the test breaks, with no backoff to wait through. */
  const brokenAt = (wire: Pick<LeanDocumentClientOptions, 'wire'>) =>
    new LeanDocumentClient({
      endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      retryDelayMs: () => 0,
      ...wire,
    });

  it('sends a write again when its answer was lost after DynamoDB acted, and the retry meets its own write', async () => {
    // Prepare: the first answer lost after DynamoDB wrote the item
    let sent = 0;
    const client = brokenAt({
      wire: async (_operation, _input, attempt) => {
        sent += 1;
        const answer = await attempt();
        if (sent === 1) {
          throw new AwsServiceError('TimeoutError', 'the answer was lost', { retryable: true });
        }
        return answer;
      },
    });
    const key = { pk: partition('lost'), sk: 'STATE' };

    // Act: a create-once write, as the ledger's claims are
    const refusal = await client
      .send(
        new PutCommand({
          TableName: TABLE,
          Item: { ...key, fence: 'mine' },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      .catch((error: unknown) => error);
    client.destroy();

    // Assess: sent twice; the retry refused, showing the write that was ours (the fence an adapter checks)
    expect(sent).toBe(2);
    expect(isConditionalCheckFailed(refusal) && refusal.Item?.fence).toEqual({ S: 'mine' });
  });

  it('tries three times through throttling, then gives up with DynamoDB’s error', async () => {
    // Prepare
    let sent = 0;
    const client = brokenAt({
      wire: async () => {
        sent += 1;
        throw new AwsServiceError('ProvisionedThroughputExceededException', 'slow down', {
          statusCode: 400,
          retryable: true,
        });
      },
    });

    // Act
    const failure = await client
      .send(new GetCommand({ TableName: TABLE, Key: { pk: 'x', sk: 'y' } }))
      .catch((error: unknown) => error);
    client.destroy();

    // Assess
    expect(sent).toBe(3);
    expect((failure as Error).name).toBe('ProvisionedThroughputExceededException');
  });

  it('never sends a refused request again', async () => {
    // Prepare: an expression DynamoDB refuses
    let sent = 0;
    const client = brokenAt({
      wire: (_operation, _input, attempt) => {
        sent += 1;
        return attempt();
      },
    });

    // Act
    const failure = await client
      .send(
        new UpdateCommand({
          TableName: TABLE,
          Key: { pk: partition('invalid'), sk: 'STATE' },
          UpdateExpression: 'SET n = :missing',
        }),
      )
      .catch((error: unknown) => error);
    client.destroy();

    // Assess
    expect(sent).toBe(1);
    expect((failure as Error).name).toBe('ValidationException');
  });

  it('carries the local stack’s chaos switch inside its retries: each attempt drawn, each fault named', async () => {
    // Prepare: every DynamoDB call faulted, as `npm start -- --faults dynamodb=1` does
    const faults = new FaultInjector({ dynamodb: 1 }, 16);
    const client = brokenAt({ wire: dynamoDbFaultWire(faults) });
    const key = { pk: partition('chaos'), sk: 'STATE' };

    // Act
    const failure = await client
      .send(new PutCommand({ TableName: TABLE, Item: { ...key, n: 1 } }))
      .catch((error: unknown) => error);
    client.destroy();
    const { Item: written } = await lean.send(new GetCommand({ TableName: TABLE, Key: key }));

    // Assess: three attempts, three faults; the item there exactly when a fault let the write through
    const { injected, services } = faults.snapshot();
    expect(services.dynamodb.calls).toBe(3);
    expect(injected).toBe(3);
    expect(['ProvisionedThroughputExceededException', 'InternalServerError', 'TimeoutError']).toContain(
      (failure as Error).name,
    );
    const actedThenLost = services.dynamodb['acted-then-timeout'] > 0;
    expect(written).toEqual(actedThenLost ? { ...key, n: 1 } : undefined);
  });
});
