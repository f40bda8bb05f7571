import { describe, expect, it } from 'vitest';
import { ConnectSimulator, Random } from '#simulator/connect/index.js';
import type { Channel } from '#core/ports.js';

// A smoke test, not a benchmark: it shows the simulator gets through a peak day and prints how long it
// took; the budget itself (under 2 s) is measured by `npm run bench`, not asserted in a timed test.

const DAY_MS = 24 * 60 * 60 * 1000;
const STEP_MS = 15_000;
const START = Date.UTC(2025, 10, 28); // Black Friday

// Contacts per hour of the day, relative: quiet nights, a late-morning and an evening peak.
const HOURLY_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 13, 12, 11, 11, 10, 10, 11, 12, 13, 13, 11, 8, 5, 2];

interface PlannedContact {
  readonly at: number;
  readonly channel: Channel;
  readonly queueId: string;
}

function peakDay(contacts: number, random: Random): PlannedContact[] {
  const total = HOURLY_WEIGHTS.reduce((a, b) => a + b, 0);
  const plan: PlannedContact[] = [];
  for (let i = 0; i < contacts; i++) {
    let pick = random.next() * total;
    let hour = 0;
    while (hour < HOURLY_WEIGHTS.length - 1 && pick >= (HOURLY_WEIGHTS[hour] ?? 0))
      pick -= HOURLY_WEIGHTS[hour++] ?? 0;
    const at = START + (hour + random.next()) * 3_600_000;
    const kind = random.next();
    // The router sends a share of the calls to the second line, as overflow routing would at the peak.
    if (kind < 0.58) plan.push({ at, channel: 'VOICE', queueId: 'primary' });
    else if (kind < 0.65) plan.push({ at, channel: 'VOICE', queueId: 'second-line' });
    else if (kind < 0.9) plan.push({ at, channel: 'CHAT', queueId: 'primary' });
    else if (kind < 0.95) plan.push({ at, channel: 'TASK', queueId: 'callback' });
    else plan.push({ at, channel: 'TASK', queueId: 'accounting' });
  }
  return plan.sort((a, b) => a.at - b.at);
}

describe('ConnectSimulator on a peak day', () => {
  it('gets through 100k contacts and 300 agents, sampled like the overflow controller does', async () => {
    // Prepare: the peakline contact centre, 300 agents logged in all day, 100k contacts planned
    const simulator = new ConnectSimulator({
      startTime: START,
      seed: 2025,
      queues: [
        { id: 'primary', name: 'primary' },
        { id: 'second-line', name: 'second-line' },
        { id: 'callback', name: 'callback' },
        { id: 'accounting', name: 'accounting' },
      ],
      routingProfiles: [
        {
          id: 'voice',
          name: 'voice',
          concurrency: { VOICE: 1, TASK: 1 },
          queues: [
            { queueId: 'primary', channel: 'VOICE', priority: 1 },
            { queueId: 'callback', channel: 'TASK', priority: 2 },
          ],
        },
        {
          id: 'chat4',
          name: 'chat4',
          concurrency: { CHAT: 4 },
          queues: [{ queueId: 'primary', channel: 'CHAT', priority: 1 }],
        },
        {
          id: 'light',
          name: 'light',
          concurrency: { TASK: 1 },
          queues: [{ queueId: 'accounting', channel: 'TASK', priority: 1 }],
        },
        {
          id: 'second-line',
          name: 'second-line',
          concurrency: { VOICE: 1 },
          queues: [
            { queueId: 'second-line', channel: 'VOICE', priority: 1 },
            { queueId: 'primary', channel: 'VOICE', priority: 2, delaySeconds: 20 },
          ],
        },
      ],
      handlingSeconds: { VOICE: 240, CHAT: 480, TASK: 300 },
      handlingCv: 0.8,
    });
    simulator.setAgentsOnline('voice', 190);
    simulator.setAgentsOnline('chat4', 60);
    simulator.setAgentsOnline('light', 20);
    simulator.setAgentsOnline('second-line', 30);
    const plan = peakDay(100_000, new Random(7));
    const queueIds = ['primary', 'second-line', 'callback', 'accounting'];
    let metricsCalls = 0;

    // Act: one 15-second step at a time, contacts fed in as they come, metrics read once per step
    const started = performance.now();
    let next = 0;
    let tasks = 0;
    for (let stepEnd = START + STEP_MS; stepEnd <= START + DAY_MS; stepEnd += STEP_MS) {
      for (let planned = plan[next]; planned !== undefined && planned.at < stepEnd; planned = plan[++next]) {
        if (planned.channel === 'TASK') {
          // Tasks are started through the port, at the step's start, as the callback sweeper would.
          await simulator.startTask({
            queueId: planned.queueId,
            name: 'Callback',
            description: '',
            attributes: {},
            clientToken: `task-${tasks++}`,
          });
        } else {
          simulator.arrive({ channel: planned.channel, queueId: planned.queueId, at: planned.at });
        }
      }
      simulator.advanceTo(stepEnd);
      await simulator.getCurrentMetrics(queueIds);
      metricsCalls++;
    }
    const elapsedMs = performance.now() - started;

    // Assess: every contact arrived and is accounted for
    const stats = simulator.queueStats();
    const arrived = stats.reduce((n, s) => n + s.arrived, 0);
    console.log(
      `connect simulator: 100k contacts, 300 agents, a simulated day in ${elapsedMs.toFixed(0)} ms ` +
        `(${metricsCalls} metric samples)\n` +
        stats
          .map(
            (s) =>
              `  ${s.queueId.padEnd(12)} arrived ${s.arrived}, answered ${s.answered}, abandoned ${s.abandoned}, ` +
              `service level ${((s.serviceLevel ?? 0) * 100).toFixed(1)}%, ` +
              `average wait ${(s.averageWaitSeconds ?? 0).toFixed(1)} s`,
          )
          .join('\n'),
    );
    expect(arrived).toBe(100_000);
    for (const s of stats) expect(s.answered + s.abandoned + s.waiting).toBe(s.arrived);
  });
});
