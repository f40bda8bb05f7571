import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueRecord, SmsRecord } from '#local/runtime/records.js';
import type { LocalStack } from '#local/stack.js';
import { eventually, getJson, startTestStack } from '#test/support/local-stack.js';

const stateOf = async (stack: LocalStack, name: string) =>
  (await getJson<QueueRecord[]>(stack, '/api/queues')).find((q) => q.name === name)?.routingState;

describe('overflow routing in the local stack: the controller samples the simulator, the router answers', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    // 40 virtual seconds a real second: the controller's 4 samples a minute come every 375 ms, and the
    // OVERFLOW state (wait between 120 s and 300 s) lasts about 4 real seconds, long enough to be seen and
    // tried on a busy machine (at 120 it lasted about one).
    stack = await startTestStack({ speed: 40 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('overflows, deflects and returns to normal by itself as the wait rises and falls', async () => {
    // Prepare: callers wait in the primary queue and no voice agent is logged in.
    for (let i = 0; i < 3; i += 1) {
      stack.simulator.arrive({
        channel: 'VOICE',
        queueId: 'primary',
        patienceSeconds: Number.POSITIVE_INFINITY,
      });
    }

    // Act & Assess: past 120 s for 3 samples the queue overflows, and the router sends callers to the second line
    await eventually(stack, async () => expect(await stateOf(stack, 'primary')).toBe('OVERFLOW'));
    expect(await stack.inboundFlow.call({ at: stack.clock.nowMs(), phone: '+48601000001' })).toBe(
      'overflowed',
    );
    const waiting = (queueId: string) =>
      stack.simulator.snapshot().queues.find((q) => q.id === queueId)?.waiting;
    await eventually(stack, () => expect(waiting('secondLine')).toBe(1));

    // Past 300 s the callers are offered the menu; 3 sends the SMS with the request link and the code
    await eventually(stack, async () => expect(await stateOf(stack, 'primary')).toBe('DEFLECT'));
    expect(await stack.inboundFlow.call({ at: stack.clock.nowMs(), phone: '+48601000002', key: 3 })).toBe(
      'sms',
    );
    expect(await stack.inboundFlow.call({ at: stack.clock.nowMs(), phone: '+48601000003', key: 2 })).toBe(
      'callback',
    );
    const sms = await getJson<SmsRecord[]>(stack, '/api/sms');
    expect(sms.find((s) => s.kind === 'deflection')).toMatchObject({
      to: '+48*****0002',
      status: 'SENT',
      body: expect.stringContaining('https://sklep.example.pl/kontakt'),
    });
    await eventually(stack, () => expect(waiting('callback')).toBe(1));

    // Agents log in, the queue empties, and after 4 samples below 60 s routing is normal again
    stack.simulator.setAgentsOnline('voice', 6);
    await eventually(stack, async () => expect(await stateOf(stack, 'primary')).toBe('NORMAL'));
    expect(await stack.inboundFlow.call({ at: stack.clock.nowMs(), phone: '+48601000004' })).toBe('queued');

    const changes = stack.bus.recent().filter((e) => e.detailType === 'OverflowStateChanged');
    expect(changes.length).toBeGreaterThanOrEqual(3);
    expect(changes.every((e) => e.source === 'peakline')).toBe(true);
  });

  it('keeps the controller’s Connect calls at its samples, whatever the traffic', async () => {
    // Act
    const calls = stack.simulator.snapshot().apiCalls.GetCurrentMetricData ?? 0;
    const status = await getJson<{ jobs: { name: string; runs: number }[] }>(stack, '/api/status');

    // Assess: one call per sample, for both watched queues together (a sample may be under way)
    const samples = status.jobs.find((j) => j.name === 'overflow-controller')?.runs ?? 0;
    expect(samples).toBeGreaterThan(20);
    expect(calls - samples).toBeGreaterThanOrEqual(0);
    expect(calls - samples).toBeLessThanOrEqual(1);
  });
});
