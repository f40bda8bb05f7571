import { describe, expect, it } from 'vitest';
import {
  constantRateFigures,
  constantRateProblems,
  runConstantRate,
  summariseConstantRate,
} from '#simulator/constant-rate.js';

const REFERENCE = { calls: 100, intervalSeconds: 1800, ahtSeconds: 180, agents: 14, hours: 4 };

describe('the constant-rate queue', () => {
  it('replays exactly with the same seed and replication, and differently with another', () => {
    // Prepare / Act
    const first = runConstantRate(REFERENCE, 7, 3);
    const again = runConstantRate(REFERENCE, 7, 3);
    const other = runConstantRate(REFERENCE, 7, 4);

    // Assess
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('has nobody hang up without patience, and some with it', () => {
    // Prepare / Act
    const patient = runConstantRate({ ...REFERENCE, agents: 11 }, 1, 0);
    const impatient = runConstantRate({ ...REFERENCE, agents: 11, patienceSeconds: 60 }, 1, 0);

    // Assess
    expect(patient.abandoned).toBe(0);
    expect(patient.answered).toBe(patient.offered);
    expect(impatient.abandoned).toBeGreaterThan(0);
    expect(impatient.answered + impatient.abandoned).toBe(impatient.offered);
  });

  it('counts the calls of the counted hours only, near the arrival rate', () => {
    // Prepare / Act
    const counts = runConstantRate({ ...REFERENCE, hours: 10, warmupHours: 2 }, 1, 0);

    // Assess: 200 an hour for 10 hours, within ±5 standard deviations of a Poisson count
    expect(Math.abs(counts.offered - 2000)).toBeLessThan(5 * Math.sqrt(2000));
    expect(counts.capacitySeconds).toBe(14 * 10 * 3600);
  });

  it('gives more service with more agents', () => {
    // Prepare / Act
    const few = constantRateFigures(runConstantRate({ ...REFERENCE, agents: 11 }, 1, 0));
    const many = constantRateFigures(runConstantRate({ ...REFERENCE, agents: 16 }, 1, 0));

    // Assess
    expect(many.serviceLevel).toBeGreaterThan(few.serviceLevel);
    expect(many.occupancy).toBeLessThan(few.occupancy);
  });

  it('says what is wrong with impossible input, in words', () => {
    // Prepare / Act
    const problems = constantRateProblems({ ...REFERENCE, agents: 0, calls: -1, patienceSeconds: 0 });

    // Assess
    expect(problems).toEqual([
      'calls must be a positive number (got -1)',
      'patience must be a positive number (got 0)',
      'agents must be a whole number above 0 (got 0)',
    ]);
    expect(() => runConstantRate({ ...REFERENCE, agents: 2.5 }, 1, 0)).toThrow(
      /agents must be a whole number/,
    );
  });

  it('reports a mean with a 95% interval only from two replications', () => {
    // Prepare
    const one = [runConstantRate(REFERENCE, 1, 0)];
    const three = [0, 1, 2].map((r) => runConstantRate(REFERENCE, 1, r));

    // Act
    const single = summariseConstantRate(REFERENCE, one, 1);
    const several = summariseConstantRate(REFERENCE, three, 1);

    // Assess
    expect(single.serviceLevel).toEqual({ mean: expect.any(Number) });
    expect(several.serviceLevel?.ci95?.[0]).toBeLessThanOrEqual(several.serviceLevel?.mean ?? Number.NaN);
    expect(several.serviceLevel?.ci95?.[1]).toBeGreaterThanOrEqual(several.serviceLevel?.mean ?? Number.NaN);
    expect(several.model).toBe('Erlang C');
  });
});
