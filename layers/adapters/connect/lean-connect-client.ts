/**
 * The Connect client every deployed function uses: each command (connect-commands.ts) one signed REST-JSON
 * request (rest-json-protocol.ts over aws-json-client.ts's AwsSignedClient), laid out as
 * @aws-sdk/client-connect lays it out (test/unit/adapters/lean-connect-client-parity.test.ts sends every
 * operation through both to one endpoint and compares what arrives, and what each reads back).
 *
 * Why: the SDK's ConnectClient was the largest module left in six functions (seat-sweeper,
 * seat-ttl-backstop, payment-issues, callback-sweeper, overflow-controller, monthly-report), which were
 * 125 to 225 ms over a bare node against a 100 ms budget: 55 ms of load alone, and its first call builds
 * the SDK's signer and endpoint resolver. Without it (deployed bundles, same tree otherwise): seat-sweeper
 * 459 -> 89 KiB, seat-ttl-backstop 465 -> 94, payment-issues 565 -> 193, overflow-controller 657 -> 437,
 * callback-sweeper 864 -> 635, monthly-report 222 KiB less; one cold start with its first invoke, in
 * instructions (valgrind, 3 runs each, load-proof): payment-issues 880 -> 638 M, seat-sweeper 668 -> 420 M,
 * overflow-controller 987 -> 763 M, callback-sweeper 941 -> 772 M.
 * This file and the protocol are a few KiB.
 *
 * What it keeps of the SDK client as the functions built it: one attempt (the adapters pace their calls
 * and retry throttling themselves, on Connect's small quotas; the SDK was built with `maxAttempts: 1`),
 * the endpoint from `AWS_ENDPOINT_URL_CONNECT` / `AWS_ENDPOINT_URL`, credentials from the environment
 * (Lambda's), errors named by Connect's code with `$fault` and `$metadata.httpStatusCode`, timestamps as
 * Dates.
 */
import { AwsSignedClient, type ServiceClientOptions } from '#adapters/signed-json/aws-json-client.js';
import { type RestJsonOperation, restJsonProtocol } from '#adapters/signed-json/rest-json-protocol.js';
import type { ConnectCommand, ConnectOperation, ConnectSender } from './connect-commands.js';

/**
 * Each operation's HTTP binding, from the SDK's model (@aws-sdk/client-connect 3.1136.0,
 * dist-es/schemas/schemas_0.js: the operation's `http` trait, its input members' httpLabel and
 * idempotencyToken traits, and the timestamp members of input and output).
 */
export const CONNECT_OPERATIONS: Readonly<Record<ConnectOperation, RestJsonOperation>> = {
  CreateUser: { method: 'PUT', uri: '/users/{InstanceId}', body: true },
  DeleteUser: { method: 'DELETE', uri: '/users/{InstanceId}/{UserId}', body: false },
  DescribeUser: {
    method: 'GET',
    uri: '/users/{InstanceId}/{UserId}',
    body: false,
    outputTimestamps: [['User', 'LastModifiedTime']],
  },
  SearchUsers: { method: 'POST', uri: '/search-users', body: true },
  UpdateUserRoutingProfile: {
    method: 'POST',
    uri: '/users/{InstanceId}/{UserId}/routing-profile',
    body: true,
  },
  StartTaskContact: {
    method: 'PUT',
    uri: '/contact/task',
    body: true,
    idempotencyToken: 'ClientToken',
    inputTimestamps: [['ScheduledTime']],
  },
  GetCurrentMetricData: {
    method: 'POST',
    uri: '/metrics/current/{InstanceId}',
    body: true,
    outputTimestamps: [['DataSnapshotTime']],
  },
  GetMetricDataV2: {
    method: 'POST',
    uri: '/metrics/data',
    body: true,
    inputTimestamps: [['StartTime'], ['EndTime']],
    outputTimestamps: [
      ['MetricResults', '[]', 'MetricInterval', 'StartTime'],
      ['MetricResults', '[]', 'MetricInterval', 'EndTime'],
    ],
  },
  SearchQuickConnects: {
    method: 'POST',
    uri: '/search-quick-connects',
    body: true,
    outputTimestamps: [['QuickConnects', '[]', 'LastModifiedTime']],
  },
  DeleteQuickConnect: { method: 'DELETE', uri: '/quick-connects/{InstanceId}/{QuickConnectId}', body: false },
};

export type LeanConnectClientOptions = ServiceClientOptions;

/**
 * The SDK client the functions built had no deadline of its own (only Lambda's timeout stopped a hung
 * call); these are generous next to a Connect call's usual few hundred milliseconds, and a function that
 * needs tighter (the overflow controller: 1 s and 3 s, as its SDK client had) says so.
 */
const CONNECTION_TIMEOUT_MS = 3_000;
const ATTEMPT_TIMEOUT_MS = 15_000;

export class LeanConnectClient implements ConnectSender {
  readonly #client: AwsSignedClient;

  constructor(options: LeanConnectClientOptions = {}) {
    this.#client = new AwsSignedClient(
      {
        service: { serviceId: 'Connect', endpointPrefix: 'connect' },
        signingName: 'connect',
        maxAttempts: 1,
        connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
        attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
        ...options,
      },
      restJsonProtocol(CONNECT_OPERATIONS),
    );
  }

  /** Where the requests go (the endpoint variables', or Connect's regional endpoint). */
  get endpoint(): URL {
    return this.#client.endpoint;
  }

  send<Input extends object, Output extends object>(command: ConnectCommand<Input, Output>): Promise<Output> {
    return this.#client.call<Output>(command.operation, command.input);
  }

  /** Closes the kept connection (tests, and a process that ends). */
  destroy(): void {
    this.#client.destroy();
  }
}
