import { readFileSync } from 'node:fs';
import {
  ConnectClient,
  GetMetricDataV2Command,
  type GetMetricDataV2Request,
  type GetMetricDataV2Response,
  InvalidParameterException,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { DateTime } from 'luxon';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectMetricDataSource,
  type ConnectMetricDataOptions,
  dayWindows,
  earliestAvailableDay,
} from '#adapters/connect/metric-data.js';
import type { ContactMetricsQuery, DailyQueueFigures, ReportQueue } from '#core/reporting/types.js';
import { BridgedConnectSender } from '#adapters/connect/sdk-connect-sender.js';

const connect = mockClient(ConnectClient);
const ZONE = 'Europe/Warsaw';
const INSTANCE_ARN =
  'arn:aws:connect:eu-central-1:111122223333:instance/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const PRIMARY_ID = '0f1d2c3b-4a59-4687-9a1b-2c3d4e5f6a70';
const CALLBACK_ID = '7e6d5c4b-3a29-4187-8f1e-0d9c8b7a6f50';
/** One queue by ARN (as the stack's outputs give it), one by bare id: Connect answers with both. */
const QUEUES: readonly ReportQueue[] = [
  { key: 'primary', id: `${INSTANCE_ARN}/queue/${PRIMARY_ID}`, name: 'primary' },
  { key: 'callback', id: CALLBACK_ID, name: 'callback' },
];
const METRICS = [
  { Name: 'CONTACTS_QUEUED' },
  { Name: 'CONTACTS_HANDLED' },
  { Name: 'CONTACTS_ABANDONED' },
  { Name: 'SERVICE_LEVEL', Threshold: [{ Comparison: 'LT', ThresholdValue: 20 }] },
  { Name: 'AVG_QUEUE_ANSWER_TIME' },
  { Name: 'AVG_HANDLE_TIME' },
  { Name: 'MAX_QUEUED_TIME' },
];
const CHANNEL_FILTER = { FilterKey: 'CHANNEL', FilterValues: ['VOICE', 'CHAT', 'TASK'] };

/** A midnight in Warsaw. */
const midnight = (day: string): Date => DateTime.fromISO(day, { zone: ZONE }).toJSDate();
const at = (iso: string): number => Date.parse(iso);

const query = (from: string, to: string, queues: readonly ReportQueue[] = QUEUES): ContactMetricsQuery => ({
  from: midnight(from),
  to: midnight(to),
  timeZone: ZONE,
  queues,
  serviceLevelSeconds: 20,
});

/** The adapter on a fixed clock, sleeping nowhere, recording the pauses it asked for. */
const source = (nowIso: string, options: Partial<ConnectMetricDataOptions> = {}) => {
  const sleeps: number[] = [];
  const adapter = new ConnectMetricDataSource(
    BridgedConnectSender.over(new ConnectClient({ region: 'eu-central-1' })),
    {
      instanceArn: INSTANCE_ARN,
      nowMs: () => at(nowIso),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      ...options,
    },
  );
  return { adapter, sleeps };
};

const inputs = (): GetMetricDataV2Request[] =>
  connect.commandCalls(GetMetricDataV2Command).map((call) => call.args[0].input);

/**
 * A recorded page (test/fixtures/connect, the wire shape of GetMetricDataV2's answer from the API
 * Reference; see the README there) as the SDK hands it over: the same JSON, with the interval's epoch
 * seconds read as Dates, which is all the SDK's deserializer changes in this shape.
 */
const recordedPage = (name: string): GetMetricDataV2Response => {
  const wire = JSON.parse(
    readFileSync(new URL(`../../fixtures/connect/${name}`, import.meta.url), 'utf8'),
  ) as {
    MetricResults: { MetricInterval: { StartTime: number; EndTime: number } & Record<string, unknown> }[];
    NextToken?: string;
  };
  return {
    ...wire,
    MetricResults: wire.MetricResults.map((result) => ({
      ...result,
      MetricInterval: {
        ...result.MetricInterval,
        StartTime: new Date(result.MetricInterval.StartTime * 1000),
        EndTime: new Date(result.MetricInterval.EndTime * 1000),
      },
    })),
  } as GetMetricDataV2Response;
};

beforeEach(() => {
  connect.reset();
  connect.on(GetMetricDataV2Command).resolves({ MetricResults: [] });
});

describe('ConnectMetricDataSource: what it asks Connect', () => {
  it('asks a month in one DAY query in the shop’s zone, per queue and channel, with the service level’s threshold', async () => {
    // Prepare
    const { adapter } = source('2026-12-06T09:00:00Z');

    // Act
    await adapter.dailyQueueFigures(query('2026-11-01', '2026-12-01'));

    // Assess: November in Warsaw is 2026-10-31T23:00Z to 2026-11-30T23:00Z (CET all month).
    expect(inputs()).toEqual([
      {
        ResourceArn: INSTANCE_ARN,
        StartTime: new Date('2026-10-31T23:00:00Z'),
        EndTime: new Date('2026-11-30T23:00:00Z'),
        Interval: { TimeZone: ZONE, IntervalPeriod: 'DAY' },
        Filters: [{ FilterKey: 'QUEUE', FilterValues: [QUEUES[0]?.id, CALLBACK_ID] }, CHANNEL_FILTER],
        Groupings: ['QUEUE', 'CHANNEL'],
        Metrics: METRICS,
        MaxResults: 100,
      },
    ]);
  });

  it('cuts a range longer than Connect allows into windows of at most 34 days, on the zone’s midnights', async () => {
    // Prepare: 1 September to 10 November (70 days), across the end of summer time on 25 October.
    const { adapter } = source('2026-11-20T12:00:00Z');

    // Act
    await adapter.dailyQueueFigures(query('2026-09-01', '2026-11-10'));

    // Assess: 1 Sep + 34 days = 5 Oct, + 34 = 8 Nov, then the 2 days left; CEST (+2) until 25 Oct, CET (+1) after.
    expect(inputs().map((input) => [input.StartTime, input.EndTime])).toEqual([
      [new Date('2026-08-31T22:00:00Z'), new Date('2026-10-04T22:00:00Z')],
      [new Date('2026-10-04T22:00:00Z'), new Date('2026-11-07T23:00:00Z')],
      [new Date('2026-11-07T23:00:00Z'), new Date('2026-11-09T23:00:00Z')],
    ]);
    for (const input of inputs()) {
      const start = input.StartTime?.getTime() ?? 0;
      const end = input.EndTime?.getTime() ?? 0;
      // Connect: "less than 35 days" between StartTime and EndTime with IntervalPeriod DAY.
      expect(end - start).toBeLessThan(35 * 24 * 3600_000);
    }
  });

  it('asks at most 100 queues a call', async () => {
    // Prepare
    const many = Array.from({ length: 150 }, (_, i) => ({ key: `q${i}`, id: `queue-${i}`, name: `q${i}` }));
    const { adapter } = source('2026-12-06T09:00:00Z');

    // Act
    await adapter.dailyQueueFigures(query('2026-11-01', '2026-11-08', many));

    // Assess
    const filters = inputs().map((input) => input.Filters?.[0]?.FilterValues);
    expect(filters).toEqual([many.slice(0, 100).map((q) => q.id), many.slice(100).map((q) => q.id)]);
    expect(inputs().every((input) => input.Filters?.[1]?.FilterKey === 'CHANNEL')).toBe(true);
  });

  it('asks a range reaching into today up to five minutes ago, and nothing after now', async () => {
    // Prepare: 6 December 2026, 10:00 in Warsaw.
    const { adapter } = source('2026-12-06T09:00:00Z');

    // Act
    await adapter.dailyQueueFigures(query('2026-12-01', '2026-12-08'));
    const future = await adapter.dailyQueueFigures(query('2026-12-07', '2026-12-09'));

    // Assess
    expect(inputs().map((input) => [input.StartTime, input.EndTime])).toEqual([
      [new Date('2026-11-30T23:00:00Z'), new Date('2026-12-06T08:55:00Z')],
    ]);
    expect(future).toEqual([]);
  });

  it('follows NextToken until the last page', async () => {
    // Prepare
    connect
      .on(GetMetricDataV2Command)
      .resolvesOnce({ MetricResults: [], NextToken: 'token-2' })
      .resolvesOnce({ MetricResults: [], NextToken: 'token-3' })
      .resolvesOnce({ MetricResults: [] });
    const { adapter } = source('2026-12-06T09:00:00Z');

    // Act
    await adapter.dailyQueueFigures(query('2026-11-01', '2026-12-01'));

    // Assess: the same request each time, with the token of the page before.
    const calls = inputs();
    expect(calls.map((input) => input.NextToken)).toEqual([undefined, 'token-2', 'token-3']);
    expect(calls.map(({ NextToken: _, ...rest }) => rest)).toEqual([calls[0], calls[0], calls[0]]);
  });
});

describe('ConnectMetricDataSource: the limits it keeps', () => {
  it('refuses a range starting more than three months ago, naming the earliest day Connect still has', async () => {
    // Prepare: on 6 December 2026 (10:00 Warsaw) three months back is 6 September 10:00; 7 September is the
    // first whole day.
    const { adapter } = source('2026-12-06T09:00:00Z');

    // Act
    const refused = adapter.dailyQueueFigures(query('2026-09-06', '2026-10-01'));

    // Assess
    await expect(refused).rejects.toThrow(RangeError);
    await expect(refused).rejects.toThrow(
      /3 months.*earliest day it can report is 2026-09-07.*Ask from 2026-09-07/,
    );
    expect(inputs()).toEqual([]);
  });

  it('asks from the earliest day Connect still has', async () => {
    // Prepare
    const { adapter } = source('2026-12-06T09:00:00Z');

    // Act
    await adapter.dailyQueueFigures(query('2026-09-07', '2026-10-01'));

    // Assess
    expect(inputs().map((input) => input.StartTime)).toEqual([new Date('2026-09-06T22:00:00Z')]);
    expect(earliestAvailableDay(at('2026-12-06T09:00:00Z'), ZONE).toISODate()).toBe('2026-09-07');
  });

  it('waits out throttling and asks again', async () => {
    // Prepare
    connect
      .on(GetMetricDataV2Command)
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }))
      .resolves(recordedPage('get-metric-data-v2-page-2.json'));
    const { adapter, sleeps } = source('2026-12-06T09:00:00Z');

    // Act
    const figures = await adapter.dailyQueueFigures(query('2026-10-24', '2026-10-27'));

    // Assess: one pause (half of the first 500 ms ceiling, with random 0.5), then the same request again.
    expect(inputs()).toHaveLength(2);
    expect(inputs()[1]).toEqual(inputs()[0]);
    expect(sleeps).toContain(250);
    expect(figures).toHaveLength(2);
  });

  it('passes on an error that waiting does not cure', async () => {
    // Prepare
    connect
      .on(GetMetricDataV2Command)
      .rejects(new InvalidParameterException({ message: 'bad filter', $metadata: {} }));
    const { adapter } = source('2026-12-06T09:00:00Z');

    // Act
    const refused = adapter.dailyQueueFigures(query('2026-11-01', '2026-12-01'));

    // Assess
    await expect(refused).rejects.toThrow('bad filter');
    expect(inputs()).toHaveLength(1);
  });

  it.each([
    ['a start that is not a midnight', { from: new Date('2026-11-01T10:00:00Z') }, /from must be a midnight/],
    ['an end before the start', { to: midnight('2026-10-01') }, /must end after it starts/],
    ['a threshold of 0 seconds', { serviceLevelSeconds: 0 }, /whole number of seconds from 1 to 604800/],
    ['an unknown zone', { timeZone: 'Europe/Atlantis' }, /not an IANA time zone/],
  ])('refuses %s before asking Connect', async (_what, change, message) => {
    // Prepare
    const { adapter } = source('2026-12-06T09:00:00Z');

    // Act
    const refused = adapter.dailyQueueFigures({ ...query('2026-11-01', '2026-12-01'), ...change });

    // Assess
    await expect(refused).rejects.toThrow(message);
    expect(inputs()).toEqual([]);
  });

  it('says so when Connect answers a row it cannot place, rather than leaving the queue out', async () => {
    // Prepare: a row naming a queue that was not asked for.
    connect.on(GetMetricDataV2Command).resolves({
      MetricResults: [
        {
          Dimensions: { QUEUE: 'someone-elses-queue', CHANNEL: 'VOICE' },
          MetricInterval: {
            Interval: 'DAY',
            StartTime: midnight('2026-11-02'),
            EndTime: midnight('2026-11-03'),
          },
          Collections: [{ Metric: { Name: 'CONTACTS_QUEUED' }, Value: 4 }],
        },
      ],
    });
    const { adapter } = source('2026-12-06T09:00:00Z');

    // Act
    const refused = adapter.dailyQueueFigures(query('2026-11-01', '2026-12-01'));

    // Assess
    await expect(refused).rejects.toThrow(/cannot place.*someone-elses-queue/);
  });

  it('needs the instance ARN, not its id', () => {
    // Act & Assess: GetMetricDataV2's ResourceArn takes the ARN only.
    expect(() =>
      source('2026-12-06T09:00:00Z', { instanceArn: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' }),
    ).toThrow(/instance ARN/);
  });
});

describe('ConnectMetricDataSource: a recorded answer read into the report’s figures', () => {
  it('reads two pages into one row per day, queue and channel, checked by hand', async () => {
    // Prepare: the recorded answer for 24-26 October 2026 in Warsaw, on two pages.
    connect
      .on(GetMetricDataV2Command)
      .resolvesOnce(recordedPage('get-metric-data-v2-page-1.json'))
      .resolvesOnce(recordedPage('get-metric-data-v2-page-2.json'));
    const { adapter } = source('2026-12-06T09:00:00Z');

    // Act
    const figures = await adapter.dailyQueueFigures(query('2026-10-24', '2026-10-27'));

    // Assess: the second call carries the first page's token.
    expect(inputs().map((input) => input.NextToken)).toEqual([undefined, 'AQICAHjExampleOpaqueTokenPage2']);
    // Worked out by hand from the fixture:
    // - day: StartTime 1792792800 is 2026-10-23T22:00Z, midnight of the 24th in Warsaw (CEST, +2);
    //   1792879200 is 2026-10-24T22:00Z, midnight of the 25th (still CEST until 03:00 that night);
    //   1792969200 is 2026-10-25T23:00Z, midnight of the 26th (CET, +1);
    // - SERVICE_LEVEL is a percentage: 75 -> 0.75, 100 -> 1, 87.5 -> 0.875, 25 -> 0.25, 0 -> 0;
    // - a value left out: a count is 0 (the callback tasks' CONTACTS_ABANDONED), an average or maximum
    //   is null (nobody answered on the 26th: no answer time, no handle time);
    // - the primary queue is asked by ARN and answered by id; the callback queue the other way round.
    const expected: DailyQueueFigures[] = [
      {
        day: '2026-10-24',
        queueKey: 'primary',
        channel: 'VOICE',
        contactsQueued: 120,
        contactsHandled: 102,
        contactsAbandoned: 18,
        serviceLevel: 0.75,
        avgQueueAnswerTimeSeconds: 14.5,
        avgHandleTimeSeconds: 287.25,
        maxQueuedTimeSeconds: 312,
      },
      {
        day: '2026-10-24',
        queueKey: 'primary',
        channel: 'CHAT',
        contactsQueued: 40,
        contactsHandled: 40,
        contactsAbandoned: 0,
        serviceLevel: 1,
        avgQueueAnswerTimeSeconds: 3.2,
        avgHandleTimeSeconds: 540,
        maxQueuedTimeSeconds: 41,
      },
      {
        day: '2026-10-25',
        queueKey: 'primary',
        channel: 'VOICE',
        contactsQueued: 96,
        contactsHandled: 90,
        contactsAbandoned: 6,
        serviceLevel: 0.875,
        avgQueueAnswerTimeSeconds: 9.75,
        avgHandleTimeSeconds: 301.5,
        maxQueuedTimeSeconds: 188,
      },
      {
        day: '2026-10-25',
        queueKey: 'callback',
        channel: 'TASK',
        contactsQueued: 12,
        contactsHandled: 9,
        contactsAbandoned: 0,
        serviceLevel: 0.25,
        avgQueueAnswerTimeSeconds: 1260,
        avgHandleTimeSeconds: 400,
        maxQueuedTimeSeconds: 5400,
      },
      {
        day: '2026-10-26',
        queueKey: 'primary',
        channel: 'VOICE',
        contactsQueued: 3,
        contactsHandled: 0,
        contactsAbandoned: 3,
        serviceLevel: 0,
        avgQueueAnswerTimeSeconds: null,
        avgHandleTimeSeconds: null,
        maxQueuedTimeSeconds: 95,
      },
    ];
    expect(figures).toEqual(expected);
  });
});

describe('dayWindows', () => {
  it('keeps whole days in the zone, the last window ending where asked', () => {
    // Act
    const windows = dayWindows(midnight('2026-03-01'), new Date('2026-04-10T08:00:00Z'), ZONE);

    // Assess: summer time starts 29 March; 1 March + 34 days = 4 April (CEST).
    expect(windows).toEqual([
      { start: new Date('2026-02-28T23:00:00Z'), end: new Date('2026-04-03T22:00:00Z') },
      { start: new Date('2026-04-03T22:00:00Z'), end: new Date('2026-04-10T08:00:00Z') },
    ]);
  });
});
