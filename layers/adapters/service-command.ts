/**
 * A command of our own for one AWS operation, named and typed as the SDK's command of that operation, so an
 * adapter written against it runs on two carriers: the signed request of the deployed functions
 * (signed-json/), and the SDK's client (the CLIs, and the tests that assert the SDK's exact command inputs
 * with aws-sdk-client-mock). Loads no SDK code. The DynamoDB and Connect adapters' commands build on it.
 */

/** What a command answers: the SDK's output without its `$metadata` (no adapter reads it). */
export type Answer<Output> = Omit<Output, '$metadata'>;

/** One command: the operation and its input; `Output` only types what `send` answers. */
export abstract class ServiceCommand<Operation extends string, Input extends object, Output extends object> {
  abstract readonly operation: Operation;
  declare readonly __output?: Output;
  constructor(readonly input: Input) {}
}

/** An SDK command class, given its own command's input. */
export type SdkCommandClass = new (input: never) => unknown;

/**
 * Our command carried by an SDK client: the SDK's command class of the same operation, built on the same
 * input and sent. `commands` lists the SDK's class per operation.
 */
export const sendOnSdk = async <Operation extends string, Input extends object, Output extends object>(
  commands: Readonly<Record<Operation, SdkCommandClass>>,
  send: (command: never) => Promise<unknown>,
  command: ServiceCommand<Operation, Input, Output>,
): Promise<Output> => {
  const SdkCommand = commands[command.operation];
  return (await send(new SdkCommand(command.input as never) as never)) as Output;
};
