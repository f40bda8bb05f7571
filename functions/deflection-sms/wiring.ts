import type { DocumentClient } from '#adapters/dynamodb/document-client.js';
import { DynamoOrderIndex } from '#adapters/dynamodb/order-index.js';
import type { PhoneHashKey } from '#adapters/secrets/phone-hash-key.js';
import type { OrderIndex } from '#core/orders/types.js';
import type { DeflectionSmsDeps } from '#core/sms/deflection-sms.js';
import type { OrderSmsDeps } from '#core/sms/order-sms.js';
import type { CallerSmsSenderDeps } from './answer.js';
import type { DeflectionSmsEnvironment } from './environment.js';

/** The caller-SMS sender on the order-SMS ports (same ledger, suppression list, sender and bus). */
export const callerSmsSenderDeps = (
  env: DeflectionSmsEnvironment,
  sms: OrderSmsDeps,
  index?: Pick<OrderIndex, 'get'>,
): CallerSmsSenderDeps => ({
  clock: sms.clock,
  ledger: sms.ledger,
  suppression: sms.suppression,
  sender: sms.sender,
  events: sms.events,
  ...(index === undefined ? {} : { index }),
  settings: {
    shopName: env.SMS_SHOP_NAME,
    ...(env.DEFLECTION_REQUEST_URL === undefined ? {} : { requestUrl: env.DEFLECTION_REQUEST_URL }),
    ...(env.DEFLECTION_BONUS_CODE === undefined ? {} : { bonusCode: env.DEFLECTION_BONUS_CODE }),
    segmentCap: env.SMS_SEGMENT_CAP,
    dailySegmentCap: env.SMS_DAILY_SEGMENT_CAP,
    fallbackTimeZone: env.CONTACT_CENTRE_TIME_ZONE,
  },
});

/** The deflection SMS on the order-SMS ports; only where `overflow.requestUrl` is set (the page it links to). */
export const deflectionSmsDeps = (env: DeflectionSmsEnvironment, sms: OrderSmsDeps): DeflectionSmsDeps => {
  const { settings, ...deps } = callerSmsSenderDeps(env, sms);
  if (settings.requestUrl === undefined) {
    throw new Error('The deflection SMS needs overflow.requestUrl, the page it links to.');
  }
  return { ...deps, settings: { ...settings, requestUrl: settings.requestUrl } };
};

/** The order index the tracking link is read from, when the sender has one (ORDERS_TABLE_NAME). */
export const trackingIndex = (
  env: DeflectionSmsEnvironment,
  documentClient: DocumentClient,
  key: PhoneHashKey,
  now?: () => Date,
): Pick<OrderIndex, 'get'> | undefined =>
  env.ORDERS_TABLE_NAME === undefined
    ? undefined
    : new DynamoOrderIndex(documentClient, env.ORDERS_TABLE_NAME, {
        key,
        // Only `get` is used here; the writer prunes to this many.
        maxOrdersPerPhone: env.ORDER_STATUS_MAX_ORDERS ?? 5,
        ...(now === undefined ? {} : { now }),
      });
