import { describe, expect, it } from 'vitest';
import { parseQueuedDeflection } from '#functions/deflection-sms/answer.js';

describe('a message of the caller-SMS queue, read back by the sender', () => {
  it('reads a tracking-link request', () => {
    // Act
    const request = parseQueuedDeflection(
      JSON.stringify({ kind: 'tracking', contactId: 'c-1', phone: '+48601234567', orderId: 'PL-1' }),
    );

    // Assess
    expect(request).toEqual({ kind: 'tracking', contactId: 'c-1', phone: '+48601234567', orderId: 'PL-1' });
  });

  it('reads a message without a kind as a deflection, as every message was before', () => {
    // Act
    const request = parseQueuedDeflection(
      JSON.stringify({ contactId: 'c-2', phone: '+48601234567', locale: 'pl-PL' }),
    );

    // Assess
    expect(request).toEqual({ kind: 'deflection', contactId: 'c-2', phone: '+48601234567', locale: 'pl-PL' });
  });

  it.each([
    ['a tracking request without its order', { kind: 'tracking', contactId: 'c', phone: '+48601234567' }],
    ['a kind it does not know', { kind: 'marketing', contactId: 'c', phone: '+48601234567' }],
    ['no contact', { kind: 'tracking', phone: '+48601234567', orderId: 'PL-1' }],
  ])('refuses %s (to the dead-letter queue, unsent)', (_, body) => {
    // Act
    const request = parseQueuedDeflection(JSON.stringify(body));

    // Assess
    expect(request).toBeUndefined();
  });
});
