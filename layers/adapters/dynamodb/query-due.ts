import { type DocumentClient, QueryCommand } from './document-client.js';

export interface DueQuery {
  readonly tableName: string;
  /** A sparse index: only items with something still to do carry its partition attribute. */
  readonly indexName: string;
  readonly partition: { readonly name: string; readonly value: string };
  /** The index's sort key and the largest value that is due (in the unit the items store). */
  readonly sortKey: { readonly name: string; readonly upTo: number };
  readonly limit: number;
}

/**
 * The items of a sparse "due" index whose time has come, earliest first, at most `limit`, across pages:
 * the shape every sweeper here reads (seats to revoke, callbacks to make, deferred SMS to send).
 */
export const queryDue = async (
  client: DocumentClient,
  query: DueQuery,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  while (items.length < query.limit) {
    const page = await client.send(
      new QueryCommand({
        TableName: query.tableName,
        IndexName: query.indexName,
        KeyConditionExpression: '#partition = :partition AND #sortKey <= :upTo',
        ExpressionAttributeNames: { '#partition': query.partition.name, '#sortKey': query.sortKey.name },
        ExpressionAttributeValues: { ':partition': query.partition.value, ':upTo': query.sortKey.upTo },
        Limit: query.limit - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
    if (startKey === undefined) break;
  }
  return items;
};
