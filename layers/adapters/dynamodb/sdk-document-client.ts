/**
 * The adapters' commands (document-client.ts) carried by the SDK's DynamoDBDocumentClient. For the CLIs and
 * some tests, not for a deployed function or the local stack (those use LeanDocumentClient): the CLIs find an
 * operator's credentials through the SDK's whole chain (profiles, SSO), and those tests break the world at
 * the SDK's wire (a middleware that throttles, or that loses an answer after DynamoDB acted, inside the SDK's
 * retries) or compare the lean client with the SDK's.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as sdk from '@aws-sdk/lib-dynamodb';
import { type SdkCommandClass, sendOnSdk } from '#adapters/service-command.js';
import type { DocumentClient, DocumentCommand, DocumentOperation } from './document-client.js';

const SDK_COMMANDS: Record<DocumentOperation, SdkCommandClass> = {
  GetItem: sdk.GetCommand,
  PutItem: sdk.PutCommand,
  UpdateItem: sdk.UpdateCommand,
  DeleteItem: sdk.DeleteCommand,
  Query: sdk.QueryCommand,
  Scan: sdk.ScanCommand,
  BatchGetItem: sdk.BatchGetCommand,
  BatchWriteItem: sdk.BatchWriteCommand,
  TransactWriteItems: sdk.TransactWriteCommand,
};

export class BridgedDocumentClient implements DocumentClient {
  /** The SDK's document client underneath, with undefined members dropped as the deployed client drops them. */
  readonly sdk: sdk.DynamoDBDocumentClient;

  private constructor(client: DynamoDBClient) {
    this.sdk = sdk.DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  static over(client: DynamoDBClient): BridgedDocumentClient {
    return new BridgedDocumentClient(client);
  }

  send<Input extends object, Output extends object>(
    command: DocumentCommand<Input, Output>,
  ): Promise<Output> {
    return sendOnSdk(SDK_COMMANDS, (sdkCommand) => this.sdk.send(sdkCommand), command);
  }

  destroy(): void {
    this.sdk.destroy();
  }
}
