import * as z from 'zod';
import { orderSmsEnvironment } from '#functions/order-sms/environment.js';

/**
 * The deflection SMS reads the order-SMS settings (ledger, suppression list, sender, caps: one SMS path)
 * and the page and bonus code it sends.
 */
export const deflectionSmsEnvironment = orderSmsEnvironment.extend({
  DEFLECTION_REQUEST_URL: z.url(),
  DEFLECTION_BONUS_CODE: z.string().optional(),
});

export type DeflectionSmsEnvironment = z.output<typeof deflectionSmsEnvironment>;

/** The extra variables, from the stage's `overflow` settings. */
export const deflectionEnvironmentFrom = (overflow: {
  readonly requestUrl?: string;
  readonly bonusCode?: string;
}): Record<string, string> => {
  if (overflow.requestUrl === undefined) {
    throw new Error('The deflection SMS needs overflow.requestUrl, the page it links to.');
  }
  return {
    DEFLECTION_REQUEST_URL: overflow.requestUrl,
    ...(overflow.bonusCode === undefined ? {} : { DEFLECTION_BONUS_CODE: overflow.bonusCode }),
  };
};
