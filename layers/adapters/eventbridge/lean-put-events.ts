/**
 * PutEvents on the signed JSON request (aws-json-client.ts), for the deployed functions: EventBridge
 * speaks AWS JSON 1.1 (`X-Amz-Target: AWSEvents.PutEvents`, signed for `events`), so a fact is one POST.
 *
 * Why not the SDK: each SDK client is ~25 to 30 ms of a function's cold start and 30 ms more at its first
 * call (bench/results.md), and the functions that publish facts reach DynamoDB without the SDK already.
 * What it keeps of the SDK's EventBridge client: the endpoint from `AWS_ENDPOINT_URL_EVENTBRIDGE` /
 * `AWS_ENDPOINT_URL`, three attempts with the standard jittered backoff, retried only when the failure may
 * pass (no answer, a dropped connection, a 5xx, throttling), never when EventBridge refused the request.
 * A retried PutEvents whose first answer was lost puts the fact twice, as the SDK's retries did.
 */
import {
  AwsJsonClient,
  type ServiceClientOptions,
  standardRetryDelayMs,
} from '#adapters/signed-json/aws-json-client.js';
import type { PutEventsOutput, PutEventsSender } from './event-publisher.js';

export type EventBridgeJsonOptions = ServiceClientOptions;

/** EventBridge's JSON protocol on the signed request. */
export const eventBridgeJsonClient = (options: EventBridgeJsonOptions = {}): AwsJsonClient =>
  new AwsJsonClient({
    service: { serviceId: 'EventBridge', endpointPrefix: 'events' },
    signingName: 'events',
    targetPrefix: 'AWSEvents',
    jsonVersion: '1.1',
    // The SDK's defaults: three attempts, the standard jittered backoff between them. Its deadlines are
    // the client's own (1 s to connect, 3 s for the answer): PutEvents answers in tens of milliseconds,
    // and a lost answer is then retried well within the publishing function's timeout.
    maxAttempts: 3,
    retryDelayMs: standardRetryDelayMs,
    ...options,
  });

/** PutEvents through `client`: the answer as EventBridge sends it, or the client's error. */
export const putEventsOver =
  (client: AwsJsonClient): PutEventsSender =>
  (input) =>
    client.call<PutEventsOutput>('PutEvents', input);
