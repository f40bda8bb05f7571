import { describe, expect, it } from 'vitest';
import {
  ConnectSimulator,
  type ConnectSimulatorOptions,
  type ContactEvent,
} from '#simulator/connect/index.js';

const T0 = Date.UTC(2025, 10, 28, 9); // Black Friday, 09:00 UTC
const at = (seconds: number): number => T0 + seconds * 1000;
const NEVER = Infinity;

/** peakline's contact centre in small: the queues and routing profiles the ContactCenterStack creates. */
function centre(options: Partial<ConnectSimulatorOptions> = {}): ConnectSimulator {
  return new ConnectSimulator({
    startTime: T0,
    seed: 42,
    queues: [
      { id: 'primary', name: 'Primary' },
      { id: 'second-line', name: 'Second line' },
      { id: 'callback', name: 'Callback' },
      { id: 'accounting', name: 'Accounting' },
      { id: 'mixed', name: 'Mixed' },
    ],
    routingProfiles: [
      {
        id: 'voice',
        name: 'Voice',
        concurrency: { VOICE: 1, TASK: 1 },
        queues: [
          { queueId: 'primary', channel: 'VOICE', priority: 1 },
          { queueId: 'callback', channel: 'TASK', priority: 2 },
        ],
      },
      {
        id: 'chat2',
        name: 'Chat 2',
        concurrency: { CHAT: 2 },
        queues: [{ queueId: 'primary', channel: 'CHAT', priority: 1 }],
      },
      {
        id: 'chat6',
        name: 'Chat 6',
        concurrency: { CHAT: 6 },
        queues: [{ queueId: 'primary', channel: 'CHAT', priority: 1 }],
      },
      {
        id: 'light',
        name: 'Light',
        concurrency: { TASK: 1 },
        queues: [{ queueId: 'accounting', channel: 'TASK', priority: 1 }],
      },
      {
        id: 'second-line',
        name: 'Second line',
        concurrency: { VOICE: 1 },
        queues: [
          { queueId: 'second-line', channel: 'VOICE', priority: 1 },
          { queueId: 'primary', channel: 'VOICE', priority: 2, delaySeconds: 20 },
        ],
      },
      {
        id: 'blended',
        name: 'Blended',
        concurrency: { VOICE: 1, CHAT: 3, TASK: 2 },
        queues: [
          { queueId: 'mixed', channel: 'VOICE', priority: 1 },
          { queueId: 'mixed', channel: 'CHAT', priority: 1 },
          { queueId: 'mixed', channel: 'TASK', priority: 1 },
        ],
      },
    ],
    securityProfiles: [
      { id: 'agent', name: 'Agent' },
      { id: 'light-agent', name: 'Light agent' },
    ],
    ...options,
  });
}

let usernames = 0;
async function agent(simulator: ConnectSimulator, routingProfileId: string, online = true): Promise<string> {
  const { userId } = await simulator.createUser({
    username: `agent-${++usernames}`,
    firstName: 'Ada',
    lastName: 'Nowak',
    routingProfileId,
    securityProfileIds: ['agent'],
  });
  if (online) simulator.login(userId);
  return userId;
}

const call = (queueId: string, handlingSeconds: number, patienceSeconds = NEVER) =>
  ({ channel: 'VOICE', queueId, handlingSeconds, patienceSeconds }) as const;
const chat = (queueId: string, handlingSeconds: number, patienceSeconds = NEVER) =>
  ({ channel: 'CHAT', queueId, handlingSeconds, patienceSeconds }) as const;

const contactsOf = (simulator: ConnectSimulator, userId: string) =>
  simulator.snapshot().agents.find((a) => a.userId === userId)?.contacts ?? [];

const recorded = (simulator: ConnectSimulator): ContactEvent[] => {
  const events: ContactEvent[] = [];
  simulator.onContactEvent((event) => events.push(event));
  return events;
};

describe('ConnectSimulator: waiting and answering', () => {
  it('keeps a call waiting while no agent is available and answers it when one logs in', async () => {
    // Prepare: one voice agent, created but not logged in
    const simulator = centre();
    const userId = await agent(simulator, 'voice', false);
    const contactId = simulator.arrive(call('primary', 300));

    // Act: a minute passes, then the agent logs in
    simulator.advanceTo(at(60));
    const [before] = await simulator.getCurrentMetrics(['primary']);
    simulator.login(userId);

    // Assess: the call waited a minute in the queue, then the agent took it
    expect(before).toMatchObject({ contactsInQueue: 1, oldestContactAgeSeconds: 60, agentsOnline: 0 });
    expect(simulator.queueStats('primary')).toMatchObject({
      answered: 1,
      waiting: 0,
      averageWaitSeconds: 60,
    });
    expect(contactsOf(simulator, userId)).toEqual([
      { contactId, channel: 'VOICE', queueId: 'primary', answeredAt: at(60) },
    ]);
  });

  it("lets an overloaded queue's oldest contact age grow, and brings it back down once agents are added", async () => {
    // Prepare: one agent, a 5-minute call every 30 seconds
    const simulator = centre();
    await agent(simulator, 'voice');
    const ages: number[] = [];
    const sample = async () => {
      const [metrics] = await simulator.getCurrentMetrics(['primary']);
      ages.push(metrics?.oldestContactAgeSeconds ?? -1);
    };

    // Act: 10 minutes overloaded, then 20 agents join, then 5 more minutes of the same traffic
    for (let second = 0; second < 900; second += 30) {
      simulator.advanceTo(at(second));
      if (second % 300 === 0) await sample();
      if (second === 600) simulator.setAgentsOnline('voice', 20);
      simulator.arrive(call('primary', 300));
    }
    simulator.advanceTo(at(900));
    await sample();

    // Assess: at 0, 5 and 10 minutes the age grows; 5 minutes after the extra agents, nobody waits
    expect(ages[0]).toBe(0);
    expect(ages[1]).toBeGreaterThan(200);
    expect(ages[2]).toBeGreaterThan(ages[1] ?? Infinity);
    expect(ages[3]).toBe(0);
  });

  it('answers by priority first, then by age: an agent takes the younger call of the higher-priority queue', async () => {
    // Prepare: a second-line agent busy for 60 s; a primary call (priority 2 for them) waits from 1 s,
    // a second-line call (priority 1) from 40 s, past the primary call's 20-second delay
    const simulator = centre();
    const userId = await agent(simulator, 'second-line');
    simulator.arrive(call('second-line', 60));
    simulator.advanceTo(at(1));
    const primaryCall = simulator.arrive(call('primary', 60));
    simulator.advanceTo(at(40));
    const secondLineCall = simulator.arrive(call('second-line', 60));

    // Act: the agent's first call ends, then the next one
    simulator.advanceTo(at(60));
    const first = contactsOf(simulator, userId).map((c) => c.contactId);
    simulator.advanceTo(at(120));
    const second = contactsOf(simulator, userId).map((c) => c.contactId);

    // Assess
    expect(first).toEqual([secondLineCall]);
    expect(second).toEqual([primaryCall]);
  });

  it('takes the oldest contact among queues of the same priority', async () => {
    // Prepare: a blended agent on a call; a task waits from 5 s, a chat from 10 s (both priority 1)
    const simulator = centre();
    const userId = await agent(simulator, 'blended');
    simulator.arrive(call('mixed', 30));
    simulator.advanceTo(at(5));
    const { contactId: task } = await simulator.startTask({
      queueId: 'mixed',
      name: 'Refund',
      description: '',
      attributes: {},
      clientToken: 'refund-1',
    });
    simulator.advanceTo(at(10));
    simulator.arrive(chat('mixed', 30));

    // Act: the call ends
    simulator.advanceTo(at(30));

    // Assess: the older task went first, and the chat waits (one channel at a time)
    expect(contactsOf(simulator, userId).map((c) => c.contactId)).toEqual([task]);
    expect(simulator.queueStats('mixed').byChannel.CHAT.waiting).toBe(1);
  });

  it('lets the second line help the primary queue only after the delay', async () => {
    // Prepare: the only voice agent is on a 100-second call; a second-line agent is idle
    const simulator = centre();
    await agent(simulator, 'voice');
    const helper = await agent(simulator, 'second-line');
    simulator.arrive(call('primary', 100));
    const waiting = simulator.arrive(call('primary', 60));

    // Act
    simulator.advanceTo(at(19.999));
    const justBefore = contactsOf(simulator, helper).length;
    simulator.advanceTo(at(20));

    // Assess: nothing for the helper before 20 s, the waiting call at 20 s
    expect(justBefore).toBe(0);
    expect(contactsOf(simulator, helper).map((c) => c.contactId)).toEqual([waiting]);
  });

  it('keeps the second line off a primary call younger than the delay, even when free before it', async () => {
    // Prepare: the helper is on a second-line call until 10 s; a primary call waits from 0 s
    const simulator = centre();
    const helper = await agent(simulator, 'second-line');
    simulator.arrive(call('second-line', 10));
    const waiting = simulator.arrive(call('primary', 60));

    // Act
    simulator.advanceTo(at(15));
    const freeBeforeTheDelay = contactsOf(simulator, helper).length;
    simulator.advanceTo(at(20));

    // Assess
    expect(freeBeforeTheDelay).toBe(0);
    expect(contactsOf(simulator, helper).map((c) => c.contactId)).toEqual([waiting]);
  });

  it('gives a new primary call to the idle first line, though the second line has been idle longer', async () => {
    // Prepare: the helper logs in first, the voice agent a minute later
    const simulator = centre();
    const helper = await agent(simulator, 'second-line');
    simulator.advanceTo(at(60));
    const firstLine = await agent(simulator, 'voice');

    // Act
    const contactId = simulator.arrive(call('primary', 60));

    // Assess
    expect(contactsOf(simulator, firstLine).map((c) => c.contactId)).toEqual([contactId]);
    expect(contactsOf(simulator, helper)).toEqual([]);
  });

  it('offers a call to the agent who has been idle the longest', async () => {
    // Prepare: two agents; one's call ends at 10 s, the other's at 20 s
    const simulator = centre();
    const [early, late] = [await agent(simulator, 'voice'), await agent(simulator, 'voice')];
    simulator.arrive(call('primary', 10));
    simulator.arrive(call('primary', 20));
    simulator.advanceTo(at(30));

    // Act
    const contactId = simulator.arrive(call('primary', 60));

    // Assess
    expect(contactsOf(simulator, early).map((c) => c.contactId)).toEqual([contactId]);
    expect(contactsOf(simulator, late)).toEqual([]);
  });

  it('gives a first-line agent who frees up within the delay the call, not the second line', async () => {
    // Prepare: the voice agent's call ends at 10 s; a second call waits; the helper is idle
    const simulator = centre();
    const firstLine = await agent(simulator, 'voice');
    const helper = await agent(simulator, 'second-line');
    simulator.arrive(call('primary', 10));
    const waiting = simulator.arrive(call('primary', 60));

    // Act
    simulator.advanceTo(at(30));

    // Assess
    expect(contactsOf(simulator, firstLine).map((c) => c.contactId)).toEqual([waiting]);
    expect(contactsOf(simulator, helper)).toEqual([]);
  });
});

describe('ConnectSimulator: concurrency', () => {
  it.each([
    ['chat2', 2],
    ['chat6', 6],
  ])('gives a %s agent at most %i chats at once', async (profile, concurrency) => {
    // Prepare: ten chats for one agent
    const simulator = centre();
    const userId = await agent(simulator, profile);
    for (let i = 0; i < 10; i++) simulator.arrive(chat('primary', 100 + i));

    // Act: the first chat ends, so the agent takes the next
    simulator.advanceTo(at(50));
    const busy = contactsOf(simulator, userId).length;
    simulator.advanceTo(at(100));

    // Assess
    expect(busy).toBe(concurrency);
    expect(contactsOf(simulator, userId)).toHaveLength(concurrency);
    expect(simulator.queueStats('primary')).toMatchObject({
      inService: concurrency,
      completed: 1,
      waiting: 10 - concurrency - 1,
    });
  });

  it('spreads chats over the agents, the least loaded first', async () => {
    // Prepare: two chat-6 agents
    const simulator = centre();
    const agents = [await agent(simulator, 'chat6'), await agent(simulator, 'chat6')];

    // Act
    for (let i = 0; i < 5; i++) simulator.arrive(chat('primary', 600));

    // Assess
    expect(agents.map((userId) => contactsOf(simulator, userId).length)).toEqual([3, 2]);
  });

  it('keeps a call exclusive: no chat or task alongside it, and no call alongside chats', async () => {
    // Prepare: a blended agent (voice 1, chat 3, task 2) takes a 60-second call; chats and a task wait
    const simulator = centre();
    const userId = await agent(simulator, 'blended');
    simulator.arrive(call('mixed', 60));
    simulator.advanceTo(at(1));
    for (let i = 0; i < 4; i++) simulator.arrive(chat('mixed', 120));
    await simulator.startTask({
      queueId: 'mixed',
      name: 'Invoice correction',
      description: '',
      attributes: {},
      clientToken: 'invoice-1',
    });

    // Act: during the call, then after it with a new call arriving
    simulator.advanceTo(at(30));
    const duringCall = contactsOf(simulator, userId).map((c) => c.channel);
    simulator.advanceTo(at(60));
    simulator.arrive(call('mixed', 60));
    simulator.advanceTo(at(90));
    const afterCall = contactsOf(simulator, userId).map((c) => c.channel);

    // Assess: the call alone; then three chats (the chat concurrency), the call and the task waiting
    expect(duringCall).toEqual(['VOICE']);
    expect(afterCall).toEqual(['CHAT', 'CHAT', 'CHAT']);
    expect(simulator.snapshot().queues.find((q) => q.id === 'mixed')?.byChannel).toMatchObject({
      VOICE: { waiting: 1 },
      CHAT: { waiting: 1 },
      TASK: { waiting: 1 },
    });
  });
});

describe('ConnectSimulator: abandonment and tasks', () => {
  it('lets a waiting caller hang up after their patience, and reports it', async () => {
    // Prepare: no agent; a caller with 30 seconds of patience
    const simulator = centre();
    const events = recorded(simulator);
    const contactId = simulator.arrive(call('primary', 300, 30));

    // Act
    simulator.advanceTo(at(29.999));
    const before = simulator.queueStats('primary');
    simulator.advanceTo(at(30));

    // Assess
    expect(before).toMatchObject({ waiting: 1, abandoned: 0 });
    expect(simulator.queueStats('primary')).toMatchObject({ arrived: 1, waiting: 0, abandoned: 1 });
    expect(events).toEqual([
      {
        type: 'abandoned',
        time: at(30),
        contactId,
        channel: 'VOICE',
        queueId: 'primary',
        waitSeconds: 30,
        attributes: {},
      },
    ]);
  });

  it('draws patience around the configured mean when the caller gives none', () => {
    // Prepare: nobody to answer; 2000 calls with the default patience of 180 s
    const simulator = centre();
    const events = recorded(simulator);
    for (let i = 0; i < 2000; i++) simulator.arrive({ channel: 'VOICE', queueId: 'primary' });

    // Act
    simulator.advanceTo(at(24 * 3600));

    // Assess: all abandoned, after 180 s on average (exponential; 2000 draws: within 10%)
    const mean = events.reduce((sum, e) => sum + e.waitSeconds, 0) / events.length;
    expect(events).toHaveLength(2000);
    expect(mean).toBeGreaterThan(162);
    expect(mean).toBeLessThan(198);
  });

  it('never lets a task abandon, however long it waits', async () => {
    // Prepare: a payment task and no light agent for a week
    const simulator = centre();
    await simulator.startTask({
      queueId: 'accounting',
      name: 'Chargeback',
      description: 'Order 1234',
      attributes: { orderId: '1234' },
      clientToken: 'chargeback-1234',
    });

    // Act
    simulator.advanceTo(at(6 * 24 * 3600));
    const afterAWeek = simulator.queueStats('accounting');
    const userId = await agent(simulator, 'light');

    // Assess
    expect(afterAWeek).toMatchObject({ arrived: 1, waiting: 1, abandoned: 0 });
    expect(contactsOf(simulator, userId).map((c) => c.channel)).toEqual(['TASK']);
  });

  it('starts a task once per clientToken, and again after the 7 days Connect keeps the token', async () => {
    // Prepare
    const simulator = centre();
    const task = {
      queueId: 'callback',
      name: 'Cart callback',
      description: 'Offer ready',
      attributes: { cartId: 'c-1' },
      clientToken: 'cart-c-1-2025-11-28',
    };

    // Act
    const first = await simulator.startTask(task);
    const retry = await simulator.startTask(task);
    const other = await simulator.startTask({ ...task, clientToken: 'cart-c-2-2025-11-28' });
    simulator.advanceTo(at(7 * 24 * 3600));
    const muchLater = await simulator.startTask(task);

    // Assess
    expect(retry.contactId).toBe(first.contactId);
    expect(other.contactId).not.toBe(first.contactId);
    expect(muchLater.contactId).not.toBe(first.contactId);
    expect(simulator.queueStats('callback').arrived).toBe(3);
    expect(simulator.snapshot().apiCalls.StartTaskContact).toBe(4);
  });

  it('refuses a task whose attributes exceed the 32 KB Connect accepts', async () => {
    // Prepare
    const simulator = centre();

    // Act
    const start = simulator.startTask({
      queueId: 'callback',
      name: 'Cart callback',
      description: '',
      attributes: { offer: 'x'.repeat(33 * 1024) },
      clientToken: 'big',
    });

    // Assess
    await expect(start).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect(simulator.queueStats('callback').arrived).toBe(0);
  });
});

describe('ConnectSimulator: figures', () => {
  it('reports several queues in one GetCurrentMetricData, oldest contact age in seconds', async () => {
    // Prepare: a busy voice agent, an idle light agent, an offline chat agent; calls waiting 90 and 45 s
    const simulator = centre();
    await agent(simulator, 'voice');
    await agent(simulator, 'light');
    await agent(simulator, 'chat2', false);
    simulator.arrive(call('primary', 600));
    simulator.arrive(call('primary', 600));
    simulator.advanceTo(at(45));
    simulator.arrive(call('primary', 600));
    simulator.arrive(call('second-line', 600));

    // Act
    simulator.advanceTo(at(90));
    const metrics = await simulator.getCurrentMetrics(['second-line', 'primary', 'accounting']);

    // Assess: in the order asked; agents counted on the queues (and channels) their routing profile serves
    const secondLine = {
      contactsInQueue: 1,
      oldestContactAgeSeconds: 45,
      agentsOnline: 0,
      agentsAvailable: 0,
      agentsOnContact: 0,
    };
    const primaryCalls = {
      contactsInQueue: 2,
      oldestContactAgeSeconds: 90,
      agentsOnline: 1,
      agentsAvailable: 0,
      agentsOnContact: 1,
    };
    const accounting = {
      contactsInQueue: 0,
      oldestContactAgeSeconds: 0,
      agentsOnline: 1,
      agentsAvailable: 1,
      agentsOnContact: 0,
    };
    const nobody = { ...accounting, agentsOnline: 0, agentsAvailable: 0 };
    expect(metrics).toEqual([
      { queueId: 'second-line', ...secondLine, channels: { VOICE: secondLine } },
      { queueId: 'primary', ...primaryCalls, channels: { VOICE: primaryCalls, CHAT: nobody } },
      { queueId: 'accounting', ...accounting, channels: { TASK: accounting } },
    ]);
    expect(simulator.snapshot().apiCalls.GetCurrentMetricData).toBe(1);
    await expect(simulator.getCurrentMetrics(['nope'])).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it("tells the primary queue's calls from its chat backlog: each channel its own wait and its own agents", async () => {
    // Prepare: two voice agents on 10-minute calls and one chat agent with two hour-long chats from 09:00;
    // eight more chats wait from 09:00, and a call from 09:06:30
    const simulator = centre();
    await agent(simulator, 'voice');
    await agent(simulator, 'voice');
    await agent(simulator, 'chat2');
    simulator.arrive(call('primary', 600));
    simulator.arrive(call('primary', 600));
    for (let i = 0; i < 10; i += 1) simulator.arrive(chat('primary', 3600));
    simulator.advanceTo(at(390));
    simulator.arrive(call('primary', 600));

    // Act
    simulator.advanceTo(at(400));
    const [primary] = await simulator.getCurrentMetrics(['primary']);

    // Assess: the caller has waited 10 s, the chats 400 s; the voice agents count on calls only
    expect(primary?.channels).toEqual({
      VOICE: {
        contactsInQueue: 1,
        oldestContactAgeSeconds: 10,
        agentsOnline: 2,
        agentsAvailable: 0,
        agentsOnContact: 2,
      },
      CHAT: {
        contactsInQueue: 8,
        oldestContactAgeSeconds: 400,
        agentsOnline: 1,
        agentsAvailable: 0,
        agentsOnContact: 1,
      },
    });
    expect(primary).toMatchObject({
      contactsInQueue: 9,
      oldestContactAgeSeconds: 400,
      agentsOnline: 2,
      agentsOnContact: 2,
    });
  });

  it('counts an agent serving every channel of a queue on each, and once in its totals', async () => {
    // Prepare: one blended agent, idle
    const simulator = centre();
    await agent(simulator, 'blended');

    // Act
    const [mixed] = await simulator.getCurrentMetrics(['mixed']);

    // Assess
    const idle = {
      contactsInQueue: 0,
      oldestContactAgeSeconds: 0,
      agentsOnline: 1,
      agentsAvailable: 1,
      agentsOnContact: 0,
    };
    expect(mixed).toEqual({ queueId: 'mixed', ...idle, channels: { VOICE: idle, CHAT: idle, TASK: idle } });
  });

  it('computes the service level as answered within 20 s over answered plus abandoned after 5 s', async () => {
    // Prepare: one agent busy until 10 s; four callers behind
    const simulator = centre();
    await agent(simulator, 'voice');
    simulator.arrive(call('primary', 10));
    simulator.arrive(call('primary', 20)); // answered at 10 s: in time
    simulator.arrive(call('primary', 20, 2)); // hangs up at 2 s: a short abandon, left out
    simulator.arrive(call('primary', 20, 25)); // hangs up at 25 s: counted against
    simulator.arrive(call('primary', 20)); // answered at 30 s: late

    // Act
    simulator.advanceTo(at(60));

    // Assess: in time 2 (the first at 0 s, the second at 10 s) of 3 answered + 1 counted abandon
    expect(simulator.queueStats('primary')).toMatchObject({
      arrived: 5,
      answered: 3,
      abandoned: 2,
      answeredInTime: 2,
      abandonedCounted: 1,
      averageWaitSeconds: (0 + 10 + 30) / 3,
      serviceLevel: 2 / 4,
    });
  });

  it('lists the latest contacts, newest first and bounded, and every agent with their state', async () => {
    // Prepare: room for three recent contacts; agents in each state
    const simulator = centre({ recentContacts: 3 });
    const busy = await agent(simulator, 'voice');
    const idle = await agent(simulator, 'chat2');
    const offline = await agent(simulator, 'light', false);
    const ids = Array.from({ length: 5 }, () => simulator.arrive(call('primary', 100)));

    // Act
    simulator.advanceTo(at(10));
    const snapshot = simulator.snapshot();

    // Assess
    expect(snapshot.time).toBe(at(10));
    expect(snapshot.recentContacts.map((c) => c.contactId)).toEqual([ids[4], ids[3], ids[2]]);
    expect(snapshot.recentContacts[0]).toMatchObject({ state: 'WAITING', waitSeconds: 10 });
    expect(snapshot.agents.map((a) => [a.userId, a.state])).toEqual([
      [busy, 'BUSY'],
      [idle, 'AVAILABLE'],
      [offline, 'OFFLINE'],
    ]);
    expect(snapshot.queues.find((q) => q.id === 'primary')).toMatchObject({
      waiting: 4,
      oldestWaitSeconds: 10,
    });
    expect(snapshot.routingProfiles.map((p) => p.id)).toContain('second-line');
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });
});

describe('ConnectSimulator: agents', () => {
  it('lets an agent who logs out finish the call, then takes them off the queue', async () => {
    // Prepare: an agent on a 60-second call, another call waiting
    const simulator = centre();
    const userId = await agent(simulator, 'voice');
    simulator.arrive(call('primary', 60));
    simulator.arrive(call('primary', 60));

    // Act
    simulator.logout(userId);
    simulator.advanceTo(at(120));

    // Assess
    expect(simulator.queueStats('primary')).toMatchObject({ completed: 1, waiting: 1 });
    expect(simulator.snapshot().agents[0]).toMatchObject({ state: 'OFFLINE', contacts: [] });
  });

  it('lets a deleted agent finish the call in progress, then removes them and frees the username', async () => {
    // Prepare
    const simulator = centre();
    const { userId } = await simulator.createUser({
      username: 'seasonal-1',
      firstName: 'Jan',
      lastName: 'Kowalski',
      routingProfileId: 'voice',
      securityProfileIds: ['agent'],
    });
    simulator.login(userId);
    simulator.arrive(call('primary', 60));
    simulator.arrive(call('primary', 60));

    // Act
    await simulator.deleteUser(userId);
    const whileFinishing = simulator.snapshot().agents.map((a) => [a.state, a.deleted]);
    simulator.advanceTo(at(60));

    // Assess: finished, gone, the waiting call not taken; the name can be given again
    expect(whileFinishing).toEqual([['BUSY', true]]);
    expect(simulator.snapshot().agents).toEqual([]);
    expect(simulator.queueStats('primary')).toMatchObject({ completed: 1, waiting: 1 });
    // Deleting it again is done already, as the port says, not an error.
    await expect(simulator.deleteUser(userId)).resolves.toBeUndefined();
    await expect(
      simulator.createUser({
        username: 'seasonal-1',
        firstName: 'Jan',
        lastName: 'Kowalski',
        routingProfileId: 'voice',
        securityProfileIds: ['agent'],
      }),
    ).resolves.toHaveProperty('userId');
  });

  it('applies a new routing profile from the next contact on', async () => {
    // Prepare: a chat-2 agent with two chats, four more waiting
    const simulator = centre();
    const userId = await agent(simulator, 'chat2');
    for (let i = 0; i < 6; i++) simulator.arrive(chat('primary', 600));

    // Act: promoted to chat 6, then moved to voice while chatting
    await simulator.updateUserRoutingProfile(userId, 'chat6');
    const promoted = contactsOf(simulator, userId).length;
    await simulator.updateUserRoutingProfile(userId, 'voice');
    simulator.arrive(call('primary', 60));
    simulator.advanceTo(at(300));
    const whileChatsRun = contactsOf(simulator, userId).map((c) => c.channel);
    simulator.advanceTo(at(600));

    // Assess: six chats at once; the chats finish, then the call comes
    expect(promoted).toBe(6);
    expect(whileChatsRun).toEqual(Array(6).fill('CHAT'));
    expect(contactsOf(simulator, userId).map((c) => c.channel)).toEqual(['VOICE']);
  });

  it('refuses a duplicate username, an unknown routing profile and an unknown security profile', async () => {
    // Prepare
    const simulator = centre();
    const user = {
      username: 'anna',
      firstName: 'Anna',
      lastName: 'Virtanen',
      routingProfileId: 'voice',
      securityProfileIds: ['agent'],
    };
    await simulator.createUser(user);

    // Act
    const duplicate = simulator.createUser(user);
    const noProfile = simulator.createUser({ ...user, username: 'anna2', routingProfileId: 'nope' });
    const noSecurity = simulator.createUser({ ...user, username: 'anna3', securityProfileIds: ['admin'] });

    // Assess
    await expect(duplicate).rejects.toMatchObject({ name: 'DuplicateResourceException' });
    await expect(noProfile).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(noSecurity).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('puts exactly the asked number of a profile’s agents online, for the demo', () => {
    // Prepare
    const simulator = centre();

    // Act
    const up = simulator.setAgentsOnline('voice', 5);
    const down = simulator.setAgentsOnline('voice', 2);
    const upAgain = simulator.setAgentsOnline('voice', 4);

    // Assess: the agents logged out are reused before new ones are created
    expect(up).toHaveLength(5);
    expect(down).toEqual(up.slice(0, 2));
    expect(upAgain).toEqual(up.slice(0, 4));
    expect(simulator.snapshot().agents.filter((a) => a.state === 'AVAILABLE')).toHaveLength(4);
  });
});

describe('ConnectSimulator: the virtual clock and the live feed', () => {
  it('never goes backwards', () => {
    // Prepare
    const simulator = centre();
    simulator.advanceTo(at(10));

    // Act and assess
    expect(() => simulator.advanceTo(at(9))).toThrow(RangeError);
    expect(() => simulator.arrive({ channel: 'VOICE', queueId: 'primary', at: at(5) })).toThrow(RangeError);
    expect(simulator.now).toBe(at(10));
  });

  it('gives the same result advanced in 100 ms steps as in one jump', async () => {
    // Prepare: the same busy half hour twice
    const run = async (stepMs: number) => {
      const simulator = centre({ seed: 9 });
      simulator.setAgentsOnline('voice', 3);
      simulator.setAgentsOnline('chat2', 1);
      simulator.setAgentsOnline('second-line', 1);
      const events = recorded(simulator);
      for (let i = 0; i < 60; i++) {
        simulator.arrive({ channel: i % 3 === 0 ? 'CHAT' : 'VOICE', queueId: 'primary', at: at(i * 29.5) });
      }
      // Act
      for (let time = T0 + stepMs; time <= at(1800); time += stepMs) simulator.advanceTo(time);
      return { events, stats: simulator.queueStats() };
    };

    // Act
    const stepped = await run(100);
    const jumped = await run(1_800_000);

    // Assess
    expect(stepped.events.length).toBeGreaterThan(60);
    expect(stepped).toEqual(jumped);
  });

  it('gives the same results for the same seed and calls, and others for another seed', () => {
    // Prepare
    const run = (seed: number) => {
      const simulator = centre({ seed });
      simulator.setAgentsOnline('voice', 2);
      const events = recorded(simulator);
      for (let i = 0; i < 50; i++) simulator.arrive({ channel: 'VOICE', queueId: 'primary', at: at(i * 20) });
      // Act
      simulator.advanceTo(at(3600));
      return { events, snapshot: simulator.snapshot() };
    };

    // Act
    const first = run(1);
    const again = run(1);
    const other = run(2);

    // Assess
    expect(again).toEqual(first);
    expect(other.events).not.toEqual(first.events);
  });

  it('tells listeners about answers, abandons and completions, in order, until they unsubscribe', async () => {
    // Prepare
    const simulator = centre();
    const userId = await agent(simulator, 'voice');
    const events = recorded(simulator);
    const late: string[] = [];
    const unsubscribe = simulator.onContactEvent((e) => late.push(e.type));
    const answered = simulator.arrive({ ...call('primary', 40), attributes: { orderId: '77' } });
    const abandoned = simulator.arrive(call('primary', 40, 10));

    // Act
    unsubscribe();
    simulator.advanceTo(at(60));

    // Assess
    expect(events.map((e) => [e.type, e.contactId, e.time, e.userId])).toEqual([
      ['answered', answered, at(0), userId],
      ['abandoned', abandoned, at(10), undefined],
      ['completed', answered, at(40), userId],
    ]);
    expect(events[2]).toMatchObject({ waitSeconds: 0, handlingSeconds: 40, attributes: { orderId: '77' } });
    expect(late).toEqual(['answered']);
  });

  it('survives a listener that throws: every listener gets the event and the error surfaces once', () => {
    // Prepare
    const simulator = centre();
    simulator.onContactEvent(() => {
      throw new Error('dashboard bug');
    });
    const events = recorded(simulator);
    simulator.arrive(call('primary', 100, 10));
    simulator.arrive(call('primary', 100, 20));

    // Act
    const advancing = () => simulator.advanceTo(at(30));

    // Assess: the error comes out at the first abandonment; advancing again carries on
    expect(advancing).toThrow('dashboard bug');
    expect(events.map((e) => e.time)).toEqual([at(10)]);
    expect(advancing).toThrow('dashboard bug');
    expect(events.map((e) => e.time)).toEqual([at(10), at(20)]);
    expect(simulator.queueStats('primary')).toMatchObject({ abandoned: 2, waiting: 0 });
  });
});
