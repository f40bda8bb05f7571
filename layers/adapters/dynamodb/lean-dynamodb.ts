/**
 * DynamoDB's GetItem and Query without the SDK: the signed JSON request (aws-json-client.ts) with the
 * document client's marshalling (@aws-sdk/util-dynamodb, 5 KiB and no SDK core), so a reader written for
 * the document client reads the same values here (numbers as numbers, sets as Sets, an unsafe integer
 * refused alike). For the functions a caller waits on through their cold start; everything else keeps the
 * SDK (aws-clients.ts).
 */
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type AwsCredentials,
  AwsJsonClient,
  type AwsJsonClientOptions,
} from '#adapters/signed-json/aws-json-client.js';
import type { DocumentItem, DocumentReads, GetInput, QueryInput, QueryPage } from './document-reads.js';

export type LeanDynamoDbOptions = Partial<
  Pick<
    AwsJsonClientOptions,
    'region' | 'endpoint' | 'maxAttempts' | 'connectionTimeoutMs' | 'attemptTimeoutMs' | 'env'
  >
> & { readonly credentials?: AwsCredentials };

type AttributeMap = Record<string, unknown>;

const toAttributes = (item: DocumentItem): AttributeMap =>
  marshall(item, { removeUndefinedValues: true }) as AttributeMap;

const fromAttributes = (item: unknown): DocumentItem | undefined =>
  item === undefined || item === null ? undefined : unmarshall(item as Parameters<typeof unmarshall>[0]);

export class LeanDynamoDb implements DocumentReads {
  readonly #client: AwsJsonClient;

  constructor(options: LeanDynamoDbOptions = {}) {
    this.#client = new AwsJsonClient({
      service: { serviceId: 'DynamoDB', endpointPrefix: 'dynamodb' },
      signingName: 'dynamodb',
      targetPrefix: 'DynamoDB_20120810',
      jsonVersion: '1.0',
      ...options,
    });
  }

  /** Where the requests go (for the log of a test, and to check the endpoint variables were read). */
  get endpoint(): URL {
    return this.#client.endpoint;
  }

  async get(input: GetInput): Promise<{ Item?: DocumentItem }> {
    const answer = await this.#client.call<{ Item?: unknown }>('GetItem', {
      ...input,
      Key: toAttributes(input.Key),
    });
    const Item = fromAttributes(answer.Item);
    return Item === undefined ? {} : { Item };
  }

  async query(input: QueryInput): Promise<QueryPage> {
    const { ExpressionAttributeValues: values, ExclusiveStartKey: start, ...rest } = input;
    const answer = await this.#client.call<{ Items?: unknown[]; LastEvaluatedKey?: unknown }>('Query', {
      ...rest,
      ...(values === undefined ? {} : { ExpressionAttributeValues: toAttributes(values) }),
      ...(start === undefined ? {} : { ExclusiveStartKey: toAttributes(start) }),
    });
    const Items = (answer.Items ?? []).flatMap((item) => {
      const read = fromAttributes(item);
      return read === undefined ? [] : [read];
    });
    const LastEvaluatedKey = fromAttributes(answer.LastEvaluatedKey);
    return LastEvaluatedKey === undefined ? { Items } : { Items, LastEvaluatedKey };
  }

  destroy(): void {
    this.#client.destroy();
  }
}
