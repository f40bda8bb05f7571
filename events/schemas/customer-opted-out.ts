import { enumOf } from './common.js';
import { customerSchema } from './customer.js';
import { timestampSchema } from './time.js';
import * as z from './zod.js';

/** Only SMS in version 1; further channels are an additive change. */
export const OPT_OUT_CHANNELS = ['sms'] as const;
export type OptOutChannel = (typeof OPT_OUT_CHANNELS)[number];

export const customerOptedOutSchema = z
  .object({
    customer: customerSchema,
    channel: enumOf(OPT_OUT_CHANNELS, 'The channel the customer no longer wants to be contacted on.'),
    at: timestampSchema.check(z.describe('When the customer opted out.')),
  })
  .check(
    z.meta({
      title: 'CustomerOptedOut',
      description:
        'A customer opted out. peakline puts the phone on the suppression list; no SMS reaches it again.',
    }),
  );

export type CustomerOptedOut = z.infer<typeof customerOptedOutSchema>;
