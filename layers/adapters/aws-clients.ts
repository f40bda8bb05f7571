/**
 * SDK clients, built once per execution environment and shared by every invocation: building a client
 * costs more than most of the work a single event needs. The endpoint can be overridden (the local
 * stack and the integration tests point DynamoDB at DynamoDB Local) through the SDK's own
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, so no code path differs between the worlds.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let documentClient: DynamoDBDocumentClient | undefined;
let sqsClient: SQSClient | undefined;

export const getDocumentClient = (): DynamoDBDocumentClient => {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
};

export const getSqsClient = (): SQSClient => {
  sqsClient ??= new SQSClient({});
  return sqsClient;
};
