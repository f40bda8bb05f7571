import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Channel } from '#core/ports.js';
import {
  ConnectSimulator,
  type ContactEvent,
  type RoutingProfileConfig,
  type SimulatorSnapshot,
} from '#simulator/connect/index.js';

// Whatever the traffic, the staffing and the order of calls, the simulator must account for every
// contact and route like Connect. These properties run random days against a small contact centre.

const T0 = Date.UTC(2025, 11, 20, 8);
const QUEUES = ['q1', 'q2', 'q3'] as const;
const PROFILES: readonly RoutingProfileConfig[] = [
  {
    id: 'voice',
    name: 'voice',
    concurrency: { VOICE: 1, TASK: 1 },
    queues: [
      { queueId: 'q1', channel: 'VOICE', priority: 1 },
      { queueId: 'q3', channel: 'TASK', priority: 2 },
    ],
  },
  {
    id: 'chat2',
    name: 'chat2',
    concurrency: { CHAT: 2 },
    queues: [{ queueId: 'q1', channel: 'CHAT', priority: 1 }],
  },
  {
    id: 'blended',
    name: 'blended',
    concurrency: { VOICE: 1, CHAT: 3, TASK: 2 },
    queues: [
      { queueId: 'q2', channel: 'VOICE', priority: 1 },
      { queueId: 'q2', channel: 'CHAT', priority: 1, delaySeconds: 10 },
      { queueId: 'q3', channel: 'TASK', priority: 2 },
    ],
  },
  {
    id: 'helper',
    name: 'helper',
    concurrency: { VOICE: 1 },
    queues: [
      { queueId: 'q2', channel: 'VOICE', priority: 1 },
      { queueId: 'q1', channel: 'VOICE', priority: 2, delaySeconds: 20 },
    ],
  },
];

type Op =
  | {
      readonly kind: 'arrive';
      readonly channel: 'VOICE' | 'CHAT';
      readonly queue: number;
      readonly inMs: number;
      readonly patienceSeconds: number | undefined;
      readonly handlingSeconds: number | undefined;
    }
  | { readonly kind: 'task'; readonly queue: number; readonly token: number }
  | { readonly kind: 'staff'; readonly profile: number; readonly count: number }
  | { readonly kind: 'move'; readonly agent: number; readonly profile: number }
  | { readonly kind: 'logout'; readonly agent: number }
  | { readonly kind: 'delete'; readonly agent: number }
  | { readonly kind: 'advance'; readonly ms: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('arrive' as const),
      channel: fc.constantFrom('VOICE' as const, 'CHAT' as const),
      queue: fc.nat(QUEUES.length - 1),
      inMs: fc.oneof(fc.constant(0), fc.nat(120_000)),
      patienceSeconds: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
      handlingSeconds: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('task' as const), queue: fc.nat(2), token: fc.nat(20) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('staff' as const),
      profile: fc.nat(PROFILES.length - 1),
      count: fc.nat(4),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      agent: fc.nat(),
      profile: fc.nat(PROFILES.length - 1),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('logout' as const), agent: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), agent: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.nat(300_000) }) },
);

function newSimulator(seed: number): ConnectSimulator {
  return new ConnectSimulator({
    startTime: T0,
    seed,
    queues: QUEUES.map((id) => ({ id, name: id })),
    routingProfiles: PROFILES,
    handlingSeconds: { VOICE: 200, CHAT: 300, TASK: 250 },
    patienceSeconds: { VOICE: 90, CHAT: 200 },
  });
}

const pick = <T>(items: readonly T[], index: number): T | undefined =>
  items.length === 0 ? undefined : items[index % items.length];

async function apply(simulator: ConnectSimulator, op: Op): Promise<void> {
  const liveAgents = simulator.snapshot().agents.filter((a) => !a.deleted);
  switch (op.kind) {
    case 'arrive':
      simulator.arrive({
        channel: op.channel,
        queueId: QUEUES[op.queue] ?? 'q1',
        at: simulator.now + op.inMs,
        ...(op.patienceSeconds === undefined ? {} : { patienceSeconds: op.patienceSeconds }),
        ...(op.handlingSeconds === undefined ? {} : { handlingSeconds: op.handlingSeconds }),
      });
      break;
    case 'task':
      await simulator.startTask({
        queueId: QUEUES[op.queue] ?? 'q3',
        name: 'task',
        description: '',
        attributes: {},
        clientToken: `token-${op.token}`,
      });
      break;
    case 'staff':
      simulator.setAgentsOnline(PROFILES[op.profile]?.id ?? 'voice', op.count);
      break;
    case 'move': {
      const target = pick(liveAgents, op.agent);
      if (target)
        await simulator.updateUserRoutingProfile(target.userId, PROFILES[op.profile]?.id ?? 'voice');
      break;
    }
    case 'logout': {
      const target = pick(liveAgents, op.agent);
      if (target) simulator.logout(target.userId);
      break;
    }
    case 'delete': {
      const target = pick(liveAgents, op.agent);
      if (target) await simulator.deleteUser(target.userId);
      break;
    }
    case 'advance':
      simulator.advanceTo(simulator.now + op.ms);
      break;
  }
}

/** What an agent could take one more of, judged from the outside: the rules the simulator must follow. */
function canTakeOneMore(snapshot: SimulatorSnapshot, userId: string, channel: Channel): boolean {
  const agent = snapshot.agents.find((a) => a.userId === userId);
  const profile = snapshot.routingProfiles.find((p) => p.id === agent?.routingProfileId);
  if (!agent || !profile || !agent.loggedIn || agent.deleted) return false;
  const limit = profile.concurrency[channel] ?? 0;
  const channels = new Set(agent.contacts.map((c) => c.channel));
  return limit > 0 && (channels.size === 0 || (channels.has(channel) && agent.contacts.length < limit));
}

async function checkInvariants(simulator: ConnectSimulator): Promise<void> {
  const snapshot = simulator.snapshot();
  const metrics = await simulator.getCurrentMetrics(QUEUES);
  let inService = 0;
  for (const queue of snapshot.queues) {
    // Conservation, per queue and per channel.
    for (const counters of [queue.stats, ...Object.values(queue.stats.byChannel)]) {
      expect(counters.answered + counters.abandoned + counters.waiting).toBe(counters.arrived);
      expect(counters.inService + counters.completed).toBe(counters.answered);
    }
    expect(metrics.find((m) => m.queueId === queue.id)?.contactsInQueue).toBe(queue.waiting);
    inService += queue.stats.inService;
  }
  expect(snapshot.agents.reduce((n, a) => n + a.contacts.length, 0)).toBe(inService);
  // Nobody who could take a contact is left idle beside an eligible waiting one.
  for (const agent of snapshot.agents) {
    const profile = snapshot.routingProfiles.find((p) => p.id === agent.routingProfileId);
    for (const entry of profile?.queues ?? []) {
      const lane = snapshot.queues.find((q) => q.id === entry.queueId)?.byChannel[entry.channel];
      const eligibleWaiting =
        lane !== undefined && lane.waiting > 0 && lane.oldestWaitSeconds >= (entry.delaySeconds ?? 0);
      expect(eligibleWaiting && canTakeOneMore(snapshot, agent.userId, entry.channel)).toBe(false);
    }
  }
}

const SETTINGS = { numRuns: 150 } as const;

describe('ConnectSimulator properties', () => {
  it('accounts for every contact and leaves no eligible agent idle, at every step of random days', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.array(opArbitrary, { maxLength: 60 }), async (seed, ops) => {
        // Prepare
        const simulator = newSimulator(seed);

        for (const op of ops) {
          // Act
          await apply(simulator, op);

          // Assess
          await checkInvariants(simulator);
        }
      }),
      SETTINGS,
    );
  });

  it('never gives an agent more than their profile allows, nor two channels at once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.array(opArbitrary, { maxLength: 60 }), async (seed, ops) => {
        // Prepare: check every answer at the moment it happens
        const simulator = newSimulator(seed);
        const violations: string[] = [];
        simulator.onContactEvent((event) => {
          if (event.type !== 'answered' || event.userId === undefined) return;
          const snapshot = simulator.snapshot();
          const agent = snapshot.agents.find((a) => a.userId === event.userId);
          const profile = snapshot.routingProfiles.find((p) => p.id === agent?.routingProfileId);
          const limit = profile?.concurrency[event.channel] ?? 0;
          const channels = new Set(agent?.contacts.map((c) => c.channel));
          // A contact handled in no time may be completed by the time the listener looks: none is fine.
          if ((agent?.contacts.length ?? 0) > limit || channels.size > 1) {
            violations.push(`${event.userId} at ${event.time}: ${JSON.stringify(agent?.contacts)}`);
          }
        });

        // Act
        for (const op of ops) await apply(simulator, op);
        simulator.advanceTo(simulator.now + 3_600_000);

        // Assess
        expect(violations).toEqual([]);
      }),
      SETTINGS,
    );
  });

  it('replays identically for the same seed and the same calls', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.array(opArbitrary, { maxLength: 40 }), async (seed, ops) => {
        // Prepare
        const run = async () => {
          const simulator = newSimulator(seed);
          const events: ContactEvent[] = [];
          simulator.onContactEvent((event) => events.push(event));
          // Act
          for (const op of ops) await apply(simulator, op);
          simulator.advanceTo(simulator.now + 3_600_000);
          return { events, snapshot: simulator.snapshot() };
        };

        // Act
        const first = await run();
        const second = await run();

        // Assess
        expect(second).toEqual(first);
      }),
      { numRuns: 30 },
    );
  });
});
