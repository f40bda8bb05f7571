import { describe, expect, it } from 'vitest';
import { type LocalBusIdentity, PutEventsRequestError, putEvents } from '#local/bus/put-events.js';
import { sampleEntries } from '#test/support/events.js';

const bus: LocalBusIdentity = {
  name: 'peakline',
  account: '000000000000',
  region: 'eu-central-1',
  admitsSource: (source) => source === 'shop',
};
const context = { bus, now: new Date('2026-11-27T18:00:00.250Z'), newId: () => 'event-1' };
const entry = (overrides: Record<string, unknown> = {}) => ({
  Source: 'shop',
  DetailType: 'OrderPlaced',
  Detail: '{"orderId":"A-1"}',
  EventBusName: 'peakline',
  ...overrides,
});

describe('local PutEvents', () => {
  it('accepts every committed sample, as EventBridge would', () => {
    for (const name of [
      'order-placed',
      'order-status-changed-lifecycle',
      'cart-abandoned',
      'customer-opted-out',
    ]) {
      const { response } = putEvents({ Entries: sampleEntries(name) }, context);
      expect(response.FailedEntryCount, name).toBe(0);
    }
  });

  it('wraps an accepted entry in the envelope targets receive', () => {
    // Act
    const { response, events } = putEvents({ Entries: [entry({ Resources: ['arn:aws:x'] })] }, context);

    // Assess
    expect(response).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] });
    expect(events).toEqual([
      {
        version: '0',
        id: 'event-1',
        'detail-type': 'OrderPlaced',
        source: 'shop',
        account: '000000000000',
        time: '2026-11-27T18:00:00Z',
        region: 'eu-central-1',
        resources: ['arn:aws:x'],
        detail: { orderId: 'A-1' },
      },
    ]);
  });

  it('takes Time as epoch seconds, as the SDK and the CLI send it', () => {
    const { events } = putEvents({ Entries: [entry({ Time: 1_764_262_800 })] }, context);
    expect(events[0]?.time).toBe('2025-11-27T17:00:00Z');
  });

  it.each([
    [{ Detail: '[object Object]' }, 'MalformedDetail'],
    [{ Detail: '[1,2]' }, 'MalformedDetail'],
    [{ Source: undefined }, 'InvalidArgument'],
    [{ DetailType: '' }, 'InvalidArgument'],
    [{ Source: 'peakline' }, 'NotAuthorizedForSourceException'],
    [{ EventBusName: 'default' }, 'ResourceNotFoundException'],
    [{ Time: 'yesterday' }, 'InvalidArgument'],
    [{ Detail: JSON.stringify({ blob: 'x'.repeat(300_000) }) }, 'InvalidArgument'],
  ])('refuses %j with %s and keeps the other entries', (overrides, code) => {
    // Act
    const { response, events } = putEvents({ Entries: [entry(), entry(overrides), entry()] }, context);

    // Assess
    expect(response.FailedEntryCount).toBe(1);
    expect(response.Entries[1]).toMatchObject({ ErrorCode: code, ErrorMessage: expect.any(String) });
    expect(response.Entries[0]).toHaveProperty('EventId');
    expect(response.Entries[2]).toHaveProperty('EventId');
    expect(events).toHaveLength(2);
  });

  it('accepts the bus by ARN as well as by name', () => {
    const arn = 'arn:aws:events:eu-central-1:000000000000:event-bus/peakline';
    expect(putEvents({ Entries: [entry({ EventBusName: arn })] }, context).response.FailedEntryCount).toBe(0);
  });

  it.each([
    [{}, 'ValidationException', /Member must not be null/],
    [{ Entries: [] }, 'ValidationException', /greater than or equal to 1/],
    [
      { Entries: Array.from({ length: 11 }, () => entry()) },
      'ValidationException',
      /less than or equal to 10/,
    ],
    [{ Entries: 'all of them' }, 'SerializationException', /list/],
    ['not an object', 'SerializationException', /JSON object/],
  ])('refuses the whole request %j with %s', (request, type, message) => {
    expect(() => putEvents(request, context)).toThrow(PutEventsRequestError);
    try {
      putEvents(request, context);
    } catch (error) {
      expect((error as PutEventsRequestError).type).toBe(type);
      expect((error as Error).message).toMatch(message);
    }
  });
});
