import { identifierSchema } from './common.js';
import { customerSchema } from './customer.js';
import { moneySchema } from './money.js';
import { timestampSchema } from './time.js';
import * as z from './zod.js';

export const orderPlacedSchema = z
  .object({
    customer: customerSchema,
    orderId: identifierSchema("The shop's order id, as the customer sees it in e-mails and on the website."),
    cartId: z.optional(
      identifierSchema(
        'The cart the order was placed from; a pending abandoned-cart callback for it is cancelled.',
      ),
    ),
    total: moneySchema.check(z.describe('What the customer pays for the order, shipping included.')),
    placedAt: timestampSchema.check(z.describe('When the customer placed the order.')),
  })
  .check(
    z.meta({
      title: 'OrderPlaced',
      description:
        'A customer placed an order. peakline sends a confirmation SMS and cancels a pending callback for the cart.',
    }),
  );

export type OrderPlaced = z.infer<typeof orderPlacedSchema>;
