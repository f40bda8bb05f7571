import type { DeflectionSmsDeps } from '#core/sms/deflection-sms.js';
import type { OrderSmsDeps } from '#core/sms/order-sms.js';
import type { DeflectionSmsEnvironment } from './environment.js';

/** The deflection SMS on the order-SMS ports (same ledger, suppression list, sender and bus). */
export const deflectionSmsDeps = (env: DeflectionSmsEnvironment, sms: OrderSmsDeps): DeflectionSmsDeps => ({
  clock: sms.clock,
  ledger: sms.ledger,
  suppression: sms.suppression,
  sender: sms.sender,
  events: sms.events,
  settings: {
    shopName: env.SMS_SHOP_NAME,
    requestUrl: env.DEFLECTION_REQUEST_URL,
    ...(env.DEFLECTION_BONUS_CODE === undefined ? {} : { bonusCode: env.DEFLECTION_BONUS_CODE }),
    segmentCap: env.SMS_SEGMENT_CAP,
    dailySegmentCap: env.SMS_DAILY_SEGMENT_CAP,
    fallbackTimeZone: env.CONTACT_CENTRE_TIME_ZONE,
  },
});
