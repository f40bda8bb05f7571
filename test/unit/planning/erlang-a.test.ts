import { describe, expect, it } from 'vitest';
import { erlangA, erlangB, erlangC, type QueueLoad } from '#core/planning/erlang.js';

/*
 * No published Erlang A table was found to test against, so the M/M/n+M figures (Garnett, Mandelbaum &
 * Reiman, "Designing a call center with impatient customers", MSOM 4(3), 2002; Mandelbaum & Zeltyn, "The
 * Palm/Erlang-A queue, with applications to call centers", teaching note, 2009) are checked three ways:
 * against a brute-force solution of the same Markov chain computed here by other means, against their
 * limits (Erlang C for endless patience, Erlang B for none), and against the M/M/∞ queue the model becomes
 * when patience and handling time have the same mean.
 */

interface BruteForce {
  readonly serviceLevel: number;
  readonly waitProbability: number;
  readonly abandonment: number;
  readonly asa: number;
  readonly occupancy: number;
}

/**
 * The birth-death chain solved state by state (truncated far in the tail), and a tagged arrival followed
 * through the queue: behind j others it moves up at rate nμ + iθ with i still ahead, and hangs up at rate
 * θ. P(answered within t) comes from uniformising that absorbing chain; the answered callers' mean wait
 * from a first-step recursion. Nothing here shares code or formulas with the series the core sums.
 */
const bruteForce = (load: QueueLoad, agents: number, t: number, patience: number): BruteForce => {
  const lambda = load.calls / load.intervalSeconds;
  const mu = 1 / load.ahtSeconds;
  const theta = 1 / patience;
  const states = 4000;
  const weights = [1];
  for (let k = 1; k < states; k++) {
    const prev = weights[k - 1] ?? 0;
    weights.push((prev * lambda) / (Math.min(k, agents) * mu + Math.max(0, k - agents) * theta));
  }
  const total = weights.reduce((s, w) => s + w, 0);
  const p = weights.map((w) => w / total);
  // The tagged caller is followed only from the states that carry any probability.
  let last = states - 1;
  while (last > agents && (p[last] ?? 0) < 1e-18) last -= 1;
  const waiting = last - agents + 1;

  // A tagged caller with i others ahead leaves state i at rate r_i = nμ + iθ (one place up; answered
  // from i = 0) or θ (hangs up).
  const up = (i: number) => agents * mu + i * theta;
  const served: number[] = [];
  const servedWait: number[] = [];
  for (let i = 0; i < waiting; i++) {
    const out = up(i) + theta;
    const before = i === 0 ? 1 : (served[i - 1] ?? 0);
    const beforeWait = i === 0 ? 0 : (servedWait[i - 1] ?? 0);
    served.push((up(i) / out) * before);
    servedWait.push((up(i) / out) * (before / out + beforeWait));
  }

  // Uniformisation: answeredBy[i] = P(answered within t | i ahead), from the jump chain's powers.
  const rate = up(waiting) + theta;
  let vector = new Array<number>(waiting).fill(0); // P(answered after k jumps) starting from each i
  const answeredBy = new Array<number>(waiting).fill(0);
  let poisson = Math.exp(-rate * t);
  let cumulative = poisson;
  for (let k = 1; cumulative < 1 - 1e-15 && k < 100_000; k++) {
    const next = new Array<number>(waiting);
    for (let i = 0; i < waiting; i++) {
      const forward = (i === 0 ? 1 : (vector[i - 1] ?? 0)) * (up(i) / rate);
      const stay = (vector[i] ?? 0) * (1 - (up(i) + theta) / rate);
      next[i] = forward + stay;
    }
    vector = next;
    poisson *= (rate * t) / k;
    cumulative += poisson;
    for (let i = 0; i < waiting; i++) answeredBy[i] = (answeredBy[i] ?? 0) + poisson * (vector[i] ?? 0);
  }

  let noWait = 0;
  for (let k = 0; k < agents; k++) noWait += p[k] ?? 0;
  let withinT = noWait;
  let answered = noWait;
  let answeredWait = 0;
  for (let j = 0; j < waiting; j++) {
    const pk = p[agents + j] ?? 0;
    withinT += pk * (answeredBy[j] ?? 0);
    answered += pk * (served[j] ?? 0);
    answeredWait += pk * (servedWait[j] ?? 0);
  }
  return {
    serviceLevel: withinT,
    waitProbability: 1 - noWait,
    abandonment: 1 - answered,
    asa: answeredWait / answered,
    occupancy: (lambda * answered) / mu / agents,
  };
};

describe('Erlang A (M/M/n+M) against a brute-force solution of the same queue', () => {
  // Prepare: under-, critically and over-loaded, short and long patience.
  const cases = [
    { calls: 100, ahtSeconds: 180, agents: 14, patience: 120, t: 20 },
    { calls: 100, ahtSeconds: 180, agents: 10, patience: 60, t: 20 },
    { calls: 100, ahtSeconds: 180, agents: 8, patience: 300, t: 30 },
    { calls: 240, ahtSeconds: 240, agents: 35, patience: 90, t: 15 },
    { calls: 12, ahtSeconds: 300, agents: 3, patience: 45, t: 0 },
  ];
  for (const c of cases) {
    it(`${c.agents} agents, ${c.calls} calls per half hour, AHT ${c.ahtSeconds} s, patience ${c.patience} s, ${c.t} s target`, () => {
      const load = { calls: c.calls, intervalSeconds: 1800, ahtSeconds: c.ahtSeconds };

      // Act
      const figures = erlangA(load, c.agents, c.t, c.patience);
      const expected = bruteForce(load, c.agents, c.t, c.patience);

      // Assess
      expect(figures.serviceLevel).toBeCloseTo(expected.serviceLevel, 9);
      expect(figures.waitProbability).toBeCloseTo(expected.waitProbability, 9);
      expect(figures.abandonment).toBeCloseTo(expected.abandonment, 9);
      expect(figures.asa).toBeCloseTo(expected.asa, 7);
      expect(figures.occupancy).toBeCloseTo(expected.occupancy, 9);
    });
  }
});

describe('Erlang A at its limits', () => {
  const load = { calls: 100, intervalSeconds: 1800, ahtSeconds: 180 };

  it('becomes Erlang C when callers never hang up (the worked example of issue 12)', () => {
    // Act
    const patient = erlangA(load, 14, 20, 1e8);
    const c = erlangC(load, 14, 20);

    // Assess
    expect(patient.serviceLevel).toBeCloseTo(c.serviceLevel, 5);
    expect(patient.waitProbability).toBeCloseTo(c.waitProbability, 5);
    expect(patient.asa).toBeCloseTo(c.asa, 3);
    expect(patient.abandonment).toBeLessThan(1e-6);
  });

  it('becomes Erlang B when callers hang up at once: whoever finds every agent busy is lost', () => {
    // Act
    const impatient = erlangA(load, 12, 20, 1e-6);

    // Assess
    expect(impatient.abandonment).toBeCloseTo(erlangB(12, 10), 6);
    expect(impatient.waitProbability).toBeCloseTo(erlangB(12, 10), 6);
    expect(impatient.serviceLevel).toBeCloseTo(1 - erlangB(12, 10), 6);
  });

  it('counts calls like M/M/∞ when patience equals the handling time', () => {
    // Prepare: with θ = μ every call in the system leaves at the same rate, so the number in the system
    // is Poisson with mean = traffic; a caller waits when it is >= n, and hangs up at rate θ per waiter.
    const traffic = 10;
    const agents = 12;
    const pmf = [Math.exp(-traffic)];
    for (let k = 1; k < 200; k++) pmf.push(((pmf[k - 1] ?? 0) * traffic) / k);
    const atLeast = pmf.slice(agents).reduce((s, q) => s + q, 0);
    const excess = pmf.reduce((s, q, k) => s + q * Math.max(0, k - agents), 0);

    // Act
    const figures = erlangA(load, agents, 20, 180);

    // Assess: P(wait) = P(N >= n); P(abandon) = θ E[queue] / λ = E[(N - n)+] / traffic.
    expect(figures.waitProbability).toBeCloseTo(atLeast, 12);
    expect(figures.abandonment).toBeCloseTo(excess / traffic, 12);
  });

  it('stays finite and meaningful far beyond what the agents can carry', () => {
    // Act: 10,000 Erlangs on 7,000 agents, patient callers.
    const figures = erlangA({ calls: 100_000, intervalSeconds: 1800, ahtSeconds: 180 }, 7000, 20, 600);

    // Assess: about 30% must hang up (the agents carry at most 7,000 Erlangs).
    expect(figures.waitProbability).toBeCloseTo(1, 9);
    expect(figures.abandonment).toBeCloseTo(0.3, 3);
    expect(figures.occupancy).toBeCloseTo(1, 6);
    expect(Number.isFinite(figures.asa)).toBe(true);
  });
});
