/**
 * Where the chaos switch breaks the local stack: at the SDK and port boundary, so that what is exercised
 * is the production adapters' own handling (the SNS sender's "retry later" mapping, the SDK's retries,
 * the Connect throttling retry), not a shortcut written for the local stack.
 *
 * - SNS: the deployed functions' own Publish client (lean-publish.ts, one attempt), whose attempt is
 *   answered in-process by the local stand-in (the outbox) through its `wire` hook instead of going over
 *   HTTP; the fault, if one is drawn, is thrown as that client throws it.
 * - EventBridge: the deployed functions' own PutEvents client (lean-put-events.ts), whose attempt is
 *   answered in-process by the local bus through its `wire` hook, inside its retries; the fault is thrown
 *   as that client throws it.
 * - DynamoDB: the `wire` hook of the document client the local functions use (LeanDocumentClient, as on
 *   Lambda), inside its retries: throttling and 5xx are thrown before DynamoDB Local sees the request;
 *   `acted-then-timeout` lets the request through and throws after DynamoDB Local has done it.
 * - Connect: a wrapper around the simulator behind the ContactCentre port, throwing what the Connect
 *   adapter would throw.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  PutEventsInput,
  PutEventsOutput,
  PutEventsSender,
} from '#adapters/eventbridge/event-publisher.js';
import { eventBridgeJsonClient, putEventsOver } from '#adapters/eventbridge/lean-put-events.js';
import { AwsServiceError, standardRetryDelayMs } from '#adapters/signed-json/aws-json-client.js';
import { publishOver, snsQueryClient } from '#adapters/sns/lean-publish.js';
import type { PublishCommandInput, SnsPublish } from '#adapters/sns/publish.js';
import type { ContactCentre, OutgoingSms } from '#core/ports.js';
import { PutEventsRequestError } from '#local/bus/put-events.js';
import type { FaultInjector, FaultKind, FaultService } from './fault-plan.js';

const LOCAL = {
  region: 'eu-central-1',
  credentials: { accessKeyId: 'peaklinelocal', secretAccessKey: 'peaklinelocal' },
} as const;

/** An error shaped as the AWS SDK throws it, so the SDK's retry strategy and the adapters classify it. */
export const awsError = (
  name: string,
  httpStatusCode: number | undefined,
  message: string,
): Error & { $fault: 'client' | 'server'; $metadata: { httpStatusCode?: number } } =>
  Object.assign(new Error(message), {
    name,
    $fault: (httpStatusCode ?? 500) >= 500 ? ('server' as const) : ('client' as const),
    $metadata: httpStatusCode === undefined ? {} : { httpStatusCode },
  });

/**
 * What the HTTP handler throws when the answer does not come in time: the SDK calls it transient and
 * may try again, though the remote side has already acted.
 */
export const timeoutAfterActing = (service: FaultService) =>
  Object.assign(
    awsError(
      'TimeoutError',
      undefined,
      `injected fault: ${service} did the work but the answer timed out (--faults)`,
    ),
    { code: 'ETIMEDOUT' },
  );

/** The fault thrown before the remote side does anything, as each service names it. */
const refusal = (service: FaultService, kind: Exclude<FaultKind, 'acted-then-timeout'>): Error => {
  const note = `injected fault (--faults ${service})`;
  if (kind === 'throttling') {
    switch (service) {
      case 'sns':
        return awsError('ThrottledException', 429, `Rate exceeded: ${note}`);
      case 'dynamodb':
        return awsError(
          'ProvisionedThroughputExceededException',
          400,
          `The level of configured provisioned throughput for the table was exceeded: ${note}`,
        );
      default:
        return awsError('ThrottlingException', 429, `Rate exceeded: ${note}`);
    }
  }
  switch (service) {
    case 'sns':
      return awsError('InternalErrorException', 500, `Internal error: ${note}`);
    case 'events':
      return awsError('InternalException', 500, `Internal error: ${note}`);
    case 'connect':
      return awsError('InternalServiceException', 500, `Internal service error: ${note}`);
    case 'dynamodb':
      return awsError('InternalServerError', 500, `Internal server error: ${note}`);
  }
};

/**
 * Runs `act` as `service` would with the drawn fault: refuses before acting, or acts and then throws as
 * a timeout would.
 */
export const withFault = async <T>(
  faults: FaultInjector,
  service: FaultService,
  act: () => Promise<T>,
): Promise<T> => {
  const fault = faults.draw(service);
  if (fault === 'throttling' || fault === 'server-error') throw refusal(service, fault);
  const result = await act();
  if (fault === 'acted-then-timeout') throw timeoutAfterActing(service);
  return result;
};

/** Which SMS a Publish carries: the adapter sends only phone and text, the outbox wants kind and order. */
const publishing = new AsyncLocalStorage<OutgoingSms>();

/** Runs the SNS adapter's `send` with the SMS in context, for the stand-in to record what it accepts. */
export const withSmsContext = <T>(sms: OutgoingSms, send: () => Promise<T>): Promise<T> =>
  publishing.run(sms, send);

export interface AcceptedSms {
  readonly messageId: string;
  readonly input: PublishCommandInput;
  /** The SMS the adapter was asked to send, when it was sent through `withSmsContext`. */
  readonly sms: OutgoingSms | undefined;
  /** Set when the caller is told the send failed although SNS accepted it. */
  readonly answeredWith?: string;
}

/**
 * SNS's stand-in: the deployed functions' Publish (lean-publish.ts), whose one attempt is accepted
 * in-process through the client's `wire` hook (nothing goes over HTTP). Every message it accepts goes to
 * `accept` (the outbox) with its message id, including one whose answer is then lost to an injected
 * timeout, so the outbox is the truth about what reached a phone. No retries, as on AWS: a retried
 * Publish could send an SMS twice, so a failure goes back to the caller (and its queue).
 */
export const localSnsPublish = (options: {
  readonly faults: FaultInjector;
  readonly accept: (sms: AcceptedSms) => void;
}): SnsPublish => {
  let counter = 0;
  return publishOver(
    snsQueryClient({
      ...LOCAL,
      wire: async (_operation, input) => {
        const fault = options.faults.draw('sns');
        if (fault === 'throttling' || fault === 'server-error') throw asWireError(refusal('sns', fault));
        const messageId = `local-${(++counter).toString().padStart(7, '0')}`;
        const timeout = fault === 'acted-then-timeout' ? timeoutAfterActing('sns') : undefined;
        options.accept({
          messageId,
          input: input as PublishCommandInput,
          sms: publishing.getStore(),
          ...(timeout ? { answeredWith: timeout.name } : {}),
        });
        if (timeout) throw asWireError(timeout);
        return { MessageId: messageId };
      },
    }),
  );
};

/**
 * What the signed JSON client throws at the wire for an error of the stand-in: an injected fault
 * (retryable, as a 5xx, throttling or a lost answer is) or a request the bus refuses as a whole (a 400,
 * not retried), so the client retries and backs off as it does on AWS.
 */
const asWireError = (error: unknown): unknown => {
  if (error instanceof PutEventsRequestError) {
    return new AwsServiceError(error.type, error.message, { statusCode: 400, retryable: false });
  }
  if (error instanceof Error && '$metadata' in error) {
    const { httpStatusCode } = (error as Error & { $metadata: { httpStatusCode?: number } }).$metadata;
    return new AwsServiceError(error.name, error.message, {
      ...(httpStatusCode === undefined ? {} : { statusCode: httpStatusCode }),
      retryable: true,
    });
  }
  return error;
};

/**
 * EventBridge's stand-in for peakline's own facts: the deployed functions' PutEvents client, whose
 * attempts are put on the local bus in-process (nothing goes over HTTP), with its retries and their
 * backoff on the virtual clock.
 */
export const localPutEvents = (options: {
  readonly faults: FaultInjector;
  readonly speed: number;
  readonly putEvents: (input: PutEventsInput) => Promise<PutEventsOutput>;
}): PutEventsSender =>
  putEventsOver(
    eventBridgeJsonClient({
      ...LOCAL,
      retryDelayMs: (attempt, error) => standardRetryDelayMs(attempt, error) / options.speed,
      wire: async (_operation, input) => {
        try {
          return {
            ...(await withFault(options.faults, 'events', () => options.putEvents(input as PutEventsInput))),
          };
        } catch (error) {
          throw asWireError(error);
        }
      },
    }),
  );

/**
 * DynamoDB faults on the document client the local functions use (the deployed functions' own,
 * LeanDocumentClient), next to the wire: inside its retries, as its `wire` hook.
 */
export const dynamoDbFaultWire =
  (faults: FaultInjector) =>
  (_operation: string, _input: object, attempt: () => Promise<Record<string, unknown>>) =>
    withFault(faults, 'dynamodb', attempt);

/** The simulator behind the ContactCentre port, failing as Connect does. */
export const faultyContactCentre = (centre: ContactCentre, faults: FaultInjector): ContactCentre => ({
  getCurrentMetrics: (queueIds) => withFault(faults, 'connect', () => centre.getCurrentMetrics(queueIds)),
  startTask: (task) => withFault(faults, 'connect', () => centre.startTask(task)),
  createUser: (user) => withFault(faults, 'connect', () => centre.createUser(user)),
  findUserId: (username) => withFault(faults, 'connect', () => centre.findUserId(username)),
  deleteUser: (userId) => withFault(faults, 'connect', () => centre.deleteUser(userId)),
  updateUserRoutingProfile: (userId, profileId) =>
    withFault(faults, 'connect', () => centre.updateUserRoutingProfile(userId, profileId)),
});
