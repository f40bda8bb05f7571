import * as z from 'zod';
import { WEEKDAYS } from '#core/callbacks/business-hours.js';
import {
  type CallbackSettings,
  callbackSettingsFrom,
  DEFAULT_LEASE_SECONDS,
} from '#core/callbacks/settings.js';
import type { PeaklineConfig } from '#infra/config/schema.js';

const HH_MM = /^\d\d:\d\d$/;

/** A JSON variable, parsed and then checked against `schema`. */
const json = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

const openingHours = z.partialRecord(
  z.enum(WEEKDAYS),
  z.object({ open: z.string().regex(HH_MM), close: z.string().regex(HH_MM) }),
);

const catalogue = z.record(z.string().min(1), z.object({ sku: z.string().min(1), name: z.string().min(1) }));

/**
 * What every cart-callback function reads from `process.env` (the settings of `callbacks` and the centre's
 * hours, zone and language); checked at synth by PeaklineFunction, and at cold start.
 */
export const callbackEnvironment = z.object({
  CALLBACKS_TABLE_NAME: z.string().min(1),
  SUPPRESSION_TABLE_NAME: z.string().min(1),
  EVENT_BUS_NAME: z.string().min(1),
  /** The callback queue's id in Connect (the last part of its ARN); the queue key locally. */
  CALLBACK_QUEUE_ID: z.string().min(1),
  /** The callback queue's key in the routing table, whose state says "overloaded". */
  CALLBACK_QUEUE_KEY: z.string().min(1).default('callback'),
  CALLBACK_DELAY_MINUTES: z.coerce.number().int().nonnegative(),
  CALLBACK_MIN_CART_VALUE: z.coerce.number().nonnegative(),
  CALLBACK_PER_CUSTOMER_HOURS: z.coerce.number().int().positive(),
  CALLBACK_PEAK_BEHAVIOUR: z.enum(['postpone', 'sms']),
  CALLBACK_POSTPONE_MINUTES: z.coerce.number().int().positive(),
  CALLBACK_MAX_AGE_HOURS: z.coerce.number().int().positive(),
  CALLBACK_MAX_TASK_ATTEMPTS: z.coerce.number().int().positive(),
  CALLBACK_RETENTION_DAYS: z.coerce.number().int().positive(),
  CALLBACK_LEASE_SECONDS: z.coerce.number().int().positive().default(DEFAULT_LEASE_SECONDS),
  /** `callbacks.catalogue` as JSON: `{ "<sku>": { "sku": …, "name": … } }`. */
  CALLBACK_CATALOGUE: json(catalogue).default({}),
  /** `connect.hours` as JSON. */
  CONTACT_CENTRE_HOURS: json(openingHours),
  CONTACT_CENTRE_TIME_ZONE: z.string().min(1),
  /** `connect.language`: the language the agents read the tasks in. */
  AGENT_LOCALE: z.string().min(1),
});

export type CallbackEnvironment = z.output<typeof callbackEnvironment>;

/** The cart-callbacks consumer: the shared settings, and where refused events go. */
export const cartCallbacksEnvironment = callbackEnvironment.extend({
  REJECTED_EVENTS_QUEUE_URL: z.url(),
});

export type CartCallbacksEnvironment = z.output<typeof cartCallbacksEnvironment>;

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

/** The callbacks' settings from the environment, through the same mapping as the config's. */
export const callbackSettingsFromEnvironment = (env: CallbackEnvironment): CallbackSettings =>
  callbackSettingsFrom(
    {
      callbacks: {
        delayMinutes: env.CALLBACK_DELAY_MINUTES,
        minCartValue: env.CALLBACK_MIN_CART_VALUE,
        perCustomerHours: env.CALLBACK_PER_CUSTOMER_HOURS,
        peakBehaviour: env.CALLBACK_PEAK_BEHAVIOUR,
        postponeMinutes: env.CALLBACK_POSTPONE_MINUTES,
        maxAgeHours: env.CALLBACK_MAX_AGE_HOURS,
        maxTaskAttempts: env.CALLBACK_MAX_TASK_ATTEMPTS,
        retentionDays: env.CALLBACK_RETENTION_DAYS,
      },
      connect: {
        hours: env.CONTACT_CENTRE_HOURS,
        timeZone: env.CONTACT_CENTRE_TIME_ZONE,
        language: env.AGENT_LOCALE as PeaklineConfig['connect']['language'],
      },
    },
    { callbackQueueId: env.CALLBACK_QUEUE_ID, callbackQueueKey: env.CALLBACK_QUEUE_KEY },
    env.CALLBACK_LEASE_SECONDS,
  );
