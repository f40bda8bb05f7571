/**
 * The adapters' commands (document-client.ts) carried by the SDK's DynamoDBDocumentClient. For the local
 * stack, the CLIs and the tests, not for a deployed function (those use LeanDocumentClient): the CLIs
 * find an operator's credentials through the SDK's whole chain (profiles, SSO), and the local stack and
 * the tests break the world at the SDK's wire (a middleware that throttles, or that loses an answer after
 * DynamoDB acted, inside the SDK's retries).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as sdk from '@aws-sdk/lib-dynamodb';
import type { DocumentClient, DocumentCommand, DocumentOperation } from './document-client.js';

// The SDK's command classes differ in their input types; each is given its own command's input.
type SdkCommand = new (input: never) => unknown;

const SDK_COMMANDS: Record<DocumentOperation, SdkCommand> = {
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

  async send<Input extends object, Output extends object>(
    command: DocumentCommand<Input, Output>,
  ): Promise<Output> {
    const Command = SDK_COMMANDS[command.operation];
    return (await this.sdk.send(new Command(command.input as never) as never)) as unknown as Output;
  }

  destroy(): void {
    this.sdk.destroy();
  }
}
