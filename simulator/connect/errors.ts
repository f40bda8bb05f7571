/** The exception names Connect's API throws, so code written against the SDK reacts the same way. */
export type ConnectErrorName =
  | 'ResourceNotFoundException'
  | 'DuplicateResourceException'
  | 'InvalidParameterException'
  | 'InvalidRequestException'
  /** Not Connect's own: IAM's refusal, for a DeleteUser outside the caller's tag condition. */
  | 'AccessDeniedException';

export class ConnectSimulatorError extends Error {
  constructor(
    override readonly name: ConnectErrorName,
    message: string,
  ) {
    super(message);
  }
}
