import { describe, expect, it } from 'vitest';
import { replicate } from '#simulator/replicate.js';
import { estimate } from '#simulator/statistics.js';

const INPUT = { calls: 100, intervalSeconds: 1800, ahtSeconds: 180, agents: 14, hours: 2 };

describe('replications', () => {
  it('give the same results, in replication order, in one thread or over two workers', async () => {
    // Prepare / Act
    const inThread = await replicate(
      { kind: 'constant-rate', input: INPUT },
      { seed: 5, replications: 5, workers: 1 },
    );
    const inWorkers = await replicate(
      { kind: 'constant-rate', input: INPUT },
      { seed: 5, replications: 5, workers: 2 },
    );

    // Assess
    expect(JSON.stringify(inWorkers)).toBe(JSON.stringify(inThread));
    expect(new Set(inThread.map((r) => r.offered)).size).toBeGreaterThan(1);
  });

  it('pass a worker’s failure on as an error', async () => {
    // Prepare / Act
    const run = replicate(
      { kind: 'constant-rate', input: { ...INPUT, agents: -1 } },
      { seed: 1, replications: 2, workers: 2 },
    );

    // Assess
    await expect(run).rejects.toThrow(/agents must be a whole number/);
  });

  it('estimate a mean and its Student t interval', () => {
    // Prepare: five values, mean 3, s = √2.5; t(0.975, 4) = 2.7764 (any table of Student's t, e.g.
    // NIST/SEMATECH e-Handbook of Statistical Methods, 2012, section 1.3.6.7.2)
    const values = [1, 2, 3, 4, 5];

    // Act
    const result = estimate(values);

    // Assess
    const half = (2.7764 * Math.sqrt(2.5)) / Math.sqrt(5);
    expect(result?.mean).toBe(3);
    expect(result?.ci95?.[0]).toBeCloseTo(3 - half, 3);
    expect(result?.ci95?.[1]).toBeCloseTo(3 + half, 3);
  });

  it('cut an interval to what the figure can be: no abandonment below 0, no service level above 1', () => {
    // Prepare: rare abandonments (mostly none) and a service level close to 1
    const abandonment = [0, 0, 0, 0.01, 0];
    const serviceLevel = [1, 1, 0.99, 1, 1];

    // Act
    const abandoned = estimate(abandonment, { min: 0, max: 1 });
    const inTime = estimate(serviceLevel, { min: 0, max: 1 });
    const unbounded = estimate(abandonment, { min: Number.NEGATIVE_INFINITY });

    // Assess
    expect(abandoned?.ci95?.[0]).toBe(0);
    expect(abandoned?.ci95?.[1]).toBeGreaterThan(0.002);
    expect(inTime?.ci95?.[1]).toBe(1);
    expect(unbounded?.ci95?.[0]).toBeLessThan(0);
  });

  it('leave out undefined values and give no interval for one', () => {
    // Prepare / Act / Assess
    expect(estimate([Number.NaN, 4])).toEqual({ mean: 4 });
    expect(estimate([Number.NaN])).toBeNull();
  });
});
