import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RoutingState } from '#core/ports.js';
import {
  checkThresholds,
  deflectShare,
  initialMemory,
  next,
  type QueueMemory,
  ROUTING_STATES,
  type Thresholds,
} from '#core/routing/hysteresis.js';

/** The stage defaults: T_enter 120 s for N = 3, T_exit 60 s for M = 4, T_deflect 300 s. */
const DEFAULTS: Thresholds = {
  enterWaitSeconds: 120,
  enterSamples: 3,
  exitWaitSeconds: 60,
  exitSamples: 4,
  deflectWaitSeconds: 300,
};

const T0 = Date.UTC(2026, 10, 27, 10);
const SAMPLE_MS = 15_000;

const LEVEL: Readonly<Record<RoutingState, number>> = { NORMAL: 0, OVERFLOW: 1, DEFLECT: 2 };

/** A queue in `state` with nothing counted, as ops or an earlier run may leave it. */
const inState = (state: RoutingState): QueueMemory => ({ ...initialMemory(), state });

/** Feeds the waits (undefined: a missing sample) one by one; the state after each, and where it changed. */
const feed = (
  start: QueueMemory,
  waits: readonly (number | undefined)[],
  thresholds: Thresholds = DEFAULTS,
): { states: RoutingState[]; flips: number[]; rises: boolean[]; memory: QueueMemory } => {
  let memory = start;
  const states: RoutingState[] = [];
  const flips: number[] = [];
  const rises: boolean[] = [];
  waits.forEach((wait, i) => {
    const sample = wait === undefined ? undefined : { waitSeconds: wait, at: new Date(T0 + i * SAMPLE_MS) };
    const result = next(memory, sample, thresholds);
    if (result.change) {
      flips.push(i);
      rises.push(LEVEL[result.change.to] > LEVEL[result.change.from]);
    }
    memory = result.memory;
    states.push(memory.state);
  });
  return { states, flips, rises, memory };
};

describe('overflow hysteresis', () => {
  describe('by example (T_enter 120 s, N 3; T_exit 60 s, M 4; T_deflect 300 s)', () => {
    it.each([
      ['NORMAL', [130, 130], 'NORMAL', 'two samples above T_enter are not yet N'],
      ['NORMAL', [130, 130, 130], 'OVERFLOW', 'N samples in a row above T_enter'],
      ['NORMAL', [130, 130, 100, 130, 130], 'NORMAL', 'a sample below T_enter breaks the run'],
      [
        'NORMAL',
        [130, 130, undefined, 130],
        'OVERFLOW',
        'a missing sample neither counts nor breaks the run',
      ],
      ['NORMAL', [120, 120, 120, 120], 'NORMAL', 'exactly T_enter is not above it'],
      ['NORMAL', [310, 310, 310], 'DEFLECT', 'N samples above T_deflect go straight to DEFLECT'],
      ['NORMAL', [130, 130, 130, 310, 310], 'OVERFLOW', 'two samples above T_deflect are not yet N'],
      ['NORMAL', [130, 130, 130, 310, 310, 310], 'DEFLECT', 'then N samples above T_deflect deflect'],
      ['NORMAL', [130, 310, 310, 310], 'DEFLECT', 'N above T_deflect count from before OVERFLOW began'],
      ['OVERFLOW', [50, 50, 50], 'OVERFLOW', 'three samples below T_exit are not yet M'],
      ['OVERFLOW', [50, 50, 50, 50], 'NORMAL', 'M samples in a row below T_exit'],
      ['OVERFLOW', [50, 50, 50, 90, 50, 50, 50], 'OVERFLOW', 'a sample at or above T_exit breaks the run'],
      ['OVERFLOW', [60, 60, 60, 60, 60], 'OVERFLOW', 'exactly T_exit is not below it'],
      ['OVERFLOW', [100, 100, 100, 100, 100, 100], 'OVERFLOW', 'between T_exit and T_enter it holds'],
      ['NORMAL', [100, 100, 100, 100, 100, 100], 'NORMAL', 'and so does NORMAL: the band is hysteresis'],
      ['OVERFLOW', [200, 200, 200, 200, 200, 200], 'OVERFLOW', 'between T_enter and T_deflect it holds'],
      ['OVERFLOW', [310, 310, 310], 'DEFLECT', 'N samples above T_deflect deflect from OVERFLOW'],
      ['DEFLECT', [200, 200, 200, 200, 200, 200], 'DEFLECT', 'between T_enter and T_deflect DEFLECT holds'],
      ['DEFLECT', [100, 100, 100, 100], 'OVERFLOW', 'M samples below T_enter step down to OVERFLOW'],
      ['DEFLECT', [50, 50, 50, 50], 'NORMAL', 'M samples below T_exit go straight to NORMAL'],
      [
        'DEFLECT',
        [100, 50, 50, 50, 50, 50, 50, 50],
        'NORMAL',
        'OVERFLOW on the way down, then NORMAL after M more',
      ],
    ] as const)('from %s, waits %j -> %s (%s)', (from, waits, expected, _why) => {
      // Act
      const { states } = feed(inState(from), waits);

      // Assess
      expect(states.at(-1)).toBe(expected);
    });

    it('reports a change once, with where it came from', () => {
      // Act
      const results = [130, 130, 130, 130].reduce<{ memory: QueueMemory; changes: unknown[] }>(
        (acc, wait, i) => {
          const r = next(acc.memory, { waitSeconds: wait, at: new Date(T0 + i * SAMPLE_MS) }, DEFAULTS);
          return { memory: r.memory, changes: r.change ? [...acc.changes, r.change] : acc.changes };
        },
        { memory: initialMemory(), changes: [] },
      );

      // Assess
      expect(results.changes).toEqual([{ from: 'NORMAL', to: 'OVERFLOW' }]);
      expect(results.memory).toMatchObject({
        state: 'OVERFLOW',
        version: 4,
        since: new Date(T0 + 2 * SAMPLE_MS).toISOString(),
        updatedAt: new Date(T0 + 3 * SAMPLE_MS).toISOString(),
        lastWaitSeconds: 130,
      });
    });

    it('keeps the memory as it was for a missing sample or a wait that is no number', () => {
      // Prepare
      const memory: QueueMemory = { ...inState('OVERFLOW'), belowExit: 2, version: 7 };

      // Act + Assess
      expect(next(memory, undefined, DEFAULTS).memory).toBe(memory);
      for (const wait of [Number.NaN, Number.POSITIVE_INFINITY, -1]) {
        expect(next(memory, { waitSeconds: wait, at: new Date(T0) }, DEFAULTS).memory).toBe(memory);
      }
    });

    it('leaves overflow with T_exit 0 once nobody waits, M samples in a row', () => {
      // Act
      const { states } = feed(inState('OVERFLOW'), [0.5, 0, 0, 0, 0], { ...DEFAULTS, exitWaitSeconds: 0 });

      // Assess
      expect(states).toEqual(['OVERFLOW', 'OVERFLOW', 'OVERFLOW', 'OVERFLOW', 'NORMAL']);
    });

    it('refuses thresholds that cannot give hysteresis', () => {
      expect(() => checkThresholds({ ...DEFAULTS, exitWaitSeconds: 120 })).toThrow(/exitWaitSeconds/);
      expect(() => checkThresholds({ ...DEFAULTS, deflectWaitSeconds: 100 })).toThrow(/deflectWaitSeconds/);
      expect(() => checkThresholds({ ...DEFAULTS, enterSamples: 0 })).toThrow(/enterSamples/);
      expect(() => checkThresholds(DEFAULTS)).not.toThrow();
    });
  });

  describe('as properties', () => {
    /** Valid thresholds: T_exit < T_enter < T_deflect, N and M from 1 to 8. */
    const thresholdsArb = (opts: { exitSamplesAtLeastEnter?: boolean } = {}) =>
      fc
        .record({
          exit: fc.integer({ min: 0, max: 200 }),
          enterGap: fc.integer({ min: 5, max: 200 }),
          deflectGap: fc.integer({ min: 5, max: 400 }),
          n: fc.integer({ min: 1, max: 8 }),
          mExtra: fc.integer({ min: 0, max: 7 }),
          m: fc.integer({ min: 1, max: 8 }),
        })
        .map(({ exit, enterGap, deflectGap, n, m, mExtra }): Thresholds => ({
          exitWaitSeconds: exit,
          enterWaitSeconds: exit + enterGap,
          deflectWaitSeconds: exit + enterGap + deflectGap,
          enterSamples: n,
          exitSamples: opts.exitSamplesAtLeastEnter ? n + mExtra : m,
        }));

    /**
     * Any wait, missing samples among them; half of them next to a threshold (where the rules meet), the
     * rest anywhere, so that runs through several thresholds come up as often as noise does.
     */
    const waitArb = fc.oneof(
      fc.double({ min: 0, max: 1_000, noNaN: true }),
      fc.tuple(fc.constantFrom(0, 1, 2), fc.double({ min: -3, max: 3, noNaN: true })),
    );
    const toWait = (t: Thresholds, w: number | [number, number]): number => {
      if (typeof w === 'number') return w;
      const [which, offset] = w;
      const at = [t.exitWaitSeconds, t.enterWaitSeconds, t.deflectWaitSeconds][which] ?? 0;
      return Math.max(0, at + offset);
    };
    const waitsArb = (t: Thresholds, maxLength = 80) =>
      fc
        .array(fc.option(waitArb, { nil: undefined }), { maxLength })
        .map((ws) => ws.map((w) => (w === undefined ? undefined : toWait(t, w))));

    /** Thresholds, and some history from an arbitrary state: any state, with any counts. */
    const withHistoryArb = (opts: { exitSamplesAtLeastEnter?: boolean } = {}) =>
      thresholdsArb(opts).chain((t) =>
        fc.tuple(
          fc.constant(t),
          fc.record({ start: fc.constantFrom(...ROUTING_STATES), waits: waitsArb(t) }),
        ),
      );

    const reached = (t: Thresholds, h: { start: RoutingState; waits: readonly (number | undefined)[] }) =>
      feed(inState(h.start), h.waits, t).memory;

    /** Applied samples between flips: missing samples do not count (nothing was judged on them). */
    const flipGaps = (waits: readonly (number | undefined)[], flips: readonly number[]): number[] => {
      const appliedIndex = (i: number) => waits.slice(0, i + 1).filter((w) => w !== undefined).length;
      return flips.slice(1).map((flip, k) => appliedIndex(flip) - appliedIndex(flips[k] ?? 0));
    };

    it('never flaps: a change back needs M fresh samples after a rise and N after a fall, whatever the waits', () => {
      fc.assert(
        fc.property(withHistoryArb(), ([t, { start, waits }]) => {
          // Act
          const { flips, rises } = feed(inState(start), waits, t);

          // Assess: each change that reverses the one before it came a full run after it
          flipGaps(waits, flips).forEach((gap, k) => {
            const [before, after] = [rises[k], rises[k + 1]];
            if (before === after) return;
            expect(gap).toBeGreaterThanOrEqual(before ? t.exitSamples : t.enterSamples);
          });
        }),
        { numRuns: 500 },
      );
    });

    it('flips at most once per N samples while the wait oscillates around a threshold (M >= N, as the defaults)', () => {
      fc.assert(
        fc.property(
          withHistoryArb({ exitSamplesAtLeastEnter: true }),
          fc.constantFrom('enterWaitSeconds', 'exitWaitSeconds', 'deflectWaitSeconds'),
          fc.boolean(),
          // Above, below, above... the threshold, each time by less than the gap to the next threshold.
          fc.array(fc.double({ min: 0.01, max: 0.99, noNaN: true }), { maxLength: 80 }),
          ([t, history], around, firstAbove, amplitudes) => {
            // Prepare
            const threshold = t[around];
            const room = Math.min(
              4,
              t.enterWaitSeconds - t.exitWaitSeconds,
              t.deflectWaitSeconds - t.enterWaitSeconds,
            );
            const oscillation = amplitudes.map((by, i) =>
              Math.max(0, threshold + ((i % 2 === 0) === firstAbove ? 1 : -1) * by * room),
            );

            // Act: whatever the history left, then the oscillation
            const { flips } = feed(reached(t, history), oscillation, t);

            // Assess: every window of N samples of the oscillation holds at most one change
            for (const gap of flipGaps(oscillation, flips))
              expect(gap).toBeGreaterThanOrEqual(t.enterSamples);
          },
        ),
        { numRuns: 500 },
      );
    });

    it('keeps NORMAL and OVERFLOW as they are while the wait stays between T_exit and T_enter', () => {
      fc.assert(
        fc.property(
          withHistoryArb(),
          fc.array(fc.double({ min: 0.001, max: 0.999, noNaN: true }), { maxLength: 40 }),
          ([t, history], shares) => {
            // Prepare
            const before = reached(t, history);
            fc.pre(before.state !== 'DEFLECT');
            const band = shares.map((x) => t.exitWaitSeconds + x * (t.enterWaitSeconds - t.exitWaitSeconds));

            // Act
            const { flips } = feed(before, band, t);

            // Assess
            expect(flips).toEqual([]);
          },
        ),
      );
    });

    it('enters overflow within N samples of a sustained rise above T_enter', () => {
      fc.assert(
        fc.property(
          withHistoryArb(),
          fc.array(fc.double({ min: 0.001, max: 1_000, noNaN: true }), { minLength: 1, maxLength: 20 }),
          ([t, history], excess) => {
            // Prepare: wherever the history left the queue, as long as it is NORMAL
            const before = reached(t, history);
            fc.pre(before.state === 'NORMAL');
            const rise = Array.from(
              { length: t.enterSamples },
              (_, i) => t.enterWaitSeconds + (excess[i % excess.length] ?? 1),
            );

            // Act
            const { states } = feed(before, rise, t);

            // Assess
            expect(states.at(-1)).not.toBe('NORMAL');
          },
        ),
      );
    });

    it('deflects within N samples of a sustained rise above T_deflect, from any state', () => {
      fc.assert(
        fc.property(
          withHistoryArb(),
          fc.double({ min: 0.001, max: 1_000, noNaN: true }),
          ([t, history], excess) => {
            // Act
            const { states } = feed(
              reached(t, history),
              Array(t.enterSamples).fill(t.deflectWaitSeconds + excess),
              t,
            );

            // Assess
            expect(states.at(-1)).toBe('DEFLECT');
          },
        ),
      );
    });

    it('is back to NORMAL within M samples of a sustained fall below T_exit, from any state', () => {
      fc.assert(
        fc.property(
          withHistoryArb(),
          fc.double({ min: 0, max: 0.999, noNaN: true }),
          ([t, history], share) => {
            // Act
            const fall = Array(t.exitSamples).fill(t.exitWaitSeconds * share);
            const { states } = feed(reached(t, history), fall, t);

            // Assess
            expect(states.at(-1)).toBe('NORMAL');
          },
        ),
      );
    });

    it('treats a missing sample as if it had never been taken', () => {
      fc.assert(
        fc.property(
          withHistoryArb().chain(([t, history]) =>
            fc.tuple(fc.constant(t), fc.constant(history), waitsArb(t)),
          ),
          ([t, history, waits]) => {
            // Act
            const start = reached(t, history);
            const withGaps = feed(start, waits, t);
            const without = feed(
              start,
              waits.filter((w) => w !== undefined),
              t,
            );

            // Assess: the same state, counts and version; only the samples' times differ
            const { updatedAt: _a, since: _b, ...judged } = withGaps.memory;
            const { updatedAt: _c, since: _d, ...expected } = without.memory;
            expect(judged).toEqual(expected);
          },
        ),
      );
    });
  });

  describe('minimum dwell', () => {
    const WITH_DWELL: Thresholds = { ...DEFAULTS, minDwellSeconds: 120 };

    it('holds a new state for the dwell even when the waits call for a change sooner', () => {
      // Prepare: OVERFLOW after three samples above T_enter, then the wait falls to nothing at once
      const waits = [130, 130, 130, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

      // Act
      const withDwell = feed(initialMemory(), waits, WITH_DWELL);
      const without = feed(initialMemory(), waits);

      // Assess: without a dwell it falls after M = 4 samples (60 s); with 120 s it waits 8 samples
      expect(without.flips).toEqual([2, 6]);
      expect(withDwell.flips).toEqual([2, 10]);
      expect(withDwell.states.at(-1)).toBe('NORMAL');
    });

    it('lets a change that came due during the dwell happen on the first sample after it', () => {
      // Prepare: OVERFLOW at sample 2, and the wait soars past T_deflect right after
      const waits = [130, 130, 130, 400, 400, 400, 400, 400, 400, 400, 400, 400];

      // Act
      const { flips, states } = feed(initialMemory(), waits, WITH_DWELL);

      // Assess: DEFLECT at the first sample 120 s after OVERFLOW began (sample 2 + 8)
      expect(flips).toEqual([2, 10]);
      expect(states[10]).toBe('DEFLECT');
    });

    it('is not pinned by a state start that cannot be read or lies in the future', () => {
      for (const since of ['garbage', new Date(T0 + 3_600_000).toISOString()]) {
        // Prepare: OVERFLOW with an unusable start, then waits that call for NORMAL
        const start: QueueMemory = { ...inState('OVERFLOW'), since };

        // Act
        const { states } = feed(start, [0, 0, 0, 0], WITH_DWELL);

        // Assess
        expect(states.at(-1)).toBe('NORMAL');
      }
    });

    it('bounds the changes in any hour by floor(3600 / dwell) + 1, whatever the waits and their timing', () => {
      fc.assert(
        fc.property(
          fc.record({
            dwell: fc.integer({ min: 15, max: 1_800 }),
            exit: fc.integer({ min: 0, max: 200 }),
            enterGap: fc.integer({ min: 1, max: 200 }),
            deflectGap: fc.integer({ min: 1, max: 400 }),
            n: fc.integer({ min: 1, max: 4 }),
            m: fc.integer({ min: 1, max: 4 }),
            start: fc.constantFrom(...ROUTING_STATES),
            // Any arrival pattern shows to the controller only as a run of waits; the gaps between samples
            // vary too (late runs, missing samples), from a second to two minutes.
            samples: fc.array(
              fc.tuple(
                fc.integer({ min: 1, max: 120 }),
                fc.oneof(fc.double({ min: 0, max: 2_000, noNaN: true }), fc.constantFrom(Number.NaN, -1)),
              ),
              { maxLength: 600 },
            ),
          }),
          ({ dwell, exit, enterGap, deflectGap, n, m, start, samples }) => {
            // Prepare
            const t: Thresholds = {
              exitWaitSeconds: exit,
              enterWaitSeconds: exit + enterGap,
              deflectWaitSeconds: exit + enterGap + deflectGap,
              enterSamples: n,
              exitSamples: m,
              minDwellSeconds: dwell,
            };
            let memory: QueueMemory = { ...inState(start), since: new Date(T0).toISOString() };
            let at = T0;
            const changes: number[] = [];

            // Act
            for (const [gap, wait] of samples) {
              at += gap * 1000;
              const result = next(memory, { waitSeconds: wait, at: new Date(at) }, t);
              if (result.change) changes.push(at);
              memory = result.memory;
            }

            // Assess: changes at least a dwell apart, so no hour holds more than the bound
            changes.slice(1).forEach((c, k) => {
              expect(c - (changes[k] ?? 0)).toBeGreaterThanOrEqual(dwell * 1000);
            });
            const bound = Math.floor(3600 / dwell) + 1;
            for (const from of changes) {
              expect(changes.filter((c) => c >= from && c < from + 3_600_000).length).toBeLessThanOrEqual(
                bound,
              );
            }
          },
        ),
      );
    });
  });

  describe('the share of callers offered the deflection menu', () => {
    it.each([
      [300, 1, 'at or above T_deflect: all'],
      [120, 1, 'T_deflect itself: all'],
      [90, 0.5, 'half way between T_enter and T_deflect: half'],
      [75, 0.25, 'a quarter of the way: a quarter'],
      [60, 0, 'T_enter: none'],
      [10, 0, 'below T_enter: none'],
      [Number.NaN, 1, 'a wait that is no number: all, as the state says'],
    ])('wait %d s: %d (%s)', (wait, share) => {
      expect(deflectShare(wait, { ...DEFAULTS, enterWaitSeconds: 60, deflectWaitSeconds: 120 })).toBeCloseTo(
        share,
        9,
      );
    });
  });
});
