import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { SHOP_DETAIL_TYPES, shopDetailSchemas } from '#events/index.js';
import { cartItemSchema } from '#events/schemas/cart-abandoned.js';
import { customerSchema } from '#events/schemas/customer.js';

const README = readFileSync(join(import.meta.dirname, '../../../events/README.md'), 'utf8');

/** The `field` column of the first table under the heading `title` (any level). */
const documentedFields = (title: string): string[] => {
  const lines = README.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^#+ ${title}$`).test(line));
  if (start < 0) return [];
  const fields: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#')) break;
    const field = /^\|\s*`([^`]+)`\s*\|/.exec(line)?.[1];
    if (field !== undefined) fields.push(field);
    else if (fields.length > 0 && !line.startsWith('|')) break;
  }
  return fields;
};

const isMoney = (schema: z.ZodMiniType): boolean =>
  schema instanceof z.ZodMiniObject && 'amount' in schema.shape && 'currency' in schema.shape;

/**
 * Dotted paths of an object schema's fields, one level into nested objects (`consent.callback`). Money and
 * the customer have a table of their own instead of rows under every field of that type; arrays of objects
 * (cart items) too.
 */
const schemaFields = (schema: z.ZodMiniObject): string[] =>
  Object.entries(schema.shape).flatMap(([key, field]) => {
    const inner = field instanceof z.ZodMiniOptional ? field.def.innerType : field;
    if (!(inner instanceof z.ZodMiniObject) || key === 'customer' || isMoney(inner)) return [key];
    return [key, ...Object.keys(inner.shape).map((sub) => `${key}.${sub}`)];
  });

describe('events/README.md', () => {
  it.each([
    ...SHOP_DETAIL_TYPES.map((type) => ({ title: type, schema: shopDetailSchemas[type] as z.ZodMiniObject })),
    { title: 'Customer', schema: customerSchema as z.ZodMiniObject },
    { title: 'Cart item', schema: cartItemSchema as z.ZodMiniObject },
  ])('documents every field of $title, and no other', ({ title, schema }) => {
    // Prepare
    const expected = schemaFields(schema);

    // Act
    const documented = documentedFields(title);

    // Assess
    expect(documented).toEqual(expected);
  });
});
