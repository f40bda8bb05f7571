/**
 * The Connect client of a deployed function, built once per execution environment and shared by every
 * invocation (its kept connection with it). The endpoint can be overridden as the SDK's can, through
 * `AWS_ENDPOINT_URL_CONNECT` / `AWS_ENDPOINT_URL` (the bench and the handler tests point it at a fake).
 */
import type { ConnectSender } from './connect-commands.js';
import { LeanConnectClient } from './lean-connect-client.js';

let connectClient: ConnectSender | undefined;

export const getConnectClient = (): ConnectSender => {
  connectClient ??= new LeanConnectClient();
  return connectClient;
};
