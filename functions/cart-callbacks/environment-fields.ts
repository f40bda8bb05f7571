/**
 * What every cart-callback function reads from `process.env` (the settings of `callbacks` and the centre's
 * hours, zone and language), checked by hand at cold start (no zod schema built at load: see
 * #adapters/environment/fields.ts), and the callbacks' settings made from it. environment.ts gives the same
 * fields as the zod schemas the CDK app checks at synth and re-exports what is here.
 */
import {
  type EnvField,
  EnvFieldError,
  type EnvValues,
  integer,
  orDefault,
  readFields,
  text,
  url,
} from '#adapters/environment/fields.js';
import { type DayHours, WEEKDAYS, type Weekday } from '#core/callbacks/business-hours.js';
import {
  type CallbackSettings,
  callbackSettingsFrom,
  DEFAULT_LEASE_SECONDS,
} from '#core/callbacks/settings.js';
import type { PeaklineConfig } from '#infra/config/schema.js';

const HH_MM = /^\d\d:\d\d$/;

/** A number of at least 0, fractions allowed. */
const nonNegativeNumber = (): EnvField<number> => ({
  parse: (raw) => {
    const value = Number(text().parse(raw).trim());
    if (!Number.isFinite(value) || value < 0) throw new EnvFieldError('expected a number of at least 0');
    return value;
  },
});

const peakBehaviour = (): EnvField<'postpone' | 'sms'> => ({
  parse: (raw) => {
    const value = text().parse(raw);
    if (value !== 'postpone' && value !== 'sms') throw new EnvFieldError('expected one of postpone, sms');
    return value;
  },
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON object, each of whose entries `entry` checks (and may reshape). */
const jsonRecord = <K extends string, V>(
  entry: (key: string, value: unknown) => [K, V],
): EnvField<Partial<Record<K, V>>> => ({
  parse: (raw) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text().parse(raw)) as unknown;
    } catch (error) {
      if (error instanceof EnvFieldError) throw error;
      throw new EnvFieldError('expected JSON');
    }
    if (!isRecord(parsed)) throw new EnvFieldError('expected a JSON object');
    return Object.fromEntries(Object.entries(parsed).map(([key, value]) => entry(key, value))) as Partial<
      Record<K, V>
    >;
  },
});

/** `connect.hours`: `{ "mon": { "open": "08:00", "close": "20:00" }, … }`. */
const openingHours = jsonRecord<Weekday, DayHours>((key, value) => {
  if (!(WEEKDAYS as readonly string[]).includes(key))
    throw new EnvFieldError(`"${key}" is not one of ${WEEKDAYS.join(', ')}`);
  if (!isRecord(value) || typeof value.open !== 'string' || typeof value.close !== 'string')
    throw new EnvFieldError(`${key}: expected { "open": "HH:MM", "close": "HH:MM" }`);
  if (!HH_MM.test(value.open) || !HH_MM.test(value.close))
    throw new EnvFieldError(`${key}: open and close as HH:MM`);
  return [key as Weekday, { open: value.open, close: value.close }];
});

/** `callbacks.catalogue`: `{ "<sku>": { "sku": …, "name": … } }`. */
// A record keyed by any string: each key present has its entry (Partial only for the weekdays' sake).
const catalogue = jsonRecord<string, { sku: string; name: string }>((key, value) => {
  if (key.length === 0) throw new EnvFieldError('an empty SKU key');
  if (
    !isRecord(value) ||
    typeof value.sku !== 'string' ||
    value.sku.length === 0 ||
    typeof value.name !== 'string' ||
    value.name.length === 0
  )
    throw new EnvFieldError(`${key}: expected { "sku": "…", "name": "…" }`);
  return [key, { sku: value.sku, name: value.name }];
}) as EnvField<Record<string, { sku: string; name: string }>>;

export const callbackFields = {
  CALLBACKS_TABLE_NAME: text(),
  SUPPRESSION_TABLE_NAME: text(),
  EVENT_BUS_NAME: text(),
  /** The callback queue's id in Connect (the last part of its ARN); the queue key locally. */
  CALLBACK_QUEUE_ID: text(),
  /** The callback queue's key in the routing table, whose state says "overloaded". */
  CALLBACK_QUEUE_KEY: orDefault(text(), 'callback'),
  CALLBACK_DELAY_MINUTES: integer({ min: 0 }),
  CALLBACK_MIN_CART_VALUE: nonNegativeNumber(),
  CALLBACK_PER_CUSTOMER_HOURS: integer({ min: 1 }),
  CALLBACK_PEAK_BEHAVIOUR: peakBehaviour(),
  CALLBACK_POSTPONE_MINUTES: integer({ min: 1 }),
  CALLBACK_MAX_AGE_HOURS: integer({ min: 1 }),
  CALLBACK_MAX_TASK_ATTEMPTS: integer({ min: 1 }),
  CALLBACK_RETENTION_DAYS: integer({ min: 1 }),
  CALLBACK_LEASE_SECONDS: orDefault(integer({ min: 1 }), DEFAULT_LEASE_SECONDS),
  /** `callbacks.catalogue` as JSON: `{ "<sku>": { "sku": …, "name": … } }`. */
  CALLBACK_CATALOGUE: orDefault(catalogue, {}),
  /** `connect.hours` as JSON. */
  CONTACT_CENTRE_HOURS: openingHours,
  CONTACT_CENTRE_TIME_ZONE: text(),
  /** `connect.language`: the language the agents read the tasks in. */
  AGENT_LOCALE: text(),
};

export type CallbackEnvironment = EnvValues<typeof callbackFields>;

/** The cart-callbacks consumer: the shared settings, and where refused events go. */
export const cartCallbacksFields = { ...callbackFields, REJECTED_EVENTS_QUEUE_URL: url() };

export type CartCallbacksEnvironment = EnvValues<typeof cartCallbacksFields>;

/** The consumer's environment at cold start, or an error naming every bad variable. */
export const readCartCallbacksEnvironment = (
  env: Readonly<Record<string, unknown>> = process.env,
): CartCallbacksEnvironment => readFields(cartCallbacksFields, env);

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
