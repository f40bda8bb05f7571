import { GetCommand, PutCommand, QueryCommand } from '#adapters/dynamodb/document-client.js';
import type { LeanDocumentClient } from '#adapters/dynamodb/lean-document-client.js';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DynamoRoutingStateReader,
  DynamoRoutingStateStore,
  ROUTING_AUDIT_RETENTION_DAYS,
} from '#adapters/dynamodb/routing-state.js';
import type { QueueMetrics } from '#core/ports.js';
import { type ControllerDeps, takeSample, type WatchedQueue } from '#core/routing/controller.js';
import { initialMemory, type QueueMemory, type Thresholds } from '#core/routing/hysteresis.js';
import type { RoutingStateStore } from '#core/routing/store.js';
import { localDocumentClient, tableName } from '#test/support/dynamodb.js';
import { barrier } from '#test/support/barrier.js';

const client: LeanDocumentClient = localDocumentClient();
afterAll(() => client.destroy());
const TABLE = tableName('routing');
const store = new DynamoRoutingStateStore(client, TABLE);

/** Unique queue keys per test: the routing table is shared with every other integration test. */
const RUN = Date.now().toString(36);
let counter = 0;
const uniqueQueue = (label: string) => `it-${RUN}-${counter++}-${label}`;

const THRESHOLDS: Thresholds = {
  enterWaitSeconds: 120,
  enterSamples: 2,
  exitWaitSeconds: 60,
  exitSamples: 2,
  deflectWaitSeconds: 300,
};
const T0 = Date.UTC(2026, 10, 27, 10);

const rawItems = async (queueKey: string) =>
  (
    await client.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `queue#${queueKey}` },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

/** A controller run's ports: a contact centre reporting `wait` for every queue, at the time given. */
const controller = (
  at: number,
  wait: number,
  runStore: RoutingStateStore = store,
): ControllerDeps & { published: Record<string, unknown>[] } => {
  const published: Record<string, unknown>[] = [];
  return {
    published,
    contactCentre: {
      getCurrentMetrics: async (ids: readonly string[]): Promise<QueueMetrics[]> =>
        ids.map((queueId) => {
          const figures = {
            contactsInQueue: 9,
            oldestContactAgeSeconds: wait,
            agentsOnline: 4,
            agentsAvailable: 0,
            agentsOnContact: 4,
          };
          return { queueId, ...figures, channels: { VOICE: figures } };
        }),
    },
    store: runStore,
    events: { publish: async (_type, detail) => void published.push(detail) },
    ops: { notify: async () => undefined },
    clock: { now: () => new Date(at) },
  };
};

const queueNamed = (key: string): WatchedQueue => ({
  key,
  metricsId: `arn:queue/${key}`,
  queueId: `id-${key}`,
});

describe('routing state on DynamoDB Local', () => {
  it('writes a memory only over the version it was read at', async () => {
    // Prepare
    const queue = uniqueQueue('version');
    const first: QueueMemory = {
      ...initialMemory(),
      aboveEnter: 1,
      version: 1,
      updatedAt: new Date(T0).toISOString(),
    };

    // Act
    const created = await store.write(queue, 0, first);
    const createdAgain = await store.write(queue, 0, { ...first, aboveEnter: 9 });
    const stale = await store.write(queue, 5, { ...first, version: 6 });
    const next = await store.write(queue, 1, { ...first, aboveEnter: 2, version: 2 });

    // Assess
    expect([created, createdAgain, stale, next]).toEqual([true, false, false, true]);
    expect((await store.read([queue])).get(queue)).toEqual({ ...first, aboveEnter: 2, version: 2 });
  });

  it('keeps the state where the router and the order SMS read it', async () => {
    // Prepare
    const queue = uniqueQueue('reader');
    await store.write(queue, 0, {
      ...initialMemory(),
      state: 'DEFLECT',
      version: 1,
      updatedAt: new Date(T0).toISOString(),
      maxAgeSeconds: 45,
    });
    const readerAt = (nowMs: number) => new DynamoRoutingStateReader(client, TABLE, 0, () => nowMs);

    // Act: on the reader's clock, inside the state's maximum age, and past it
    const fresh = await readerAt(T0 + 44_000).stateOf(queue);
    const stale = await readerAt(T0 + 45_000).stateOf(queue);

    // Assess
    expect(fresh).toBe('DEFLECT');
    expect(stale).toBe('NORMAL');
  });

  it('takes over a state forced by hand (an item with a state and nothing else)', async () => {
    // Prepare
    const queue = uniqueQueue('forced');
    await client.send(
      new PutCommand({ TableName: TABLE, Item: { pk: `queue#${queue}`, sk: 'STATE', state: 'OVERFLOW' } }),
    );

    // Act: two samples below T_exit
    await takeSample(controller(T0, 10), { queues: [queueNamed(queue)], thresholds: THRESHOLDS });
    await takeSample(controller(T0 + 15_000, 10), { queues: [queueNamed(queue)], thresholds: THRESHOLDS });

    // Assess
    expect((await store.read([queue])).get(queue)).toMatchObject({ state: 'NORMAL', version: 2 });
  });

  it('reads many queues in one go, leaving out those never judged', async () => {
    // Prepare
    const judged = Array.from({ length: 120 }, (_, i) => uniqueQueue(`many-${i}`));
    await Promise.all(
      judged.map((q, i) => store.write(q, 0, { ...initialMemory(), version: 1, aboveEnter: i % 3 })),
    );

    // Act
    const found = await store.read([...judged, uniqueQueue('never')]);

    // Assess
    expect(found.size).toBe(120);
    expect(found.get(judged[4] ?? '')).toMatchObject({ aboveEnter: 1, version: 1 });
  });

  it('writes a change and its audit entry together, the entry kept 90 days', async () => {
    // Prepare
    const queue = uniqueQueue('audit');

    // Act: two samples above T_enter
    const first = controller(T0, 150);
    await takeSample(first, { queues: [queueNamed(queue)], thresholds: THRESHOLDS });
    const second = controller(T0 + 15_000, 150);
    const result = await takeSample(second, { queues: [queueNamed(queue)], thresholds: THRESHOLDS });

    // Assess
    const at = new Date(T0 + 15_000).toISOString();
    expect(result.outcomes[queue]).toBe('changed');
    const items = await rawItems(queue);
    expect(items).toHaveLength(2);
    expect(items.find((i) => i.sk === `AUDIT#${at}`)).toEqual({
      pk: `queue#${queue}`,
      sk: `AUDIT#${at}`,
      queueKey: queue,
      queueId: `id-${queue}`,
      from: 'NORMAL',
      to: 'OVERFLOW',
      at,
      oldestContactAgeSeconds: 150,
      contactsInQueue: 9,
      thresholds: THRESHOLDS,
      expiresAt: Math.floor((T0 + 15_000) / 1000) + ROUTING_AUDIT_RETENTION_DAYS * 86_400,
    });
    expect(items.find((i) => i.sk === 'STATE')).toMatchObject({ state: 'OVERFLOW', since: at, version: 2 });
    expect(await store.history(queue)).toEqual([
      expect.objectContaining({ from: 'NORMAL', to: 'OVERFLOW', at, thresholds: THRESHOLDS }),
    ]);
    expect(first.published).toEqual([]);
    expect(second.published).toEqual([
      expect.objectContaining({ queueKey: queue, from: 'NORMAL', to: 'OVERFLOW' }),
    ]);
  });

  it('writes neither the change nor its audit entry when another run wrote first', async () => {
    // Prepare: a queue one sample short of OVERFLOW
    const queue = uniqueQueue('no-audit');
    const oneAbove: QueueMemory = {
      ...initialMemory(),
      aboveEnter: 1,
      version: 1,
      updatedAt: new Date(T0).toISOString(),
    };
    await store.write(queue, 0, oneAbove);

    // Act: a change computed from version 1, written after someone else moved to version 2
    await store.write(queue, 1, { ...oneAbove, aboveEnter: 0, version: 2 });
    const written = await store.write(
      queue,
      1,
      { ...oneAbove, state: 'OVERFLOW', aboveEnter: 2, version: 2 },
      {
        queueKey: queue,
        queueId: 'id',
        from: 'NORMAL',
        to: 'OVERFLOW',
        at: new Date(T0 + 15_000).toISOString(),
        oldestContactAgeSeconds: 150,
        contactsInQueue: 9,
        thresholds: THRESHOLDS,
      },
    );

    // Assess
    expect(written).toBe(false);
    expect((await rawItems(queue)).map((i) => i.sk)).toEqual(['STATE']);
  });

  describe('two overlapping controller runs lose nothing', () => {
    it('when both read the same version, the second to write re-reads and applies its sample too', async () => {
      // Prepare: both runs read before either writes; the earlier sample is written first
      const queue = uniqueQueue('overlap');
      const bothRead = barrier(2);
      let firstWritten: () => void = () => undefined;
      const firstWrite = new Promise<void>((resolve) => {
        firstWritten = resolve;
      });
      let reads = 0;
      const racing = (role: 'early' | 'late'): RoutingStateStore => ({
        read: async (keys) => {
          const found = await store.read(keys);
          reads += 1;
          if (reads <= 2) await bothRead();
          return found;
        },
        write: async (key, expected, memory, change) => {
          if (role === 'late') await firstWrite;
          const ok = await store.write(key, expected, memory, change);
          if (role === 'early') firstWritten();
          return ok;
        },
      });
      const early = controller(T0, 150, racing('early'));
      const late = controller(T0 + 1_000, 150, racing('late'));

      // Act
      const [a, b] = await Promise.all([
        takeSample(early, { queues: [queueNamed(queue)], thresholds: THRESHOLDS }),
        takeSample(late, { queues: [queueNamed(queue)], thresholds: THRESHOLDS }),
      ]);

      // Assess: both samples counted, the change (two above T_enter) written and announced once
      expect([a.outcomes[queue], b.outcomes[queue]]).toEqual(['applied', 'changed']);
      expect((await store.read([queue])).get(queue)).toMatchObject({ state: 'OVERFLOW', version: 2 });
      expect([...early.published, ...late.published]).toHaveLength(1);
      expect((await rawItems(queue)).filter((i) => String(i.sk).startsWith('AUDIT#'))).toHaveLength(1);
    });

    it('when they run side by side for a while: every sample is counted, or skipped as older than one counted', async () => {
      // Prepare: two runs on ten queues, their samples 7.5 s apart, each taking eight
      const queues = Array.from({ length: 10 }, (_, i) => queueNamed(uniqueQueue(`side-${i}`)));
      const runA = Array.from({ length: 8 }, (_, i) => controller(T0 + i * 15_000, 150));
      const runB = Array.from({ length: 8 }, (_, i) => controller(T0 + i * 15_000 + 7_500, 150));
      const run = async (samples: ControllerDeps[]) => {
        const results = [];
        for (const deps of samples) results.push(await takeSample(deps, { queues, thresholds: THRESHOLDS }));
        return results;
      };

      // Act
      const results = (await Promise.all([run(runA), run(runB)])).flat();

      // Assess
      const stored = await store.read(queues.map((q) => q.key));
      for (const queue of queues) {
        const outcomes = results.map((r) => r.outcomes[queue.key]);
        const counted = outcomes.filter((o) => o === 'applied' || o === 'changed').length;
        expect(outcomes.every((o) => o === 'applied' || o === 'changed' || o === 'stale')).toBe(true);
        expect(stored.get(queue.key)?.version).toBe(counted);
        expect(stored.get(queue.key)?.state).toBe('OVERFLOW');
        // One change per queue, announced once.
        expect(results.flatMap((r) => r.changes).filter((c) => c.queueKey === queue.key)).toHaveLength(1);
      }
    });
  });

  it('reads exactly the state item', async () => {
    // Prepare
    const queue = uniqueQueue('raw');
    await store.write(queue, 0, { ...initialMemory(), version: 1 });

    // Act
    const { Item } = await client.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `queue#${queue}`, sk: 'STATE' } }),
    );

    // Assess
    expect(Item).toEqual({
      pk: `queue#${queue}`,
      sk: 'STATE',
      state: 'NORMAL',
      aboveEnter: 0,
      aboveDeflect: 0,
      belowEnter: 0,
      belowExit: 0,
      version: 1,
    });
  });
});
