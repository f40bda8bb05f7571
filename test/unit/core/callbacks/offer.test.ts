import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Callback, callbackClientToken, newCallback } from '#core/callbacks/callback.js';
import {
  callbackAttributes,
  callbackDescription,
  callbackTask,
  callbackTaskName,
} from '#core/callbacks/callback-task.js';
import { type Catalogue, configCatalogue, emptyCatalogue } from '#core/callbacks/catalogue.js';
import { buildOffer, type CartLine, MAX_OFFER_ITEMS, type Offer } from '#core/callbacks/offer.js';
import { attributeBytes } from '#core/callbacks/task-text.js';
import type { CartAbandoned } from '#events/index.js';
import { CATALOGUE, cartEvent, SETTINGS } from './fixtures.js';

const TASK_SETTINGS = { callbackQueueId: 'q-callback', agentLocale: 'pl-PL', timeZone: 'Europe/Warsaw' };

const callbackOf = (cart: CartAbandoned, offer: Offer, postponements = 0): Callback => ({
  ...newCallback({
    cartId: cart.cartId,
    customer: {
      customerId: cart.customer.customerId,
      phone: cart.customer.phone,
      locale: cart.customer.locale,
      marketingSms: cart.customer.consent.marketingSms,
    },
    offer,
    abandonedAt: cart.abandonedAt,
    now: new Date('2026-11-25T09:00:00Z'),
    dueAt: new Date('2026-11-25T09:30:00Z'),
    expiresAt: new Date('2026-11-27T09:00:00Z'),
    retentionDays: SETTINGS.retentionDays,
  }),
  postponements,
});

const line = (n: number, inStock: boolean, nameLength = 40): CartLine => ({
  sku: `SKU-${String(n).padStart(4, '0')}`,
  name: `Produkt ${n} ${'ż'.repeat(Math.max(0, nameLength - 12))}`.slice(0, nameLength),
  quantity: 1 + (n % 3),
  unitPrice: { amount: 10 + n, currency: 'PLN' },
  inStock,
});

describe('buildOffer', () => {
  it('lists the items with their stock and an alternative from the catalogue for each missing one', async () => {
    // Prepare
    const cart = cartEvent();

    // Act
    const offer = await buildOffer(cart, CATALOGUE);

    // Assess
    expect(offer).toEqual({
      cartId: cart.cartId,
      items: [
        expect.objectContaining({ sku: 'SONY-WH1000XM5-BLK', inStock: true }),
        {
          sku: 'ANKER-PD65-WHT',
          name: 'Ładowarka Anker 65 W USB-C, biała',
          quantity: 2,
          unitPrice: { amount: 149.99, currency: 'PLN' },
          inStock: false,
          alternative: { sku: 'BASEUS-GAN5-65-WHT', name: 'Ładowarka Baseus GaN5 65 W, biała' },
        },
        expect.objectContaining({ sku: 'CASE-XM5-GRY', inStock: true }),
      ],
      omittedItems: 0,
      total: { amount: 1678.88, currency: 'PLN' },
      recoveryUrl: 'https://sklep.example.pl/koszyk/odzyskaj?token=q8ZkT2vN',
    });
    expect(offer.items[0]).not.toHaveProperty('alternative');
  });

  it("prefers the cart line's own alternative, should the shop send one", async () => {
    // Prepare
    const cart = {
      ...cartEvent(),
      items: [{ ...line(1, false), alternative: { sku: 'OWN-1', name: 'Własny zamiennik' } }],
    };
    const catalogue = configCatalogue({ 'SKU-0001': { sku: 'CAT-1', name: 'Z katalogu' } });

    // Act
    const offer = await buildOffer(cart, catalogue);

    // Assess
    expect(offer.items[0]?.alternative).toEqual({ sku: 'OWN-1', name: 'Własny zamiennik' });
  });

  it('leaves the alternative out, and says so, when the catalogue fails', async () => {
    // Prepare
    const failing: Catalogue = {
      alternativeFor: async () => {
        throw new Error('catalogue down');
      },
    };

    // Act
    const offer = await buildOffer(cartEvent(), failing);

    // Assess
    expect(offer.alternativesUnavailable).toBe(true);
    expect(offer.items.every((item) => item.alternative === undefined)).toBe(true);
  });

  it(`keeps the first ${MAX_OFFER_ITEMS} lines of a huge cart and counts the rest`, async () => {
    // Prepare
    const cart = { ...cartEvent(), items: Array.from({ length: 120 }, (_, i) => line(i, i % 2 === 0)) };

    // Act
    const offer = await buildOffer(cart, emptyCatalogue);

    // Assess
    expect(offer.items).toHaveLength(MAX_OFFER_ITEMS);
    expect(offer.omittedItems).toBe(120 - MAX_OFFER_ITEMS);
  });

  it('offers nothing for a catalogue entry pointing at the product itself', async () => {
    // Prepare
    const catalogue = configCatalogue({ 'ANKER-PD65-WHT': { sku: 'ANKER-PD65-WHT', name: 'the same' } });

    // Act
    const offer = await buildOffer(cartEvent(), catalogue);

    // Assess
    expect(offer.items.some((item) => item.alternative !== undefined)).toBe(false);
  });
});

describe('the callback task', () => {
  it('tells the agent in Polish who to call, what is missing, what to offer and the link to send', async () => {
    // Prepare
    const cart = cartEvent({}, { customerId: 'C-1048213' });
    const callback = callbackOf(cart, await buildOffer(cart, CATALOGUE));

    // Act
    const task = callbackTask(callback, TASK_SETTINGS);

    // Assess
    expect(task.queueId).toBe('q-callback');
    expect(task.name).toBe('Oddzwoń: porzucony koszyk 1678,88 zł (3 pozycje, brak 1)');
    expect(task.description).toBe(
      [
        'Klient porzucił koszyk o wartości 1678,88 zł (3 pozycje) 25.11.2026, 10:00.',
        'Zadzwoń: +48601234567 (język klienta: pl-PL, klient C-1048213).',
        'Koszyk:',
        '- 2 × Ładowarka Anker 65 W USB-C, biała (ANKER-PD65-WHT), 149,99 zł/szt., BRAK: zaproponuj: Ładowarka Baseus GaN5 65 W, biała (BASEUS-GAN5-65-WHT)',
        '- 1 × Słuchawki Sony WH-1000XM5, czarne (SONY-WH1000XM5-BLK), 1299,00 zł, dostępny',
        '- 1 × Etui na słuchawki, szare (CASE-XM5-GRY), 79,90 zł, dostępny',
        'Link przywracający koszyk (wyślij klientowi): https://sklep.example.pl/koszyk/odzyskaj?token=q8ZkT2vN',
      ].join('\n'),
    );
    expect(task.attributes).toMatchObject({
      peaklineQueueId: 'q-callback',
      peaklineKind: 'cart-callback',
      cartId: cart.cartId,
      customerId: 'C-1048213',
      customerLocale: 'pl-PL',
      customerPhone: '+48601234567',
      cartValue: '1678.88',
      cartCurrency: 'PLN',
      itemCount: '3',
      outOfStockCount: '1',
      recoveryUrl: 'https://sklep.example.pl/koszyk/odzyskaj?token=q8ZkT2vN',
    });
    expect(JSON.parse(task.attributes.items ?? '')).toEqual([
      {
        sku: 'ANKER-PD65-WHT',
        name: 'Ładowarka Anker 65 W USB-C, biała',
        quantity: 2,
        unitPrice: '149.99',
        inStock: false,
        alternativeSku: 'BASEUS-GAN5-65-WHT',
        alternativeName: 'Ładowarka Baseus GaN5 65 W, biała',
      },
      {
        sku: 'SONY-WH1000XM5-BLK',
        name: 'Słuchawki Sony WH-1000XM5, czarne',
        quantity: 1,
        unitPrice: '1299.00',
        inStock: true,
      },
      {
        sku: 'CASE-XM5-GRY',
        name: 'Etui na słuchawki, szare',
        quantity: 1,
        unitPrice: '79.90',
        inStock: true,
      },
    ]);
  });

  it('speaks English to English-speaking agents and says how often the peak postponed it', async () => {
    // Prepare
    const cart = cartEvent();
    const callback = callbackOf(cart, await buildOffer(cart, emptyCatalogue), 2);

    // Act
    const task = callbackTask(callback, { ...TASK_SETTINGS, agentLocale: 'en-GB' });

    // Assess
    expect(task.name).toBe('Call back: abandoned cart PLN 1,678.88 (3 lines, 1 out of stock)');
    expect(task.description).toContain('OUT OF STOCK: no alternative in the catalogue');
    expect(task.description).toContain('Postponed 2× while the queue was overloaded.');
    expect(task.attributes.postponements).toBe('2');
  });

  it('asks the agent to order with the customer when the shop sent no link', async () => {
    // Prepare
    const { recoveryUrl: _, ...cart } = cartEvent();
    const callback = callbackOf(cart as CartAbandoned, await buildOffer(cart, emptyCatalogue));

    // Act
    const task = callbackTask(callback, TASK_SETTINGS);

    // Assess
    expect(task.description).toContain('Sklep nie podał linku do koszyka');
    expect(task.attributes).not.toHaveProperty('recoveryUrl');
  });

  it("keeps a huge cart within Connect's limits: missing lines first, the rest counted, the link whole", async () => {
    // Prepare
    const items = Array.from({ length: 300 }, (_, i) => line(i, i % 7 !== 0, 200));
    const cart = { ...cartEvent(), cartId: 'x'.repeat(256), items };
    const callback = callbackOf(
      cartEvent({ cartId: 'x'.repeat(256) }),
      await buildOffer(cart, emptyCatalogue),
    );

    // Act
    const task = callbackTask(callback, TASK_SETTINGS);

    // Assess
    expect(task.name.length).toBeLessThanOrEqual(512);
    expect(task.description.length).toBeLessThanOrEqual(4096);
    expect(task.description).toMatch(/… i \d+ pozycji więcej/);
    expect(task.description.endsWith('https://sklep.example.pl/koszyk/odzyskaj?token=q8ZkT2vN')).toBe(true);
    const firstItem = task.description.split('\n')[3] ?? '';
    expect(firstItem).toContain('BRAK');
    expect(attributeBytes(task.attributes)).toBeLessThanOrEqual(32 * 1024);
    expect(Number(task.attributes.itemsOmitted)).toBe(
      300 - (JSON.parse(task.attributes.items ?? '[]') as unknown[]).length,
    );
    expect(task.clientToken.length).toBeLessThanOrEqual(500);
  });

  it('gives every attribute as a string within 32 KB, for any cart the contract admits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            sku: fc.string({ minLength: 1, maxLength: 256 }),
            name: fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }),
            quantity: fc.integer({ min: 1, max: 1000 }),
            unitPrice: fc.record({
              amount: fc.integer({ min: 0, max: 10_000_000 }).map((c) => c / 100),
              currency: fc.constant('PLN'),
            }),
            inStock: fc.boolean(),
          }),
          { minLength: 1, maxLength: 80 },
        ),
        async (items) => {
          // Prepare
          const cart = { ...cartEvent(), items };
          const callback = callbackOf(cartEvent(), await buildOffer(cart, emptyCatalogue));

          // Act
          const task = callbackTask(callback, TASK_SETTINGS);

          // Assess
          expect(Object.values(task.attributes).every((value) => typeof value === 'string')).toBe(true);
          expect(attributeBytes(task.attributes)).toBeLessThanOrEqual(32 * 1024);
          expect(task.description.length).toBeLessThanOrEqual(4096);
          expect(task.name.length).toBeLessThanOrEqual(512);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('derives the same client token from the same cart, and another from another cart', () => {
    // Act
    const tokens = ['cart-1', 'cart-1', 'cart-2', 'ą'.repeat(256)].map(callbackClientToken);

    // Assess
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[0]).not.toBe(tokens[2]);
    expect(tokens.every((token) => /^[\w-]{1,500}$/.test(token))).toBe(true);
  });

  it('names the task and attributes without the phone once the callback has forgotten it', async () => {
    // Prepare
    const cart = cartEvent();
    const { phone: _, ...customer } = callbackOf(cart, await buildOffer(cart, emptyCatalogue)).customer;
    const callback = { ...callbackOf(cart, await buildOffer(cart, emptyCatalogue)), customer };

    // Act
    const attributes = callbackAttributes(callback, TASK_SETTINGS);
    const description = callbackDescription(callback, TASK_SETTINGS);
    const name = callbackTaskName(callback.offer, TASK_SETTINGS);

    // Assess
    expect(attributes).not.toHaveProperty('customerPhone');
    expect(description).toContain('Zadzwoń: —');
    expect(name).not.toContain('+48');
  });
});
