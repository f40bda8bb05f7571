import { describe, expect, it } from 'vitest';
import type { ForecastInterval } from '#core/planning/types.js';
import { NO_SEATS } from '#core/planning/seat-counts-file.js';
import { loadConfig } from '#infra/config/load.js';
import { fridayMorning } from '#test/support/forecast-day.js';
import { peakInput } from '#simulator/peak/input.js';
import { runPeak } from '#simulator/peak/run.js';
import { comparePolicies } from '#simulator/peak/summary.js';

const config = loadConfig('dev');

/** A Friday morning of 15-minute intervals (see fridayMorning), calls and chats. */
const day = (callsPer15: number, chatsPer15: number): ForecastInterval[] =>
  fridayMorning({ voice: callsPer15, chat: chatsPer15 });

const seats = { ...NO_SEATS, voice: 20, 'chat-2': 6, 'second-line': 4 };
/** 150 calls a quarter hour at 180 s is 30 Erlangs for 14 voice agents and 2 second-line ones: overloaded. */
const overloaded = (policy?: 'none' | 'connect-delay' | 'peakline') =>
  peakInput(day(50, 10), seats, config, { scenario: 3, ...(policy === undefined ? {} : { policy }) });

describe('the peak simulation’s routing policies', () => {
  it('none: nobody overflows and the second-line agents answer no primary call', async () => {
    // Prepare
    const input = overloaded('none');

    // Act
    const result = await runPeak(input, 11, 0);

    // Assess
    expect(result.policy).toBe('none');
    expect(result.agentsLoggedIn.secondLine).toBeGreaterThan(0);
    expect(result.rows['secondLine-voice'].offered).toBe(0);
    expect(result.calls.overflowed).toBe(0);
    expect(result.deflection.offered).toBe(0);
    expect(result.overflow.primary?.changes).toBe(0);
    expect(result.secondLineAssists.answered).toBe(0);
    expect(result.rows['primary-voice'].abandoned).toBeGreaterThan(0);
  });

  it('connect-delay: no controller, and the second line takes primary calls only once they waited the enter threshold', async () => {
    // Prepare
    const input = overloaded('connect-delay');
    const delay = input.overflow.thresholds.enterWaitSeconds;

    // Act
    const result = await runPeak(input, 11, 0);

    // Assess
    expect(result.overflow.primary?.changes).toBe(0);
    expect(result.overflow.primary?.entries).toBe(0);
    expect(result.rows['secondLine-voice'].offered).toBe(0);
    expect(result.deflection.offered).toBe(0);
    expect(result.secondLineAssists.answered).toBeGreaterThan(0);
    expect(result.secondLineAssists.shortestWaitSeconds).toBeGreaterThanOrEqual(delay);
  });

  it('peakline: the same replication as an input without a policy, with the controller at work', async () => {
    // Prepare: an input as made before the policies existed
    const { policy: _policy, ...legacy } = overloaded('peakline');

    // Act
    const named = await runPeak(overloaded('peakline'), 11, 0);
    const unnamed = await runPeak(legacy, 11, 0);

    // Assess
    expect(named).toEqual(unnamed);
    expect(named.overflow.primary?.changes).toBeGreaterThan(0);
    expect(named.rows['secondLine-voice'].offered).toBeGreaterThan(0);
  });

  it('compares the policies on calls, per queue, with the primary queue’s state changes', async () => {
    // Prepare
    const policies = ['none', 'connect-delay', 'peakline'] as const;
    const runs = await Promise.all(
      policies.map(async (policy) => ({
        policy,
        results: [await runPeak(overloaded(policy), 11, 0), await runPeak(overloaded(policy), 11, 1)],
      })),
    );

    // Act
    const comparison = comparePolicies(runs);

    // Assess
    expect(comparison.policies.map((p) => p.policy)).toEqual([...policies]);
    const [none, connectDelay, peakline] = comparison.policies;
    expect(none?.stateChanges).toEqual({ mean: 0, ci95: [0, 0] });
    expect(connectDelay?.stateChanges?.mean).toBe(0);
    expect(peakline?.stateChanges?.mean).toBeGreaterThan(0);
    expect(Object.keys(none?.queues ?? {})).toEqual(['primary']);
    expect(Object.keys(peakline?.queues ?? {})).toContain('secondLine');
    for (const p of comparison.policies) {
      expect(p.abandonment?.mean).toBeGreaterThan(0);
      expect(p.serviceLevel?.mean).toBeLessThan(1);
      expect(p.queues.primary?.asa?.mean).toBeGreaterThan(0);
    }
  });
});
