import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangA, erlangC, type QueueFigures, staff } from '#core/planning/erlang.js';

// Seeded: a failure is reproduced by the same run.
const SEED = 20_271_126;

/** Traffic from 0.01 to 10,000 Erlangs, spread evenly on a log scale. */
const traffic = fc.double({ min: Math.log(0.01), max: Math.log(10_000), noNaN: true }).map(Math.exp);
const aht = fc.integer({ min: 20, max: 900 });
const patience = fc.double({ min: 5, max: 3600, noNaN: true });
const targetSeconds = fc.integer({ min: 0, max: 120 });

const loadOf = (erlangs: number, ahtSeconds: number) => ({
  calls: (erlangs * 1800) / ahtSeconds,
  intervalSeconds: 1800,
  ahtSeconds,
});

const wellFormed = (figures: QueueFigures) => {
  for (const value of [
    figures.serviceLevel,
    figures.waitProbability,
    figures.occupancy,
    figures.abandonment ?? 0,
  ]) {
    expect(Number.isNaN(value)).toBe(false);
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(1);
  }
  expect(Number.isNaN(figures.asa)).toBe(false);
  expect(figures.asa).toBeGreaterThanOrEqual(0);
};

describe('Erlang C and A from 0.01 to 10,000 Erlangs', () => {
  it('never gives a NaN, a negative figure or a probability above 1, at any number of agents', () => {
    fc.assert(
      fc.property(
        traffic,
        aht,
        targetSeconds,
        patience,
        fc.double({ min: 0, max: 2, noNaN: true }),
        (erlangs, ahtSeconds, t, patienceSeconds, share) => {
          // Prepare: from no agents to twice the traffic.
          const load = loadOf(erlangs, ahtSeconds);
          const agents = Math.round(erlangs * share);

          // Act
          const c = erlangC(load, agents, t);
          const a = erlangA(load, agents, t, patienceSeconds);

          // Assess
          wellFormed(c);
          wellFormed(a);
          expect(c.stable).toBe(agents > erlangs);
          if (c.stable) expect(Number.isFinite(c.asa)).toBe(true);
          expect(Number.isFinite(a.asa)).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('gets better with every agent added: service level up; waiting, abandonment and ASA down', () => {
    fc.assert(
      fc.property(traffic, aht, targetSeconds, patience, (erlangs, ahtSeconds, t, patienceSeconds) => {
        // Prepare: a few counts around the traffic, where the figures move the most.
        const load = loadOf(erlangs, ahtSeconds);
        const first = Math.max(1, Math.floor(erlangs - Math.sqrt(erlangs)));
        const counts = [
          ...new Set([
            first,
            first + 1,
            first + 2,
            Math.ceil(erlangs + 1),
            Math.ceil(erlangs + 2 * Math.sqrt(erlangs) + 2),
          ]),
        ].sort((x, y) => x - y);

        // Act
        const a = counts.map((n) => erlangA(load, n, t, patienceSeconds));
        const c = counts.map((n) => erlangC(load, n, t));

        // Assess (a tiny tolerance for rounding where the figures are flat)
        for (let i = 1; i < counts.length; i++) {
          const [before, after] = [a[i - 1], a[i]];
          if (before === undefined || after === undefined) continue;
          expect(after.serviceLevel).toBeGreaterThanOrEqual(before.serviceLevel - 1e-12);
          expect(after.waitProbability).toBeLessThanOrEqual(before.waitProbability + 1e-12);
          // Erlang A always reports abandonment; a missing one must fail here, not compare 0 with 0.
          expect(after.abandonment).toBeTypeOf('number');
          expect(after.abandonment ?? Number.NaN).toBeLessThanOrEqual(
            (before.abandonment ?? Number.NaN) + 1e-12,
          );
          expect(after.asa).toBeLessThanOrEqual(before.asa * (1 + 1e-9) + 1e-12);
          const [cBefore, cAfter] = [c[i - 1], c[i]];
          if (cBefore === undefined || cAfter === undefined) continue;
          expect(cAfter.serviceLevel).toBeGreaterThanOrEqual(cBefore.serviceLevel - 1e-12);
          expect(cAfter.asa).toBeLessThanOrEqual(cBefore.asa);
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('hangs up as often as patience says: P(abandon) = mean wait of all callers / mean patience', () => {
    fc.assert(
      fc.property(
        traffic,
        aht,
        patience,
        fc.double({ min: 0.3, max: 1.5, noNaN: true }),
        (erlangs, ahtSeconds, patienceSeconds, share) => {
          // Prepare
          const load = loadOf(erlangs, ahtSeconds);
          const agents = Math.max(1, Math.round(erlangs * share));

          // Act
          const figures = erlangA(load, agents, 0, patienceSeconds);

          // Assess: the carried traffic (occupancy × agents) is the traffic of the calls not abandoned.
          const answered = 1 - (figures.abandonment ?? 0);
          expect((figures.occupancy * agents) / erlangs).toBeCloseTo(answered, 9);
          // With exponential patience every waiting caller hangs up at rate θ: P(ab) = θ E[W], where E[W]
          // over all callers is at least the answered callers' share of it.
          expect(figures.abandonment ?? 0).toBeGreaterThanOrEqual(
            (figures.asa * answered) / patienceSeconds - 1e-12,
          );
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('staffs with the fewest agents that meet the target, for both models', () => {
    fc.assert(
      fc.property(
        traffic,
        aht,
        fc.double({ min: 0.5, max: 0.95, noNaN: true }),
        targetSeconds,
        fc.option(patience, { nil: undefined }),
        fc.option(fc.double({ min: 0.6, max: 0.95, noNaN: true }), { nil: undefined }),
        (erlangs, ahtSeconds, serviceLevel, t, patienceSeconds, maxOccupancy) => {
          // Prepare
          const load = loadOf(erlangs, ahtSeconds);
          const target = { serviceLevel, targetSeconds: t, patienceSeconds, maxOccupancy };
          const figuresAt = (n: number) =>
            patienceSeconds === undefined ? erlangC(load, n, t) : erlangA(load, n, t, patienceSeconds);
          const meets = (f: QueueFigures) =>
            f.stable &&
            f.serviceLevel >= serviceLevel &&
            (maxOccupancy === undefined || f.occupancy <= maxOccupancy);

          // Act
          const result = staff(load, target);

          // Assess
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          const n = result.figures.agents;
          expect(meets(figuresAt(n))).toBe(true);
          if (n > 0) expect(meets(figuresAt(n - 1))).toBe(false);
          expect(result.fractionalAgents).toBeGreaterThan(n - 1);
          expect(result.fractionalAgents).toBeLessThanOrEqual(n);
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});
