import {
  ConnectClient,
  CreateUserCommand,
  DeleteQuickConnectCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  DuplicateResourceException,
  GetCurrentMetricDataCommand,
  type GetCurrentMetricDataResponse,
  InvalidParameterException,
  LimitExceededException,
  ResourceNotFoundException,
  SearchQuickConnectsCommand,
  type SearchQuickConnectsResponse,
  SearchUsersCommand,
  StartTaskContactCommand,
  ThrottlingException,
  TooManyRequestsException,
  UpdateUserRoutingProfileCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectContactCentre,
  type ConnectContactCentreOptions,
  generateConnectPassword,
  oldestContactAgeSeconds,
} from '#adapters/connect/contact-centre.js';
import { BridgedConnectSender } from '#adapters/connect/sdk-connect-sender.js';

const connect = mockClient(ConnectClient);
const INSTANCE_ID = 'inst-1111';
const TASK_FLOW_ID = 'flow-task-2222';
/** Connect's CreateUser password pattern, from its API reference. */
const CONNECT_PASSWORD = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$/;

const METRICS_REQUESTED = [
  { Name: 'CONTACTS_IN_QUEUE', Unit: 'COUNT' },
  { Name: 'OLDEST_CONTACT_AGE', Unit: 'SECONDS' },
  { Name: 'AGENTS_ONLINE', Unit: 'COUNT' },
  { Name: 'AGENTS_AVAILABLE', Unit: 'COUNT' },
  { Name: 'AGENTS_ON_CONTACT', Unit: 'COUNT' },
];

type MetricResult = NonNullable<GetCurrentMetricDataResponse['MetricResults']>[number];
type Figures = { inQueue: number; oldest?: number; online: number; available: number; onContact: number };

/** One queue's row on one channel as Connect groups it by QUEUE and CHANNEL (OLDEST_CONTACT_AGE in seconds). */
const queueResult = (id: string, channel: 'VOICE' | 'CHAT' | 'TASK', figures: Figures): MetricResult => ({
  Dimensions: {
    Queue: { Id: id, Arn: `arn:aws:connect:eu-central-1:111122223333:instance/${INSTANCE_ID}/queue/${id}` },
    Channel: channel,
  },
  Collections: [
    { Metric: { Name: 'CONTACTS_IN_QUEUE', Unit: 'COUNT' }, Value: figures.inQueue },
    {
      Metric: { Name: 'OLDEST_CONTACT_AGE', Unit: 'SECONDS' },
      ...(figures.oldest === undefined ? {} : { Value: figures.oldest }),
    },
    { Metric: { Name: 'AGENTS_ONLINE', Unit: 'COUNT' }, Value: figures.online },
    { Metric: { Name: 'AGENTS_AVAILABLE', Unit: 'COUNT' }, Value: figures.available },
    { Metric: { Name: 'AGENTS_ON_CONTACT', Unit: 'COUNT' }, Value: figures.onContact },
  ],
});

/** What the adapter asks GetCurrentMetricData for these queues (without a NextToken: the first page). */
const metricsRequest = (queues: string[]) => ({
  InstanceId: INSTANCE_ID,
  Filters: { Queues: queues, Channels: ['VOICE', 'CHAT', 'TASK'] },
  Groupings: ['QUEUE', 'CHANNEL'],
  CurrentMetrics: METRICS_REQUESTED,
  MaxResults: 100,
});

/** A silent queue's answer: Connect returned no row for it. */
const silent = (queueId: string) => ({
  queueId,
  contactsInQueue: 0,
  oldestContactAgeSeconds: 0,
  agentsOnline: 0,
  agentsAvailable: 0,
  agentsOnContact: 0,
  channels: {},
});

const throttled = () =>
  new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });

const notFound = (what: string) =>
  new ResourceNotFoundException({ message: `${what} not found`, $metadata: { httpStatusCode: 404 } });

type QuickConnect = NonNullable<SearchQuickConnectsResponse['QuickConnects']>[number];

/** A quick connect as SearchQuickConnects returns it: to an agent (USER), or to a queue. */
const userQuickConnect = (id: string, userId: string): QuickConnect => ({
  QuickConnectId: id,
  QuickConnectARN: `arn:aws:connect:eu-central-1:111122223333:instance/${INSTANCE_ID}/transfer-destination/${id}`,
  Name: `transfer to ${userId}`,
  QuickConnectConfig: {
    QuickConnectType: 'USER',
    UserConfig: { UserId: userId, ContactFlowId: 'flow-transfer-to-agent' },
  },
});
const queueQuickConnect = (id: string): QuickConnect => ({
  QuickConnectId: id,
  Name: 'second line',
  QuickConnectConfig: {
    QuickConnectType: 'QUEUE',
    QueueConfig: { QueueId: 'q-second-line', ContactFlowId: 'flow-transfer-to-queue' },
  },
});

/** The names of the commands sent, in order. */
const sentCommands = () => connect.calls().map((call) => (call.args[0] as object).constructor.name);

describe('Connect contact centre', () => {
  let now: number;
  let slept: number[];
  let randomValue: number;

  const centre = (overrides: Partial<ConnectContactCentreOptions> = {}): ConnectContactCentre =>
    new ConnectContactCentre(BridgedConnectSender.over(new ConnectClient({ region: 'eu-central-1' })), {
      instanceId: INSTANCE_ID,
      taskContactFlowId: TASK_FLOW_ID,
      nowMs: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
      random: () => randomValue,
      ...overrides,
    });

  beforeEach(() => {
    connect.reset();
    // An instance without quick connects, unless a test says otherwise.
    connect.on(SearchQuickConnectsCommand).resolves({ QuickConnects: [] });
    now = 1_700_000_000_000;
    slept = [];
    randomValue = 0.5;
  });

  describe('getCurrentMetrics', () => {
    it('asks for every queue by queue and channel in one call, and tells the calls from a chat backlog', async () => {
      // Prepare: 40 chats waiting 400 s and 2 calls waiting 10 s in the primary queue; 12 agents take
      // calls and 8 of them chats too
      connect.on(GetCurrentMetricDataCommand).resolves({
        MetricResults: [
          queueResult('q-primary', 'CHAT', {
            inQueue: 40,
            oldest: 400,
            online: 8,
            available: 0,
            onContact: 8,
          }),
          queueResult('q-primary', 'VOICE', {
            inQueue: 2,
            oldest: 10,
            online: 12,
            available: 1,
            onContact: 10,
          }),
        ],
      });

      // Act
      const [primary] = await centre().getCurrentMetrics(['q-primary']);

      // Assess
      expect(connect.commandCalls(GetCurrentMetricDataCommand).map((c) => c.args[0].input)).toEqual([
        metricsRequest(['q-primary']),
      ]);
      expect(primary).toEqual({
        queueId: 'q-primary',
        // Contacts summed, the oldest the largest, each agent figure the largest on one channel
        contactsInQueue: 42,
        oldestContactAgeSeconds: 400,
        agentsOnline: 12,
        agentsAvailable: 1,
        agentsOnContact: 10,
        channels: {
          VOICE: {
            contactsInQueue: 2,
            oldestContactAgeSeconds: 10,
            agentsOnline: 12,
            agentsAvailable: 1,
            agentsOnContact: 10,
          },
          CHAT: {
            contactsInQueue: 40,
            oldestContactAgeSeconds: 400,
            agentsOnline: 8,
            agentsAvailable: 0,
            agentsOnContact: 8,
          },
        },
      });
    });

    it('answers in the order asked, each row in its own queue, zeros and no channel for a silent queue', async () => {
      // Prepare: rows in Connect's order, not the order asked; q-c has none
      connect.on(GetCurrentMetricDataCommand).resolves({
        MetricResults: [
          queueResult('q-b', 'TASK', { inQueue: 3, oldest: 900, online: 3, available: 3, onContact: 0 }),
          queueResult('q-a', 'VOICE', { inQueue: 7, oldest: 184, online: 12, available: 0, onContact: 12 }),
        ],
      });

      // Act
      const metrics = await centre().getCurrentMetrics(['q-a', 'q-b', 'q-c']);

      // Assess
      expect(connect.commandCalls(GetCurrentMetricDataCommand).map((c) => c.args[0].input)).toEqual([
        metricsRequest(['q-a', 'q-b', 'q-c']),
      ]);
      expect(metrics.map((m) => [m.queueId, Object.keys(m.channels), m.contactsInQueue])).toEqual([
        ['q-a', ['VOICE'], 7],
        ['q-b', ['TASK'], 3],
        ['q-c', [], 0],
      ]);
      expect(metrics[1]?.channels.TASK).toEqual({
        contactsInQueue: 3,
        oldestContactAgeSeconds: 900,
        agentsOnline: 3,
        agentsAvailable: 3,
        agentsOnContact: 0,
      });
      expect(metrics[2]).toEqual(silent('q-c'));
    });

    it('takes a channel row without an OLDEST_CONTACT_AGE value (nobody waiting) as 0 s', async () => {
      // Prepare
      connect.on(GetCurrentMetricDataCommand).resolves({
        MetricResults: [
          queueResult('q-a', 'VOICE', { inQueue: 0, online: 4, available: 4, onContact: 0 }),
          queueResult('q-a', 'CHAT', { inQueue: 1, oldest: 25, online: 2, available: 1, onContact: 1 }),
        ],
      });

      // Act
      const [queue] = await centre().getCurrentMetrics(['q-a']);

      // Assess
      expect(queue?.channels.VOICE?.oldestContactAgeSeconds).toBe(0);
      expect(queue).toMatchObject({ contactsInQueue: 1, oldestContactAgeSeconds: 25, agentsOnline: 4 });
    });

    it('asks for 100 queues in one call and reads their 300 rows from three pages', async () => {
      // Prepare: each queue a row per channel, VOICE's oldest the queue's number of seconds
      const ids = Array.from({ length: 100 }, (_, i) => `q-${i}`);
      const rows = ids.flatMap((id, i) =>
        (['VOICE', 'CHAT', 'TASK'] as const).map((channel, c) =>
          queueResult(id, channel, {
            inQueue: c + 1,
            oldest: i * (c + 1),
            online: 1,
            available: 0,
            onContact: 1,
          }),
        ),
      );
      connect
        .on(GetCurrentMetricDataCommand)
        .resolvesOnce({ MetricResults: rows.slice(0, 100), NextToken: 'page-2' })
        .resolvesOnce({ MetricResults: rows.slice(100, 200), NextToken: 'page-3' })
        .resolvesOnce({ MetricResults: rows.slice(200), NextToken: '' });

      // Act
      const metrics = await centre().getCurrentMetrics(ids);

      // Assess
      expect(connect.commandCalls(GetCurrentMetricDataCommand).map((c) => c.args[0].input)).toEqual([
        metricsRequest(ids),
        { ...metricsRequest(ids), NextToken: 'page-2' },
        { ...metricsRequest(ids), NextToken: 'page-3' },
      ]);
      expect(metrics.map((m) => m.queueId)).toEqual(ids);
      expect(metrics[99]).toMatchObject({
        contactsInQueue: 6,
        oldestContactAgeSeconds: 297,
        channels: {
          VOICE: { contactsInQueue: 1, oldestContactAgeSeconds: 99 },
          CHAT: { contactsInQueue: 2, oldestContactAgeSeconds: 198 },
          TASK: { contactsInQueue: 3, oldestContactAgeSeconds: 297 },
        },
      });
    });

    it("merges one queue's channels split over two pages", async () => {
      // Prepare
      connect
        .on(GetCurrentMetricDataCommand)
        .resolvesOnce({
          MetricResults: [
            queueResult('q-a', 'VOICE', { inQueue: 1, oldest: 30, online: 2, available: 1, onContact: 1 }),
          ],
          NextToken: 'page-2',
        })
        .resolvesOnce({
          MetricResults: [
            queueResult('q-a', 'CHAT', { inQueue: 4, oldest: 95, online: 5, available: 0, onContact: 5 }),
            queueResult('q-b', 'VOICE', { inQueue: 2, oldest: 12, online: 3, available: 0, onContact: 3 }),
          ],
        });

      // Act
      const metrics = await centre().getCurrentMetrics(['q-a', 'q-b']);

      // Assess
      const inputs = connect.commandCalls(GetCurrentMetricDataCommand).map((c) => c.args[0].input);
      expect(inputs).toEqual([
        metricsRequest(['q-a', 'q-b']),
        { ...metricsRequest(['q-a', 'q-b']), NextToken: 'page-2' },
      ]);
      expect(
        metrics.map((m) => [m.queueId, m.contactsInQueue, m.oldestContactAgeSeconds, m.agentsOnline]),
      ).toEqual([
        ['q-a', 5, 95, 5],
        ['q-b', 2, 12, 3],
      ]);
      expect(metrics[0]?.channels.VOICE).toMatchObject({ contactsInQueue: 1, oldestContactAgeSeconds: 30 });
      expect(metrics[0]?.channels.CHAT).toMatchObject({ contactsInQueue: 4, oldestContactAgeSeconds: 95 });
    });

    it('matches a queue asked by ARN, and asks for a repeated queue once', async () => {
      // Prepare
      const arn = `arn:aws:connect:eu-central-1:111122223333:instance/${INSTANCE_ID}/queue/q-a`;
      connect.on(GetCurrentMetricDataCommand).resolves({
        MetricResults: [
          queueResult('q-a', 'VOICE', { inQueue: 2, oldest: 12, online: 1, available: 0, onContact: 1 }),
          queueResult('q-a', 'CHAT', { inQueue: 3, oldest: 50, online: 1, available: 0, onContact: 1 }),
        ],
      });

      // Act
      const metrics = await centre().getCurrentMetrics([arn, arn]);

      // Assess
      expect(connect.commandCalls(GetCurrentMetricDataCommand)[0]?.args[0].input.Filters?.Queues).toEqual([
        arn,
      ]);
      expect(metrics.map((m) => [m.queueId, m.contactsInQueue, m.channels.VOICE?.contactsInQueue])).toEqual([
        [arn, 5, 2],
        [arn, 5, 2],
      ]);
    });

    it('answers every queue with zeros when Connect returns no row at all', async () => {
      // Prepare
      connect.on(GetCurrentMetricDataCommand).resolves({ MetricResults: [] });

      // Act
      const metrics = await centre().getCurrentMetrics(['q-a', 'q-b']);

      // Assess
      expect(metrics).toEqual([silent('q-a'), silent('q-b')]);
    });

    it('refuses more than 100 queues with a clear error, calling nothing', async () => {
      // Prepare
      const ids = Array.from({ length: 101 }, (_, i) => `q-${i}`);

      // Act
      const asking = centre().getCurrentMetrics(ids);

      // Assess
      await expect(asking).rejects.toThrow(
        'GetCurrentMetricData takes at most 100 queues in one call, got 101',
      );
      expect(connect.commandCalls(GetCurrentMetricDataCommand)).toHaveLength(0);
    });

    it('makes no call for no queues', async () => {
      // Act
      const metrics = await centre().getCurrentMetrics([]);

      // Assess
      expect(metrics).toEqual([]);
      expect(connect.commandCalls(GetCurrentMetricDataCommand)).toHaveLength(0);
    });
  });

  describe('OLDEST_CONTACT_AGE units', () => {
    it.each([
      // Without groupings Connect says SECONDS but sends milliseconds: 24113 is 24 s.
      [24_113, false, 24.113],
      // With groupings (what the adapter always asks for) the value is in seconds.
      [24, true, 24],
      [undefined, true, 0],
      [undefined, false, 0],
    ])('value %o with groupings=%o is %o s', (value, grouped, seconds) => {
      // Act
      const result = oldestContactAgeSeconds(value, grouped);

      // Assess
      expect(result).toBe(seconds);
    });
  });

  describe('startTask', () => {
    it('starts the task flow with the queue in an attribute and the idempotency token', async () => {
      // Prepare
      connect.on(StartTaskContactCommand).resolves({ ContactId: 'contact-1' });

      // Act
      const result = await centre().startTask({
        queueId: 'q-callback',
        name: 'Oddzwonienie: koszyk C-1',
        description: 'Klient zostawił koszyk; oferta gotowa.',
        attributes: { cartId: 'C-1', offer: 'RABAT10', peaklineQueueId: 'q-elsewhere' },
        clientToken: 'callback-C-1-2025-11-28',
      });

      // Assess
      expect(result).toEqual({ contactId: 'contact-1' });
      expect(connect.commandCalls(StartTaskContactCommand).map((c) => c.args[0].input)).toEqual([
        {
          InstanceId: INSTANCE_ID,
          ContactFlowId: TASK_FLOW_ID,
          Name: 'Oddzwonienie: koszyk C-1',
          Description: 'Klient zostawił koszyk; oferta gotowa.',
          Attributes: { cartId: 'C-1', offer: 'RABAT10', peaklineQueueId: 'q-callback' },
          ClientToken: 'callback-C-1-2025-11-28',
        },
      ]);
    });

    it("cuts name and description to Connect's limits without splitting a character", async () => {
      // Prepare
      connect.on(StartTaskContactCommand).resolves({ ContactId: 'contact-2' });

      // Act
      await centre().startTask({
        queueId: 'q-acc',
        name: 'N'.repeat(510) + '😀😀',
        description: 'D'.repeat(5000),
        attributes: {},
        clientToken: 'token-2',
      });

      // Assess
      const input = connect.commandCalls(StartTaskContactCommand)[0]?.args[0].input;
      expect(input?.Name).toBe(`${'N'.repeat(510)}…`);
      expect(input?.Description).toBe(`${'D'.repeat(4095)}…`);
    });
  });

  describe('startTask without a task flow', () => {
    it('refuses with a clear error and calls nothing', async () => {
      // Prepare
      const { taskContactFlowId: _flow, ...withoutFlow } = {
        instanceId: INSTANCE_ID,
        taskContactFlowId: TASK_FLOW_ID,
      };
      const contactCentre = new ConnectContactCentre(
        BridgedConnectSender.over(new ConnectClient({ region: 'eu-central-1' })),
        withoutFlow,
      );

      // Act
      const starting = contactCentre.startTask({
        queueId: 'q-callback',
        name: 'n',
        description: 'd',
        attributes: {},
        clientToken: 't',
      });

      // Assess
      await expect(starting).rejects.toThrow(/without a taskContactFlowId/);
      expect(connect.commandCalls(StartTaskContactCommand)).toHaveLength(0);
    });
  });

  describe('createUser', () => {
    const user = {
      username: 'anna.kowalska',
      firstName: 'Anna',
      lastName: 'Kowalska',
      email: 'anna.kowalska@example.com',
      routingProfileId: 'rp-voice',
      securityProfileIds: ['sp-agent'],
    };

    it('creates a soft-phone user with a strong generated password on a Connect-managed instance', async () => {
      // Prepare
      connect.on(CreateUserCommand).resolves({ UserId: 'user-1' });

      // Act
      const result = await centre().createUser(user);

      // Assess
      expect(result).toEqual({ userId: 'user-1' });
      expect(connect.commandCalls(CreateUserCommand).map((c) => c.args[0].input)).toEqual([
        {
          InstanceId: INSTANCE_ID,
          Username: 'anna.kowalska',
          Password: expect.stringMatching(CONNECT_PASSWORD),
          IdentityInfo: { FirstName: 'Anna', LastName: 'Kowalska', Email: 'anna.kowalska@example.com' },
          PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
          SecurityProfileIds: ['sp-agent'],
          RoutingProfileId: 'rp-voice',
        },
      ]);
    });

    it('sends no password to a SAML instance, and no email when there is none', async () => {
      // Prepare
      connect.on(CreateUserCommand).resolves({ UserId: 'user-2' });
      const { email: _email, ...withoutEmail } = user;

      // Act
      await centre({ identityManagement: 'SAML' }).createUser(withoutEmail);

      // Assess
      expect(connect.commandCalls(CreateUserCommand).map((c) => c.args[0].input)).toEqual([
        {
          InstanceId: INSTANCE_ID,
          Username: 'anna.kowalska',
          IdentityInfo: { FirstName: 'Anna', LastName: 'Kowalska' },
          PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
          SecurityProfileIds: ['sp-agent'],
          RoutingProfileId: 'rp-voice',
        },
      ]);
    });

    it('answers a taken username with the existing user, creating nothing twice', async () => {
      // Prepare
      connect.on(CreateUserCommand).rejects(
        new DuplicateResourceException({
          message: 'User already exists',
          $metadata: { httpStatusCode: 409 },
        }),
      );
      connect.on(SearchUsersCommand).resolves({
        Users: [
          { Id: 'user-other', Username: 'anna.kowalska2' },
          { Id: 'user-existing', Username: 'anna.kowalska' },
        ],
      });

      // Act
      const result = await centre().createUser(user);

      // Assess
      expect(result).toEqual({ userId: 'user-existing' });
      expect(connect.commandCalls(CreateUserCommand)).toHaveLength(1);
      expect(connect.commandCalls(SearchUsersCommand).map((c) => c.args[0].input)).toEqual([
        {
          InstanceId: INSTANCE_ID,
          SearchCriteria: {
            StringCondition: { FieldName: 'Username', Value: 'anna.kowalska', ComparisonType: 'EXACT' },
          },
          MaxResults: 100,
        },
      ]);
    });

    it('keeps the duplicate error when the taken username cannot be found', async () => {
      // Prepare
      const duplicate = new DuplicateResourceException({ message: 'User already exists', $metadata: {} });
      connect.on(CreateUserCommand).rejects(duplicate);
      connect.on(SearchUsersCommand).resolves({ Users: [] });

      // Act
      const creating = centre().createUser(user);

      // Assess
      await expect(creating).rejects.toBe(duplicate);
    });

    it('generates a different password that Connect accepts every time', () => {
      // Act
      const passwords = Array.from({ length: 200 }, () => generateConnectPassword());

      // Assess
      expect(new Set(passwords).size).toBe(200);
      for (const password of passwords) expect(password).toMatch(CONNECT_PASSWORD);
    });
  });

  describe('deleteUser', () => {
    it("deletes the user's quick connects, then the user", async () => {
      // Prepare
      connect.on(SearchQuickConnectsCommand).resolves({
        QuickConnects: [
          userQuickConnect('qc-anna', 'user-1'),
          userQuickConnect('qc-other', 'user-2'),
          queueQuickConnect('qc-queue'),
          userQuickConnect('qc-anna-2', 'user-1'),
        ],
      });
      connect.on(DeleteQuickConnectCommand).resolves({});
      connect.on(DeleteUserCommand).resolves({});

      // Act
      await centre().deleteUser('user-1');

      // Assess
      expect(connect.commandCalls(SearchQuickConnectsCommand).map((c) => c.args[0].input)).toEqual([
        { InstanceId: INSTANCE_ID, MaxResults: 100 },
      ]);
      expect(connect.commandCalls(DeleteQuickConnectCommand).map((c) => c.args[0].input)).toEqual([
        { InstanceId: INSTANCE_ID, QuickConnectId: 'qc-anna' },
        { InstanceId: INSTANCE_ID, QuickConnectId: 'qc-anna-2' },
      ]);
      expect(connect.commandCalls(DeleteUserCommand).map((c) => c.args[0].input)).toEqual([
        { InstanceId: INSTANCE_ID, UserId: 'user-1' },
      ]);
      expect(sentCommands()).toEqual([
        'SearchQuickConnectsCommand',
        'DeleteQuickConnectCommand',
        'DeleteQuickConnectCommand',
        'DeleteUserCommand',
      ]);
    });

    it('deletes a user without quick connects with one search and DeleteUser', async () => {
      // Prepare
      connect.on(SearchQuickConnectsCommand).resolves({
        QuickConnects: [userQuickConnect('qc-other', 'user-2'), queueQuickConnect('qc-queue')],
      });
      connect.on(DeleteUserCommand).resolves({});

      // Act
      await centre().deleteUser('user-1');

      // Assess
      expect(sentCommands()).toEqual(['SearchQuickConnectsCommand', 'DeleteUserCommand']);
      expect(connect.commandCalls(DeleteUserCommand).map((c) => c.args[0].input)).toEqual([
        { InstanceId: INSTANCE_ID, UserId: 'user-1' },
      ]);
    });

    it('reads every page of quick connects, finding the one on the last page', async () => {
      // Prepare
      connect
        .on(SearchQuickConnectsCommand)
        .resolvesOnce({ QuickConnects: [queueQuickConnect('qc-queue')], NextToken: 'page-2' })
        .resolvesOnce({ QuickConnects: [userQuickConnect('qc-other', 'user-2')], NextToken: 'page-3' })
        .resolvesOnce({ QuickConnects: [userQuickConnect('qc-anna', 'user-1')] });
      connect.on(DeleteQuickConnectCommand).resolves({});
      connect.on(DeleteUserCommand).resolves({});

      // Act
      await centre().deleteUser('user-1');

      // Assess
      expect(connect.commandCalls(SearchQuickConnectsCommand).map((c) => c.args[0].input)).toEqual([
        { InstanceId: INSTANCE_ID, MaxResults: 100 },
        { InstanceId: INSTANCE_ID, MaxResults: 100, NextToken: 'page-2' },
        { InstanceId: INSTANCE_ID, MaxResults: 100, NextToken: 'page-3' },
      ]);
      expect(connect.commandCalls(DeleteQuickConnectCommand).map((c) => c.args[0].input)).toEqual([
        { InstanceId: INSTANCE_ID, QuickConnectId: 'qc-anna' },
      ]);
      expect(connect.commandCalls(DeleteUserCommand)).toHaveLength(1);
    });

    it('waits out throttling on the search and both deletes, then succeeds', async () => {
      // Prepare
      connect
        .on(SearchQuickConnectsCommand)
        .rejectsOnce(throttled())
        .resolves({ QuickConnects: [userQuickConnect('qc-anna', 'user-1')] });
      connect.on(DeleteQuickConnectCommand).rejectsOnce(throttled()).resolves({});
      connect.on(DeleteUserCommand).rejectsOnce(throttled()).resolves({});

      // Act
      await centre({ callsPerSecond: 1000 }).deleteUser('user-1');

      // Assess: each call tried twice, with a jittered backoff (0.5 of 500 ms) before each second try.
      expect(sentCommands()).toEqual([
        'SearchQuickConnectsCommand',
        'SearchQuickConnectsCommand',
        'DeleteQuickConnectCommand',
        'DeleteQuickConnectCommand',
        'DeleteUserCommand',
        'DeleteUserCommand',
      ]);
      expect(slept.filter((ms) => ms === 250)).toHaveLength(3);
    });

    it('counts a quick connect already gone as deleted, and goes on to the user', async () => {
      // Prepare
      connect
        .on(SearchQuickConnectsCommand)
        .resolves({ QuickConnects: [userQuickConnect('qc-anna', 'user-1')] });
      connect.on(DeleteQuickConnectCommand).rejects(notFound('Quick connect'));
      connect.on(DeleteUserCommand).resolves({});

      // Act
      const deleting = centre().deleteUser('user-1');

      // Assess
      await expect(deleting).resolves.toBeUndefined();
      expect(connect.commandCalls(DeleteUserCommand)).toHaveLength(1);
    });

    it('keeps the user when a quick connect cannot be deleted, so the revocation is tried again', async () => {
      // Prepare
      const denied = new InvalidParameterException({ message: 'Bad quick connect', $metadata: {} });
      connect
        .on(SearchQuickConnectsCommand)
        .resolves({ QuickConnects: [userQuickConnect('qc-anna', 'user-1')] });
      connect.on(DeleteQuickConnectCommand).rejects(denied);

      // Act
      const deleting = centre().deleteUser('user-1');

      // Assess
      await expect(deleting).rejects.toBe(denied);
      expect(connect.commandCalls(DeleteUserCommand)).toHaveLength(0);
    });

    it('counts a user already gone as deleted', async () => {
      // Prepare
      connect.on(DeleteUserCommand).rejects(notFound('User'));

      // Act
      const deleting = centre().deleteUser('user-gone');

      // Assess
      await expect(deleting).resolves.toBeUndefined();
      expect(connect.commandCalls(DeleteUserCommand)).toHaveLength(1);
    });
  });

  describe("with the stage's peakline:managed tag", () => {
    const tag = { key: 'peakline:managed', value: 'prod' };
    const user = {
      username: 'anna.kowalska',
      firstName: 'Anna',
      lastName: 'Kowalska',
      email: 'anna.kowalska@example.com',
      routingProfileId: 'rp-voice',
      securityProfileIds: ['sp-agent'],
    };

    it('tags every user it creates as the stage’s', async () => {
      // Prepare
      connect.on(CreateUserCommand).resolves({ UserId: 'user-1' });

      // Act
      await centre({ managedUserTag: tag }).createUser(user);

      // Assess
      expect(connect.commandCalls(CreateUserCommand).map((c) => c.args[0].input)).toEqual([
        {
          InstanceId: INSTANCE_ID,
          Username: 'anna.kowalska',
          Password: expect.stringMatching(CONNECT_PASSWORD),
          IdentityInfo: { FirstName: 'Anna', LastName: 'Kowalska', Email: 'anna.kowalska@example.com' },
          PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
          SecurityProfileIds: ['sp-agent'],
          RoutingProfileId: 'rp-voice',
          Tags: { 'peakline:managed': 'prod' },
        },
      ]);
    });

    it('reads the user’s tags, then deletes its quick connects and the user', async () => {
      // Prepare
      connect
        .on(DescribeUserCommand)
        .resolves({ User: { Id: 'user-1', Tags: { 'peakline:managed': 'prod' } } });
      connect
        .on(SearchQuickConnectsCommand)
        .resolves({ QuickConnects: [userQuickConnect('qc-anna', 'user-1')] });
      connect.on(DeleteQuickConnectCommand).resolves({});
      connect.on(DeleteUserCommand).resolves({});

      // Act
      await centre({ managedUserTag: tag }).deleteUser('user-1');

      // Assess
      expect(connect.commandCalls(DescribeUserCommand).map((c) => c.args[0].input)).toEqual([
        { InstanceId: INSTANCE_ID, UserId: 'user-1' },
      ]);
      expect(sentCommands()).toEqual([
        'DescribeUserCommand',
        'SearchQuickConnectsCommand',
        'DeleteQuickConnectCommand',
        'DeleteUserCommand',
      ]);
    });

    it.each([
      ['untagged', {}],
      ['tagged for another stage', { 'peakline:managed': 'dev' }],
    ])(
      'refuses a user %s with AccessDeniedException, deleting neither its quick connects nor it',
      async (_, tags) => {
        // Prepare
        connect.on(DescribeUserCommand).resolves({ User: { Id: 'user-1', Tags: tags } });
        connect
          .on(SearchQuickConnectsCommand)
          .resolves({ QuickConnects: [userQuickConnect('qc-anna', 'user-1')] });

        // Act
        const error = await centre({ managedUserTag: tag })
          .deleteUser('user-1')
          .catch((e: unknown) => e as Error);

        // Assess
        expect(error).toMatchObject({
          name: 'AccessDeniedException',
          message: expect.stringContaining('not tagged peakline:managed=prod'),
        });
        expect(sentCommands()).toEqual(['DescribeUserCommand']);
      },
    );

    it('counts a user already gone as deleted, calling nothing more', async () => {
      // Prepare
      connect
        .on(DescribeUserCommand)
        .rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));

      // Act
      await centre({ managedUserTag: tag }).deleteUser('user-1');

      // Assess
      expect(sentCommands()).toEqual(['DescribeUserCommand']);
    });
  });

  describe('updateUserRoutingProfile', () => {
    it('moves the user to another routing profile', async () => {
      // Prepare
      connect.on(UpdateUserRoutingProfileCommand).resolves({});

      // Act
      await centre().updateUserRoutingProfile('user-1', 'rp-chat-4');

      // Assess
      expect(connect.commandCalls(UpdateUserRoutingProfileCommand).map((c) => c.args[0].input)).toEqual([
        { InstanceId: INSTANCE_ID, UserId: 'user-1', RoutingProfileId: 'rp-chat-4' },
      ]);
    });
  });

  describe('throttling and pacing', () => {
    it('retries throttling with growing, jittered pauses until it succeeds', async () => {
      // Prepare: a pacing so fast that only the backoff pauses show.
      connect
        .on(UpdateUserRoutingProfileCommand)
        .rejectsOnce(throttled())
        .rejectsOnce(new TooManyRequestsException({ message: 'Too many requests', $metadata: {} }))
        .resolves({});

      // Act
      await centre({ callsPerSecond: 1000 }).updateUserRoutingProfile('user-1', 'rp-2');

      // Assess: full jitter at 0.5 of ceilings 500 ms and 1000 ms.
      expect(connect.commandCalls(UpdateUserRoutingProfileCommand)).toHaveLength(3);
      expect(slept).toEqual([250, 500]);
    });

    it('doubles the pause ceiling on each try up to its cap', async () => {
      // Prepare
      randomValue = 0.999;
      connect.on(UpdateUserRoutingProfileCommand).rejects(throttled());

      // Act
      const updating = centre({ callsPerSecond: 1000, maxAttempts: 8 }).updateUserRoutingProfile(
        'user-1',
        'rp-2',
      );

      // Assess
      await expect(updating).rejects.toThrow(ThrottlingException);
      expect(slept).toEqual([499, 999, 1998, 3996, 7992, 15984, 19980]);
    });

    it('gives up after maxAttempts with the last error', async () => {
      // Prepare
      const last = throttled();
      connect.on(StartTaskContactCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).rejects(last);

      // Act
      const starting = centre({ maxAttempts: 3 }).startTask({
        queueId: 'q',
        name: 'n',
        description: 'd',
        attributes: {},
        clientToken: 't',
      });

      // Assess
      await expect(starting).rejects.toBe(last);
      expect(connect.commandCalls(StartTaskContactCommand)).toHaveLength(3);
    });

    it('retries a rate LimitExceededException but not a quota one', async () => {
      // Prepare
      connect
        .on(DeleteUserCommand)
        .rejectsOnce(new LimitExceededException({ message: 'Rate exceeded', $metadata: {} }))
        .resolves({});
      const quota = new LimitExceededException({
        message: 'The allowed limit for the resource has been exceeded.',
        $metadata: {},
      });
      connect.on(CreateUserCommand).rejects(quota);

      // Act
      await centre().deleteUser('user-1');
      const creating = centre().createUser({
        username: 'u',
        firstName: 'F',
        lastName: 'L',
        routingProfileId: 'rp',
        securityProfileIds: ['sp'],
      });

      // Assess
      expect(connect.commandCalls(DeleteUserCommand)).toHaveLength(2);
      await expect(creating).rejects.toBe(quota);
      expect(connect.commandCalls(CreateUserCommand)).toHaveLength(1);
    });

    it('lets any other error through at once, unchanged', async () => {
      // Prepare
      const invalid = new InvalidParameterException({ message: 'Bad routing profile', $metadata: {} });
      connect.on(UpdateUserRoutingProfileCommand).rejects(invalid);

      // Act
      const updating = centre().updateUserRoutingProfile('user-1', 'nope');

      // Assess
      await expect(updating).rejects.toBe(invalid);
      expect(connect.commandCalls(UpdateUserRoutingProfileCommand)).toHaveLength(1);
      expect(slept).toEqual([]);
    });

    it('spaces calls 500 ms apart at 2 calls a second, across methods and pages', async () => {
      // Prepare
      const calledAt: [string, number][] = [];
      const start = now;
      const record = (name: string) => () => {
        calledAt.push([name, now - start]);
        return {};
      };
      connect.on(SearchQuickConnectsCommand).callsFake(record('search'));
      connect.on(DeleteUserCommand).callsFake(record('delete'));
      connect.on(UpdateUserRoutingProfileCommand).callsFake(record('update'));
      const contactCentre = centre();

      // Act
      await contactCentre.deleteUser('u-1');
      await contactCentre.updateUserRoutingProfile('u-2', 'rp');
      now += 2000; // a quiet spell: the next call need not wait
      await contactCentre.deleteUser('u-3');

      // Assess
      expect(calledAt).toEqual([
        ['search', 0],
        ['delete', 500],
        ['update', 1000],
        ['search', 3000],
        ['delete', 3500],
      ]);
      expect(slept).toEqual([500, 500, 500]);
    });

    it('spreads calls started together over their slots', async () => {
      // Prepare
      connect.on(UpdateUserRoutingProfileCommand).resolves({});
      // The clock stands still while they wait, as it does for calls that start in the same instant.
      const contactCentre = centre({
        sleep: async (ms) => {
          slept.push(ms);
        },
      });

      // Act
      await Promise.all(
        ['u-1', 'u-2', 'u-3', 'u-4'].map((id) => contactCentre.updateUserRoutingProfile(id, 'rp')),
      );

      // Assess: each booked the next free slot before waiting for it.
      expect(slept).toEqual([500, 1000, 1500]);
      expect(connect.commandCalls(UpdateUserRoutingProfileCommand)).toHaveLength(4);
    });

    it('paces each retry too', async () => {
      // Prepare: the backoff pause (0.5 × 500 ms) ends before the next 2/s slot.
      connect.on(UpdateUserRoutingProfileCommand).rejectsOnce(throttled()).resolves({});

      // Act
      await centre().updateUserRoutingProfile('user-1', 'rp-2');

      // Assess: 250 ms of backoff, then 250 ms more to reach the slot 500 ms after the first call.
      expect(slept).toEqual([250, 250]);
    });
  });
});
