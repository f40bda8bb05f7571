/**
 * SDK clients (SNS), built once per execution environment and shared by every invocation: building a client
 * costs more than most of the work a single event needs. The endpoint can be overridden (the local
 * stack and the integration tests point them elsewhere) through the SDK's own
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, so no code path differs between the worlds.
 */
import { SNSClient } from '@aws-sdk/client-sns';

let snsClient: SNSClient | undefined;

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
