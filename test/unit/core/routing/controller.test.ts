import {
  ConnectClient,
  GetCurrentMetricDataCommand,
  type GetCurrentMetricDataResponse,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConnectContactCentre, oldestContactAgeSeconds } from '#adapters/connect/contact-centre.js';
import {
  type ControllerDeps,
  controllerTimeoutSeconds,
  runController,
  SAMPLE_BUDGET_MS,
  takeSample,
  type WatchedQueue,
} from '#core/routing/controller.js';
import { initialMemory, type QueueMemory, type Thresholds } from '#core/routing/hysteresis.js';
import { InMemoryRoutingStateStore } from '#core/routing/memory-store.js';
import type { StateChangeRecord } from '#core/routing/store.js';
import { BridgedConnectSender } from '#adapters/connect/sdk-connect-sender.js';

const connect = mockClient(ConnectClient);
const INSTANCE_ID = '11111111-2222-3333-4444-555555555555';
const INSTANCE = `arn:aws:connect:eu-central-1:123456789012:instance/${INSTANCE_ID}`;
const queueArn = (i: number) => `${INSTANCE}/queue/q-${String(i).padStart(4, '0')}`;

const THRESHOLDS: Thresholds = {
  enterWaitSeconds: 120,
  enterSamples: 3,
  exitWaitSeconds: 60,
  exitSamples: 4,
  deflectWaitSeconds: 300,
};

/** `count` queues as the controller is configured with them: asked by ARN, stored by key. */
const watched = (count: number): WatchedQueue[] =>
  Array.from({ length: count }, (_, i) => ({
    key: i === 0 ? 'primary' : `queue-${i}`,
    metricsId: queueArn(i),
    queueId: `q-${String(i).padStart(4, '0')}`,
  }));

/** One queue's calls as Connect returns them grouped by QUEUE and CHANNEL: OLDEST_CONTACT_AGE in seconds. */
const queueResult = (
  arn: string,
  inQueue: number,
  oldestSeconds: number | undefined,
): NonNullable<GetCurrentMetricDataResponse['MetricResults']>[number] => ({
  Dimensions: { Queue: { Id: arn.slice(arn.lastIndexOf('/') + 1), Arn: arn }, Channel: 'VOICE' },
  Collections: [
    { Metric: { Name: 'CONTACTS_IN_QUEUE', Unit: 'COUNT' }, Value: inQueue },
    {
      Metric: { Name: 'OLDEST_CONTACT_AGE', Unit: 'SECONDS' },
      ...(oldestSeconds === undefined ? {} : { Value: oldestSeconds }),
    },
    { Metric: { Name: 'AGENTS_ONLINE', Unit: 'COUNT' }, Value: 10 },
    { Metric: { Name: 'AGENTS_AVAILABLE', Unit: 'COUNT' }, Value: 0 },
    { Metric: { Name: 'AGENTS_ON_CONTACT', Unit: 'COUNT' }, Value: 10 },
  ],
});

/** Connect answering every queue asked with the same figures. */
const connectAnswers = (inQueue: number, oldestSeconds: number) =>
  connect.on(GetCurrentMetricDataCommand).callsFake((input: { Filters: { Queues: string[] } }) => ({
    MetricResults: input.Filters.Queues.map((arn) => queueResult(arn, inQueue, oldestSeconds)),
  }));

const throttled = () =>
  new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });

const metricsCalls = () => connect.commandCalls(GetCurrentMetricDataCommand);

describe('overflow controller', () => {
  let now: number;
  let store: InMemoryRoutingStateStore;
  let published: { detailType: string; detail: Record<string, unknown> }[];
  let notified: { subject: string; message: string }[];
  let logged: { level: string; message: string }[];

  /** The controller on the real Connect adapter (paced, retrying throttling twice) over a mocked client. */
  const deps = (): ControllerDeps => ({
    contactCentre: new ConnectContactCentre(
      BridgedConnectSender.over(new ConnectClient({ region: 'eu-central-1' })),
      {
        instanceId: INSTANCE_ID,
        callsPerSecond: 5,
        maxAttempts: 2,
        nowMs: () => now,
        sleep: async (ms) => {
          now += ms;
        },
        random: () => 0.5,
      },
    ),
    store,
    events: {
      publish: async (detailType, detail) => {
        published.push({ detailType, detail });
      },
    },
    ops: {
      notify: async (subject, message) => {
        notified.push({ subject, message });
      },
    },
    clock: { now: () => new Date(now) },
    log: (level, message) => logged.push({ level, message }),
  });

  /** Samples `times` times, 15 s apart, as a run at 4 samples a minute does. */
  const sampleTimes = async (times: number, queues: WatchedQueue[]) => {
    const results = [];
    for (let i = 0; i < times; i += 1) {
      results.push(await takeSample(deps(), { queues, thresholds: THRESHOLDS }));
      now += 15_000;
    }
    return results;
  };

  beforeEach(() => {
    connect.reset();
    now = Date.UTC(2026, 10, 27, 10);
    store = new InMemoryRoutingStateStore();
    published = [];
    notified = [];
    logged = [];
  });

  describe('makes one GetCurrentMetricData call per sample, whatever the number of queues', () => {
    it.each([1, 10, 100])('for %i queues: one call naming every queue', async (count) => {
      // Prepare
      const queues = watched(count);
      connectAnswers(3, 40);

      // Act
      const result = await takeSample(deps(), { queues, thresholds: THRESHOLDS });

      // Assess
      expect(metricsCalls().map((c) => c.args[0].input)).toEqual([
        {
          InstanceId: INSTANCE_ID,
          Filters: { Queues: queues.map((q) => q.metricsId), Channels: ['VOICE', 'CHAT', 'TASK'] },
          // Grouped by queue, so that OLDEST_CONTACT_AGE comes in seconds (without groupings: milliseconds).
          Groupings: ['QUEUE', 'CHANNEL'],
          CurrentMetrics: [
            { Name: 'CONTACTS_IN_QUEUE', Unit: 'COUNT' },
            { Name: 'OLDEST_CONTACT_AGE', Unit: 'SECONDS' },
            { Name: 'AGENTS_ONLINE', Unit: 'COUNT' },
            { Name: 'AGENTS_AVAILABLE', Unit: 'COUNT' },
            { Name: 'AGENTS_ON_CONTACT', Unit: 'COUNT' },
          ],
          MaxResults: 100,
        },
      ]);
      expect(result.metricsCalls).toBe(1);
      expect(Object.values(result.outcomes)).toEqual(Array(count).fill('applied'));
    });

    it('for 101 queues: two calls, a hundred and one', async () => {
      // Prepare
      const queues = watched(101);
      connectAnswers(3, 40);

      // Act
      const result = await takeSample(deps(), { queues, thresholds: THRESHOLDS });

      // Assess
      expect(metricsCalls().map((c) => c.args[0].input.Filters?.Queues)).toEqual([
        queues.slice(0, 100).map((q) => q.metricsId),
        [queues[100]?.metricsId],
      ]);
      expect(result.metricsCalls).toBe(2);
      expect(Object.keys(result.outcomes)).toHaveLength(101);
    });

    it.each([10, 10_000])(
      'makes 4 calls a minute at 4 samples a minute with %i calls in queue',
      async (inQueue) => {
        // Prepare
        connectAnswers(inQueue, inQueue >= 10_000 ? 900 : 20);

        // Act
        const run = await runController(
          deps(),
          { queues: watched(2), thresholds: THRESHOLDS },
          {
            samplesPerMinute: 4,
            remainingMs: () => 55_000 - (now - Date.UTC(2026, 10, 27, 10)),
            sleep: async (ms) => {
              now += ms;
            },
          },
        );

        // Assess
        expect(run.samples).toHaveLength(4);
        expect(metricsCalls()).toHaveLength(4);
      },
    );
  });

  describe('reads the wait in seconds', () => {
    it('enters OVERFLOW (not DEFLECT) after N samples of 150 s, as Connect reports them grouped by queue', async () => {
      // Prepare
      connectAnswers(12, 150);

      // Act
      await sampleTimes(3, watched(1));

      // Assess
      expect(store.peek('primary')).toMatchObject({ state: 'OVERFLOW', lastWaitSeconds: 150 });
    });

    it('would read an ungrouped answer in milliseconds: 150,000 is 150 s', () => {
      // The adapter always groups; this is the conversion it would need without groupings.
      expect(oldestContactAgeSeconds(150_000, false)).toBe(150);
      expect(oldestContactAgeSeconds(150, true)).toBe(150);
    });

    it('takes a queue without a waiting contact (no OLDEST_CONTACT_AGE value) as a wait of 0', async () => {
      // Prepare
      await store.write('primary', 0, { ...overflowMemory(), belowExit: 3 });
      connect
        .on(GetCurrentMetricDataCommand)
        .resolves({ MetricResults: [queueResult(queueArn(0), 0, undefined)] });

      // Act
      await sampleTimes(1, watched(1));

      // Assess
      expect(store.peek('primary')).toMatchObject({ state: 'NORMAL', lastWaitSeconds: 0 });
    });
  });

  describe('keeps the last state when a sample is missing', () => {
    it('a throttled call (past the adapter retries) changes no state and no count', async () => {
      // Prepare: OVERFLOW, three samples below T_exit already counted
      const before: QueueMemory = { ...overflowMemory(), belowExit: 3, belowEnter: 3 };
      await store.write('primary', 0, before);
      connect.on(GetCurrentMetricDataCommand).rejects(throttled());

      // Act
      const [result] = await sampleTimes(1, watched(1));

      // Assess
      expect(metricsCalls()).toHaveLength(2);
      expect(result).toMatchObject({ failedMetricsCalls: 1, outcomes: { primary: 'missing' }, changes: [] });
      expect(store.peek('primary')).toEqual(before);
      expect(published).toEqual([]);
      expect(logged).toContainEqual({
        level: 'warn',
        message: 'queue metrics missing for this sample; the states stand',
      });
    });

    it('carries on from the same counts at the next sample', async () => {
      // Prepare
      await store.write('primary', 0, { ...overflowMemory(), belowExit: 3, belowEnter: 3 });
      connect
        .on(GetCurrentMetricDataCommand)
        .rejectsOnce(throttled())
        .rejectsOnce(throttled())
        .callsFake((input: { Filters: { Queues: string[] } }) => ({
          MetricResults: input.Filters.Queues.map((arn) => queueResult(arn, 1, 10)),
        }));

      // Act
      await sampleTimes(2, watched(1));

      // Assess: the fourth sample below T_exit, the throttled one not counted
      expect(store.peek('primary')?.state).toBe('NORMAL');
      expect(published.map((p) => p.detail)).toEqual([
        expect.objectContaining({ from: 'OVERFLOW', to: 'NORMAL' }),
      ]);
    });
  });

  describe("tells what it read (the run's metrics and the public status are made of it)", () => {
    it('a reading per queue whose sample was applied, with the state as written', async () => {
      // Prepare: OVERFLOW already, and this sample keeps it
      await store.write('primary', 0, overflowMemory());
      connectAnswers(4, 200);

      // Act
      const result = await takeSample(deps(), {
        queues: watched(1),
        thresholds: THRESHOLDS,
        stateMaxAgeSeconds: 45,
      });

      // Assess
      expect(result.readings).toEqual({
        primary: {
          state: 'OVERFLOW',
          waitSeconds: 200,
          expected: false,
          staffed: true,
          oldestContactAgeSeconds: 200,
          contactsInQueue: 4,
          at: '2026-11-27T10:00:00.000Z',
          maxAgeSeconds: 45,
        },
      });
    });

    it('none for a queue whose sample is missing', async () => {
      // Prepare
      connect.on(GetCurrentMetricDataCommand).rejects(throttled());

      // Act
      const [result] = await sampleTimes(1, watched(1));

      // Assess
      expect(result?.readings).toEqual({});
    });
  });

  describe('on a change', () => {
    it('writes the audit entry, publishes OverflowStateChanged and tells ops, once', async () => {
      // Prepare
      connectAnswers(37, 135);

      // Act
      const results = await sampleTimes(4, watched(1));

      // Assess
      const at = new Date(Date.UTC(2026, 10, 27, 10) + 2 * 15_000).toISOString();
      const change: StateChangeRecord = {
        queueKey: 'primary',
        queueId: 'q-0000',
        from: 'NORMAL',
        to: 'OVERFLOW',
        at,
        oldestContactAgeSeconds: 135,
        contactsInQueue: 37,
        thresholds: THRESHOLDS,
      };
      expect(results.map((r) => r.outcomes.primary)).toEqual(['applied', 'applied', 'changed', 'applied']);
      expect(store.audit).toEqual([change]);
      expect(published).toEqual([
        {
          detailType: 'OverflowStateChanged',
          detail: {
            queueId: 'q-0000',
            queueKey: 'primary',
            from: 'NORMAL',
            to: 'OVERFLOW',
            oldestContactAgeSeconds: 135,
            at,
          },
        },
      ]);
      expect(notified).toHaveLength(1);
      expect(notified[0]?.subject).toBe('peakline: primary queue NORMAL -> OVERFLOW');
      expect(notified[0]?.message).toContain('had waited 135 s, with 37 in queue');
      expect(notified[0]?.message).toContain(
        'a share goes to the second line while they would wait less there.',
      );
    });

    it('reports a change the bus refused as written but not announced, and still tells ops', async () => {
      // Prepare
      connectAnswers(37, 135);
      const failingBus = {
        ...deps(),
        events: { publish: async () => Promise.reject(new Error('bus down')) },
      };

      // Act
      let last;
      for (let i = 0; i < 3; i += 1) {
        last = await takeSample(failingBus, { queues: watched(1), thresholds: THRESHOLDS });
        now += 15_000;
      }

      // Assess
      expect(last?.changes).toEqual([expect.objectContaining({ to: 'OVERFLOW', announced: false })]);
      expect(store.peek('primary')?.state).toBe('OVERFLOW');
      expect(notified).toHaveLength(1);
    });
  });

  describe('beside another controller run', () => {
    it('applies its sample over a write made in between, losing neither', async () => {
      // Prepare: another run writes its sample between this run's read and write
      connectAnswers(5, 130);
      let interfered = false;
      const racing = new InMemoryRoutingStateStore();
      const original = racing.write.bind(racing);
      racing.write = async (key, expected, memory, change) => {
        if (!interfered) {
          interfered = true;
          await original(key, 0, {
            ...memory,
            version: 1,
            aboveEnter: 1,
            updatedAt: new Date(now - 1).toISOString(),
          });
        }
        return original(key, expected, memory, change);
      };
      store = racing;

      // Act
      const result = await takeSample(deps(), { queues: watched(1), thresholds: THRESHOLDS });

      // Assess: the other run's sample and this one, both counted
      expect(result.outcomes.primary).toBe('applied');
      expect(racing.conflicts).toBe(1);
      expect(racing.peek('primary')).toMatchObject({ version: 2, aboveEnter: 2 });
    });

    it('skips a sample older than one the stored state has already taken', async () => {
      // Prepare
      connectAnswers(5, 130);
      await store.write('primary', 0, {
        ...overflowMemory(),
        version: 9,
        updatedAt: new Date(now + 1).toISOString(),
      });

      // Act
      const result = await takeSample(deps(), { queues: watched(1), thresholds: THRESHOLDS });

      // Assess
      expect(result.outcomes.primary).toBe('stale');
      expect(store.peek('primary')?.version).toBe(9);
    });
  });

  describe('a run', () => {
    it('spreads its samples evenly over the minute', async () => {
      // Prepare
      connectAnswers(1, 5);
      const start = now;
      const sampledAt: number[] = [];
      const recording = { ...deps() };
      const contactCentre = recording.contactCentre;

      // Act
      await runController(
        {
          ...recording,
          contactCentre: {
            getCurrentMetrics: (ids) => {
              sampledAt.push(now - start);
              return contactCentre.getCurrentMetrics(ids);
            },
          },
        },
        { queues: watched(1), thresholds: THRESHOLDS },
        {
          samplesPerMinute: 4,
          remainingMs: () => Number.POSITIVE_INFINITY,
          sleep: async (ms) => void (now += ms),
        },
      );

      // Assess
      expect(sampledAt).toEqual([0, 15_000, 30_000, 45_000]);
    });

    it('leaves out the samples the time left cannot hold, rather than being stopped', async () => {
      // Prepare: 35 s left, so the samples at 30 s (5 s left) and 45 s do not fit
      connectAnswers(1, 5);
      const start = now;

      // Act
      const run = await runController(
        deps(),
        { queues: watched(1), thresholds: THRESHOLDS },
        {
          samplesPerMinute: 4,
          remainingMs: () => 35_000 - (now - start),
          sleep: async (ms) => void (now += ms),
        },
      );

      // Assess
      expect(run).toMatchObject({ skippedSamples: 2 });
      expect(run.samples).toHaveLength(2);
    });

    it('fits its timeout: the last sample starts early enough to finish', () => {
      expect(controllerTimeoutSeconds(4)).toBe(55);
      expect(controllerTimeoutSeconds(1)).toBe(SAMPLE_BUDGET_MS / 1000);
      expect(controllerTimeoutSeconds(12)).toBe(65);
    });
  });

  describe('keeps its states believed only while it samples (issue 11, defect 4)', () => {
    it('confirms an unchanged OVERFLOW on every sample, and readers drop it once the samples stop', async () => {
      // Prepare: a queue that overflows and stays high
      const queues = watched(1);
      const key = queues[0]?.key ?? '';
      connectAnswers(20, 200);
      const settings = { queues, thresholds: THRESHOLDS, stateMaxAgeSeconds: 45 };

      // Act: ten samples 15 s apart, the state unchanged after the first few; then the controller stops
      for (let i = 0; i < 10; i += 1) {
        if (i > 0) now += 15_000;
        await takeSample(deps(), settings);
      }
      const lastSampleAt = now;
      const stored = store.peek(key);
      const reader = new InMemoryRoutingStateStore(() => now);
      await reader.write(key, 0, stored ?? initialMemory());
      now = lastSampleAt + 44_999;
      const justBefore = await reader.readState(key);
      now = lastSampleAt + 45_000;
      const after = await reader.readState(key);

      // Assess
      expect(stored).toMatchObject({
        state: 'OVERFLOW',
        version: 10,
        updatedAt: new Date(lastSampleAt).toISOString(),
        maxAgeSeconds: 45,
      });
      expect(justBefore.state).toBe('OVERFLOW');
      expect(after).toMatchObject({ state: 'NORMAL', doubt: 'stale' });
    });
  });
});

/** A queue in OVERFLOW, judged once before. */
function overflowMemory(): QueueMemory {
  return {
    state: 'OVERFLOW',
    aboveEnter: 0,
    aboveDeflect: 0,
    belowEnter: 0,
    belowExit: 0,
    version: 1,
    updatedAt: new Date(Date.UTC(2026, 10, 27, 9, 59)).toISOString(),
    since: new Date(Date.UTC(2026, 10, 27, 9, 50)).toISOString(),
    lastWaitSeconds: 130,
  };
}
