import { httpsUrlSchema, identifierSchema } from './common.js';
import { customerSchema } from './customer.js';
import { isCurrencyCode, moneySchema } from './money.js';
import { timestampSchema } from './time.js';
import * as z from './zod.js';

export const cartItemSchema = z
  .object({
    sku: identifierSchema('Stock keeping unit of the product.'),
    name: z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(200),
        z.describe('Product name as the customer saw it in the cart.'),
      ),
    quantity: z
      .number()
      .check(
        z.int('expected a whole number of pieces'),
        z.positive('expected a quantity of at least 1'),
        z.describe('Number of pieces, at least 1.'),
      ),
    unitPrice: moneySchema.check(z.describe('Price of one piece, in the currency of the cart total.')),
    inStock: z
      .boolean()
      .check(z.describe('Whether the product can still be ordered; agents offer alternatives if not.')),
  })
  .check(z.describe('A line of the cart.'));

export const cartAbandonedSchema = z
  .object({
    customer: customerSchema,
    cartId: identifierSchema("The shop's cart id; an OrderPlaced with this cartId cancels the callback."),
    items: z
      .array(cartItemSchema)
      .check(
        z.minLength(1, 'expected at least one item; an empty cart is not worth a callback'),
        z.describe('What was in the cart, at least one line.'),
      ),
    total: moneySchema.check(z.describe('Value of the cart.')),
    abandonedAt: timestampSchema.check(z.describe('When the shop considered the cart abandoned.')),
    recoveryUrl: z.optional(
      httpsUrlSchema('Link that restores the cart, sent to the customer with the offer.'),
    ),
  })
  .check(
    z.superRefine((cart, ctx) => {
      // The offer quotes item prices next to the total; mixed currencies would make it read nonsense.
      // Zod runs this even when other fields failed, so it checks the shape instead of trusting the type.
      const raw = cart as unknown as { total?: { currency?: unknown }; items?: unknown };
      const currency = raw.total?.currency;
      if (!isCurrencyCode(currency) || !Array.isArray(raw.items)) return;
      raw.items.forEach((item: { unitPrice?: { currency?: unknown } } | null, index) => {
        const itemCurrency = item?.unitPrice?.currency;
        if (isCurrencyCode(itemCurrency) && itemCurrency !== currency) {
          ctx.addIssue({
            code: 'custom',
            message: `expected the currency of the cart total, ${currency}`,
            path: ['items', index, 'unitPrice', 'currency'],
            input: itemCurrency,
          });
        }
      });
    }),
    z.meta({
      title: 'CartAbandoned',
      description:
        'A customer left a cart without ordering. After a delay, unless the cart was ordered, peakline creates a callback task with a prepared offer.',
    }),
  );

export type CartItem = z.infer<typeof cartItemSchema>;
export type CartAbandoned = z.infer<typeof cartAbandonedSchema>;
