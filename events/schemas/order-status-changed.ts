import { enumOf, httpsUrlSchema, identifierSchema } from './common.js';
import { customerSchema } from './customer.js';
import { dateOrTimestampSchema, timestampSchema } from './time.js';
import * as z from './zod.js';

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
    occurredAt: timestampSchema.check(
      z.describe(
        'When the status changed; peakline uses it, not the arrival time, to ignore out-of-order updates.',
      ),
    ),
    trackingUrl: z.optional(httpsUrlSchema("Carrier's tracking page for the parcel, sent in the SMS.")),
    carrier: z.optional(
      z
        .string()
        .check(
          z.minLength(1),
          z.maxLength(100),
          z.describe('Name of the carrier, e.g. InPost, DPD, Poczta Polska.'),
        ),
    ),
    estimatedDelivery: z.optional(
      dateOrTimestampSchema.check(z.describe('When the carrier expects to deliver.')),
    ),
    reason: z.optional(
      z
        .string()
        .check(
          z.minLength(1),
          z.maxLength(500),
          z.describe('Why the order is DELAYED or CANCELLED, in words the customer understands.'),
        ),
    ),
  })
  .check(
    z.meta({
      title: 'OrderStatusChanged',
      description:
        'The status of an order changed. peakline sends one SMS per order and status and never sends a status that is behind one already sent.',
    }),
  );

export type OrderStatusChanged = z.infer<typeof orderStatusChangedSchema>;
