import { zodSchemaOf } from '#adapters/environment/zod-schema.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { DEFAULT_LEASE_SECONDS } from '#core/callbacks/settings.js';
import { callbackFields, cartCallbacksFields } from './environment-fields.js';

export type { CallbackEnvironment, CartCallbacksEnvironment } from './environment-fields.js';
export { callbackSettingsFromEnvironment } from './environment-fields.js';

/**
 * What every cart-callback function reads from `process.env`, as the zod schema PeaklineFunction checks at
 * synth; the handlers check the very same fields by hand at cold start (environment-fields.ts).
 */
export const callbackEnvironment = zodSchemaOf(callbackFields);

/** The cart-callbacks consumer: the shared settings, and where refused events go. */
export const cartCallbacksEnvironment = zodSchemaOf(cartCallbacksFields);

export interface CallbackResources {
  readonly callbacksTable: string;
  readonly suppressionTable: string;
  readonly busName: string;
  /** Connect's queue id on AWS (the last part of the queue's ARN), the queue key locally. */
  readonly callbackQueueId: string;
}

/**
 * Lambda's limit on a function's whole environment is 4 KB; the catalogue is the one setting that grows,
 * so it is held to a share of it and a stage whose catalogue is larger fails at synth, not at deploy.
 */
export const MAX_CATALOGUE_JSON = 2048;

/** The functions' shared environment from the stage's settings: the CDK app and the local stack both use it. */
export const callbackEnvironmentFrom = (
  config: Pick<PeaklineConfig, 'callbacks' | 'connect'>,
  resources: CallbackResources,
): Record<string, string> => {
  const callbacks = config.callbacks;
  const catalogueJson = JSON.stringify(callbacks.catalogue);
  if (catalogueJson.length > MAX_CATALOGUE_JSON) {
    throw new RangeError(
      `callbacks.catalogue is ${catalogueJson.length} characters as JSON; the functions' environment holds at most ${MAX_CATALOGUE_JSON}.`,
    );
  }
  return {
    CALLBACKS_TABLE_NAME: resources.callbacksTable,
    SUPPRESSION_TABLE_NAME: resources.suppressionTable,
    EVENT_BUS_NAME: resources.busName,
    CALLBACK_QUEUE_ID: resources.callbackQueueId,
    CALLBACK_QUEUE_KEY: 'callback',
    CALLBACK_DELAY_MINUTES: String(callbacks.delayMinutes),
    CALLBACK_MIN_CART_VALUE: String(callbacks.minCartValue),
    CALLBACK_PER_CUSTOMER_HOURS: String(callbacks.perCustomerHours),
    CALLBACK_PEAK_BEHAVIOUR: callbacks.peakBehaviour,
    CALLBACK_POSTPONE_MINUTES: String(callbacks.postponeMinutes),
    CALLBACK_MAX_AGE_HOURS: String(callbacks.maxAgeHours),
    CALLBACK_MAX_TASK_ATTEMPTS: String(callbacks.maxTaskAttempts),
    CALLBACK_RETENTION_DAYS: String(callbacks.retentionDays),
    CALLBACK_LEASE_SECONDS: String(DEFAULT_LEASE_SECONDS),
    CALLBACK_CATALOGUE: catalogueJson,
    CONTACT_CENTRE_HOURS: JSON.stringify(config.connect.hours),
    CONTACT_CENTRE_TIME_ZONE: config.connect.timeZone,
    AGENT_LOCALE: config.connect.language,
  };
};
