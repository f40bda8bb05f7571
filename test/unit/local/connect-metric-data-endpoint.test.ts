import type { Server } from 'node:http';
import {
  ConnectClient,
  GetMetricDataV2Command,
  InvalidParameterException,
  ResourceNotFoundException,
} from '@aws-sdk/client-connect';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectMetricDataSource } from '#adapters/connect/metric-data.js';
import type { DailyQueueFigures, ReportQueue } from '#core/reporting/types.js';
import { LOCAL_CONNECT_INSTANCE_ID, localConnectInstanceArn } from '#local/http/connect-endpoint.js';
import { createEventsEndpoint } from '#local/http/events-endpoint.js';
import { close, listen } from '#local/http/listen.js';
import type { ConnectSimulator } from '#simulator/connect/index.js';
import {
  playScenario,
  SCENARIO_END,
  SCENARIO_ZONE,
  warsawMidnight,
} from '#test/support/connect-history-scenario.js';
import { BridgedConnectSender } from '#adapters/connect/sdk-connect-sender.js';

const credentials = { accessKeyId: 'peaklinelocal', secretAccessKey: 'peaklinelocal' };
/** As `peakline report --local` names the local queues: the simulator's ids are the keys. */
const QUEUES: readonly ReportQueue[] = [
  { key: 'primary', id: 'primary', name: 'primary' },
  { key: 'callback', id: 'callback', name: 'callback' },
];

/** What the SDK raised. */
const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
};

describe('GetMetricDataV2 on the local Connect endpoint', () => {
  let simulator: ConnectSimulator;
  let server: Server;
  let client: ConnectClient;

  beforeEach(async () => {
    // Prepare: the scenario's evening played on the simulator, ten quiet minutes after it, and the endpoint
    // as the local stack serves it, with a real ConnectClient as `peakline report --local` builds it.
    simulator = playScenario();
    simulator.advanceTo(SCENARIO_END + 10 * 60_000);
    server = createEventsEndpoint({
      putEvents: async () => ({ FailedEntryCount: 0, Entries: [] }),
      contactCentre: simulator,
    });
    const url = `http://127.0.0.1:${await listen(server, 0, 'the test endpoint', '--port')}`;
    client = new ConnectClient({ endpoint: url, region: 'eu-central-1', credentials, maxAttempts: 1 });
  });

  afterEach(async () => {
    client.destroy();
    await close(server);
  });

  const adapter = () =>
    new ConnectMetricDataSource(BridgedConnectSender.over(client), {
      instanceArn: localConnectInstanceArn('eu-central-1'),
      nowMs: () => simulator.now,
      callsPerSecond: 1000,
    });

  it('gives the report the figures worked out by hand for the evening (see the scenario)', async () => {
    // Act
    const figures = await adapter().dailyQueueFigures({
      from: new Date(warsawMidnight('2026-11-10')),
      to: new Date(warsawMidnight('2026-11-12')),
      timeZone: SCENARIO_ZONE,
      queues: QUEUES,
      serviceLevelSeconds: 20,
    });

    // Assess
    const expected: DailyQueueFigures[] = [
      {
        day: '2026-11-10',
        queueKey: 'primary',
        channel: 'VOICE',
        contactsQueued: 3,
        contactsHandled: 1,
        contactsAbandoned: 1,
        serviceLevel: expect.closeTo(1 / 3, 12) as number,
        avgQueueAnswerTimeSeconds: 270,
        avgHandleTimeSeconds: 600,
        maxQueuedTimeSeconds: 540,
      },
      {
        day: '2026-11-11',
        queueKey: 'primary',
        channel: 'VOICE',
        contactsQueued: 4,
        contactsHandled: 4,
        contactsAbandoned: 1,
        // c6 answered after 10 s and c7 hung up after 4 s: both left the queue within 20 s.
        serviceLevel: 0.5,
        avgQueueAnswerTimeSeconds: expect.closeTo(730 / 3, 9) as number,
        avgHandleTimeSeconds: 465,
        maxQueuedTimeSeconds: 600,
      },
      {
        day: '2026-11-11',
        queueKey: 'callback',
        channel: 'TASK',
        contactsQueued: 1,
        contactsHandled: 1,
        contactsAbandoned: 0,
        serviceLevel: 0,
        avgQueueAnswerTimeSeconds: 2700,
        avgHandleTimeSeconds: 300,
        maxQueuedTimeSeconds: 2700,
      },
    ];
    expect(figures).toEqual(expected);
    expect(simulator.snapshot().apiCalls['GetMetricDataV2']).toBe(1);
  });

  it('answers in the SDK’s own shape, the queue by id and by ARN', async () => {
    // Act
    const answer = await client.send(
      new GetMetricDataV2Command({
        ResourceArn: localConnectInstanceArn(),
        StartTime: new Date(warsawMidnight('2026-11-11')),
        EndTime: new Date(SCENARIO_END),
        Interval: { TimeZone: SCENARIO_ZONE, IntervalPeriod: 'DAY' },
        Filters: [{ FilterKey: 'QUEUE', FilterValues: [`${localConnectInstanceArn()}/queue/callback`] }],
        Groupings: ['QUEUE', 'CHANNEL'],
        Metrics: [{ Name: 'CONTACTS_HANDLED' }],
      }),
    );

    // Assess
    expect(answer.MetricResults).toEqual([
      {
        Dimensions: {
          QUEUE: 'callback',
          QUEUE_ARN: `${localConnectInstanceArn()}/queue/callback`,
          CHANNEL: 'TASK',
        },
        MetricInterval: {
          Interval: 'DAY',
          StartTime: new Date(warsawMidnight('2026-11-11')),
          EndTime: new Date(SCENARIO_END),
        },
        Collections: [{ Metric: { Name: 'CONTACTS_HANDLED' }, Value: 1 }],
      },
    ]);
  });

  it('refuses what Connect refuses, by the same exception', async () => {
    // Act: 35 days in one DAY query; the instance by id rather than ARN.
    const tooLong = await failure(
      client.send(
        new GetMetricDataV2Command({
          ResourceArn: localConnectInstanceArn(),
          StartTime: new Date(SCENARIO_END - 35 * 24 * 3600_000),
          EndTime: new Date(SCENARIO_END),
          Interval: { TimeZone: SCENARIO_ZONE, IntervalPeriod: 'DAY' },
          Filters: [{ FilterKey: 'QUEUE', FilterValues: ['primary'] }],
          Metrics: [{ Name: 'CONTACTS_QUEUED' }],
        }),
      ),
    );
    const byId = await failure(
      client.send(
        new GetMetricDataV2Command({
          ResourceArn: LOCAL_CONNECT_INSTANCE_ID,
          StartTime: new Date(SCENARIO_END - 3600_000),
          EndTime: new Date(SCENARIO_END),
          Interval: { TimeZone: SCENARIO_ZONE, IntervalPeriod: 'DAY' },
          Filters: [{ FilterKey: 'QUEUE', FilterValues: ['primary'] }],
          Metrics: [{ Name: 'CONTACTS_QUEUED' }],
        }),
      ),
    );

    // Assess
    expect(tooLong).toBeInstanceOf(InvalidParameterException);
    expect(tooLong.message).toMatch(/less than 35 days/);
    expect(tooLong.$metadata?.httpStatusCode).toBe(400);
    expect(byId).toBeInstanceOf(ResourceNotFoundException);
    expect(byId.message).toContain(localConnectInstanceArn());
  });

  it('lets the adapter refuse a range older than three months without asking', async () => {
    // Act
    const refused = await failure(
      adapter().dailyQueueFigures({
        from: new Date(warsawMidnight('2026-08-01')),
        to: new Date(warsawMidnight('2026-08-10')),
        timeZone: SCENARIO_ZONE,
        queues: QUEUES,
        serviceLevelSeconds: 20,
      }),
    );

    // Assess: on 11 November (00:40) the earliest whole day is 12 August.
    expect(refused.message).toMatch(/earliest day it can report is 2026-08-12/);
    expect(simulator.snapshot().apiCalls['GetMetricDataV2']).toBeUndefined();
  });
});
