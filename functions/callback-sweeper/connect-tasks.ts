/**
 * The Connect contact centre that starts tasks, for the callback sweeper and the payment-issues consumer.
 * Apart from wiring.ts so that payment-issues, which only starts tasks, does not load the sweeper's
 * DynamoDB stores, its SMS sender and their clients with it: payment-issues' bundle 651 -> 598 KiB, its cold
 * start 945 -> 920 M instructions (valgrind, A/B; bench/levers.ts).
 */
import type { ConnectSender } from '#adapters/connect/connect-commands.js';
import { ConnectContactCentre, type ConnectContactCentreOptions } from '#adapters/connect/contact-centre.js';
import { getConnectClient } from '#adapters/connect/shared-connect-client.js';
import type { CallbackSweeperEnvironment } from './environment.js';

/**
 * The Connect contact centre that starts tasks in the task flow, at the configured rate, on the lean
 * Connect client (one attempt a call: the adapter paces its calls and waits out throttling itself).
 * `client` and `options` are for tests (the SDK's client under BridgedConnectSender, a sleep that does not
 * wait, fewer attempts).
 */
export const connectTaskCentre = (
  env: Pick<
    CallbackSweeperEnvironment,
    'CONNECT_INSTANCE_ID' | 'TASK_CONTACT_FLOW_ID' | 'CONNECT_CALLS_PER_SECOND'
  >,
  client: ConnectSender = getConnectClient(),
  options: Partial<Omit<ConnectContactCentreOptions, 'instanceId' | 'taskContactFlowId'>> = {},
): ConnectContactCentre =>
  new ConnectContactCentre(client, {
    callsPerSecond: env.CONNECT_CALLS_PER_SECOND,
    ...options,
    instanceId: env.CONNECT_INSTANCE_ID,
    taskContactFlowId: env.TASK_CONTACT_FLOW_ID,
  });
