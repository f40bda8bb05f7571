/**
 * DynamoDB for a handler's unit test: the fake JSON endpoint (fake-aws-json.ts) answering each request as
 * the test says, and the requests read back in the document client's terms (plain values, not wire
 * attribute values), so a test asserts the item a handler wrote as it would read it in the table.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { awsError, type FakeAnswer, type FakeAwsJson, type ReceivedRequest } from './fake-aws-json.js';

type Plain = Record<string, unknown>;
type Wire = Record<string, AttributeValue>;

/** A request as the document client was given it: its items, keys and values as plain values. */
export interface DocumentInput {
  readonly [member: string]: unknown;
  readonly Item?: Plain;
  readonly Key?: Plain;
  readonly ExpressionAttributeValues?: Plain;
}

/**
 * An empty table that accepts every write: each operation's answer when nothing is stored and no
 * condition fails (no item, no items, nothing unprocessed).
 */
export const nothingStored = (request: ReceivedRequest): FakeAnswer => {
  switch (request.operation) {
    case 'Query':
    case 'Scan':
      return { body: { Items: [], Count: 0, ScannedCount: 0 } };
    case 'BatchGetItem':
      return { body: { Responses: {}, UnprocessedKeys: {} } };
    case 'BatchWriteItem':
      return { body: { UnprocessedItems: {} } };
    default:
      return { body: {} };
  }
};

/**
 * DynamoDB's refusal of a write whose condition failed, with the stored item when the request asked for it
 * (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`).
 */
export const conditionalCheckFailed = (message: string, storedItem?: Plain): FakeAnswer => {
  const refusal = awsError(400, 'ConditionalCheckFailedException', message) as {
    readonly status: number;
    readonly body: Plain;
  };
  return storedItem === undefined
    ? refusal
    : { ...refusal, body: { ...refusal.body, Item: marshall(storedItem) } };
};

/** DynamoDB's answer to a caller above the table's capacity (retried by the client, as by the SDK). */
export const throughputExceeded = (message = 'slow down'): FakeAnswer =>
  awsError(400, 'ProvisionedThroughputExceededException', message);

const plain = (wire: unknown): Plain => unmarshall(wire as Wire) as Plain;

const withPlain = (input: Plain, members: readonly string[]): Plain => {
  const out: Plain = { ...input };
  for (const member of members) {
    if (input[member] !== undefined) out[member] = plain(input[member]);
  }
  return out;
};

const mapEntries = (record: unknown, map: (value: unknown) => unknown): Plain =>
  Object.fromEntries(Object.entries((record ?? {}) as Plain).map(([key, value]) => [key, map(value)]));

/** A request's body with its attribute values as plain values: the input a document client was given. */
export const documentInput = (request: ReceivedRequest): DocumentInput => {
  const body = request.body;
  switch (request.operation) {
    case 'BatchWriteItem':
      return {
        ...body,
        RequestItems: mapEntries(body.RequestItems, (writes) =>
          (writes as Plain[]).map((write) => {
            const { PutRequest: put, DeleteRequest: del } = write as {
              PutRequest?: Plain;
              DeleteRequest?: Plain;
            };
            if (put) return { PutRequest: withPlain(put, ['Item']) };
            if (del) return { DeleteRequest: withPlain(del, ['Key']) };
            return write;
          }),
        ),
      };
    case 'BatchGetItem':
      return {
        ...body,
        RequestItems: mapEntries(body.RequestItems, (entry) => ({
          ...(entry as Plain),
          Keys: ((entry as { Keys?: unknown[] }).Keys ?? []).map(plain),
        })),
      };
    default:
      return withPlain(body, ['Item', 'Key', 'ExpressionAttributeValues', 'ExclusiveStartKey']);
  }
};

/** The inputs of every request of one operation (`PutItem`, `UpdateItem`, …) the fake received, in order. */
export const documentInputs = (fake: FakeAwsJson, operation: string): DocumentInput[] =>
  fake.requests.filter((request) => request.operation === operation).map(documentInput);
