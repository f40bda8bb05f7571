/**
 * The Connect task a due callback becomes: a name the agent scans in the queue, a description to read
 * before dialling (who, what was in the cart, what is missing and what to offer instead, the link to
 * send, the value), and attributes with the same facts for flows, views and reports.
 */
import type { NewTask } from '../ports.js';
import { inertUrl } from '../text/sanitise.js';
import { type Callback, callbackClientToken } from './callback.js';
import { lineCount, type Offer, type OfferItem, outOfStockCount } from './offer.js';
import {
  type AgentLanguage,
  agentLanguageOf,
  attributeBytes,
  formatDateTime,
  formatMoney,
  oneLine,
  plainAmount,
  TASK_ATTRIBUTES_MAX_BYTES,
  TASK_DESCRIPTION_MAX,
  TASK_NAME_MAX,
  truncate,
} from './task-text.js';

/** Matches the adapter's TASK_QUEUE_ATTRIBUTE: the task flow transfers the task to this queue. */
export const TASK_QUEUE_ATTRIBUTE = 'peaklineQueueId';
export const CALLBACK_TASK_KIND = 'cart-callback';

export interface CallbackTaskSettings {
  /** The callback queue's id in the contact centre (Connect's queue id; the queue key locally). */
  readonly callbackQueueId: string;
  /** The agents' language (config `connect.language`), e.g. 'pl-PL'. */
  readonly agentLocale: string;
  /** The centre's zone, in which the task shows times. */
  readonly timeZone: string;
}

interface Words {
  readonly name: (value: string, lines: number, missing: number) => string;
  readonly intro: (value: string, lines: number, at: string) => string;
  readonly call: (phone: string, locale: string, customerId: string) => string;
  readonly cart: string;
  readonly each: string;
  readonly inStock: string;
  readonly missing: string;
  readonly offer: (name: string, sku: string) => string;
  readonly noOffer: string;
  readonly more: (count: number) => string;
  readonly link: (url: string) => string;
  readonly noLink: string;
  readonly alternativesUnavailable: string;
  readonly postponed: (count: number) => string;
}

const plural = (n: number, one: string, few: string, many: string): string => {
  const rule = new Intl.PluralRules('pl').select(n);
  return rule === 'one' ? one : rule === 'few' ? few : many;
};

const WORDS: Readonly<Record<AgentLanguage, Words>> = {
  pl: {
    name: (value, lines, missing) =>
      `Oddzwoń: porzucony koszyk ${value} (${lines} ${plural(lines, 'pozycja', 'pozycje', 'pozycji')}${missing > 0 ? `, brak ${missing}` : ''})`,
    intro: (value, lines, at) =>
      `Klient porzucił koszyk o wartości ${value} (${lines} ${plural(lines, 'pozycja', 'pozycje', 'pozycji')}) ${at}.`,
    call: (phone, locale, customerId) =>
      `Zadzwoń: ${phone} (język klienta: ${locale}, klient ${customerId}).`,
    cart: 'Koszyk:',
    each: 'szt.',
    inStock: 'dostępny',
    missing: 'BRAK',
    offer: (name, sku) => `zaproponuj: ${name} (${sku})`,
    noOffer: 'brak zamiennika w katalogu',
    more: (count) =>
      `… i ${count} ${plural(count, 'pozycja', 'pozycje', 'pozycji')} więcej (lista w atrybucie items i w koszyku).`,
    link: (url) => `Link przywracający koszyk (wyślij klientowi): ${url}`,
    noLink: 'Sklep nie podał linku do koszyka: złóż zamówienie z klientem w panelu sklepu.',
    alternativesUnavailable: 'Katalog zamienników był niedostępny: sprawdź zamienniki ręcznie.',
    postponed: (count) => `Przełożone ${count}× z powodu obciążenia kolejki.`,
  },
  en: {
    name: (value, lines, missing) =>
      `Call back: abandoned cart ${value} (${lines} ${lines === 1 ? 'line' : 'lines'}${missing > 0 ? `, ${missing} out of stock` : ''})`,
    intro: (value, lines, at) =>
      `The customer left a cart worth ${value} (${lines} ${lines === 1 ? 'line' : 'lines'}) on ${at}.`,
    call: (phone, locale, customerId) =>
      `Call: ${phone} (customer's language: ${locale}, customer ${customerId}).`,
    cart: 'Cart:',
    each: 'each',
    inStock: 'in stock',
    missing: 'OUT OF STOCK',
    offer: (name, sku) => `offer: ${name} (${sku})`,
    noOffer: 'no alternative in the catalogue',
    more: (count) =>
      `… and ${count} more ${count === 1 ? 'line' : 'lines'} (see the items attribute and the cart).`,
    link: (url) => `Link that restores the cart (send it to the customer): ${url}`,
    noLink: "The shop sent no link to the cart: place the order with the customer in the shop's back office.",
    alternativesUnavailable: 'The catalogue of alternatives was unavailable: look alternatives up by hand.',
    postponed: (count) => `Postponed ${count}× while the queue was overloaded.`,
  },
};

const itemLine = (item: OfferItem, words: Words, locale: string): string => {
  const price =
    item.quantity === 1
      ? formatMoney(item.unitPrice, locale)
      : `${formatMoney(item.unitPrice, locale)}/${words.each}`;
  const head = `- ${item.quantity} × ${oneLine(item.name)} (${oneLine(item.sku)}), ${price}`;
  if (item.inStock) return `${head}, ${words.inStock}`;
  const instead = item.alternative
    ? words.offer(oneLine(item.alternative.name), oneLine(item.alternative.sku))
    : words.noOffer;
  return `${head}, ${words.missing}: ${instead}`;
};

/**
 * The description, within Connect's 4096 characters: the framing lines always, the missing items (the
 * reason to call) before the ones in stock, and when lines must go, a line saying how many went.
 */
export const callbackDescription = (callback: Callback, settings: CallbackTaskSettings): string => {
  const { offer, customer } = callback;
  const language = agentLanguageOf(settings.agentLocale);
  const words = WORDS[language];
  const locale = settings.agentLocale;
  const head = [
    words.intro(
      formatMoney(offer.total, locale),
      lineCount(offer),
      formatDateTime(callback.abandonedAt, locale, settings.timeZone),
    ),
    words.call(customer.phone ?? '—', customer.locale, oneLine(customer.customerId)),
    ...(callback.postponements > 0 ? [words.postponed(callback.postponements)] : []),
    words.cart,
  ];
  const tail = [
    ...(offer.alternativesUnavailable ? [words.alternativesUnavailable] : []),
    offer.recoveryUrl === undefined ? words.noLink : words.link(inertUrl(offer.recoveryUrl)),
  ];
  const ordered = [...offer.items.filter((i) => !i.inStock), ...offer.items.filter((i) => i.inStock)];
  const lines = ordered.map((item) => itemLine(item, words, locale));
  const render = (shown: number): string => {
    const left = lineCount(offer) - shown;
    return [...head, ...lines.slice(0, shown), ...(left > 0 ? [words.more(left)] : []), ...tail].join('\n');
  };
  for (let shown = lines.length; shown > 0; shown -= 1) {
    const text = render(shown);
    if (text.length <= TASK_DESCRIPTION_MAX) return text;
  }
  // Even one line too long (a 4 KB link?): cut, keeping the start, which says who and what.
  return truncate(render(0), TASK_DESCRIPTION_MAX);
};

export const callbackTaskName = (offer: Offer, settings: Pick<CallbackTaskSettings, 'agentLocale'>): string =>
  truncate(
    WORDS[agentLanguageOf(settings.agentLocale)].name(
      formatMoney(offer.total, settings.agentLocale),
      lineCount(offer),
      outOfStockCount(offer),
    ),
    TASK_NAME_MAX,
  );

interface ItemAttribute {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: string;
  readonly inStock: boolean;
  readonly alternativeSku?: string;
  readonly alternativeName?: string;
}

const itemAttribute = (item: OfferItem): ItemAttribute => ({
  sku: item.sku,
  name: item.name,
  quantity: item.quantity,
  unitPrice: plainAmount(item.unitPrice.amount),
  inStock: item.inStock,
  ...(item.alternative
    ? { alternativeSku: item.alternative.sku, alternativeName: item.alternative.name }
    : {}),
});

/**
 * The task's attributes: strings (Connect's rule), within 32 KB. The items go as one JSON attribute, out
 * of stock first, as many as fit; `itemsOmitted` says how many did not.
 */
export const callbackAttributes = (
  callback: Callback,
  settings: Pick<CallbackTaskSettings, 'callbackQueueId'>,
): Record<string, string> => {
  const { offer, customer } = callback;
  const base: Record<string, string> = {
    [TASK_QUEUE_ATTRIBUTE]: settings.callbackQueueId,
    peaklineKind: CALLBACK_TASK_KIND,
    cartId: callback.cartId,
    customerId: customer.customerId,
    customerLocale: customer.locale,
    ...(customer.phone === undefined ? {} : { customerPhone: customer.phone }),
    cartValue: plainAmount(offer.total.amount),
    cartCurrency: offer.total.currency,
    itemCount: String(lineCount(offer)),
    outOfStockCount: String(outOfStockCount(offer)),
    ...(offer.recoveryUrl === undefined ? {} : { recoveryUrl: offer.recoveryUrl }),
    abandonedAt: callback.abandonedAt,
    scheduledFor: callback.scheduledFor,
    postponements: String(callback.postponements),
  };
  const items = [...offer.items.filter((i) => !i.inStock), ...offer.items.filter((i) => i.inStock)].map(
    itemAttribute,
  );
  for (let shown = items.length; shown >= 0; shown -= 1) {
    const omitted = lineCount(offer) - shown;
    const attributes = {
      ...base,
      items: JSON.stringify(items.slice(0, shown)),
      ...(omitted > 0 ? { itemsOmitted: String(omitted) } : {}),
    };
    if (attributeBytes(attributes) <= TASK_ATTRIBUTES_MAX_BYTES) return attributes;
  }
  // Only a link of tens of kilobytes (the contract sets no length) gets here: it goes, the rest stays.
  const { recoveryUrl: _tooLong, ...slim } = base;
  return { ...slim, items: '[]', itemsOmitted: String(lineCount(offer)) };
};

/** The StartTaskContact request for a due callback; the same callback always gives the same token. */
export const callbackTask = (callback: Callback, settings: CallbackTaskSettings): NewTask => ({
  queueId: settings.callbackQueueId,
  name: callbackTaskName(callback.offer, settings),
  description: callbackDescription(callback, settings),
  attributes: callbackAttributes(callback, settings),
  clientToken: callbackClientToken(callback.cartId),
});
