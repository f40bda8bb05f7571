import { describe, expect, it } from 'vitest';
import { parseShopEvent, SHOP_DETAIL_TYPES } from '#events/index.js';
import {
  deliver,
  INVALID_SAMPLES_DIR,
  listSampleFiles,
  MAX_ENTRIES_PER_CALL,
  putEventsEntrySchema,
  readEntries,
  readSampleFile,
  SAMPLES_DIR,
} from './put-events.js';

/** Each invalid sample holds one mistake; the fragment is what the shop developer reads in the DLQ. */
const INVALID_SAMPLES: Record<string, string> = {
  'cart-abandoned-empty-items.json': 'detail.items: expected at least one item',
  'order-placed-amount-as-string.json': 'detail.total.amount: expected a number such as 249.99, not a string',
  'order-placed-detail-not-json.json': 'Detail: not valid JSON text',
  'order-placed-locale-underscore.json':
    'detail.customer.locale: expected a BCP 47 language tag such as pl-PL',
  'order-placed-lowercase-currency.json':
    'detail.total.currency: expected a 3-letter ISO 4217 currency code in upper case, such as PLN (got "pln")',
  'order-placed-missing-consent.json': 'detail.customer.consent: required, but missing',
  'order-placed-phone-national-format.json':
    'detail.customer.phone: expected an E.164 phone number such as +48601234567 (got "60* *** *67")',
  'order-shiped-unknown-detail-type.json':
    'detail-type "OrderShiped" is not one peakline knows; expected one of OrderPlaced, OrderStatusChanged, CartAbandoned, PaymentIssueReported, CustomerOptedOut',
  'order-status-changed-http-tracking-url.json': 'detail.trackingUrl: expected an absolute https URL',
  'order-status-changed-timestamp-without-offset.json':
    'detail.occurredAt: expected an ISO-8601 date-time with an offset or Z, such as 2025-11-28T14:05:00+01:00 (got "2025-11-29T16:20:03")',
  'order-status-changed-unknown-status.json':
    'detail.status: expected one of PACKED, SHIPPED, OUT_FOR_DELIVERY, DELIVERED, DELAYED, CANCELLED (got "SENT")',
  'payment-issue-reported-negative-amount.json': 'detail.amount.amount: expected an amount of 0 or more',
};

const validFiles = listSampleFiles(SAMPLES_DIR);
const invalidFiles = listSampleFiles(INVALID_SAMPLES_DIR);

const validEntries = validFiles.flatMap((file) =>
  readEntries(SAMPLES_DIR, file).map((entry, index) => ({ file, index, entry })),
);

/** What peakline answers for an entry: PutEvents' refusal, or the parser's verdict on the delivered event. */
const verdict = (entry: Parameters<typeof deliver>[0], index: number) => {
  const delivery = deliver(entry, index);
  return delivery.ok ? parseShopEvent(delivery.event) : delivery;
};

describe('sample files', () => {
  it.each([
    ...validFiles.map((file) => ({ dir: SAMPLES_DIR, file, shown: file })),
    ...invalidFiles.map((file) => ({ dir: INVALID_SAMPLES_DIR, file, shown: `invalid/${file}` })),
  ])('$shown is a put-events entries file with 1..10 entries', ({ dir, file }) => {
    // Prepare
    const content = readSampleFile(dir, file);

    // Act
    const entries = Array.isArray(content) ? content : [];

    // Assess
    expect(Array.isArray(content), 'the CLI expects a JSON array of entries').toBe(true);
    expect(entries.length).toBeGreaterThanOrEqual(1);
    expect(entries.length, 'PutEvents takes at most 10 entries per call').toBeLessThanOrEqual(
      MAX_ENTRIES_PER_CALL,
    );
    for (const entry of entries) {
      expect(putEventsEntrySchema.safeParse(entry).error?.issues ?? []).toEqual([]);
      expect(entry).toMatchObject({ Source: 'shop', EventBusName: 'peakline' });
    }
  });

  it('cover every shop detail-type with at least one valid entry', () => {
    // Prepare
    const sent = new Set(validEntries.map(({ entry }) => entry.DetailType));

    // Act
    const missing = SHOP_DETAIL_TYPES.filter((type) => !sent.has(type));

    // Assess
    expect(missing).toEqual([]);
  });
});

describe('valid samples', () => {
  it.each(validEntries)('$file entry $index ($entry.DetailType) parses', ({ entry, index }) => {
    // Prepare
    const delivery = deliver(entry, index);
    if (!delivery.ok) expect.fail(delivery.reason);

    // Act
    const result = parseShopEvent(delivery.event);

    // Assess
    expect(result.ok ? '' : result.reason).toBe('');
    expect(result.ok && result.event['detail-type']).toBe(entry.DetailType);
    expect(result.ok && result.event.source).toBe('shop');
  });
});

describe('invalid samples', () => {
  it('each file has an expected message in the table, and each table row a file', () => {
    // Prepare
    const listed = Object.keys(INVALID_SAMPLES).sort();

    // Act
    const present = [...invalidFiles];

    // Assess
    expect(present).toEqual(listed);
  });

  it.each(
    invalidFiles.flatMap((file) =>
      readEntries(INVALID_SAMPLES_DIR, file).map((entry, index) => ({ file, index, entry })),
    ),
  )('$file entry $index is refused with one actionable line', ({ file, index, entry }) => {
    // Prepare
    const expected = INVALID_SAMPLES[file] ?? `(no expected message for ${file} in INVALID_SAMPLES)`;

    // Act
    const result = verdict(entry, index);

    // Assess
    expect(result.ok).toBe(false);
    const reason = result.ok ? '' : result.reason;
    expect(reason).toContain(expected);
    expect(reason.split('\n'), 'an invalid sample should hold exactly one mistake').toHaveLength(1);
  });
});
