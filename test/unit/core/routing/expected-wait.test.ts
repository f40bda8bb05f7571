import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkWaitModel,
  EXPECTED_WAIT_CAP_SECONDS,
  expectedWaitSeconds,
  secondLineShare,
} from '#core/routing/expected-wait.js';

const figures = (contactsInQueue: number, agentsAvailable: number, agentsOnContact: number) => ({
  contactsInQueue,
  agentsAvailable,
  agentsOnContact,
});

describe('expected wait of a new caller', () => {
  /**
   * W. Whitt, "Predicting queueing delays", Management Science 45(6), 1999, pp. 870-888: with s agents
   * all busy, exponential handling at rate μ and n contacts ahead, a new contact waits on average
   * (n + 1) / (s·μ). R. Ibrahim and W. Whitt, "Real-time delay estimation in overloaded multiserver queues
   * with abandonments", Management Science 55(10), 2009, pp. 1729-1742: with abandonment at rate θ per
   * waiting contact, the queue-length estimator is Σ_{k=0}^{n} 1 / (s·μ + k·θ). The rows are those formulas
   * worked by hand for the figures given.
   */
  it.each([
    // [in queue, free, busy, AHT s, patience s, expected s, what]
    [0, 3, 7, 300, Number.POSITIVE_INFINITY, 0, 'a free agent takes the caller at once'],
    [2, 3, 7, 300, Number.POSITIVE_INFINITY, 0, 'fewer waiting than free agents: still at once'],
    [0, 0, 10, 300, Number.POSITIVE_INFINITY, 30, 'Whitt 1999, n = 0: 1 / (10 · 1/300)'],
    [9, 0, 10, 300, Number.POSITIVE_INFINITY, 300, 'Whitt 1999, n = 9: 10 / (10 · 1/300)'],
    [12, 3, 7, 300, Number.POSITIVE_INFINITY, 300, 'three free agents take three: 9 ahead'],
    [0, 0, 5, 300, 180, 60, 'Ibrahim-Whitt, n = 0: 1 / (5/300)'],
    [1, 0, 5, 300, 180, 105, 'n = 1: 60 + 1 / (5/300 + 1/180) = 60 + 45'],
    [2, 0, 5, 300, 180, 141, 'n = 2: 105 + 1 / (5/300 + 2/180) = 105 + 36'],
    [0, 0, 0, 300, 180, 0, 'nobody waiting and nobody on (closed): nothing to judge'],
    [3, 0, 0, 300, 180, EXPECTED_WAIT_CAP_SECONDS, 'callers waiting and nobody on: the cap'],
  ])(
    '%i waiting, %i free, %i busy, AHT %i s, patience %s s: %d s (%s)',
    (inQueue, free, busy, aht, patience, expected) => {
      // Act
      const wait = expectedWaitSeconds(figures(inQueue, free, busy), {
        handlingSeconds: aht,
        patienceSeconds: patience,
      });

      // Assess
      expect(wait).toBeCloseTo(expected, 6);
    },
  );

  it('refuses a model that cannot give a wait, and takes callers who never hang up', () => {
    expect(() => checkWaitModel({ handlingSeconds: 0, patienceSeconds: 180 })).toThrow(/handlingSeconds/);
    expect(() => checkWaitModel({ handlingSeconds: 300, patienceSeconds: -1 })).toThrow(/patienceSeconds/);
    expect(() =>
      checkWaitModel({ handlingSeconds: 300, patienceSeconds: Number.POSITIVE_INFINITY }),
    ).not.toThrow();
  });

  it('is no number for figures that are no counts, so the controller takes no sample on them', () => {
    for (const bad of [
      figures(Number.NaN, 0, 5),
      figures(-1, 0, 5),
      figures(3, Number.POSITIVE_INFINITY, 5),
    ]) {
      expect(expectedWaitSeconds(bad, { handlingSeconds: 300, patienceSeconds: 180 })).toBeNaN();
    }
  });

  it('grows with every caller ahead and shrinks with every agent on, and never passes the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 10, max: 1_200 }),
        fc.oneof(fc.integer({ min: 10, max: 1_200 }), fc.constant(Number.POSITIVE_INFINITY)),
        (ahead, agents, aht, patience) => {
          const model = { handlingSeconds: aht, patienceSeconds: patience };
          const wait = expectedWaitSeconds(figures(ahead, 0, agents), model);
          expect(wait).toBeGreaterThan(0);
          expect(wait).toBeLessThanOrEqual(EXPECTED_WAIT_CAP_SECONDS);
          expect(expectedWaitSeconds(figures(ahead + 1, 0, agents), model)).toBeGreaterThanOrEqual(wait);
          expect(expectedWaitSeconds(figures(ahead, 0, agents + 1), model)).toBeLessThanOrEqual(wait);
        },
      ),
    );
  });
});

describe('the share of callers for the second line', () => {
  const settings = { marginSeconds: 30, maxShare: 0.5 };

  it.each([
    [200, 60, 0.5, 'a big advantage: capped at the most allowed'],
    [200, 150, 0.1, 'the advantage beyond the margin as a share of the primary wait: (200 - 150 - 30) / 200'],
    [200, 170, 0, 'shorter by exactly the margin: nobody'],
    [100, 120, 0, 'longer at the second line: nobody'],
    [0, 0, 0, 'nobody waits anywhere: nobody moves'],
    [200, Number.NaN, 0, "the second line's wait unknown: the primary queue"],
    [200, EXPECTED_WAIT_CAP_SECONDS, 0, 'nobody on at the second line: nobody sent there'],
  ])('primary %d s, second line %d s: %d (%s)', (primary, second, expected) => {
    expect(secondLineShare(primary, second, settings)).toBeCloseTo(expected, 9);
  });

  it('never sends more than the second line has of the agents: its queue would outgrow the primary one', () => {
    // 5 second-line agents of 100 on calls: 5% at most, however long the primary wait
    expect(secondLineShare(600, 0, settings, 0.05)).toBeCloseTo(0.05, 9);
    expect(secondLineShare(600, 0, settings, 0)).toBe(0);
  });
});
