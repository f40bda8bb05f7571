import * as z from 'zod';
import { enumOf, httpsUrlSchema, identifierSchema } from './common.js';
import { customerSchema } from './customer.js';
import { dateOrTimestampSchema, timestampSchema } from './time.js';

/** In the order a parcel normally goes through them; DELAYED and CANCELLED can happen at any point. */
export const ORDER_STATUSES = [
  'PACKED',
  'SHIPPED',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'DELAYED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const orderStatusChangedSchema = z
  .object({
    customer: customerSchema,
    orderId: identifierSchema("The shop's order id."),
    status: enumOf(ORDER_STATUSES, 'The new status of the order.'),
    occurredAt: timestampSchema.describe(
      'When the status changed; peakline uses it, not the arrival time, to ignore out-of-order updates.',
    ),
    trackingUrl: httpsUrlSchema("Carrier's tracking page for the parcel, sent in the SMS.").optional(),
    carrier: z
      .string()
      .min(1)
      .max(100)
      .describe('Name of the carrier, e.g. InPost, DPD, Poczta Polska.')
      .optional(),
    estimatedDelivery: dateOrTimestampSchema.describe('When the carrier expects to deliver.').optional(),
    reason: z
      .string()
      .min(1)
      .max(500)
      .describe('Why the order is DELAYED or CANCELLED, in words the customer understands.')
      .optional(),
  })
  .meta({
    title: 'OrderStatusChanged',
    description:
      'The status of an order changed. peakline sends one SMS per order and status and never sends a status that is behind one already sent.',
  });

export type OrderStatusChanged = z.infer<typeof orderStatusChangedSchema>;
