/**
 * Hostile input, over the event schemas, through the code that meets it in production: the record
 * handler every consumer uses (parse -> dead-letter with the reason), and the renderers that put shop text
 * into an SMS body or a Connect task (order SMS, callback task, payment task).
 *
 * - Invalid events (a wrong type, a string far too long, a missing field) never crash a consumer: each
 *   lands in the rejected-events queue with a reason that names the field and reads the same to everyone
 *   (no invisible character in it).
 * - Valid events carrying hostile text (controls, bidi overrides, zero-width characters, Unicode tags,
 *   lone surrogates, emoji, `{{x}}`, `${x}`, `%s`, HTML, SSML) are handled, and what reaches a phone or an
 *   agent holds none of the invisible characters and no template or markup syntax, while the words stay.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleShopEventRecord } from '#adapters/lambda/shop-event-record.js';
import type { Callback } from '#core/callbacks/callback.js';
import { callbackDescription } from '#core/callbacks/callback-task.js';
import { emptyCatalogue } from '#core/callbacks/catalogue.js';
import { buildOffer } from '#core/callbacks/offer.js';
import { paymentIssueTask } from '#core/callbacks/payment-task.js';
import type { DeadLetter } from '#core/ports.js';
import { renderOrderSms, smsKindForStatus } from '#core/sms/templates.js';
import {
  type CartAbandoned,
  type OrderStatusChanged,
  type PaymentIssueReported,
  parseShopEvent,
  SHOP_DETAIL_TYPES,
} from '#events/index.js';
import { type DeliveredEvent, deliveredSample, sqsRecord } from '#test/support/events.js';

/** The pieces hostile text is made of; fast-check strings of any code point fill the gaps. */
const HOSTILE_PIECES = [
  '{{x}}',
  '{{{constructor}}}',
  '${x}',
  '${process.env.SECRET}',
  '#{x}',
  '%s',
  '%d%%%o',
  '<script>alert(1)</script>',
  '<b>',
  '<speak><break time="10s"/>Proszę podać PIN</speak>',
  '<![CDATA[x]]>',
  '<?xml version="1.0"?>',
  '<!-- -->',
  '\u202Etnuoma\u202C',
  '\u2066isolated\u2069',
  '\u200Finvisible\u200E',
  'zero\u200Bwidth\u200C\u200D\u2060\uFEFF',
  '\u00AD',
  '\u0000',
  '\u0007\u0008',
  '\u001B[31mred\u001B[0m',
  '\u0085',
  '\r\n',
  '\u2028\u2029',
  '\t',
  '\uD800',
  '\uDFFF',
  '\u{E0041}\u{E0042}',
  '👨‍👩‍👧',
  '🎄🎁',
  '🇵🇱',
  'Zażółć gęślą jaźń',
  'Привет',
  'مرحبا',
  '"quoted" \'single\' `back`',
];

/** Hostile text: pieces and arbitrary code points, joined; never only whitespace. */
const hostileText = (maxLength: number) =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
        { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((parts) => `Słowo ${parts.join(' ')}`.slice(0, maxLength));

/** A link the schemas accept, with hostile text in its path and query. */
const hostileUrl = fc
  .array(fc.constantFrom('{{x}}', '${x}', '<b>', '%s', '\u202E', '\u200B', 'a b', '"q"', '`x`', 'ż'), {
    minLength: 1,
    maxLength: 4,
  })
  .map((parts) => `https://track.example.pl/p/${parts.join('')}?q=${parts.join('')}#${parts.join('')}`);

/** What no SMS body or task text may hold (outside a link, `%xx` is a URL's own encoding). */
const INVISIBLE = /(?!\n)[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;
const TEMPLATE_OR_MARKUP = /\{\{|\}\}|\$\{|#\{|<[A-Za-z/!?]/u;
const FORMAT_DIRECTIVE = /%[sdifjoOc]/u;

const expectInert = (text: string, label: string): void => {
  expect(text, `${label}: invisible character`).not.toMatch(INVISIBLE);
  expect(text, `${label}: template or markup`).not.toMatch(TEMPLATE_OR_MARKUP);
  expect(text.replace(/https:\/\/\S+/gu, ''), `${label}: format directive`).not.toMatch(FORMAT_DIRECTIVE);
};

const withDetail = <T>(name: string, change: (detail: T) => void): DeliveredEvent => {
  const event = deliveredSample(name);
  change(event.detail as T);
  return event;
};

/** Parses as a consumer would; a valid event is returned, an invalid one must say why. */
const parsed = <T>(event: DeliveredEvent): T | undefined => {
  const result = parseShopEvent(event);
  if (result.ok) return result.event.detail as T;
  expect(result.reason).toMatch(/^detail\./mu);
  return undefined;
};

/** Counts the valid runs, so a property that only ever met refusals cannot pass unnoticed. */
const counter = () => {
  let valid = 0;
  let all = 0;
  return {
    saw: (ok: boolean) => {
      all += 1;
      if (ok) valid += 1;
    },
    expectMostlyValid: () => expect(valid, `${valid} valid of ${all}`).toBeGreaterThan(all / 2),
  };
};

const RUNS = { numRuns: 150 };
/** Rendering is the slow part (Intl, segment counting): generous on a loaded machine, never an assertion. */
const SLOW = { timeout: 120_000 };

describe('valid events with hostile text', SLOW, () => {
  it('put nothing hidden and no template or markup syntax into an order SMS', () => {
    const runs = counter();
    fc.assert(
      fc.property(
        hostileText(500),
        hostileText(100),
        hostileText(256),
        fc.constantFrom('DELAYED', 'CANCELLED', 'SHIPPED'),
        fc.constantFrom('pl-PL', 'en-GB', 'ru-RU', 'fi-FI'),
        hostileUrl,
        (reason, carrier, orderId, status, locale, trackingUrl) => {
          // Prepare
          const event = withDetail<OrderStatusChanged>('order-status-changed-delayed', (d) => {
            Object.assign(d, { reason, carrier, orderId, status, trackingUrl });
            d.customer.locale = locale;
          });
          const detail = parsed<OrderStatusChanged>(event);
          runs.saw(detail !== undefined);
          if (detail === undefined) return;

          // Act
          const sms = renderOrderSms(
            {
              kind: smsKindForStatus(detail.status),
              locale: detail.customer.locale,
              timeZone: 'Europe/Warsaw',
              shopName: 'Sklep Peak',
              orderId: detail.orderId,
              ...(detail.trackingUrl === undefined ? {} : { trackingUrl: detail.trackingUrl }),
              ...(detail.carrier === undefined ? {} : { carrier: detail.carrier }),
              ...(detail.estimatedDelivery === undefined
                ? {}
                : { estimatedDelivery: detail.estimatedDelivery }),
              ...(detail.reason === undefined ? {} : { reason: detail.reason }),
            },
            { segmentCap: 10 },
          );

          // Assess: inert, and the shop's words still there.
          expectInert(sms.body, 'SMS');
          expect(sms.body).toContain('Słowo');
        },
      ),
      RUNS,
    );
    runs.expectMostlyValid();
  });

  it('put nothing hidden and no template or markup syntax into a callback task', async () => {
    const runs = counter();
    await fc.assert(
      fc.asyncProperty(
        hostileText(200),
        hostileText(256),
        hostileText(256),
        fc.boolean(),
        hostileUrl,
        async (name, sku, customerId, inStock, recoveryUrl) => {
          // Prepare
          const event = withDetail<CartAbandoned>('cart-abandoned', (d) => {
            const [first] = d.items;
            if (first !== undefined) Object.assign(first, { name, sku, inStock });
            d.customer.customerId = customerId;
            d.recoveryUrl = recoveryUrl;
          });
          const detail = parsed<CartAbandoned>(event);
          runs.saw(detail !== undefined);
          if (detail === undefined) return;
          const offer = await buildOffer(detail, emptyCatalogue);
          const callback = {
            cartId: detail.cartId,
            customer: { ...detail.customer, marketingSms: detail.customer.consent.marketingSms },
            offer,
            abandonedAt: detail.abandonedAt,
            postponements: 0,
          } as unknown as Callback;

          // Act
          const description = callbackDescription(callback, {
            callbackQueueId: 'callback',
            agentLocale: 'pl-PL',
            timeZone: 'Europe/Warsaw',
          });

          // Assess
          expectInert(description, 'callback task');
          expect(description).toContain('Słowo');
        },
      ),
      RUNS,
    );
    runs.expectMostlyValid();
  });

  it('put nothing hidden and no template or markup syntax into a payment task, keeping the note’s lines', () => {
    const runs = counter();
    fc.assert(
      fc.property(hostileText(1000), hostileText(256), (note, orderId) => {
        // Prepare
        const event = withDetail<PaymentIssueReported>('payment-issue-reported', (d) => {
          Object.assign(d, { note: `${note}\nDruga linia`, orderId });
        });
        const detail = parsed<PaymentIssueReported>(event);
        runs.saw(detail !== undefined);
        if (detail === undefined) return;

        // Act
        const task = paymentIssueTask(detail, {
          accountingQueueId: 'accounting',
          agentLocale: 'pl-PL',
          timeZone: 'Europe/Warsaw',
        });

        // Assess
        expectInert(task.name, 'task name');
        expectInert(task.description, 'task description');
        expect(task.description).toContain('Słowo');
        expect(task.description).toContain('\nDruga linia');
      }),
      RUNS,
    );
    runs.expectMostlyValid();
  });
});

/** Every path to a leaf of an event's detail, e.g. ['items', 0, 'name']. */
const leafPaths = (value: unknown, path: (string | number)[] = []): (string | number)[][] => {
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]));
  }
  return [path];
};

const setAt = (root: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void => {
  let target = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path.at(-1);
  if (last !== undefined) target[last] = value;
};

/** `items.0.name` as the reason writes it: `items[0].name`. */
const reasonPath = (path: readonly (string | number)[]): string =>
  path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('');

const SAMPLES = [
  'order-placed',
  'order-status-changed-delayed',
  'cart-abandoned',
  'payment-issue-reported',
  'customer-opted-out',
] as const;

/** What no field of any schema accepts in place of its own value. */
const wrongValue = fc.oneof(
  fc.constant(null),
  fc.constant([]),
  fc.constant({ $gt: '' }),
  fc.constant({ toString: '{{x}}' }),
  // Far beyond any limit the schemas set, with the hostile pieces in it.
  hostileText(60).map((text) => text.repeat(400)),
  fc.integer().map((n) => (n === 0 ? Number.NaN : n)),
);

describe('invalid events', SLOW, () => {
  it('are dead-lettered with a reason naming the field, and never crash the consumer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SAMPLES), fc.nat(), wrongValue, async (sample, pick, value) => {
        // Prepare: one leaf of a valid event replaced by a value of the wrong kind.
        const event = deliveredSample(sample);
        const paths = leafPaths(event.detail);
        const path = paths[pick % paths.length] ?? [];
        // A boolean or a number leaf given a number stays valid; a string in its place does not.
        const replacement =
          typeof value === 'number' && path.at(-1) !== 'phone' ? `${String(value)}{{x}}` : value;
        setAt(event.detail, path, replacement);
        const letters: DeadLetter[] = [];
        const handled: unknown[] = [];

        // Act
        const outcome = await handleShopEventRecord(sqsRecord(event), {
          accepts: SHOP_DETAIL_TYPES,
          refusedBy: 'hostile-input-test',
          deadLetters: { put: async (letter) => void letters.push(letter) },
          onEvent: async (parsedEvent) => void handled.push(parsedEvent),
        });

        // Assess: either the value was acceptable after all (a free-text field), or it was refused.
        if (outcome === 'processed') {
          expect(handled).toHaveLength(1);
          return;
        }
        expect(letters).toHaveLength(1);
        const reason = letters[0]?.reason ?? '';
        expect(reason).toContain(`detail${reasonPath(path)}`);
        expect(reason).not.toMatch(INVISIBLE);
        expect(reason.length).toBeLessThan(2000);
        expect(letters[0]?.event).toEqual(JSON.parse(JSON.stringify(event)));
      }),
      { numRuns: 300 },
    );
  });

  it('refuse a body that is not JSON at all, with the reason', async () => {
    // Prepare
    const letters: DeadLetter[] = [];

    // Act
    const outcome = await handleShopEventRecord(
      { body: '{"detail-type":"OrderPlaced","detail":{{x}}\u202E' },
      {
        accepts: SHOP_DETAIL_TYPES,
        refusedBy: 'hostile-input-test',
        deadLetters: { put: async (letter) => void letters.push(letter) },
        onEvent: async () => {},
      },
    );

    // Assess
    expect(outcome).toBe('dead-lettered');
    expect(letters.map((l) => l.reason)).toEqual(['the message body is not JSON']);
  });
});
