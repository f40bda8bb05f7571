import type { DocumentClient } from '#adapters/dynamodb/document-client.js';
import { getDocumentClient } from '#adapters/dynamodb/shared-document-client.js';
import { DynamoCallbackStore } from '#adapters/dynamodb/callback-store.js';
import { DynamoSuppressionStore } from '#adapters/dynamodb/suppression-store.js';
import { suppressionKeying } from '#adapters/secrets/phone-hash-key.js';
import { EventBridgePublisher } from '#adapters/eventbridge/event-publisher.js';
import { getPutEvents } from '#adapters/eventbridge/shared-put-events.js';
import { configCatalogue } from '#core/callbacks/catalogue.js';
import type { CancelDeps, ScheduleDeps } from '#core/callbacks/settings.js';
import {
  type Clock,
  type ContactCentre,
  type EventPublisher,
  type SmsSender,
  systemClock,
} from '#core/ports.js';
import { type CallbackEnvironment, callbackSettingsFromEnvironment } from './environment-fields.js';

/**
 * What the cart-callback functions are given from outside their environment: the Lambda handlers pass
 * AWS's clients, the local stack DynamoDB Local and the contact-centre simulator.
 */
export interface CallbackWorld {
  readonly clock: Clock;
  readonly documentClient: DocumentClient;
  /** Only the sweeper starts tasks. */
  readonly contactCentre?: Pick<ContactCentre, 'startTask'>;
  readonly events: EventPublisher;
  /** The saved-cart SMS (sweeper, with `peakBehaviour` 'sms'); without it a peak postpones. */
  readonly smsSender?: SmsSender;
  /** Lease tokens; random by default. */
  readonly newToken?: () => string;
}

/** The schedule and cancel ports on DynamoDB, from the function's environment. */
export const cartCallbackDeps = (
  env: CallbackEnvironment,
  world: CallbackWorld,
): ScheduleDeps & CancelDeps => ({
  clock: world.clock,
  store: new DynamoCallbackStore(world.documentClient, env.CALLBACKS_TABLE_NAME),
  suppression: new DynamoSuppressionStore(
    world.documentClient,
    env.SUPPRESSION_TABLE_NAME,
    suppressionKeying(),
  ),
  events: world.events,
  catalogue: configCatalogue(env.CALLBACK_CATALOGUE),
  settings: callbackSettingsFromEnvironment(env),
  ...(world.newToken === undefined ? {} : { newToken: world.newToken }),
});

/** The schedule and cancel ports on AWS: DynamoDB and EventBridge, with the clients built once per container. */
export const awsCartCallbackDeps = (env: CallbackEnvironment): ScheduleDeps & CancelDeps =>
  cartCallbackDeps(env, {
    clock: systemClock,
    documentClient: getDocumentClient(),
    events: new EventBridgePublisher(getPutEvents(), env.EVENT_BUS_NAME),
  });
