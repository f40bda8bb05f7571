import type { ConnectContactFlowEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { NOT_FOUND_ANSWER } from '#core/orders/lookup.js';
import { MemoryOrderIndex } from '#core/orders/memory-index.js';
import { linkFailedSsml, linkSentSsml } from '#core/orders/status-speech.js';
import type { IndexedOrder, OrderIndex } from '#core/orders/types.js';
import { phoneHash } from '#core/phone.js';
import type { QueuedTracking } from '#core/sms/tracking-sms.js';
import { answerOrderStatus, type OrderStatusPorts } from '#functions/order-status/answer.js';
import invocation from '#test/fixtures/connect/order-status-invocation.json' with { type: 'json' };

const NOW = new Date('2026-11-27T20:30:00Z');
const MOBILE = '+48601234567';

/** Connect's invocation of `action` for a caller, cloned per test. */
const invoke = (
  action: string,
  options: { phone?: string | null; attributes?: Record<string, string>; languageCode?: string } = {},
): ConnectContactFlowEvent => {
  const event = structuredClone(invocation) as unknown as ConnectContactFlowEvent;
  event.Details.Parameters = { action };
  const contact = event.Details.ContactData as unknown as Record<string, unknown>;
  if (options.phone === null) contact.CustomerEndpoint = null;
  else if (options.phone !== undefined)
    contact.CustomerEndpoint = { Address: options.phone, Type: 'TELEPHONE_NUMBER' };
  if (options.attributes !== undefined) contact.Attributes = options.attributes;
  if (options.languageCode !== undefined) contact.LanguageCode = options.languageCode;
  return event;
};

const order: IndexedOrder = {
  orderId: 'PL-2026-00123',
  status: 'OUT_FOR_DELIVERY',
  changedAt: '2026-11-27T07:00:00.000Z',
  carrier: 'InPost',
  trackingUrl: 'https://tracking.example.com/abc',
  language: 'pl',
  timeZone: 'Europe/Warsaw',
  smsConsent: true,
};

const world = async (index?: Pick<OrderIndex, 'recent'>, enqueue?: (r: QueuedTracking) => Promise<void>) => {
  const memory = new MemoryOrderIndex({ maxOrdersPerPhone: 5, now: () => NOW });
  await memory.record(phoneHash(MOBILE), order, new Date('2026-12-27T00:00:00Z'));
  const queued: QueuedTracking[] = [];
  const counts: string[] = [];
  const logs: { message: string; fields: Record<string, unknown> }[] = [];
  const ports: OrderStatusPorts = {
    index: index ?? memory,
    clock: { now: () => NOW },
    fallbackTimeZone: 'Europe/Warsaw',
    lookupBudgetMs: 200,
    enqueue: enqueue ?? (async (request) => void queued.push(request)),
  };
  const record = {
    log: (message: string, fields: Record<string, unknown>) => void logs.push({ message, fields }),
    count: (metric: string) => void counts.push(metric),
  };
  return { ports, record, queued, counts, logs };
};

describe('the order-status function, looking a caller up', () => {
  it('answers the caller’s order and counts it told', async () => {
    // Prepare
    const w = await world();

    // Act
    const answer = await answerOrderStatus(invoke('lookup'), w.ports, w.record);

    // Assess
    expect(answer).toMatchObject({
      found: 'true',
      orderId: 'PL-2026-00123',
      status: 'OUT_FOR_DELIVERY',
      voice: 'Ola',
    });
    expect(answer.statusSsml).toContain('Kurier InPost doręcza je dzisiaj.');
    expect(w.counts).toEqual(['OrderStatusTold']);
  });

  it('answers "not found" for a number without orders and for a withheld one, counted', async () => {
    // Prepare
    const w = await world();

    // Act
    const unknown = await answerOrderStatus(invoke('lookup', { phone: '+48601999999' }), w.ports, w.record);
    const withheld = await answerOrderStatus(invoke('lookup', { phone: null }), w.ports, w.record);

    // Assess
    expect([unknown, withheld]).toEqual([NOT_FOUND_ANSWER, NOT_FOUND_ANSWER]);
    expect(w.counts).toEqual(['OrderStatusNotFound', 'OrderStatusNotFound']);
  });

  it('fails open when the index fails: "not found", logged without the number, counted', async () => {
    // Prepare
    const w = await world({
      recent: async () => {
        throw Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' });
      },
    });

    // Act
    const answer = await answerOrderStatus(invoke('lookup'), w.ports, w.record);

    // Assess
    expect(answer).toEqual(NOT_FOUND_ANSWER);
    expect(w.counts).toEqual(['OrderStatusLookupFailed']);
    expect(w.logs[0]?.fields).toMatchObject({
      error: 'ResourceNotFoundException: Requested resource not found',
    });
    expect(JSON.stringify(w.logs)).not.toContain(MOBILE);
  });

  it('fails open when the index does not answer within the budget', async () => {
    // Prepare: an index that never answers
    const w = await world({ recent: () => new Promise<never>(() => {}) });

    // Act
    const answer = await answerOrderStatus(invoke('lookup'), w.ports, w.record);

    // Assess
    expect(answer).toEqual(NOT_FOUND_ANSWER);
    expect(w.counts).toEqual(['OrderStatusLookupFailed']);
    expect(w.logs[0]?.fields.error).toMatch(/^LookupTimeoutError/);
  });

  it('answers "not found" to an action it does not know, rather than failing the flow', async () => {
    // Prepare
    const w = await world();

    // Act
    const answer = await answerOrderStatus(invoke('refund-everything'), w.ports, w.record);

    // Assess
    expect(answer).toEqual(NOT_FOUND_ANSWER);
  });
});

describe('the order-status function, sending the tracking link', () => {
  it('queues the request for the sender and says goodbye in the order’s language', async () => {
    // Prepare
    const w = await world();
    const event = invoke('send-link', {
      attributes: { peaklineOrderId: 'PL-2026-00123', peaklineOrderLanguage: 'fi-FI' },
      languageCode: 'en-GB',
    });

    // Act
    const answer = await answerOrderStatus(event, w.ports, w.record);

    // Assess
    expect(answer).toEqual({ sent: 'true', ssml: linkSentSsml('fi'), reason: '' });
    expect(w.queued).toEqual([
      {
        kind: 'tracking',
        contactId: '7d1e5a90-3c4b-4f1e-9a2d-0b6c8e4f1a23',
        phone: MOBILE,
        orderId: 'PL-2026-00123',
      },
    ]);
    expect(w.counts).toEqual(['TrackingSmsQueued']);
  });

  it('speaks the flow’s language when the contact carries no order language', async () => {
    // Prepare
    const w = await world();
    const event = invoke('send-link', { attributes: { peaklineOrderId: 'A-1' }, languageCode: 'en-GB' });

    // Act
    const answer = await answerOrderStatus(event, w.ports, w.record);

    // Assess
    expect(answer).toMatchObject({ sent: 'true', ssml: linkSentSsml('en') });
  });

  it.each([
    ['the contact carries no order', { attributes: {} }, 'no-order'],
    ['the caller withheld their number', { phone: null }, 'no-number'],
    ['the caller rings from a landline', { phone: '+48221234567' }, 'not-mobile'],
  ] as const)('queues nothing and apologises when %s', async (_, options, reason) => {
    // Prepare
    const w = await world();

    // Act
    const answer = await answerOrderStatus(invoke('send-link', options), w.ports, w.record);

    // Assess
    expect(answer).toEqual({ sent: 'false', ssml: linkFailedSsml('pl'), reason });
    expect(w.queued).toEqual([]);
  });

  it('apologises, and keeps the caller for an adviser, when the queue refuses', async () => {
    // Prepare
    const w = await world(undefined, async () => {
      throw Object.assign(new Error('down'), { name: 'InternalError' });
    });

    // Act
    const answer = await answerOrderStatus(invoke('send-link'), w.ports, w.record);

    // Assess
    expect(answer).toEqual({ sent: 'false', ssml: linkFailedSsml('pl'), reason: 'error' });
    expect(w.counts).toEqual(['TrackingSmsNotQueued']);
  });
});
