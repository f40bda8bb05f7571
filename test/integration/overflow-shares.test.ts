/**
 * The shares (issue 13) on DynamoDB Local: on every sample the overflow controller stores, with a queue's
 * state, the share of callers the router sends to the second line (`secondLineShare`) and, in DEFLECT, the
 * share offered the menu (`deflectShare`); the router (the Lambda's own wiring) draws each caller against
 * them. And the promise under faults: a share that is no share, a controller that stopped confirming, a
 * failed announcement or two overlapping runs never send a caller to the second line on a doubt.
 *
 * The figures are worked out by hand from expected-wait.ts with the stage's wait model (300 s a call,
 * 180 s patience): with N agents on the channel and n callers ahead, a new caller waits
 * Σ_{k=0}^{n} 1 / (N/300 + k/180). With N = 5 that is 180 · Σ_{k=0}^{n} 1 / (3 + k):
 *   1 waiting: 180 · (1/3 + 1/4) = 105 s;  2: 180 · (1/3 + 1/4 + 1/5) = 141 s;  3: 141 + 180/6 = 171 s;
 *   none waiting, 5 on calls: 180/3 = 60 s;  none waiting and an agent free: 0 s.
 * The second line's share is min(maxShare 0.5, its share of the agents on calls, (P − S − 60) / P), with P
 * and S the primary queue's and the second line's waits and a margin of 60 s.
 *
 * Each test has a routing table of its own: the router reads the `primary` queue's item, by that key.
 * The router's `random` is Math.random, spied on before the router is built: caller i (0 to 9) draws
 * (i + 0.5) / 10 every time it draws, so that a share s sends the callers whose draw is below s.
 */
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '#adapters/dynamodb/document-client.js';
import type { LeanDocumentClient } from '#adapters/dynamodb/lean-document-client.js';
import { afterAll, afterEach, describe, expect, inject, it, vi } from 'vitest';
import { DynamoRoutingStateStore } from '#adapters/dynamodb/routing-state.js';
import { TABLES, toCreateTableInput } from '#adapters/dynamodb/tables.js';
import type { ChannelMetrics, EventPublisher, QueueMetrics } from '#core/ports.js';
import {
  type ControllerDeps,
  type ControllerSettings,
  takeSample,
  type WatchedQueue,
} from '#core/routing/controller.js';
import type { Thresholds } from '#core/routing/hysteresis.js';
import type { RouteDecision } from '#core/routing/router.js';
import type { RoutingStateStore } from '#core/routing/store.js';
import type { OverflowRouterEnvironment } from '#functions/overflow-router/environment.js';
import { overflowRouter, routerDynamoDb } from '#functions/overflow-router/wiring.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import { localDocumentClient } from '#test/support/dynamodb.js';
import { barrier } from '#test/support/barrier.js';

const INSTANCE = 'arn:aws:connect:eu-central-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
const PRIMARY_QUEUE_ID = 'aaaaaaaa-0000-0000-0000-000000000001';
const PRIMARY = `${INSTANCE}/queue/${PRIMARY_QUEUE_ID}`;
const SECOND_LINE = `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000002`;
const PRIMARY_ANSWER = { mode: 'NORMAL', queueArn: PRIMARY, queueKey: 'primary' };
const T0 = Date.UTC(2026, 10, 27, 19);
const MAX_AGE_SECONDS = 45;
const CALLERS = 10;

const admin = new DynamoDBClient({
  endpoint: inject('dynamodbEndpoint'),
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
});
/** The controller's client is the Lambda's shared one (shared-document-client.ts), on DynamoDB Local. */
const documents: LeanDocumentClient = localDocumentClient();
/** The router's is the router function's own. */
const routerClient = routerDynamoDb({
  endpoint: inject('dynamodbEndpoint'),
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
});

afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => {
  admin.destroy();
  documents.destroy();
  routerClient.destroy();
});

const RUN = Date.now().toString(36);
let tables = 0;

/** A routing table for one test, created from the DataStack's definition. */
const freshTable = async (): Promise<string> => {
  const name = `peakline-it-shares-${RUN}-${tables++}-routing`;
  await admin.send(new CreateTableCommand(toCreateTableInput(TABLES.routing, name)));
  return name;
};

const PRIMARY_WATCHED: WatchedQueue = {
  key: 'primary',
  metricsId: PRIMARY,
  queueId: PRIMARY_QUEUE_ID,
  channel: 'VOICE',
  signal: 'expected-wait',
};

/** Samples one at a time decide (no dwell): T_enter 120 s, T_exit 60 s, T_deflect 300 s. */
const THRESHOLDS: Thresholds = {
  enterWaitSeconds: 120,
  enterSamples: 1,
  exitWaitSeconds: 60,
  exitSamples: 1,
  deflectWaitSeconds: 300,
};

const settings = (thresholds: Thresholds = THRESHOLDS): ControllerSettings => ({
  queues: [PRIMARY_WATCHED],
  thresholds,
  stateMaxAgeSeconds: MAX_AGE_SECONDS,
  waitModel: { handlingSeconds: 300, patienceSeconds: 180 },
  secondLine: { metricsId: SECOND_LINE, marginSeconds: 60, maxShare: 0.5 },
});

/** One queue's calls: callers waiting, agents free, agents on calls (every agent logged in is one of them). */
interface Calls {
  readonly waiting: number;
  readonly free: number;
  readonly onCalls: number;
}

const voice = ({ waiting, free, onCalls }: Calls): ChannelMetrics => ({
  contactsInQueue: waiting,
  oldestContactAgeSeconds: waiting > 0 ? 95 : 0,
  agentsOnline: free + onCalls,
  agentsAvailable: free,
  agentsOnContact: onCalls,
});

/**
 * A chat backlog on the primary queue beside its calls: judged on the queue's totals (15 waiting, 5
 * agents), a new caller would wait far longer than on its calls alone, and every share below would differ.
 */
const CHATS: ChannelMetrics = {
  contactsInQueue: 12,
  oldestContactAgeSeconds: 400,
  agentsOnline: 3,
  agentsAvailable: 0,
  agentsOnContact: 3,
};

/** A queue's figures as GetCurrentMetricData reports them grouped by queue and channel, with its totals. */
const queueMetrics = (queueId: string, calls: ChannelMetrics, chats?: ChannelMetrics): QueueMetrics => {
  const channels = [calls, ...(chats === undefined ? [] : [chats])];
  const most = (figure: keyof ChannelMetrics) => Math.max(...channels.map((c) => c[figure]));
  return {
    queueId,
    contactsInQueue: channels.reduce((sum, c) => sum + c.contactsInQueue, 0),
    oldestContactAgeSeconds: most('oldestContactAgeSeconds'),
    agentsOnline: most('agentsOnline'),
    agentsAvailable: most('agentsAvailable'),
    agentsOnContact: most('agentsOnContact'),
    channels: { VOICE: calls, ...(chats === undefined ? {} : { CHAT: chats }) },
  };
};

interface Sample {
  readonly primary: Calls;
  readonly secondLine: Calls;
}

/** One controller run's ports at `at`: Connect reporting `sample`, the routing table `table`. */
const controllerAt = (
  table: string,
  at: number,
  sample: Sample,
  options: { store?: RoutingStateStore; publish?: EventPublisher['publish'] } = {},
): ControllerDeps => ({
  contactCentre: {
    getCurrentMetrics: async (ids: readonly string[]): Promise<QueueMetrics[]> =>
      ids.map((id) => {
        if (id === PRIMARY) return queueMetrics(id, voice(sample.primary), CHATS);
        if (id === SECOND_LINE) return queueMetrics(id, voice(sample.secondLine));
        throw new Error(`no such queue in this test: ${id}`);
      }),
  },
  store: options.store ?? new DynamoRoutingStateStore(documents, table),
  events: { publish: options.publish ?? (async () => undefined) },
  ops: { notify: async () => undefined },
  clock: { now: () => new Date(at) },
});

/**
 * The primary queue's calls at 171 s (3 waiting, 5 on calls) and the second line's at 60 s (5 on calls,
 * nobody waiting): the advantage decides, (171 − 60 − 60) / 171 = 51/171 ≈ 0.298, below the maximum 0.5
 * and the second line's share of the agents on calls (5 of 5). The menu's share: (171 − 120) / 180 = 0.283.
 */
const ADVANTAGE_DECIDES: Sample = {
  primary: { waiting: 3, free: 0, onCalls: 5 },
  secondLine: { waiting: 0, free: 0, onCalls: 5 },
};
/**
 * The primary queue's calls at 141 s (2 waiting, 5 on calls), the second line with 5 agents free (0 s):
 * (141 − 0 − 60) / 141 ≈ 0.574, held to the maximum share, 0.5.
 */
const MAX_SHARE_DECIDES: Sample = {
  primary: { waiting: 2, free: 0, onCalls: 5 },
  secondLine: { waiting: 0, free: 5, onCalls: 0 },
};
/**
 * The same primary queue (141 s), the second line with only 2 agents free (0 s): its share of the agents
 * on calls decides, 2 / max(5, 2) = 0.4.
 */
const CAPACITY_DECIDES: Sample = {
  primary: { waiting: 2, free: 0, onCalls: 5 },
  secondLine: { waiting: 0, free: 2, onCalls: 0 },
};

/** The router function's environment on `table`. */
const routerEnv = (table: string): OverflowRouterEnvironment => ({
  ROUTING_TABLE_NAME: table,
  ROUTER_CACHE_SECONDS: 5,
  QUEUE_ARN_PRIMARY: PRIMARY,
  QUEUE_ARN_SECOND_LINE: SECOND_LINE,
});

/**
 * Ten callers through a new router (the Lambda's wiring) at `nowMs`; caller i draws (i + 0.5) / 10
 * however many draws the router takes for it.
 */
const routeCallers = async (table: string, nowMs: number): Promise<RouteDecision[]> => {
  let caller = 0;
  vi.spyOn(Math, 'random').mockImplementation(() => (caller + 0.5) / CALLERS);
  const router = overflowRouter(routerEnv(table), routerClient, () => nowMs);
  const decisions: RouteDecision[] = [];
  for (caller = 0; caller < CALLERS; caller += 1) decisions.push(await router.route('primary'));
  return decisions;
};

const queueKeys = (decisions: readonly RouteDecision[]) => decisions.map((d) => d.answer.queueKey);
const toSecondLine = (decisions: readonly RouteDecision[]) =>
  decisions.filter((d) => d.answer.queueKey === 'secondLine').length;

/** The primary queue's state item as stored. */
const storedItem = async (table: string) =>
  (
    await documents.send(
      new GetCommand({ TableName: table, Key: { pk: 'queue#primary', sk: 'STATE' }, ConsistentRead: true }),
    )
  ).Item;

describe('second-line and menu shares: the controller stores them, the router draws against them', () => {
  it('OVERFLOW: the share set from both queues’ voice waits is stored, and sends 3 of 10 callers to the second line', async () => {
    // Prepare
    const table = await freshTable();

    // Act
    const result = await takeSample(controllerAt(table, T0, ADVANTAGE_DECIDES), settings());
    const decisions = await routeCallers(table, T0 + 5_000);

    // Assess: draws 0.05, 0.15 and 0.25 are below 51/171 ≈ 0.298
    expect(result.outcomes.primary).toBe('changed');
    expect(await storedItem(table)).toMatchObject({
      state: 'OVERFLOW',
      secondLineShare: expect.closeTo(51 / 171, 12),
      deflectShare: 0.283,
    });
    expect(queueKeys(decisions)).toEqual([
      ...Array<string>(3).fill('secondLine'),
      ...Array<string>(7).fill('primary'),
    ]);
    // and the menu already goes to the deflection share (0.283) in OVERFLOW: the same three draws
    expect(decisions.map((d) => d.answer.mode)).toEqual([
      ...Array<string>(3).fill('DEFLECT'),
      ...Array<string>(7).fill('OVERFLOW'),
    ]);
    expect(decisions.every((d) => d.fallback === undefined)).toBe(true);
  });

  it('DEFLECT: the menu is offered to 7 of 10 callers (share 0.75) and 4 go to the second line (share 3/7)', async () => {
    // Prepare: T_enter 60 s, T_exit 30 s, T_deflect 120 s; the second line has 1 agent free and 4 on calls
    const thresholds: Thresholds = {
      enterWaitSeconds: 60,
      enterSamples: 1,
      exitWaitSeconds: 30,
      exitSamples: 2,
      deflectWaitSeconds: 120,
    };
    const table = await freshTable();
    const secondLine: Calls = { waiting: 0, free: 1, onCalls: 4 };
    // 141 s is above T_deflect: DEFLECT.
    await takeSample(
      controllerAt(table, T0, { primary: { waiting: 2, free: 0, onCalls: 5 }, secondLine }),
      settings(thresholds),
    );

    // Act: the wait falls to 105 s, inside DEFLECT's band: the menu's share (105 − 60) / (120 − 60) = 0.75,
    // the second line's (105 − 0 − 60) / 105 = 3/7 ≈ 0.429 (below 0.5 and 5 of 5 agents)
    await takeSample(
      controllerAt(table, T0 + 15_000, { primary: { waiting: 1, free: 0, onCalls: 5 }, secondLine }),
      settings(thresholds),
    );
    const decisions = await routeCallers(table, T0 + 20_000);

    // Assess: draws 0.05 to 0.35 are below 3/7, draws 0.05 to 0.65 below 0.75
    expect(await storedItem(table)).toMatchObject({
      state: 'DEFLECT',
      secondLineShare: expect.closeTo(3 / 7, 12),
      deflectShare: 0.75,
    });
    expect(decisions.map((d) => [d.answer.mode, d.answer.queueKey])).toEqual([
      ...Array.from({ length: 4 }, () => ['DEFLECT', 'secondLine']),
      ...Array.from({ length: 3 }, () => ['DEFLECT', 'primary']),
      ...Array.from({ length: 3 }, () => ['OVERFLOW', 'primary']),
    ]);
  });

  it('the state item carries secondLineShare and deflectShare as numbers, and nothing else new', async () => {
    // Prepare: 141 s on the primary queue's calls, a second line with 2 agents free (share 0.4); the
    // menu's share (141 − 120) / 180 = 0.1167, stored to three places
    const table = await freshTable();
    await takeSample(controllerAt(table, T0, CAPACITY_DECIDES), settings());

    // Act
    const { Item } = await admin.send(
      new GetItemCommand({
        TableName: table,
        Key: { pk: { S: 'queue#primary' }, sk: { S: 'STATE' } },
        ConsistentRead: true,
      }),
    );

    // Assess
    const at = new Date(T0).toISOString();
    expect(Item).toEqual({
      pk: { S: 'queue#primary' },
      sk: { S: 'STATE' },
      state: { S: 'OVERFLOW' },
      aboveEnter: { N: '1' },
      aboveDeflect: { N: '0' },
      belowEnter: { N: '0' },
      belowExit: { N: '0' },
      version: { N: '1' },
      updatedAt: { S: at },
      since: { S: at },
      lastWaitSeconds: { N: '141' },
      maxAgeSeconds: { N: String(MAX_AGE_SECONDS) },
      secondLineShare: { N: '0.4' },
      deflectShare: { N: '0.117' },
    });
  });
});

describe('primary queue on any doubt: faults around the shares', () => {
  it.each([
    ['a string', '0.5'],
    ['7', 7],
    ['-1', -1],
  ])('a share written by hand as %s sends no caller to the second line', async (_what, share) => {
    // Prepare: the controller's OVERFLOW with its share of 0.5, then the share edited by hand
    const table = await freshTable();
    await takeSample(controllerAt(table, T0, MAX_SHARE_DECIDES), settings());
    await documents.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: 'queue#primary', sk: 'STATE' },
        UpdateExpression: 'SET secondLineShare = :share',
        ExpressionAttributeValues: { ':share': share },
      }),
    );

    // Act
    const decisions = await routeCallers(table, T0 + 5_000);

    // Assess
    expect(queueKeys(decisions)).toEqual(Array<string>(CALLERS).fill('primary'));
  });

  it('the controller stops sampling with a share of 0.5 stored: from its maximum age on, every caller goes to the primary queue, NORMAL', async () => {
    // Prepare: one sample puts the queue in OVERFLOW with a share of 0.5, and no other sample follows
    const table = await freshTable();
    await takeSample(controllerAt(table, T0, MAX_SHARE_DECIDES), settings());

    // Act: callers a second before the state's maximum age, and at it
    const fresh = await routeCallers(table, T0 + (MAX_AGE_SECONDS - 1) * 1000);
    const stale = await routeCallers(table, T0 + MAX_AGE_SECONDS * 1000);

    // Assess: the share is still stored; the readers no longer take the state it came with
    expect(await storedItem(table)).toMatchObject({ state: 'OVERFLOW', secondLineShare: 0.5 });
    expect(toSecondLine(fresh)).toBe(5);
    expect(stale.map((d) => [d.answer, d.fallback])).toEqual(
      Array.from({ length: CALLERS }, () => [PRIMARY_ANSWER, 'state-stale']),
    );
  });

  it('an item written before shares (confirmed OVERFLOW, no share attributes) sends every caller to the second line: no share is a state forced by hand', async () => {
    // Prepare: the item as the controller wrote it before issue 13, confirmed a second before the callers
    const table = await freshTable();
    const at = new Date(T0).toISOString();
    await documents.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: 'queue#primary',
          sk: 'STATE',
          state: 'OVERFLOW',
          aboveEnter: 2,
          aboveDeflect: 0,
          belowEnter: 0,
          belowExit: 0,
          version: 7,
          updatedAt: at,
          since: at,
          lastWaitSeconds: 150,
          maxAgeSeconds: MAX_AGE_SECONDS,
        },
      }),
    );

    // Act
    const decisions = await routeCallers(table, T0 + 1_000);

    // Assess
    expect(decisions.map((d) => d.answer)).toEqual(
      Array.from({ length: CALLERS }, () => ({
        mode: 'OVERFLOW',
        queueArn: SECOND_LINE,
        queueKey: 'secondLine',
      })),
    );
  });

  it('the bus refusing the announcement after the state write leaves the share written, and the next sample replaces it', async () => {
    // Prepare: the change to OVERFLOW (share 0.5) is written, then its announcement refused
    const table = await freshTable();
    const refusing = async () => {
      throw new Error('EventBridge: injected failure');
    };
    const first = await takeSample(
      controllerAt(table, T0, MAX_SHARE_DECIDES, { publish: refusing }),
      settings(),
    );
    const shareAfterCrash = (await storedItem(table))?.secondLineShare;

    // Act: the next sample finds the second line with 2 agents free (share 0.4)
    const next = await takeSample(controllerAt(table, T0 + 15_000, CAPACITY_DECIDES), settings());
    const decisions = await routeCallers(table, T0 + 20_000);

    // Assess: draws 0.05 to 0.35 are below 0.4
    expect(first.changes).toEqual([expect.objectContaining({ to: 'OVERFLOW', announced: false })]);
    expect(shareAfterCrash).toBe(0.5);
    expect(next.outcomes.primary).toBe('applied');
    expect(await storedItem(table)).toMatchObject({ state: 'OVERFLOW', secondLineShare: 0.4, version: 2 });
    expect(toSecondLine(decisions)).toBe(4);
  });

  describe('two controller runs overlapping: the stored share is the later sample’s', () => {
    /**
     * An early run (sample at T0, share 0.5) and a late one (a second later, share 0.4) both read the
     * queue before either writes; `firstToWrite` writes first, the other after it.
     */
    const overlappingRuns = async (table: string, firstToWrite: 'early' | 'late') => {
      const bothRead = barrier(2);
      let firstWritten: () => void = () => undefined;
      const firstWrite = new Promise<void>((resolve) => {
        firstWritten = resolve;
      });
      const store = new DynamoRoutingStateStore(documents, table);
      let reads = 0;
      const racing = (role: 'early' | 'late'): RoutingStateStore => ({
        read: async (keys) => {
          const found = await store.read(keys);
          reads += 1;
          if (reads <= 2) await bothRead();
          return found;
        },
        write: async (key, expected, memory, change) => {
          if (role !== firstToWrite) await firstWrite;
          const ok = await store.write(key, expected, memory, change);
          if (role === firstToWrite) firstWritten();
          return ok;
        },
      });
      const [early, late] = await Promise.all([
        takeSample(controllerAt(table, T0, MAX_SHARE_DECIDES, { store: racing('early') }), settings()),
        takeSample(controllerAt(table, T0 + 1_000, CAPACITY_DECIDES, { store: racing('late') }), settings()),
      ]);
      return { early: early.outcomes.primary, late: late.outcomes.primary };
    };

    it('the earlier sample written first: the later one re-reads and replaces its share', async () => {
      // Prepare
      const table = await freshTable();

      // Act
      const outcomes = await overlappingRuns(table, 'early');
      const decisions = await routeCallers(table, T0 + 5_000);

      // Assess
      expect(outcomes).toEqual({ early: 'changed', late: 'applied' });
      expect(await storedItem(table)).toMatchObject({ secondLineShare: 0.4, version: 2 });
      expect(toSecondLine(decisions)).toBe(4);
    });

    it('the later sample written first: the earlier one is skipped, its share never stored over the later', async () => {
      // Prepare
      const table = await freshTable();

      // Act
      const outcomes = await overlappingRuns(table, 'late');
      const decisions = await routeCallers(table, T0 + 5_000);

      // Assess
      expect(outcomes).toEqual({ early: 'stale', late: 'changed' });
      expect(await storedItem(table)).toMatchObject({ secondLineShare: 0.4, version: 1 });
      expect(toSecondLine(decisions)).toBe(4);
    });
  });
});
