import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentReads } from './document-reads.js';

/** The reads port on the SDK's document client: for the functions that carry the SDK anyway. */
export const sdkDocumentReads = (client: DynamoDBDocumentClient): DocumentReads => ({
  get: (input) => client.send(new GetCommand(input)),
  query: (input) => client.send(new QueryCommand(input)),
});
