import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Channel, ChannelMetrics, QueueMetrics } from '#core/ports.js';
import {
  type ControllerDeps,
  type ControllerSettings,
  opsMessage,
  takeSample,
} from '#core/routing/controller.js';
import { InMemoryRoutingStateStore } from '#core/routing/memory-store.js';

/**
 * How the controller judges (issue 13): the primary queue on its calls' expected wait, the second line's
 * share from both queues' expected waits, all in one metrics call. The Connect adapter's own mapping of
 * GetCurrentMetricData rows is tested with the adapter; here the port is a plain object.
 */

const T0 = Date.UTC(2026, 10, 27, 10);
const SAMPLE_MS = 15_000;

const SETTINGS: ControllerSettings = {
  queues: [
    {
      key: 'primary',
      metricsId: 'arn:primary',
      queueId: 'q-primary',
      channel: 'VOICE',
      signal: 'expected-wait',
    },
    {
      key: 'callback',
      metricsId: 'arn:callback',
      queueId: 'q-callback',
      signal: 'oldest-contact',
      routesCallers: false,
    },
  ],
  thresholds: {
    enterWaitSeconds: 120,
    enterSamples: 3,
    exitWaitSeconds: 60,
    exitSamples: 4,
    deflectWaitSeconds: 300,
    minDwellSeconds: 120,
  },
  stateMaxAgeSeconds: 45,
  waitModel: { handlingSeconds: 300, patienceSeconds: 180 },
  secondLine: { metricsId: 'arn:second-line', marginSeconds: 30, maxShare: 0.5 },
};

type Lane = Partial<ChannelMetrics>;
const lane = (l: Lane): ChannelMetrics => ({
  contactsInQueue: 0,
  oldestContactAgeSeconds: 0,
  agentsOnline: 0,
  agentsAvailable: 0,
  agentsOnContact: 0,
  ...l,
});
/** A queue's figures from its channels, with totals as the port defines them. */
const queue = (queueId: string, channels: Partial<Record<Channel, Lane>>): QueueMetrics => {
  const lanes = Object.fromEntries(Object.entries(channels).map(([c, l]) => [c, lane(l)])) as Partial<
    Record<Channel, ChannelMetrics>
  >;
  const all = Object.values(lanes);
  const sum = (k: keyof ChannelMetrics) => all.reduce((s, l) => s + l[k], 0);
  const max = (k: keyof ChannelMetrics) => Math.max(0, ...all.map((l) => l[k]));
  return {
    queueId,
    contactsInQueue: sum('contactsInQueue'),
    oldestContactAgeSeconds: max('oldestContactAgeSeconds'),
    agentsOnline: max('agentsOnline'),
    agentsAvailable: max('agentsAvailable'),
    agentsOnContact: max('agentsOnContact'),
    channels: lanes,
  };
};

interface Figures {
  readonly primary: QueueMetrics;
  readonly secondLine?: QueueMetrics;
  readonly callback?: QueueMetrics;
}

/** A world on one clock: the port answers `figures()` for whichever ids it is asked, and records the asks. */
const world = (figures: () => Figures) => {
  let now = T0;
  const asks: string[][] = [];
  const published: Record<string, unknown>[] = [];
  const store = new InMemoryRoutingStateStore(() => now);
  const deps: ControllerDeps = {
    contactCentre: {
      getCurrentMetrics: async (ids) => {
        asks.push([...ids]);
        const f = figures();
        const byId: Record<string, QueueMetrics | undefined> = {
          'arn:primary': f.primary,
          'arn:second-line': f.secondLine,
          'arn:callback': f.callback ?? queue('q-callback', {}),
        };
        return ids.flatMap((id) => {
          const found = byId[id];
          return found === undefined ? [] : [found];
        });
      },
    },
    store,
    events: { publish: async (_type, detail) => void published.push(detail as Record<string, unknown>) },
    ops: { notify: async () => undefined },
    clock: { now: () => new Date(now) },
  };
  return {
    store,
    asks,
    published,
    /** `n` samples, 15 s apart, each at the world's next instant. */
    samples: async (n: number, settings: ControllerSettings = SETTINGS) => {
      for (let i = 0; i < n; i += 1) {
        await takeSample(deps, settings);
        now += SAMPLE_MS;
      }
    },
  };
};

/** 20 call agents all busy with 30 callers waiting: a new caller would wait about 4 minutes (235 s). */
const LONG_CALLS: Lane = {
  contactsInQueue: 30,
  oldestContactAgeSeconds: 150,
  agentsOnline: 20,
  agentsOnContact: 20,
};
const SHORT_CALLS: Lane = {
  contactsInQueue: 1,
  oldestContactAgeSeconds: 8,
  agentsOnline: 20,
  agentsOnContact: 20,
};
const IDLE_SECOND_LINE = queue('q-second-line', { VOICE: { agentsOnline: 5, agentsAvailable: 5 } });

describe('overflow controller: what it judges', () => {
  it("keeps callers in their queue when only the chats wait long (the calls' own wait is short)", async () => {
    // Prepare: 40 chats waiting up to 400 s, callers answered within seconds
    const w = world(() => ({
      primary: queue('q-primary', {
        VOICE: SHORT_CALLS,
        CHAT: { contactsInQueue: 40, oldestContactAgeSeconds: 400, agentsOnline: 6, agentsOnContact: 6 },
      }),
      secondLine: IDLE_SECOND_LINE,
    }));

    // Act
    await w.samples(6);

    // Assess
    expect(w.store.peek('primary')?.state).toBe('NORMAL');
    expect(w.published).toEqual([]);
  });

  it('overflows on a long expected wait for calls even while the oldest caller is still young', async () => {
    // Prepare: the oldest caller waited only 50 s (below T_enter), but 60 wait for 20 busy agents
    const w = world(() => ({
      primary: queue('q-primary', { VOICE: { ...LONG_CALLS, oldestContactAgeSeconds: 50 } }),
      secondLine: IDLE_SECOND_LINE,
    }));

    // Act
    await w.samples(3);

    // Assess: OVERFLOW after N = 3 samples, announced with the expected wait it was judged on
    expect(w.store.peek('primary')?.state).toBe('OVERFLOW');
    expect(w.published).toHaveLength(1);
    expect(w.published[0]).toMatchObject({ from: 'NORMAL', to: 'OVERFLOW', oldestContactAgeSeconds: 50 });
    expect(w.published[0]?.expectedWaitSeconds as number).toBeGreaterThan(120);
  });

  it('asks for the second line in the same metrics call: one call per sample', async () => {
    // Prepare
    const w = world(() => ({
      primary: queue('q-primary', { VOICE: SHORT_CALLS }),
      secondLine: IDLE_SECOND_LINE,
    }));

    // Act
    await w.samples(4);

    // Assess
    expect(w.asks).toEqual(new Array(4).fill(['arn:primary', 'arn:callback', 'arn:second-line']));
  });

  it.each([
    ['an idle second line', 0.25, 'its share of the agents on calls: 5 of the 20', IDLE_SECOND_LINE],
    [
      'an idle second line as large as the primary queue',
      0.5,
      'the most allowed',
      queue('q-second-line', { VOICE: { agentsOnline: 20, agentsAvailable: 20 } }),
    ],
    [
      'a second line whose own callers would wait as long',
      0,
      'nobody',
      queue('q-second-line', { VOICE: { contactsInQueue: 20, agentsOnline: 5, agentsOnContact: 5 } }),
    ],
    ['a second line with nobody logged in', 0, 'nobody', queue('q-second-line', { VOICE: {} })],
    ['a second line missing from the answer', 0, 'nobody: the primary queue on doubt', undefined],
  ])('with %s, sends %s of the callers (%s)', async (_what, share, _words, secondLine) => {
    // Prepare
    const w = world(() => ({
      primary: queue('q-primary', { VOICE: LONG_CALLS }),
      ...(secondLine === undefined ? {} : { secondLine }),
    }));

    // Act
    await w.samples(3);

    // Assess: in OVERFLOW either way; the share is what the router sends on
    const memory = w.store.peek('primary');
    expect(memory?.state).toBe('OVERFLOW');
    expect(memory?.secondLineShare).toBe(share);
    expect((await w.store.readState('primary')).secondLineShare).toBe(share);
  });

  it('lowers the share as the second line fills, sample by sample, with no change of state', async () => {
    // Prepare: the second line's queue grows by two callers a sample
    let secondLineWaiting = 0;
    const w = world(() => ({
      primary: queue('q-primary', { VOICE: LONG_CALLS }),
      secondLine: queue('q-second-line', {
        VOICE: { contactsInQueue: secondLineWaiting++ * 2, agentsOnline: 5, agentsOnContact: 5 },
      }),
    }));
    const shares: number[] = [];

    // Act
    for (let i = 0; i < 6; i += 1) {
      await w.samples(1);
      shares.push(w.store.peek('primary')?.secondLineShare ?? Number.NaN);
    }

    // Assess: never rising, down to nobody; one change of state (NORMAL to OVERFLOW)
    shares.slice(1).forEach((s, i) => expect(s).toBeLessThanOrEqual(shares[i] ?? 1));
    expect(shares.at(-1)).toBe(0);
    expect(w.published).toHaveLength(1);
  });

  it('keeps no share from an earlier sample when the second line is no longer configured', async () => {
    // Prepare: a share stored by a controller that had a second line
    const w = world(() => ({
      primary: queue('q-primary', { VOICE: LONG_CALLS }),
      secondLine: IDLE_SECOND_LINE,
    }));
    await w.samples(3);
    expect(w.store.peek('primary')?.secondLineShare).toBe(0.25);
    const { secondLine: _none, ...withoutSecondLine } = SETTINGS;

    // Act
    await w.samples(1, withoutSecondLine);

    // Assess: no share stored, so the state means what it says (everyone, as a forced state)
    expect(w.store.peek('primary')?.secondLineShare).toBeUndefined();
    expect((await w.store.readState('primary')).secondLineShare).toBe(1);
  });

  it('judges the callback queue on its oldest contact, whatever its length', async () => {
    // Prepare: two callbacks waiting 10 minutes for 100 voice agents (an expected wait of seconds)
    const w = world(() => ({
      primary: queue('q-primary', { VOICE: SHORT_CALLS }),
      secondLine: IDLE_SECOND_LINE,
      callback: queue('q-callback', {
        VOICE: { contactsInQueue: 2, oldestContactAgeSeconds: 600, agentsOnline: 100, agentsOnContact: 100 },
      }),
    }));

    // Act
    await w.samples(3);

    // Assess
    expect(w.store.peek('callback')?.state).toBe('DEFLECT');
    // its state routes nobody, so it carries no share for the second line (nor tells ops of one)
    expect(w.store.peek('callback')?.secondLineShare).toBeUndefined();
    expect(
      w.store.audit.filter((c) => c.queueKey === 'callback').every((c) => c.secondLineShare === undefined),
    ).toBe(true);
    const [toDeflect] = w.store.audit.filter((c) => c.queueKey === 'callback' && c.to === 'DEFLECT');
    expect(toDeflect && opsMessage(toDeflect).message).toContain('due cart callbacks are postponed');
    expect(toDeflect && opsMessage(toDeflect).message).not.toContain('second line');
  });

  it("tells ops the expected wait, the oldest caller's wait, the share and the dwell", () => {
    // Act
    const { message } = opsMessage({
      queueKey: 'primary',
      queueId: 'q-primary',
      from: 'NORMAL',
      to: 'OVERFLOW',
      at: new Date(T0).toISOString(),
      oldestContactAgeSeconds: 50,
      contactsInQueue: 60,
      expectedWaitSeconds: 236.4,
      channel: 'VOICE',
      secondLineShare: 0.5,
      thresholds: SETTINGS.thresholds,
    });

    // Assess
    expect(message).toContain(
      'A new caller would wait 236 s; its oldest caller had waited 50 s, with 60 in queue.',
    );
    expect(message).toContain('Share of callers sent to the second line now: 50%.');
    expect(message).toContain('each state held at least 120 s');
  });

  it('changes state at most floor(3600 / dwell) + 1 times an hour, whatever the queues do', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            waiting: fc.integer({ min: 0, max: 400 }),
            busy: fc.integer({ min: 0, max: 60 }),
            free: fc.integer({ min: 0, max: 10 }),
            secondLineWaiting: fc.integer({ min: 0, max: 30 }),
          }),
          { minLength: 240, maxLength: 480 },
        ),
        async (steps) => {
          // Prepare: one to two hours of samples, the queues jumping anywhere from one to the next
          let i = 0;
          const w = world(() => {
            const s = steps[Math.min(i++, steps.length - 1)] ?? steps[0];
            return {
              primary: queue('q-primary', {
                VOICE: {
                  contactsInQueue: s?.waiting ?? 0,
                  agentsOnContact: s?.busy ?? 0,
                  agentsAvailable: s?.free ?? 0,
                },
              }),
              secondLine: queue('q-second-line', {
                VOICE: { contactsInQueue: s?.secondLineWaiting ?? 0, agentsOnContact: 5 },
              }),
            };
          });

          // Act
          await w.samples(steps.length);

          // Assess
          const changes = w.store.audit.filter((c) => c.queueKey === 'primary').map((c) => Date.parse(c.at));
          const bound = Math.floor(3600 / 120) + 1;
          for (const from of changes) {
            expect(changes.filter((c) => c >= from && c < from + 3_600_000).length).toBeLessThanOrEqual(
              bound,
            );
          }
          for (const memory of [w.store.peek('primary')]) {
            expect(memory?.secondLineShare ?? 0).toBeGreaterThanOrEqual(0);
            expect(memory?.secondLineShare ?? 0).toBeLessThanOrEqual(0.5);
            // never past the second line's share of the agents on calls (5 of them, and the primary's)
            const last = steps.at(-1);
            const primaryAgents = (last?.busy ?? 0) + (last?.free ?? 0);
            expect(memory?.secondLineShare ?? 0).toBeLessThanOrEqual(5 / Math.max(5, primaryAgents) + 1e-12);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
