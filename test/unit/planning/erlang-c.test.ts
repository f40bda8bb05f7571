import { describe, expect, it } from 'vitest';
import { erlangB, erlangC, staff } from '#core/planning/erlang.js';

const halfHour = (calls: number, ahtSeconds: number) => ({ calls, intervalSeconds: 1800, ahtSeconds });

describe('Erlang C against published worked examples', () => {
  // Prepare: each case is a published example with the figures it prints.
  const cases = [
    {
      source:
        'Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example" (callcentrehelper.com), ' +
        'steps 1-12; the same case in the pyworkforce documentation (R. Arenas, "Solving Queue Problems with ErlangC", ' +
        '2021) and in issue 12 of this project',
      load: halfHour(100, 180),
      target: { serviceLevel: 0.8, targetSeconds: 20, maxOccupancy: 0.85 },
      agents: 14,
      digits: {
        serviceLevel: [0.8884, 4],
        waitProbability: [0.1741, 4],
        asa: [7.84, 2],
        occupancy: [0.714, 3],
      },
    },
    {
      source:
        'P. Hubers, "Erlang: Queuing and Staffing Functions for Contact Centers" (R package vignette, 2019), ' +
        '"Calculating required number of agents" and "Calculating agent occupancy": 200 calls per half hour, ' +
        'AHT 3 min, 80% within 60 s needs 23 agents, occupancy 20/23 or 87%',
      load: halfHour(200, 180),
      target: { serviceLevel: 0.8, targetSeconds: 60 },
      agents: 23,
      digits: { occupancy: [0.87, 2] },
    },
  ] as const;

  for (const c of cases) {
    it(`${c.agents} agents: ${c.source}`, () => {
      // Act
      const result = staff(c.load, c.target);

      // Assess
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.figures.agents).toBe(c.agents);
      for (const [field, [value, places]] of Object.entries(c.digits)) {
        expect(result.figures[field as keyof typeof result.figures], field).toBeCloseTo(value, places);
      }
      // One agent fewer misses the target: the count is the fewest, not just enough.
      expect(erlangC(c.load, c.agents - 1, c.target.targetSeconds).serviceLevel).toBeLessThan(
        c.target.serviceLevel,
      );
    });
  }

  it('gives the figures of a fixed number of agents (the reverse calculation)', () => {
    // Act
    const figures = erlangC(halfHour(100, 180), 14, 20);

    // Assess: Call Centre Helper's worked example again, from the agents' side.
    expect(figures.stable).toBe(true);
    expect(figures.trafficErlangs).toBe(10);
    expect(figures.serviceLevel).toBeCloseTo(0.8884, 4);
    expect(figures.waitProbability).toBeCloseTo(0.1741, 4);
    expect(figures.asa).toBeCloseTo(7.84, 2);
    expect(figures.occupancy).toBeCloseTo(0.714, 3);
  });
});

describe('Erlang B against published tables', () => {
  it('15 lines carry 8.108 Erlangs at 1% blocking (Westbay Engineers, Westbay Traffic Calculators manual, "How much traffic can a trunk group handle?")', () => {
    // Act
    const atTable = erlangB(15, 8.108);
    const above = erlangB(15, 8.12);

    // Assess: 8.108 is the most traffic (to the shown digits) that stays within 1%.
    expect(atTable).toBeLessThanOrEqual(0.01);
    expect(atTable).toBeGreaterThan(0.0099);
    expect(above).toBeGreaterThan(0.01);
  });

  it('agrees with the recursion B(n) = aB(n-1) / (n + aB(n-1)) from 1 to 2,000 lines', () => {
    // Prepare: the textbook recursion (e.g. Iversen, "Teletraffic Engineering and Network Planning",
    // DTU 2015, section 4.5), which never overflows, as the check of the sum used here.
    const traffic = 1500.5;
    let recursed = 1;
    const checked: [number, number, number][] = [];

    // Act
    for (let n = 1; n <= 2000; n++) {
      recursed = (traffic * recursed) / (n + traffic * recursed);
      if (n % 97 === 0) checked.push([n, recursed, erlangB(n, traffic)]);
    }

    // Assess
    for (const [n, expected, actual] of checked) expect(actual, `n = ${n}`).toBeCloseTo(expected, 12);
  });
});

describe('Erlang C when the agents cannot keep up', () => {
  it('calls the queue unstable instead of giving a NaN or a negative wait', () => {
    // Act
    const exactlyLoaded = erlangC(halfHour(100, 180), 10, 20);
    const overloaded = erlangC({ calls: 400, intervalSeconds: 1800, ahtSeconds: 90 }, 14, 20);

    // Assess
    for (const figures of [exactlyLoaded, overloaded]) {
      expect(figures.stable).toBe(false);
      expect(figures.serviceLevel).toBe(0);
      expect(figures.waitProbability).toBe(1);
      expect(figures.asa).toBe(Infinity);
      expect(figures.occupancy).toBe(1);
    }
    expect(overloaded.trafficErlangs).toBe(20);
  });

  it('needs no agents when no calls come, and one agent serves a trickle', () => {
    // Act
    const none = staff(halfHour(0, 180), { serviceLevel: 0.8, targetSeconds: 20 });
    const trickle = staff(halfHour(0.5, 180), { serviceLevel: 0.8, targetSeconds: 20 });

    // Assess
    expect(none).toMatchObject({ ok: true, fractionalAgents: 0, figures: { agents: 0, serviceLevel: 1 } });
    expect(trickle).toMatchObject({ ok: true, figures: { agents: 1 } });
  });

  it('refuses a 100% service level in words: it is never reached', () => {
    // Act
    const result = staff(halfHour(100, 180), { serviceLevel: 1, targetSeconds: 20 });

    // Assess
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/never reached/);
  });
});

describe('staffing with an occupancy cap and fractional agents', () => {
  it('adds agents until the occupancy is under the cap even when the service level is met', () => {
    // Prepare: 200 Erlangs meet 80/20 at a high occupancy; a 0.85 cap needs more.
    const load = { calls: 1200, intervalSeconds: 900, ahtSeconds: 150 };

    // Act
    const uncapped = staff(load, { serviceLevel: 0.8, targetSeconds: 20 });
    const capped = staff(load, { serviceLevel: 0.8, targetSeconds: 20, maxOccupancy: 0.85 });

    // Assess
    expect(uncapped.ok && capped.ok).toBe(true);
    if (!uncapped.ok || !capped.ok) return;
    expect(uncapped.figures.occupancy).toBeGreaterThan(0.85);
    expect(capped.figures.agents).toBe(Math.ceil(200 / 0.85));
    expect(capped.figures.occupancy).toBeLessThanOrEqual(0.85);
    expect(capped.fractionalAgents).toBeCloseTo(200 / 0.85, 9);
  });

  it('places the fractional count between one agent fewer and the whole count', () => {
    // Act
    const result = staff(halfHour(100, 180), { serviceLevel: 0.8, targetSeconds: 20 });

    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.fractionalAgents).toBeGreaterThan(13);
    expect(result.fractionalAgents).toBeLessThanOrEqual(14);
  });
});
