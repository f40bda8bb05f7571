/**
 * Amazon Connect as a port: the commands the adapters send, named and shaped as @aws-sdk/client-connect's
 * (CreateUserCommand, StartTaskContactCommand, …: the SDK's input and output types), and a `send` that
 * carries them. This file loads no SDK code (its SDK imports are types only), so an adapter written against
 * it costs a function nothing at its cold start.
 *
 * Two carriers:
 * - LeanConnectClient (lean-connect-client.ts): each command one signed REST-JSON request on node's own
 *   http(s). What every deployed function uses: the SDK's ConnectClient was about 200 KiB of each
 *   Connect-calling function's bundle and 55 ms of its load, before its first call.
 * - BridgedConnectSender (sdk-connect-sender.ts): the SDK's ConnectClient carrying these commands as its
 *   own command classes. The CLIs use it (an operator's credentials come from the SDK's whole chain), and the
 *   adapters' tests, which mock ConnectClient with aws-sdk-client-mock and assert the SDK command inputs.
 *
 * Both throw an Error named by Connect's error code (`TooManyRequestsException`, `ResourceNotFoundException`,
 * …) with `$fault` and `$metadata.httpStatusCode`, which retry.ts and the callback sweep read.
 */
import type {
  CreateUserCommandInput,
  CreateUserCommandOutput,
  DeleteQuickConnectCommandInput,
  DeleteQuickConnectCommandOutput,
  DeleteUserCommandInput,
  DeleteUserCommandOutput,
  DescribeUserCommandInput,
  DescribeUserCommandOutput,
  GetCurrentMetricDataCommandInput,
  GetCurrentMetricDataCommandOutput,
  GetMetricDataV2CommandInput,
  GetMetricDataV2CommandOutput,
  SearchQuickConnectsCommandInput,
  SearchQuickConnectsCommandOutput,
  SearchUsersCommandInput,
  SearchUsersCommandOutput,
  StartTaskContactCommandInput,
  StartTaskContactCommandOutput,
  UpdateUserRoutingProfileCommandInput,
  UpdateUserRoutingProfileCommandOutput,
} from '@aws-sdk/client-connect';
import { type Answer, ServiceCommand } from '#adapters/service-command.js';

/** The Connect operations the adapters use. */
export type ConnectOperation =
  | 'CreateUser'
  | 'DeleteUser'
  | 'DescribeUser'
  | 'SearchUsers'
  | 'UpdateUserRoutingProfile'
  | 'StartTaskContact'
  | 'GetCurrentMetricData'
  | 'GetMetricDataV2'
  | 'SearchQuickConnects'
  | 'DeleteQuickConnect';

/** One Connect command (service-command.ts). */
export abstract class ConnectCommand<Input extends object, Output extends object> extends ServiceCommand<
  ConnectOperation,
  Input,
  Output
> {}

export class CreateUserCommand extends ConnectCommand<
  CreateUserCommandInput,
  Answer<CreateUserCommandOutput>
> {
  readonly operation = 'CreateUser';
}
export class DeleteUserCommand extends ConnectCommand<
  DeleteUserCommandInput,
  Answer<DeleteUserCommandOutput>
> {
  readonly operation = 'DeleteUser';
}
export class DescribeUserCommand extends ConnectCommand<
  DescribeUserCommandInput,
  Answer<DescribeUserCommandOutput>
> {
  readonly operation = 'DescribeUser';
}
export class SearchUsersCommand extends ConnectCommand<
  SearchUsersCommandInput,
  Answer<SearchUsersCommandOutput>
> {
  readonly operation = 'SearchUsers';
}
export class UpdateUserRoutingProfileCommand extends ConnectCommand<
  UpdateUserRoutingProfileCommandInput,
  Answer<UpdateUserRoutingProfileCommandOutput>
> {
  readonly operation = 'UpdateUserRoutingProfile';
}
export class StartTaskContactCommand extends ConnectCommand<
  StartTaskContactCommandInput,
  Answer<StartTaskContactCommandOutput>
> {
  readonly operation = 'StartTaskContact';
}
export class GetCurrentMetricDataCommand extends ConnectCommand<
  GetCurrentMetricDataCommandInput,
  Answer<GetCurrentMetricDataCommandOutput>
> {
  readonly operation = 'GetCurrentMetricData';
}
export class GetMetricDataV2Command extends ConnectCommand<
  GetMetricDataV2CommandInput,
  Answer<GetMetricDataV2CommandOutput>
> {
  readonly operation = 'GetMetricDataV2';
}
export class SearchQuickConnectsCommand extends ConnectCommand<
  SearchQuickConnectsCommandInput,
  Answer<SearchQuickConnectsCommandOutput>
> {
  readonly operation = 'SearchQuickConnects';
}
export class DeleteQuickConnectCommand extends ConnectCommand<
  DeleteQuickConnectCommandInput,
  Answer<DeleteQuickConnectCommandOutput>
> {
  readonly operation = 'DeleteQuickConnect';
}

/** What the adapters need of a Connect client. */
export interface ConnectSender {
  send<Input extends object, Output extends object>(command: ConnectCommand<Input, Output>): Promise<Output>;
}
