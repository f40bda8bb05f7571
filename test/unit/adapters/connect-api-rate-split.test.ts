import { describe, expect, it } from 'vitest';
import {
  CONNECT_API_CALLERS,
  CONNECT_API_SLOTS,
  type ConnectApiCallerName,
  connectCallsPerSecondFor,
} from '#adapters/connect/api-rate-split.js';

const callers = Object.keys(CONNECT_API_CALLERS) as ConnectApiCallerName[];

/** What every Connect caller together may ask for when each runs as often at once as it can. */
const demandAtMaxConcurrency = (rate: number): number =>
  callers.reduce(
    (sum, caller) =>
      sum + CONNECT_API_CALLERS[caller].maxConcurrency * connectCallsPerSecondFor(caller, rate),
    0,
  );

describe('the Connect API rate, shared by its callers', () => {
  it('lists every caller that paces Connect user or task calls', () => {
    expect(callers.toSorted()).toEqual([
      'callback-sweeper',
      'payment-issues',
      'seat-sweeper',
      'seat-ttl-backstop',
      'seats-cli',
    ]);
    // Two payment-issues invocations, and one of each of the others.
    expect(CONNECT_API_SLOTS).toBe(6);
  });

  it.each([0.1, 1, 2, 3, 5, 7, 10, 33.3, 50])(
    'never plans on more than connect.apiCallsPerSecond = %d with every caller at its maximum concurrency',
    (rate) => {
      // Act
      const demand = demandAtMaxConcurrency(rate);

      // Assess: all of it is used, and not a call more (a hair of float rounding aside).
      expect(demand).toBeLessThanOrEqual(rate * (1 + 1e-12));
      expect(demand).toBeGreaterThan(rate * 0.999);
    },
  );

  it.each(callers)('gives %s a share, not the whole rate', (caller) => {
    // Act
    const share = connectCallsPerSecondFor(caller, 2);

    // Assess
    expect(share).toBeCloseTo(2 / 6, 12);
    expect(share).toBeLessThan(2);
  });

  it('refuses a rate that is not a positive number', () => {
    expect(() => connectCallsPerSecondFor('seat-sweeper', 0)).toThrow(RangeError);
    expect(() => connectCallsPerSecondFor('seat-sweeper', Number.NaN)).toThrow(RangeError);
  });
});
