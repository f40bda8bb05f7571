/**
 * The two reads of the functions a caller waits on (the router, the order lookup) on the lean document
 * client, with their own, shorter tries: no backoff between attempts (each attempt's deadline has
 * already waited, and the caller's flow has a deadline of its own), and whatever attempts and deadlines
 * the function sets.
 */
import type { GetInput, QueryInput, QueryPage, DocumentItem, DocumentReads } from './document-reads.js';
import { GetCommand, QueryCommand } from './document-client.js';
import { LeanDocumentClient, type LeanDocumentClientOptions } from './lean-document-client.js';

export type LeanDynamoDbOptions = Omit<LeanDocumentClientOptions, 'retryDelayMs' | 'wire'>;

export class LeanDynamoDb implements DocumentReads {
  readonly #client: LeanDocumentClient;

  constructor(options: LeanDynamoDbOptions = {}) {
    this.#client = new LeanDocumentClient({
      maxAttempts: 2,
      connectionTimeoutMs: 1_000,
      attemptTimeoutMs: 3_000,
      ...options,
      retryDelayMs: () => 0,
    });
  }

  /** Where the requests go (for the log of a test, and to check the endpoint variables were read). */
  get endpoint(): URL {
    return this.#client.endpoint;
  }

  get(input: GetInput): Promise<{ Item?: DocumentItem }> {
    return this.#client.send(new GetCommand(input));
  }

  query(input: QueryInput): Promise<QueryPage> {
    return this.#client.send(new QueryCommand(input));
  }

  destroy(): void {
    this.#client.destroy();
  }
}
