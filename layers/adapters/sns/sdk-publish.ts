/**
 * Publish through the SDK's SNS client: what the adapters' unit tests mock (aws-sdk-client-mock, asserting
 * the exact PublishCommand inputs), and what an operator's tool would use (the SDK's whole credential
 * chain). Not for a deployed function, which publishes with lean-publish.ts. Build the client with
 * `maxAttempts: SNS_MAX_ATTEMPTS` (publish.ts) when it sends real SMS.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SnsPublish } from './publish.js';

export const sdkSnsPublish =
  (client: SNSClient): SnsPublish =>
  (input) =>
    client.send(new PublishCommand(input));
