import { describe, expect, it } from 'vitest';
import type { ForecastInterval } from '#core/planning/types.js';
import { loadConfig } from '#infra/config/load.js';
import { fridayMorning } from '#test/support/forecast-day.js';
import { NO_SEATS } from '#core/planning/seat-counts-file.js';
import { peakInput, peakInputProblems } from '#simulator/peak/input.js';
import { runPeak } from '#simulator/peak/run.js';
import { summarisePeak } from '#simulator/peak/summary.js';

const config = loadConfig('dev');

/** A Friday morning of 15-minute intervals (see fridayMorning), calls, chats and e-mails. */
const day = (callsPer15: number, chatsPer15 = 0, emailsPer15 = 0): ForecastInterval[] =>
  fridayMorning({ voice: callsPer15, chat: chatsPer15, email: emailsPer15 });

const seats = { ...NO_SEATS, voice: 20, 'chat-2': 6, light: 4, 'second-line': 4 };

describe('the peak simulation', () => {
  it('keeps the primary queue NORMAL when the seats carry the load, and nobody is deflected', async () => {
    // Prepare: 50 calls a quarter hour at 180 s is 10 Erlangs, for 14 voice agents; the controller told
    // the day's handling time, as ops set overflow.handlingSeconds from their plan
    const input = peakInput(day(50, 10, 5), seats, {
      ...config,
      overflow: { ...config.overflow, handlingSeconds: 180 },
    });

    // Act
    const result = await runPeak(input, 1, 0);

    // Assess
    expect(result.overflow.primary?.entries).toBe(0);
    expect(result.deflection.offered).toBe(0);
    expect(result.calls.overflowed).toBe(0);
    expect(result.rows['primary-voice'].answered).toBeGreaterThan(700);
  });

  it('overflows, deflects and sends SMS when the calls triple, using the stage’s thresholds', async () => {
    // Prepare
    const input = peakInput(day(50, 10, 5), seats, config, { scenario: 3 });

    // Act
    const result = await runPeak(input, 1, 0);

    // Assess
    const primary = result.overflow.primary;
    expect(primary?.entries).toBeGreaterThanOrEqual(1);
    expect((primary?.overflowMinutes ?? 0) + (primary?.deflectMinutes ?? 0)).toBeGreaterThan(30);
    expect(result.rows['secondLine-voice'].offered).toBeGreaterThan(0);
    expect(result.deflection.offered).toBe(
      result.deflection.keptWaiting + result.deflection.callbacks + result.deflection.smsSent,
    );
    expect(result.deflection.callbacks).toBe(result.rows['callback-voice'].offered);
    expect(result.deflection.smsParts).toBe(result.deflection.smsSent * (input.sms?.parts ?? 0));
    expect(result.deflection.smsSent).toBeGreaterThan(0);
  });

  it('accounts for every contact in each queue: answered, abandoned or still waiting', async () => {
    // Prepare: no light seat, so the e-mails are left waiting
    const input = peakInput(day(60, 10, 5), { ...seats, light: 0 }, config, { scenario: 2 });

    // Act
    const result = await runPeak(input, 3, 0);

    // Assess
    for (const row of Object.values(result.rows)) {
      expect(row.answered + row.abandoned + row.waitingAtEnd).toBe(row.offered);
    }
    expect(result.rows['accounting-email'].answered).toBe(0);
    expect(result.rows['accounting-email'].waitingAtEnd).toBeGreaterThan(0);
  });

  it('logs in seats × (1 - shrinkage) agents, rounded down', async () => {
    // Prepare / Act
    const result = await runPeak(peakInput(day(10), { ...NO_SEATS, voice: 20, 'chat-4': 3 }, config), 1, 0);

    // Assess
    expect(result.agentsLoggedIn).toMatchObject({ voice: 14, chat4: 2 });
  });

  it('does not queue calls that come while the centre is closed', async () => {
    // Prepare: an interval at 21:00 on a Friday (closes at 20:00)
    const late: ForecastInterval[] = [
      { start: '2027-11-26T21:00:00+01:00', minutes: 15, channel: 'voice', contacts: 40, ahtSeconds: 180 },
    ];

    // Act
    const result = await runPeak(peakInput(late, seats, config), 1, 0);

    // Assess
    expect(result.rows['primary-voice'].closed).toBeGreaterThan(0);
    expect(result.rows['primary-voice'].offered).toBe(0);
  });

  it('gives the same figures for the same seed', async () => {
    // Prepare
    const input = peakInput(day(50, 10, 5), seats, config, { scenario: 2 });

    // Act
    const a = summarisePeak(input, [await runPeak(input, 9, 0), await runPeak(input, 9, 1)], {
      seed: 9,
      smsPricePerPart: 0.05,
    });
    const b = summarisePeak(input, [await runPeak(input, 9, 0), await runPeak(input, 9, 1)], {
      seed: 9,
      smsPricePerPart: 0.05,
    });

    // Assess
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.rows.find((r) => r.key === 'total')?.serviceLevel?.ci95).toHaveLength(2);
  });

  it('refuses impossible input in words', () => {
    // Prepare / Act
    const problems = peakInputProblems(
      peakInput([], NO_SEATS, config, {
        scenario: 0,
        shrinkage: 1,
        menu: { wait: 0.5, callback: 0.5, sms: 0.5 },
      }),
    );

    // Assess
    expect(problems).toEqual([
      'the forecast has no interval to simulate',
      'the scenario must multiply arrivals by a positive number (got 0)',
      'shrinkage must be from 0 to below 1 (got 1)',
      'the seats file gives no seat at all: nobody would answer',
      "the menu's shares must be from 0 and add up to 1 (got 0.5, 0.5, 0.5)",
    ]);
  });
});
