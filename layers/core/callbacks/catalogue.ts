/**
 * Where the offer finds an alternative for a product that is out of stock. The port lets the catalogue
 * be the shop's (an API, a table) later; today it is the configured list (`callbacks.catalogue`).
 */
import type { CartItem } from '#events/index.js';

export interface Alternative {
  readonly sku: string;
  readonly name: string;
}

export interface Catalogue {
  /** A product the agent can offer instead of `item`, or undefined when there is none. */
  alternativeFor(item: CartItem): Promise<Alternative | undefined>;
}

/** No alternatives at all: the offer then lists the missing items for the agent to handle. */
export const emptyCatalogue: Catalogue = { alternativeFor: async () => undefined };

/**
 * The configured catalogue: `{ [sku]: { sku, name } }`, the alternative of each listed product. An entry
 * naming the product itself offers nothing.
 */
export const configCatalogue = (entries: Readonly<Record<string, Alternative>>): Catalogue => {
  const bySku = new Map(Object.entries(entries));
  return {
    alternativeFor: async (item) => {
      const alternative = bySku.get(item.sku);
      return alternative === undefined || alternative.sku === item.sku
        ? undefined
        : { sku: alternative.sku, name: alternative.name };
    },
  };
};
