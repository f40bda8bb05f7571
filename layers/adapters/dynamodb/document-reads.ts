/**
 * The two reads the caller-path functions make (GetItem, Query), in the document client's shapes (plain
 * values, not attribute values), as a port: the readers of the routing state and the order index are
 * written once against it, and run on any document client (`documentReads`: the controller, the order SMS,
 * the local stack) or on the lean reads with a caller's short tries (the router and the order lookup:
 * `LeanDynamoDb`). This file loads no SDK.
 */
import { type DocumentClient, GetCommand, QueryCommand } from './document-client.js';

export type DocumentItem = Record<string, unknown>;

export interface GetInput {
  readonly TableName: string;
  readonly Key: DocumentItem;
  readonly ProjectionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ConsistentRead?: boolean;
}

export interface QueryInput {
  readonly TableName: string;
  readonly IndexName?: string;
  readonly KeyConditionExpression: string;
  readonly FilterExpression?: string;
  readonly ProjectionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: DocumentItem;
  readonly ConsistentRead?: boolean;
  readonly ScanIndexForward?: boolean;
  readonly Limit?: number;
  readonly ExclusiveStartKey?: DocumentItem;
}

export interface QueryPage {
  readonly Items?: DocumentItem[];
  readonly LastEvaluatedKey?: DocumentItem;
}

export interface DocumentReads {
  get(input: GetInput): Promise<{ readonly Item?: DocumentItem }>;
  query(input: QueryInput): Promise<QueryPage>;
}

/** Every page of a Query, in order. */
export const queryAll = async (reads: DocumentReads, input: QueryInput): Promise<DocumentItem[]> => {
  const items: DocumentItem[] = [];
  let start: DocumentItem | undefined;
  do {
    const page = await reads.query(start === undefined ? input : { ...input, ExclusiveStartKey: start });
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
};

/** The reads port on a document client. */
export const documentReads = (client: DocumentClient): DocumentReads => ({
  get: (input) => client.send(new GetCommand(input)),
  query: (input) => client.send(new QueryCommand(input)),
});
