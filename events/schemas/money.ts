import * as z from './zod.js';

const CURRENCY_CODE = /^[A-Z]{3}$/;

export const isCurrencyCode = (value: unknown): value is string =>
  typeof value === 'string' && CURRENCY_CODE.test(value);

/**
 * Amounts are decimal numbers in the currency's main unit (złoty, not grosze). Two decimals cover every
 * currency peakline's shops use; a third decimal almost always means a computed price that was never rounded.
 */
export const moneySchema = z
  .object({
    amount: z
      // A decimal type serialized as a string ("249.99") is the usual culprit; say so instead of "expected a number".
      .number({
        error: (issue) =>
          typeof issue.input === 'string' ? 'expected a number such as 249.99, not a string' : undefined,
      })
      .check(
        z.gte(0, 'expected an amount of 0 or more; refunds and chargebacks are reported as positive amounts'),
        z.multipleOf(0.01, 'expected at most 2 decimal places, such as 249.99'),
        z.describe(
          'Amount in the main unit of the currency (249.99 means 249 złoty 99 grosze), at most 2 decimals.',
        ),
      ),
    currency: z
      .string()
      .check(
        z.regex(CURRENCY_CODE, 'expected a 3-letter ISO 4217 currency code in upper case, such as PLN'),
        z.describe('ISO 4217 currency code, upper case, e.g. PLN.'),
      ),
  })
  .check(z.describe('An amount of money, e.g. { "amount": 249.99, "currency": "PLN" }.'));

export type Money = z.infer<typeof moneySchema>;
