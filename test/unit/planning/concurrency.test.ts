import { describe, expect, it } from 'vitest';
import {
  chatAhtAt,
  chatAhtFactor,
  chatAhtFactorsText,
  chatThroughput,
  DEFAULT_CHAT_AHT_FACTORS,
  parseChatAhtFactors,
} from '#core/planning/concurrency.js';

describe('chat handling time at concurrency n', () => {
  it('is the solo handling time for a solo chat, and longer the more chats an agent holds', () => {
    // Act
    const ahts = [1, 2, 3, 4, 5, 6].map((n) => chatAhtAt(300, n));

    // Assess
    expect(ahts[0]).toBe(300);
    for (let i = 1; i < ahts.length; i += 1) expect(ahts[i]).toBeGreaterThan(ahts[i - 1] ?? 0);
  });

  it('uses the listed factor of a listed tier and a straight line between listed tiers', () => {
    // Prepare
    const factors = parseChatAhtFactors('2=1.2,4=1.6');

    // Act
    const three = chatAhtFactor(3, factors);

    // Assess
    expect(chatAhtFactor(2, factors)).toBe(1.2);
    expect(three).toBeCloseTo((1.2 + 1.6) / 2, 12);
  });

  it('gives an agent at a higher tier more throughput, but less than one solo agent per extra chat', () => {
    // Act
    const throughput = [2, 4, 6].map((n) => chatThroughput(n));

    // Assess
    expect(throughput[0]).toBeGreaterThan(1);
    expect(throughput[1]).toBeGreaterThan(throughput[0] ?? 0);
    expect(throughput[2]).toBeGreaterThan(throughput[1] ?? 0);
    expect(throughput[2]).toBeLessThan(6);
  });
});

describe('parseChatAhtFactors', () => {
  it('replaces the factors of the tiers given and keeps the defaults of the others', () => {
    // Act
    const factors = parseChatAhtFactors('2=1.3, 4=1.7');

    // Assess
    expect(factors.get(2)).toBe(1.3);
    expect(factors.get(4)).toBe(1.7);
    expect(factors.get(6)).toBe(DEFAULT_CHAT_AHT_FACTORS.get(6));
    expect(parseChatAhtFactors(chatAhtFactorsText(factors))).toEqual(factors);
  });

  it.each([
    ['2:1.3', /is not concurrency=factor/],
    ['2=0.9', /below 1/],
    ['1=1.2', /1 by definition/],
    ['12=3', /not from 1 to 10/],
    ['4=1.1', /cannot get faster/],
  ])('refuses %s in words', (text, message) => {
    // Act and assess
    expect(() => parseChatAhtFactors(text)).toThrow(message);
  });
});
