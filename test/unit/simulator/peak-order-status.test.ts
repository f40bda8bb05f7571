import { describe, expect, it } from 'vitest';
import { NO_SEATS } from '#core/planning/seat-counts-file.js';
import { loadConfig } from '#infra/config/load.js';
import { fridayMorning } from '#test/support/forecast-day.js';
import { peakInput, peakInputProblems } from '#simulator/peak/input.js';
import { type PeakReplication, runPeak } from '#simulator/peak/run.js';
import { summarisePeak } from '#simulator/peak/summary.js';

const config = loadConfig('dev');
const seats = { ...NO_SEATS, voice: 20, 'chat-2': 6, light: 4, 'second-line': 4 };
/** A peak morning: 150 calls a quarter hour at 180 s (30 Erlangs) for 14 voice and 2 second-line agents. */
const peakDay = (statusOnlyShare?: number) =>
  peakInput(fridayMorning({ voice: 50, chat: 10 }), seats, config, {
    scenario: 3,
    ...(statusOnlyShare === undefined ? {} : { statusOnlyShare }),
  });

/** Callers who went on past the order status: routed to a queue or offered the deflection menu. */
const routed = (r: PeakReplication) => r.calls.queued + r.calls.overflowed + r.deflection.offered;
const voiceAbandonment = (r: PeakReplication) => {
  const line = [r.rows['primary-voice'], r.rows['secondLine-voice']];
  return line.reduce((a, row) => a + row.abandoned, 0) / line.reduce((a, row) => a + row.offered, 0);
};

describe('peakline simulate with callers who only want their order status (issue 15)', () => {
  it('gives today’s figures with a share of 0, to the last bit', async () => {
    // Prepare
    const before = peakDay();
    const none = peakDay(0);

    // Act
    const results = await Promise.all([runPeak(before, 11, 0), runPeak(none, 11, 0), runPeak(none, 11, 1)]);

    // Assess
    expect(results[1]).toEqual(results[0]);
    expect(results[1]?.calls.contained).toBe(0);
    expect(await runPeak(before, 11, 1)).toEqual(results[2]);
  });

  it('takes a fifth of the callers out of the queues with a share of 0.2, and fewer callers hang up', async () => {
    // Prepare
    const none = peakDay(0);
    const fifth = peakDay(0.2);

    // Act
    const without = await runPeak(none, 3, 0);
    const withStatus = await runPeak(fifth, 3, 0);

    // Assess: the same callers arrive; about 20% are contained and reach no queue
    const callers = routed(without);
    expect(withStatus.calls.contained + routed(withStatus)).toBe(callers);
    expect(Math.abs(withStatus.calls.contained / callers - 0.2)).toBeLessThan(0.02);
    expect(routed(withStatus) / callers).toBeLessThan(0.82);
    expect(voiceAbandonment(without)).toBeGreaterThan(0.05);
    expect(voiceAbandonment(withStatus)).toBeLessThan(voiceAbandonment(without) - 0.03);
  });

  it('summarises the contained callers and their share of the calls in opening hours', async () => {
    // Prepare
    const input = peakDay(0.2);

    // Act
    const results = await Promise.all([runPeak(input, 5, 0), runPeak(input, 5, 1)]);
    const summary = summarisePeak(input, results, { seed: 5, smsPricePerPart: 0.05 });

    // Assess
    expect(summary.statusOnlyShare).toBe(0.2);
    expect(summary.calls.contained?.mean).toBe(
      ((results[0]?.calls.contained ?? 0) + (results[1]?.calls.contained ?? 0)) / 2,
    );
    expect(Math.abs((summary.calls.containedShare?.mean ?? 0) - 0.2)).toBeLessThan(0.02);
  });

  it('refuses a share outside 0 to 1 in words', () => {
    // Prepare / Act
    const problems = peakInputProblems({ ...peakDay(), statusOnlyShare: 1.5 });

    // Assess
    expect(problems).toContain('the share of status-only callers must be from 0 to 1 (got 1.5)');
  });
});
