/**
 * The offer a callback carries to the agent: what was in the cart, what is missing and what to offer
 * instead, the link that restores the cart and what it is worth. Built once, when the callback is
 * scheduled, and stored with it, so the sweeper needs neither the event nor the catalogue.
 */
import type { CartAbandoned, CartItem, Money } from '#events/index.js';
import type { Alternative, Catalogue } from './catalogue.js';

/**
 * Lines kept in the offer. A cart rarely has more; a bigger one is a business order the agent reads in
 * the shop's back office, and the cap keeps the stored item far below DynamoDB's 400 KB.
 */
export const MAX_OFFER_ITEMS = 50;

export interface OfferItem {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: Money;
  readonly inStock: boolean;
  /** For an item out of stock: what the agent may offer instead, when something fits. */
  readonly alternative?: Alternative;
}

export interface Offer {
  readonly cartId: string;
  readonly items: readonly OfferItem[];
  /** Lines of the cart left out (beyond MAX_OFFER_ITEMS). */
  readonly omittedItems: number;
  readonly total: Money;
  readonly recoveryUrl?: string;
  /** True when the catalogue failed, so alternatives may be missing; the offer goes out anyway. */
  readonly alternativesUnavailable?: boolean;
}

/**
 * A cart line, possibly carrying the shop's own alternative. The v1 contract has no such field (zod
 * strips it today); should the shop add one, it is preferred to the catalogue's.
 */
export type CartLine = CartItem & { readonly alternative?: Alternative };

export type OfferCart = Pick<CartAbandoned, 'cartId' | 'total' | 'recoveryUrl'> & {
  readonly items: readonly CartLine[];
};

const ownAlternative = (line: CartLine): Alternative | undefined => {
  const own = line.alternative;
  return own !== undefined &&
    typeof own.sku === 'string' &&
    typeof own.name === 'string' &&
    own.sku !== line.sku
    ? { sku: own.sku, name: own.name }
    : undefined;
};

export const buildOffer = async (cart: OfferCart, catalogue: Catalogue): Promise<Offer> => {
  const kept = cart.items.slice(0, MAX_OFFER_ITEMS);
  let alternativesUnavailable = false;
  const items = await Promise.all(
    kept.map(async (line): Promise<OfferItem> => {
      const item: OfferItem = {
        sku: line.sku,
        name: line.name,
        quantity: line.quantity,
        unitPrice: { amount: line.unitPrice.amount, currency: line.unitPrice.currency },
        inStock: line.inStock,
      };
      if (line.inStock) return item;
      let alternative = ownAlternative(line);
      if (alternative === undefined) {
        try {
          alternative = await catalogue.alternativeFor(line);
        } catch {
          // The callback is worth more than the suggestion: the agent can still look one up.
          alternativesUnavailable = true;
        }
      }
      return alternative === undefined ? item : { ...item, alternative };
    }),
  );
  return {
    cartId: cart.cartId,
    items,
    omittedItems: cart.items.length - kept.length,
    total: { amount: cart.total.amount, currency: cart.total.currency },
    ...(cart.recoveryUrl === undefined ? {} : { recoveryUrl: cart.recoveryUrl }),
    ...(alternativesUnavailable ? { alternativesUnavailable } : {}),
  };
};

export const outOfStockCount = (offer: Offer): number => offer.items.filter((item) => !item.inStock).length;

/** Lines in the cart, the omitted ones included. */
export const lineCount = (offer: Offer): number => offer.items.length + offer.omittedItems;
