/**
 * The adapters' Connect commands (connect-commands.ts) carried by the SDK's ConnectClient, each as the SDK's
 * command class of the same name. For the CLIs and the tests, not for a deployed function (those use
 * LeanConnectClient): the CLIs find an operator's credentials through the SDK's whole chain (profiles,
 * SSO), and the adapters' tests mock ConnectClient (aws-sdk-client-mock) and assert the SDK command inputs.
 */
import * as sdk from '@aws-sdk/client-connect';
import { type SdkCommandClass, sendOnSdk } from '#adapters/service-command.js';
import type { ConnectCommand, ConnectOperation, ConnectSender } from './connect-commands.js';

const SDK_COMMANDS: Record<ConnectOperation, SdkCommandClass> = {
  CreateUser: sdk.CreateUserCommand,
  DeleteUser: sdk.DeleteUserCommand,
  DescribeUser: sdk.DescribeUserCommand,
  SearchUsers: sdk.SearchUsersCommand,
  UpdateUserRoutingProfile: sdk.UpdateUserRoutingProfileCommand,
  StartTaskContact: sdk.StartTaskContactCommand,
  GetCurrentMetricData: sdk.GetCurrentMetricDataCommand,
  GetMetricDataV2: sdk.GetMetricDataV2Command,
  SearchQuickConnects: sdk.SearchQuickConnectsCommand,
  DeleteQuickConnect: sdk.DeleteQuickConnectCommand,
};

export class BridgedConnectSender implements ConnectSender {
  private constructor(readonly sdk: sdk.ConnectClient) {}

  /**
   * Build the client with `maxAttempts: 1`: the adapters pace their calls and wait out throttling
   * themselves, and the SDK's own retries would bypass the pacing and multiply the attempts.
   */
  static over(client: sdk.ConnectClient): BridgedConnectSender {
    return new BridgedConnectSender(client);
  }

  send<Input extends object, Output extends object>(command: ConnectCommand<Input, Output>): Promise<Output> {
    return sendOnSdk(SDK_COMMANDS, (sdkCommand) => this.sdk.send(sdkCommand), command);
  }

  destroy(): void {
    this.sdk.destroy();
  }
}
