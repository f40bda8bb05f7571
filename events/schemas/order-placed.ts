import * as z from 'zod';
import { identifierSchema } from './common.js';
import { customerSchema } from './customer.js';
import { moneySchema } from './money.js';
import { timestampSchema } from './time.js';

export const orderPlacedSchema = z
  .object({
    customer: customerSchema,
    orderId: identifierSchema("The shop's order id, as the customer sees it in e-mails and on the website."),
    cartId: identifierSchema(
      'The cart the order was placed from; a pending abandoned-cart callback for it is cancelled.',
    ).optional(),
    total: moneySchema.describe('What the customer pays for the order, shipping included.'),
    placedAt: timestampSchema.describe('When the customer placed the order.'),
  })
  .meta({
    title: 'OrderPlaced',
    description:
      'A customer placed an order. peakline sends a confirmation SMS and cancels a pending callback for the cart.',
  });

export type OrderPlaced = z.infer<typeof orderPlacedSchema>;
