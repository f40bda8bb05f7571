/**
 * SDK clients, built once per execution environment and shared by every invocation: building a client
 * costs more than most of the work a single event needs. The endpoint can be overridden (the local
 * stack and the integration tests point DynamoDB at DynamoDB Local) through the SDK's own
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, so no code path differs between the worlds.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let documentClient: DynamoDBDocumentClient | undefined;
let snsClient: SNSClient | undefined;
let dynamoClient: DynamoDBClient | undefined;

export const getDocumentClient = (): DynamoDBDocumentClient => {
  documentClient ??= DynamoDBDocumentClient.from(getDynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
};

export const getDynamoClient = (): DynamoDBClient => {
  dynamoClient ??= new DynamoDBClient({});
  return dynamoClient;
};

/**
 * SNS without the SDK's own retries: a Publish whose answer was lost (a timeout, a 5xx after SNS took
 * the message) retried by the SDK would send the SMS twice. Retries go through the queue, after the
 * ledger has said whether the SMS may go again.
 */
export const SNS_MAX_ATTEMPTS = 1;

export const getSnsClient = (): SNSClient => {
  snsClient ??= new SNSClient({ maxAttempts: SNS_MAX_ATTEMPTS });
  return snsClient;
};
