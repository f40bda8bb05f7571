/**
 * The simulator's constant-rate form against the planner's Erlang C (nobody hangs up) and Erlang A
 * (exponential patience): over 30 replications, every analytic figure lies inside the simulation's 95%
 * interval, for utilisations from 0.5 to 0.95 and 2 to 40 agents, and for the reference case.
 *
 * The formulas: Erlang C as in Cooper, "Introduction to Queueing Theory", 2nd ed., 1981, section 5.2;
 * Erlang A (M/M/n+M) as in Garnett, Mandelbaum & Reiman, "Designing a Call Center with Impatient
 * Customers", Manufacturing & Service Operations Management 4(3), 2002, section 3. Their figures come from
 * layers/core/planning/erlang.ts, and the simulation measures them by the same definitions
 * (simulator/constant-rate.ts).
 *
 * Each replication starts empty, so its first hours are not the steady state the formulas describe. The
 * warm-up (discarded) and the counted horizon are set from the queue's relaxation time, AHT / (n (1 -
 * √ρ)²) (Cooper, section 5.2; the M/M/1 case in Kleinrock, "Queueing Systems" vol. 1, 1975): three of them
 * warm up, twelve are counted, so the transient's bias is far below the interval's width. Fixed seeds:
 * the test is deterministic.
 */
import { describe, expect, it } from 'vitest';
import { queueFigures } from '#core/planning/erlang.js';
import {
  CONSTANT_RATE_FIGURES,
  type ConstantRateInput,
  summariseConstantRate,
} from '#simulator/constant-rate.js';
import { replicate } from '#simulator/replicate.js';

const AHT = 180;
const INTERVAL = 1800;
const PATIENCE = 180;
const REPLICATIONS = 30;
const SEED = 1;

interface Case {
  readonly agents: number;
  /** Offered load / agents. */
  readonly rho: number;
}

const CASES: readonly Case[] = [
  ...[2, 5, 14].map((agents) => ({ agents, rho: 0.5 })),
  ...[0.8, 0.9, 0.95].flatMap((rho) => [2, 5, 14, 40].map((agents) => ({ agents, rho }))),
  // The reference: 100 calls in 30 minutes, AHT 180 s, 14 agents (ρ = 10 / 14).
  { agents: 14, rho: 100 / 140 },
];

const relaxationHours = ({ agents, rho }: Case) => AHT / (agents * (1 - Math.sqrt(rho)) ** 2) / 3600;

const inputOf = (c: Case, patienceSeconds: number | undefined): ConstantRateInput => ({
  calls: (c.rho * c.agents * INTERVAL) / AHT,
  intervalSeconds: INTERVAL,
  ahtSeconds: AHT,
  agents: c.agents,
  ...(patienceSeconds === undefined ? {} : { patienceSeconds }),
  warmupHours: Math.max(1, 3 * relaxationHours(c)),
  hours: Math.max(8, 12 * relaxationHours(c)),
  targetSeconds: 20,
});

describe.each([
  { model: 'Erlang C', patience: undefined },
  { model: 'Erlang A', patience: PATIENCE },
])('the constant-rate simulation agrees with $model', ({ patience }) => {
  it.each(CASES)('with $agents agents at utilisation $rho', async (c) => {
    // Prepare: the queue and its analytic figures
    const input = inputOf(c, patience);
    const analytic = queueFigures(
      { calls: input.calls, intervalSeconds: INTERVAL, ahtSeconds: AHT },
      c.agents,
      20,
      patience,
    );

    // Act: 30 replications (in this thread: starting workers per case would cost more than it saves)
    const results = await replicate(
      { kind: 'constant-rate', input },
      { seed: SEED, replications: REPLICATIONS, workers: 1 },
    );
    const simulated = summariseConstantRate(input, results, SEED, false);

    // Assess: every figure the formulas give lies in the simulation's 95% interval
    for (const figure of CONSTANT_RATE_FIGURES) {
      const expected = figure === 'abandonment' ? (analytic.abandonment ?? 0) : analytic[figure];
      const interval = simulated[figure]?.ci95;
      expect(interval, figure).toBeDefined();
      const [low, high] = interval ?? [Number.NaN, Number.NaN];
      expect({ figure, expected, inside: low <= expected && expected <= high }).toEqual({
        figure,
        expected,
        inside: true,
      });
    }
  });
});
