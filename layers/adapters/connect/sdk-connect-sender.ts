/**
 * The adapters' Connect commands (connect-commands.ts) carried by the SDK's ConnectClient, each as the SDK's
 * command class of the same name. For the CLIs and the tests, not for a deployed function (those use
 * LeanConnectClient): the CLIs find an operator's credentials through the SDK's whole chain (profiles,
 * SSO), and the adapters' tests mock ConnectClient (aws-sdk-client-mock) and assert the SDK command inputs.
 */
import * as sdk from '@aws-sdk/client-connect';
import type { ConnectCommand, ConnectOperation, ConnectSender } from './connect-commands.js';

// The SDK's command classes differ in their input types; each is given its own command's input.
type SdkCommand = new (input: never) => unknown;

const SDK_COMMANDS: Record<ConnectOperation, SdkCommand> = {
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

  async send<Input extends object, Output extends object>(
    command: ConnectCommand<Input, Output>,
  ): Promise<Output> {
    const Command = SDK_COMMANDS[command.operation];
    return (await this.sdk.send(new Command(command.input as never) as never)) as unknown as Output;
  }

  destroy(): void {
    this.sdk.destroy();
  }
}
