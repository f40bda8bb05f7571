/**
 * The document client every deployed function uses: each command one signed JSON request
 * (aws-json-client.ts) with the SDK document client's marshalling (@aws-sdk/util-dynamodb, 5 KiB, no SDK
 * core), so an adapter reads and writes the same values as on the SDK's DynamoDBDocumentClient: numbers
 * as numbers, sets as Sets, undefined members dropped (removeUndefinedValues, as the SDK's was configured
 * here), an unsafe integer refused alike.
 *
 * Why: the SDK's DynamoDB client and document client were 60 to 90 ms of every such function's cold start
 * (bench/results.md, "What each module costs at load"); this file, aws4 and util-dynamodb are about 20 KiB.
 * What it keeps of the SDK's behaviour, which the adapters' promises lean on: three attempts, retried
 * after a jittered backoff when the failure may pass (no answer, a dropped connection, a 5xx,
 * throttling) and never when DynamoDB refused the request; so a write whose answer was lost is sent again
 * and met by its own fence, as with the SDK. Errors are named by DynamoDB's code and carry its `Item` and
 * `CancellationReasons` (document-client.ts).
 */
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type ServiceClientOptions,
  AwsJsonClient,
  standardRetryDelayMs,
} from '#adapters/signed-json/aws-json-client.js';
import type { DocumentClient, DocumentCommand } from './document-client.js';

export type LeanDocumentClientOptions = ServiceClientOptions;

type Plain = Record<string, unknown>;
type Attributes = Record<string, unknown>;

const toAttributes = (item: unknown): Attributes =>
  marshall(item as Plain, { removeUndefinedValues: true }) as Attributes;

const fromAttributes = (item: unknown): Plain =>
  unmarshall(item as Parameters<typeof unmarshall>[0]) as Plain;

/** `input[name]` marshalled when present; the other members as they are. */
const marshalled = (input: Plain, names: readonly string[]): Plain => {
  const out: Plain = { ...input };
  for (const name of names) {
    if (input[name] !== undefined) out[name] = toAttributes(input[name]);
  }
  return out;
};

const unmarshalled = (output: Plain, names: readonly string[]): Plain => {
  const out: Plain = { ...output };
  for (const name of names) {
    if (output[name] !== undefined && output[name] !== null) out[name] = fromAttributes(output[name]);
  }
  return out;
};

const mapValues = (record: unknown, map: (value: unknown) => unknown): Plain | undefined =>
  record === undefined || record === null
    ? undefined
    : Object.fromEntries(Object.entries(record as Plain).map(([key, value]) => [key, map(value)]));

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A BatchWriteItem request list (`PutRequest.Item`, `DeleteRequest.Key`) one way or the other. */
const writeRequests = (requests: unknown, convert: (item: unknown) => unknown): unknown[] =>
  list(requests).map((request) => {
    const { PutRequest: put, DeleteRequest: del } = request as {
      PutRequest?: { Item: unknown };
      DeleteRequest?: { Key: unknown };
    };
    if (put) return { PutRequest: { ...put, Item: convert(put.Item) } };
    if (del) return { DeleteRequest: { ...del, Key: convert(del.Key) } };
    return request;
  });

/** A BatchGetItem's keys per table (`Keys`), one way or the other. */
const keysAndAttributes = (perTable: unknown, convert: (item: unknown) => unknown): Plain | undefined =>
  mapValues(perTable, (value) => {
    const entry = value as { Keys?: unknown[] };
    return { ...entry, Keys: list(entry.Keys).map(convert) };
  });

const KEYED = ['Key', 'ExpressionAttributeValues'] as const;
const TRANSACT_ITEM_MEMBERS = {
  ConditionCheck: KEYED,
  Put: ['Item', 'ExpressionAttributeValues'],
  Delete: KEYED,
  Update: KEYED,
} as const;

const requestOf = (operation: string, input: Plain): Plain => {
  switch (operation) {
    case 'GetItem':
      return marshalled(input, ['Key']);
    case 'PutItem':
      return marshalled(input, ['Item', 'ExpressionAttributeValues']);
    case 'UpdateItem':
    case 'DeleteItem':
      return marshalled(input, KEYED);
    case 'Query':
    case 'Scan':
      return marshalled(input, ['ExpressionAttributeValues', 'ExclusiveStartKey']);
    case 'BatchGetItem':
      return { ...input, RequestItems: keysAndAttributes(input.RequestItems, toAttributes) };
    case 'BatchWriteItem':
      return {
        ...input,
        RequestItems: mapValues(input.RequestItems, (requests) => writeRequests(requests, toAttributes)),
      };
    case 'TransactWriteItems':
      return {
        ...input,
        TransactItems: list(input.TransactItems).map((item) =>
          Object.fromEntries(
            Object.entries(item as Plain).map(([kind, action]) => {
              const names = TRANSACT_ITEM_MEMBERS[kind as keyof typeof TRANSACT_ITEM_MEMBERS];
              return [kind, names ? marshalled(action as Plain, names) : action];
            }),
          ),
        ),
      };
    default:
      throw new Error(`LeanDocumentClient: no marshalling for ${operation}`);
  }
};

const outputOf = (operation: string, output: Plain): Plain => {
  switch (operation) {
    case 'GetItem':
      return unmarshalled(output, ['Item']);
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return unmarshalled(output, ['Attributes']);
    case 'Query':
    case 'Scan':
      return {
        ...unmarshalled(output, ['LastEvaluatedKey']),
        ...(output.Items === undefined ? {} : { Items: list(output.Items).map(fromAttributes) }),
      };
    case 'BatchGetItem': {
      const responses = mapValues(output.Responses, (items) => list(items).map(fromAttributes));
      const unprocessed = keysAndAttributes(output.UnprocessedKeys, fromAttributes);
      return {
        ...output,
        ...(responses ? { Responses: responses } : {}),
        ...(unprocessed ? { UnprocessedKeys: unprocessed } : {}),
      };
    }
    case 'BatchWriteItem': {
      const unprocessed = mapValues(output.UnprocessedItems, (requests) =>
        writeRequests(requests, fromAttributes),
      );
      return { ...output, ...(unprocessed ? { UnprocessedItems: unprocessed } : {}) };
    }
    default:
      return output;
  }
};

export class LeanDocumentClient implements DocumentClient {
  readonly #client: AwsJsonClient;

  constructor(options: LeanDocumentClientOptions = {}) {
    this.#client = new AwsJsonClient({
      service: { serviceId: 'DynamoDB', endpointPrefix: 'dynamodb' },
      signingName: 'dynamodb',
      targetPrefix: 'DynamoDB_20120810',
      jsonVersion: '1.0',
      // The SDK's defaults for DynamoDB: three attempts, the standard jittered backoff between them.
      maxAttempts: 3,
      retryDelayMs: standardRetryDelayMs,
      // No deadline of the SDK's own; one here so a lost answer is retried within a function's timeout.
      connectionTimeoutMs: 3_000,
      attemptTimeoutMs: 10_000,
      ...options,
    });
  }

  /** Where the requests go. */
  get endpoint(): URL {
    return this.#client.endpoint;
  }

  async send<Input extends object, Output extends object>(
    command: DocumentCommand<Input, Output>,
  ): Promise<Output> {
    const answer = await this.#client.call(
      command.operation,
      requestOf(command.operation, command.input as Plain),
    );
    return outputOf(command.operation, answer) as Output;
  }

  /** Closes the kept connections. */
  destroy(): void {
    this.#client.destroy();
  }
}
