/**
 * SNS Publish on the signed request (aws-json-client.ts's AwsSignedClient), for the deployed functions:
 * SNS speaks the AWS query protocol (signed-json/aws-query-protocol.ts), so a Publish is one form POST
 * and its answer a few XML elements.
 *
 * Why not the SDK: SNS was the last SDK client of order-sms, sms-release and deflection-sms-sender (and
 * one of seat-digest's, callback-sweeper's and overflow-controller's). On the benchmark's machine it cost
 * order-sms about 30 ms of load and 25 ms more at its first Publish, with the function 150 ms over a bare
 * node against a 100 ms budget (bench/results.md); its bundle carried client-sns and its XML parser.
 * Measured A/B on the same tree (Publish through the SDK client vs this, bundles as deployed, one cold start
 * with its first invoke against a fake AWS): order-sms 686 -> 514 KiB, 890 -> 753 M instructions (valgrind),
 * 170 -> 130 ms of CPU (medians of 9 interleaved samples on a loaded 2-core machine); sms-release 299 ->
 * 127 KiB, 577 -> 479 M; deflection-sms-sender 532 -> 361 KiB, 723 -> 577 M; seat-digest 326 -> 154 KiB,
 * 681 -> 541 M.
 *
 * What it keeps of the SDK's client as peakline configured it: the endpoint from `AWS_ENDPOINT_URL_SNS`
 * / `AWS_ENDPOINT_URL`; one attempt (SNS_MAX_ATTEMPTS: a lost answer must not send an SMS twice); an
 * error named as the SDK names it (`ThrottledException`, `InvalidParameterException`, or the code itself
 * for one SNS's model does not list, such as `Throttling`), with the HTTP status where the SDK has it
 * (`$metadata.httpStatusCode`), which is what SnsSmsSender tells a refusal from an unknown outcome by.
 */
import { AwsSignedClient, type ServiceClientOptions } from '#adapters/signed-json/aws-json-client.js';
import { awsQueryProtocol, type QueryParameters } from '#adapters/signed-json/aws-query-protocol.js';
import { type PublishCommandInput, SNS_MAX_ATTEMPTS, type SnsPublish } from './publish.js';

/** SNS's API version, named by every request. */
export const SNS_API_VERSION = '2010-03-31';

/**
 * The SDK's exception name of each error code SNS's model declares (the code is what the query protocol's
 * answer carries; the SDK throws the exception named here). A code not listed keeps its own name.
 */
const SNS_ERROR_NAMES: Readonly<Record<string, string>> = {
  AuthorizationError: 'AuthorizationErrorException',
  BatchEntryIdsNotDistinct: 'BatchEntryIdsNotDistinctException',
  BatchRequestTooLong: 'BatchRequestTooLongException',
  ConcurrentAccess: 'ConcurrentAccessException',
  EmptyBatchRequest: 'EmptyBatchRequestException',
  EndpointDisabled: 'EndpointDisabledException',
  FilterPolicyLimitExceeded: 'FilterPolicyLimitExceededException',
  InternalError: 'InternalErrorException',
  InvalidBatchEntryId: 'InvalidBatchEntryIdException',
  InvalidParameter: 'InvalidParameterException',
  ParameterValueInvalid: 'InvalidParameterValueException',
  InvalidSecurity: 'InvalidSecurityException',
  InvalidState: 'InvalidStateException',
  KMSAccessDenied: 'KMSAccessDeniedException',
  KMSDisabled: 'KMSDisabledException',
  KMSInvalidState: 'KMSInvalidStateException',
  KMSNotFound: 'KMSNotFoundException',
  KMSOptInRequired: 'KMSOptInRequired',
  KMSThrottling: 'KMSThrottlingException',
  NotFound: 'NotFoundException',
  OptedOut: 'OptedOutException',
  PlatformApplicationDisabled: 'PlatformApplicationDisabledException',
  ReplayLimitExceeded: 'ReplayLimitExceededException',
  ResourceNotFound: 'ResourceNotFoundException',
  StaleTag: 'StaleTagException',
  SubscriptionLimitExceeded: 'SubscriptionLimitExceededException',
  TagLimitExceeded: 'TagLimitExceededException',
  TagPolicy: 'TagPolicyException',
  Throttled: 'ThrottledException',
  TooManyEntriesInBatchRequest: 'TooManyEntriesInBatchRequestException',
  TopicLimitExceeded: 'TopicLimitExceededException',
  UserError: 'UserErrorException',
  ValidationException: 'ValidationException',
  VerificationException: 'VerificationException',
};

export const snsErrorName = (code: string): string => SNS_ERROR_NAMES[code] ?? code;

/** Publish's text members in the order of SNS's model, each sent when set (MessageAttributes apart). */
export const PUBLISH_MEMBERS = [
  'TopicArn',
  'TargetArn',
  'PhoneNumber',
  'Message',
  'Subject',
  'MessageStructure',
  'MessageDeduplicationId',
  'MessageGroupId',
] as const;

/**
 * Publish's input as the query's parameters: each member set, and each message attribute as a map entry
 * (`MessageAttributes.entry.N.Name`, `.Value.DataType`, `.Value.StringValue` or `.Value.BinaryValue` in
 * base64), numbered from 1 in the object's order.
 */
export const publishParameters = (input: PublishCommandInput): QueryParameters => {
  const parameters: [string, string][] = [];
  for (const member of PUBLISH_MEMBERS) {
    const value = input[member];
    if (typeof value === 'string') parameters.push([member, value]);
  }
  let entry = 0;
  for (const [name, value] of Object.entries(input.MessageAttributes ?? {})) {
    if (value === undefined) continue;
    const prefix = `MessageAttributes.entry.${++entry}`;
    parameters.push([`${prefix}.Name`, name]);
    if (value.DataType !== undefined) parameters.push([`${prefix}.Value.DataType`, value.DataType]);
    if (value.StringValue !== undefined) parameters.push([`${prefix}.Value.StringValue`, value.StringValue]);
    if (value.BinaryValue !== undefined) {
      parameters.push([`${prefix}.Value.BinaryValue`, Buffer.from(value.BinaryValue).toString('base64')]);
    }
  }
  return parameters;
};

export type SnsQueryOptions = Omit<ServiceClientOptions, 'maxAttempts' | 'retryDelayMs'>;

/**
 * An SNS client on the signed query request. One attempt, always (no `maxAttempts` to pass). Deadlines,
 * which the SDK's client did not have (its handler waits as long as the connection lives): 1 s to connect
 * (a connection within the region is up in milliseconds) and 5 s for the answer. SNS answers a Publish in
 * tens of milliseconds; an answer 5 s late is most likely lost, and waiting longer only holds the batch
 * (order-sms has 30 s for ten records). Too short a deadline would cost more than it saves: the send it
 * abandons may have gone, so the SMS counts as an unknown outcome and is never sent again.
 */
export const snsQueryClient = (options: SnsQueryOptions = {}): AwsSignedClient =>
  new AwsSignedClient(
    {
      service: { serviceId: 'SNS', endpointPrefix: 'sns' },
      signingName: 'sns',
      connectionTimeoutMs: 1_000,
      attemptTimeoutMs: 5_000,
      ...options,
      maxAttempts: SNS_MAX_ATTEMPTS,
    },
    awsQueryProtocol({
      version: SNS_API_VERSION,
      parameters: (operation, input) => {
        if (operation !== 'Publish') throw new Error(`SNS ${operation} is not laid out here, only Publish`);
        return publishParameters(input as PublishCommandInput);
      },
      errorName: snsErrorName,
    }),
  );

/** Publish through `client`: SNS's answer (MessageId, and SequenceNumber on a FIFO topic), or its error. */
export const publishOver =
  (client: AwsSignedClient): SnsPublish =>
  (input) =>
    client.call<{ MessageId?: string; SequenceNumber?: string }>('Publish', input);
