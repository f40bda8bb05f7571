import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BridgedDocumentClient } from '#adapters/dynamodb/sdk-document-client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRoutingStateStore } from '#adapters/dynamodb/routing-state.js';
import type { QueueMemory } from '#core/routing/hysteresis.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import type { InboundCall } from '#local/inbound-flow.js';
import type { QueueRecord, SmsRecord } from '#local/runtime/records.js';
import type { LocalStack } from '#local/stack.js';
import { eventually, getJson, startTestStack } from '#test/support/local-stack.js';

// Every call in this file lasts longer than the test runs in virtual time, so the agents on calls stay on
// them and the waits below hold until agents log in (the stack's wait model: 300 s a call, 180 s patience).
const LONG_CALL_SECONDS = 8 * 3600;

const queueRow = async (stack: LocalStack, id: string): Promise<QueueRecord> => {
  const row = (await getJson<QueueRecord[]>(stack, '/api/queues')).find((q) => q.id === id);
  if (row === undefined) throw new Error(`no queue ${id} in /api/queues`);
  return row;
};

const controllerRuns = async (stack: LocalStack): Promise<number> => {
  const status = await getJson<{ jobs: { name: string; runs: number }[] }>(stack, '/api/status');
  return status.jobs.find((j) => j.name === 'overflow-controller')?.runs ?? 0;
};

describe('overflow routing in the local stack: the controller samples the simulator, the router answers', () => {
  let stack: LocalStack;
  let routingTable: DynamoRoutingStateStore;

  beforeAll(async () => {
    // 40 virtual seconds a real second: the controller's 4 samples a minute come every 375 ms and the
    // 120 s a state must last before it changes take 3 real seconds, slow enough that a busy machine still
    // runs every sample, fast enough that the whole evening below takes seconds.
    stack = await startTestStack({ speed: 40 });
    routingTable = new DynamoRoutingStateStore(
      BridgedDocumentClient.over(
        new DynamoDBClient({
          endpoint: stack.dynamodbEndpoint,
          region: LOCAL_REGION,
          credentials: LOCAL_CREDENTIALS,
        }),
      ),
      stack.tableNames.routing,
    );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** The primary queue's routing item as the controller stored it: the state, the wait it judged, the shares. */
  const primaryItem = async (): Promise<QueueMemory | undefined> =>
    (await routingTable.read(['primary'])).get('primary');

  /** The primary queue's changes from its audit trail, oldest first. */
  const routingTableHistory = async () => (await routingTable.history('primary')).reverse();

  /** A caller through the inbound flow who never hangs up, and whose call lasts the whole test. */
  const call = (phone: string, key?: InboundCall['key']) =>
    stack.inboundFlow.call({
      at: stack.clock.nowMs(),
      phone,
      patienceSeconds: Number.POSITIVE_INFINITY,
      handlingSeconds: LONG_CALL_SECONDS,
      ...(key === undefined ? {} : { key }),
    });

  it('overflows, deflects, shares callers with the second line only while it is the shorter wait, and returns by itself', async () => {
    // Prepare: two voice agents and two second-line agents, whose routing profile also takes primary calls
    // that waited 20 s; four callers keep all four of them on calls.
    stack.simulator.setAgentsOnline('voice', 2);
    stack.simulator.setAgentsOnline('secondLine', 2);
    for (let i = 1; i <= 4; i += 1) expect(await call(`+4860100010${i}`)).toBe('queued');
    await eventually(stack, async () => {
      const primary = await queueRow(stack, 'primary');
      expect(primary.answered).toBe(4);
      expect(primary.agentsAvailable).toBe(0);
    });

    // Act & Assess: nobody waits, but with every agent busy a new caller would wait for the first of four
    // 300 s calls to end (75 s): above T_enter (60 s) and below T_deflect (120 s) for 3 samples, OVERFLOW
    await eventually(stack, async () =>
      expect((await queueRow(stack, 'primary')).routingState).toBe('OVERFLOW'),
    );
    const overflow = await primaryItem();
    expect(overflow?.lastWaitSeconds).toBeGreaterThan(60);
    expect(overflow?.lastWaitSeconds).toBeLessThan(120);
    // The second line's two agents are on calls too (a new caller would wait 150 s there), so nobody is sent
    // there: the old OVERFLOW sent every caller to it, however busy it was.
    expect(overflow?.secondLineShare).toBe(0);
    // At 75 s a quarter of the callers hear the menu ((75 - 60) / (120 - 60)): whether this one does is the
    // router's draw, so the caller presses 1 if asked; either way they wait in the primary queue.
    expect(overflow?.deflectShare).toBe(0.25);
    expect(['queued', 'kept-waiting']).toContain(await call('+48601000105', 1));
    await eventually(stack, async () => expect((await queueRow(stack, 'primary')).waiting).toBe(1));
    expect((await queueRow(stack, 'secondLine')).waiting).toBe(0);

    // One caller waiting pushes the expected wait past T_deflect: after the 120 s an OVERFLOW lasts at
    // least, DEFLECT, with the menu offered to every caller (the wait is at or above T_deflect)
    await eventually(stack, async () =>
      expect((await queueRow(stack, 'primary')).routingState).toBe('DEFLECT'),
    );
    expect((await primaryItem())?.deflectShare).toBe(1);
    // 3 sends the SMS with the request link and the code; 2 queues a callback
    expect(await call('+48601000002', 3)).toBe('sms');
    expect(await call('+48601000003', 2)).toBe('callback');
    const sms = await getJson<SmsRecord[]>(stack, '/api/sms');
    expect(sms.find((s) => s.kind === 'deflection')).toMatchObject({
      to: '+48*****0002',
      status: 'SENT',
      body: expect.stringContaining('https://sklep.example.pl/kontakt'),
    });
    await eventually(stack, async () => expect((await queueRow(stack, 'callback')).waiting).toBe(1));

    // 1 keeps waiting: the router sends the controller's share of them to the second line, a share that
    // opens only once the primary queue is long enough for the second line to be the shorter wait by 60 s
    // and shrinks as the second line's own queue grows. Each caller after the controller has sampled the
    // last one (two runs: the first may have begun before the call) and the router's 5 s cache is over.
    const shares: number[] = [];
    for (let i = 10; i < 25; i += 1) {
      const runs = await controllerRuns(stack);
      const at = stack.clock.nowMs();
      expect(await call(`+486010002${i}`, 1)).toBe('kept-waiting');
      await eventually(stack, async () => {
        expect(await controllerRuns(stack)).toBeGreaterThanOrEqual(runs + 2);
        expect(stack.clock.nowMs()).toBeGreaterThan(at + 5_000);
      });
      shares.push((await primaryItem())?.secondLineShare ?? Number.NaN);
    }
    const [primary, secondLine] = [await queueRow(stack, 'primary'), await queueRow(stack, 'secondLine')];
    // All 16 waiting callers (the one from OVERFLOW and 15 who kept waiting) are in one of the two queues
    expect(primary.waiting + secondLine.waiting).toBe(16);
    // The second line took some of them, and its queue stayed short while the primary queue is long
    expect(secondLine.waiting).toBeGreaterThanOrEqual(1);
    expect(secondLine.waiting * 3).toBeLessThanOrEqual(primary.waiting);
    // The share opened once the primary queue was long, and never passed the second line's part of the
    // agents on calls (2 of 4)
    expect(Math.max(...shares)).toBeGreaterThan(0);
    expect(Math.max(...shares)).toBeLessThanOrEqual(0.5);

    // Agents log in and answer the waiting primary callers and the callback with agents to spare: below
    // T_exit for 4 samples, routing is normal again by itself
    stack.simulator.setAgentsOnline('voice', 24);
    await eventually(stack, async () =>
      expect((await queueRow(stack, 'primary')).routingState).toBe('NORMAL'),
    );
    expect((await queueRow(stack, 'primary')).waiting).toBe(0);
    expect(await call('+48601000004')).toBe('queued');

    const changes = stack.bus.recent().filter((e) => e.detailType === 'OverflowStateChanged');
    expect(changes.length).toBeGreaterThanOrEqual(3);
    expect(changes.every((e) => e.source === 'peakline')).toBe(true);
    const audit = await routingTableHistory();
    expect(audit.map((c) => `${c.from}->${c.to}`)).toEqual([
      'NORMAL->OVERFLOW',
      'OVERFLOW->DEFLECT',
      'DEFLECT->NORMAL',
    ]);
  });

  it('keeps the controller’s Connect calls at its samples, whatever the traffic', async () => {
    // Act
    const calls = stack.simulator.snapshot().apiCalls.GetCurrentMetricData ?? 0;
    const samples = await controllerRuns(stack);

    // Assess: one call per sample, for the watched queues and the second line together (a sample may be
    // under way)
    expect(samples).toBeGreaterThan(20);
    expect(calls - samples).toBeGreaterThanOrEqual(0);
    expect(calls - samples).toBeLessThanOrEqual(1);
  });
});
