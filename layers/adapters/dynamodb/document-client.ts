/**
 * The DynamoDB document client as a port: the commands the adapters send, in the SDK document client's
 * shapes and names (GetCommand, UpdateCommand, TransactWriteCommand, …: plain values in, plain values
 * out), and a `send` that carries them. This file loads no SDK code (its SDK imports are types only), so
 * an adapter written against it costs a function nothing at its cold start.
 *
 * Two clients carry the commands:
 * - LeanDocumentClient (lean-document-client.ts): one signed JSON request per command, on node's own
 *   https. What every deployed function uses: the SDK's DynamoDB client and document client were 60 to
 *   90 ms of each function's cold start (bench/results.md).
 * - BridgedDocumentClient (sdk-document-client.ts): the SDK's DynamoDBDocumentClient, which also takes
 *   these commands. The local stack and the tests use it where they break the world at the SDK's wire
 *   (middleware that throttles, or loses an answer after DynamoDB acted) and assert with SDK commands.
 *
 * Errors are told by name (isConditionalCheckFailed, isTransactionCanceled): both clients throw an Error
 * named by DynamoDB's error code, with the item a failed condition returned (`Item`) and a cancelled
 * transaction's `CancellationReasons` as DynamoDB answered them (attribute values, as the SDK leaves them).
 */
import type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  BatchWriteCommandInput,
  BatchWriteCommandOutput,
  DeleteCommandInput,
  DeleteCommandOutput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  PutCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  TransactWriteCommandInput,
  TransactWriteCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { type Answer, ServiceCommand } from '#adapters/service-command.js';

/** The DynamoDB operations the adapters use. */
export type DocumentOperation =
  | 'GetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'Query'
  | 'Scan'
  | 'BatchGetItem'
  | 'BatchWriteItem'
  | 'TransactWriteItems';

/** One DynamoDB command (service-command.ts). */
export abstract class DocumentCommand<Input extends object, Output extends object> extends ServiceCommand<
  DocumentOperation,
  Input,
  Output
> {}

export class GetCommand extends DocumentCommand<GetCommandInput, Answer<GetCommandOutput>> {
  readonly operation = 'GetItem';
}
export class PutCommand extends DocumentCommand<PutCommandInput, Answer<PutCommandOutput>> {
  readonly operation = 'PutItem';
}
export class UpdateCommand extends DocumentCommand<UpdateCommandInput, Answer<UpdateCommandOutput>> {
  readonly operation = 'UpdateItem';
}
export class DeleteCommand extends DocumentCommand<DeleteCommandInput, Answer<DeleteCommandOutput>> {
  readonly operation = 'DeleteItem';
}
export class QueryCommand extends DocumentCommand<QueryCommandInput, Answer<QueryCommandOutput>> {
  readonly operation = 'Query';
}
export class ScanCommand extends DocumentCommand<ScanCommandInput, Answer<ScanCommandOutput>> {
  readonly operation = 'Scan';
}
export class BatchGetCommand extends DocumentCommand<BatchGetCommandInput, Answer<BatchGetCommandOutput>> {
  readonly operation = 'BatchGetItem';
}
export class BatchWriteCommand extends DocumentCommand<
  BatchWriteCommandInput,
  Answer<BatchWriteCommandOutput>
> {
  readonly operation = 'BatchWriteItem';
}
export class TransactWriteCommand extends DocumentCommand<
  TransactWriteCommandInput,
  Answer<TransactWriteCommandOutput>
> {
  readonly operation = 'TransactWriteItems';
}

export type { PutCommandInput, QueryCommandInput, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';

/** What the adapters need of a document client. */
export interface DocumentClient {
  send<Input extends object, Output extends object>(command: DocumentCommand<Input, Output>): Promise<Output>;
}

/** An attribute value as DynamoDB answers it in an error (`{ S: 'x' }`, `{ N: '1' }`, …). */
export type AttributeValues = Record<string, unknown>;

const named = (error: unknown, name: string): boolean => error instanceof Error && error.name === name;

/** A conditional write refused: the item it saw is `Item` when ReturnValuesOnConditionCheckFailure asked for it. */
export const isConditionalCheckFailed = (
  error: unknown,
): error is Error & { readonly Item?: AttributeValues } => named(error, 'ConditionalCheckFailedException');

export interface CancellationReason {
  readonly Code?: string;
  readonly Message?: string;
  readonly Item?: AttributeValues;
}

/** A transaction refused as a whole; a reason per item, in the order of TransactItems. */
export const isTransactionCanceled = (
  error: unknown,
): error is Error & { readonly CancellationReasons?: readonly CancellationReason[] } =>
  named(error, 'TransactionCanceledException');

/** The table is being created (ResourceInUseException), for the code that creates tables. */
export const isResourceInUse = (error: unknown): boolean => named(error, 'ResourceInUseException');
