import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LaneHistory,
  QUARTER_HOUR_MS,
  RETAINED_QUARTER_HOURS,
} from '#simulator/connect/historical-metrics.js';
import { ConnectSimulator, type GetMetricDataV2Input } from '#simulator/connect/index.js';
import {
  playScenario,
  SCENARIO_END,
  SCENARIO_ZONE,
  scenarioSimulator,
  warsawMidnight,
} from '#test/support/connect-history-scenario.js';

const METRICS = [
  { Name: 'CONTACTS_QUEUED' },
  { Name: 'CONTACTS_HANDLED' },
  { Name: 'CONTACTS_ABANDONED' },
  { Name: 'SERVICE_LEVEL', Threshold: [{ Comparison: 'LT', ThresholdValue: 20 }] },
  { Name: 'AVG_QUEUE_ANSWER_TIME' },
  { Name: 'AVG_HANDLE_TIME' },
  { Name: 'MAX_QUEUED_TIME' },
];

/** The KPI report's request: DAY in Warsaw, by queue and channel, from the 10th's midnight to now. */
const request = (change: Partial<GetMetricDataV2Input> = {}): GetMetricDataV2Input => ({
  StartTime: warsawMidnight('2026-11-10') / 1000,
  EndTime: SCENARIO_END / 1000,
  Interval: { TimeZone: SCENARIO_ZONE, IntervalPeriod: 'DAY' },
  Filters: [
    { FilterKey: 'QUEUE', FilterValues: ['primary', 'callback'] },
    { FilterKey: 'CHANNEL', FilterValues: ['VOICE', 'CHAT', 'TASK'] },
  ],
  Groupings: ['QUEUE', 'CHANNEL'],
  Metrics: METRICS,
  ...change,
});

/** A row's values by metric name (a value left out is undefined). */
const values = (row: { Collections: readonly { Metric: { Name?: string | undefined }; Value?: number }[] }) =>
  Object.fromEntries(row.Collections.map((c) => [c.Metric.Name, c.Value]));

describe('ConnectSimulator.getMetricDataV2: what the contacts came to', () => {
  it('answers per day in the zone, queue and channel, as worked out by hand (see the scenario)', () => {
    // Prepare
    const simulator = playScenario();

    // Act
    const answer = simulator.getMetricDataV2(request());

    // Assess
    expect(answer.NextToken).toBeUndefined();
    expect(
      answer.MetricResults.map((row) => ({
        dimensions: row.Dimensions,
        interval: row.MetricInterval,
        values: values(row),
      })),
    ).toEqual([
      {
        dimensions: { QUEUE: 'primary', CHANNEL: 'VOICE' },
        interval: { Interval: 'DAY', StartTime: 1794265200, EndTime: 1794351600 },
        values: {
          CONTACTS_QUEUED: 3,
          CONTACTS_HANDLED: 1,
          CONTACTS_ABANDONED: 1,
          SERVICE_LEVEL: 100 / 3,
          AVG_QUEUE_ANSWER_TIME: 270,
          AVG_HANDLE_TIME: 600,
          MAX_QUEUED_TIME: 540,
        },
      },
      {
        dimensions: { QUEUE: 'primary', CHANNEL: 'VOICE' },
        // The last day ends where the request does (now).
        interval: { Interval: 'DAY', StartTime: 1794351600, EndTime: SCENARIO_END / 1000 },
        values: {
          CONTACTS_QUEUED: 4,
          CONTACTS_HANDLED: 4,
          CONTACTS_ABANDONED: 1,
          SERVICE_LEVEL: 50,
          AVG_QUEUE_ANSWER_TIME: 730 / 3,
          AVG_HANDLE_TIME: 465,
          MAX_QUEUED_TIME: 600,
        },
      },
      {
        dimensions: { QUEUE: 'callback', CHANNEL: 'TASK' },
        interval: { Interval: 'DAY', StartTime: 1794351600, EndTime: SCENARIO_END / 1000 },
        values: {
          CONTACTS_QUEUED: 1,
          CONTACTS_HANDLED: 1,
          CONTACTS_ABANDONED: 0,
          SERVICE_LEVEL: 0,
          AVG_QUEUE_ANSWER_TIME: 2700,
          AVG_HANDLE_TIME: 300,
          MAX_QUEUED_TIME: 2700,
        },
      },
    ]);
    // The request's metrics come back as asked, threshold included.
    expect(answer.MetricResults[0]?.Collections.map((c) => c.Metric)).toEqual(METRICS);
  });

  it('leaves out the averages of a day on which nobody was answered or finished', () => {
    // Prepare: one caller who hangs up after 45 s, nobody logged in.
    const simulator = scenarioSimulator();
    simulator.arrive({ channel: 'VOICE', queueId: 'primary', patienceSeconds: 45 });
    simulator.advanceTo(SCENARIO_END);

    // Act
    const [row] = simulator.getMetricDataV2(request()).MetricResults;

    // Assess
    expect(row === undefined ? undefined : values(row)).toEqual({
      CONTACTS_QUEUED: 1,
      CONTACTS_HANDLED: 0,
      CONTACTS_ABANDONED: 1,
      SERVICE_LEVEL: 0,
      AVG_QUEUE_ANSWER_TIME: undefined,
      AVG_HANDLE_TIME: undefined,
      MAX_QUEUED_TIME: 45,
    });
  });

  it.each([
    ['LT', 10, 25],
    ['LTE', 10, 50],
    ['LT', 11, 50],
    ['LT', 601, 100],
  ])(
    'counts the service level %s %i s as Connect does: %d %% on the 11th',
    (comparison, seconds, percent) => {
      // Prepare: on the 11th four calls left the primary queue: answered after 600, 10 and 120 s, and one
      // hung up after 4 s, which Connect counts as removed from the queue in time (Administrator Guide,
      // "Historical metrics definitions", Service level X seconds).
      const simulator = playScenario();

      // Act
      const answer = simulator.getMetricDataV2(
        request({
          Metrics: [
            { Name: 'SERVICE_LEVEL', Threshold: [{ Comparison: comparison, ThresholdValue: seconds }] },
          ],
          Filters: [{ FilterKey: 'QUEUE', FilterValues: ['primary'] }],
          StartTime: warsawMidnight('2026-11-11') / 1000,
        }),
      );

      // Assess
      expect(answer.MetricResults.map((row) => row.Collections[0]?.Value)).toEqual([percent]);
    },
  );

  it('cuts the days at the zone the request names', () => {
    // Prepare: in UTC the whole evening (22:30 to 23:30 UTC) falls on the 10th.
    const simulator = playScenario();

    // Act
    const answer = simulator.getMetricDataV2(
      request({
        Interval: { TimeZone: 'UTC', IntervalPeriod: 'DAY' },
        StartTime: Date.UTC(2026, 10, 10) / 1000,
        Groupings: ['CHANNEL'],
      }),
    );

    // Assess: both queues' calls in one VOICE row (3 + 4 queued, 2 abandoned), the task in a TASK row.
    expect(answer.MetricResults.map((row) => [row.Dimensions, values(row)['CONTACTS_QUEUED']])).toEqual([
      [{ CHANNEL: 'VOICE' }, 7],
      [{ CHANNEL: 'TASK' }, 1],
    ]);
    expect(answer.MetricResults[0]?.MetricInterval.StartTime).toBe(Date.UTC(2026, 10, 10) / 1000);
  });

  it('pages with NextToken', () => {
    // Prepare
    const simulator = playScenario();

    // Act
    const first = simulator.getMetricDataV2(request({ MaxResults: 2 }));
    const second = simulator.getMetricDataV2(request({ MaxResults: 2, NextToken: first.NextToken }));

    // Assess
    expect(first.MetricResults).toHaveLength(2);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(second.MetricResults.map((row) => row.Dimensions)).toEqual([
      { QUEUE: 'callback', CHANNEL: 'TASK' },
    ]);
    expect(second.NextToken).toBeUndefined();
    expect(simulator.snapshot().apiCalls['GetMetricDataV2']).toBe(2);
  });
});

describe('ConnectSimulator.getMetricDataV2: Connect’s limits hold locally', () => {
  const day = 24 * 3600;
  it.each<[string, Partial<GetMetricDataV2Input>, RegExp]>([
    ['a DAY range of 35 days', { StartTime: SCENARIO_END / 1000 - 35 * day }, /less than 35 days/],
    ['an EndTime after now', { EndTime: SCENARIO_END / 1000 + 60 }, /cannot be later than the current time/],
    [
      'a StartTime not before the EndTime',
      { StartTime: SCENARIO_END / 1000 },
      /StartTime must be before EndTime/,
    ],
    [
      'another interval period',
      { Interval: { TimeZone: SCENARIO_ZONE, IntervalPeriod: 'HOUR' } },
      /answers IntervalPeriod DAY only, not HOUR/,
    ],
    [
      'no queue filter',
      { Filters: [{ FilterKey: 'CHANNEL', FilterValues: ['VOICE'] }] },
      /needs a QUEUE filter/,
    ],
    [
      'more than 100 queues',
      { Filters: [{ FilterKey: 'QUEUE', FilterValues: Array.from({ length: 101 }, () => 'primary') }] },
      /up to 100 filter values/,
    ],
    [
      'a metric it does not compute',
      { Metrics: [{ Name: 'AGENT_OCCUPANCY' }] },
      /does not compute AGENT_OCCUPANCY/,
    ],
    [
      'a service level without a threshold',
      { Metrics: [{ Name: 'SERVICE_LEVEL' }] },
      /SERVICE_LEVEL needs exactly one Threshold/,
    ],
    [
      'a service level threshold of 0 s',
      { Metrics: [{ Name: 'SERVICE_LEVEL', Threshold: [{ Comparison: 'LT', ThresholdValue: 0 }] }] },
      /whole number of seconds from 1 to 604800/,
    ],
    ['a page of 101', { MaxResults: 101 }, /MaxResults is 1 to 100/],
    ['a token it never gave', { NextToken: 'not-a-token' }, /NextToken is not one this instance returned/],
  ])('refuses %s', (_what, change, message) => {
    // Prepare
    const simulator = playScenario();

    // Act
    const ask = () => simulator.getMetricDataV2(request(change));

    // Assess
    expect(ask).toThrow(message);
    expect(ask).toThrow(expect.objectContaining({ name: 'InvalidParameterException' }));
  });

  it('refuses a StartTime more than three months back, and answers from exactly three months back', () => {
    // Prepare: now is 11 November 2026 00:30 in Warsaw; three months back is 11 August 00:30 (CEST).
    const simulator = playScenario();
    const threeMonthsBack = Date.UTC(2026, 7, 10, 22, 30) / 1000;
    const window = { Filters: [{ FilterKey: 'QUEUE', FilterValues: ['primary'] }] };

    // Act
    const tooOld = () =>
      simulator.getMetricDataV2(
        request({ ...window, StartTime: threeMonthsBack - 1, EndTime: threeMonthsBack + day }),
      );
    const oldest = simulator.getMetricDataV2(
      request({ ...window, StartTime: threeMonthsBack, EndTime: threeMonthsBack + day }),
    );

    // Assess
    expect(tooOld).toThrow(/available for 3 months/);
    expect(oldest.MetricResults).toEqual([]);
  });

  it('names a queue it does not have', () => {
    // Prepare
    const simulator = playScenario();

    // Act
    const ask = () =>
      simulator.getMetricDataV2(request({ Filters: [{ FilterKey: 'QUEUE', FilterValues: ['nope'] }] }));

    // Assess
    expect(ask).toThrow(
      expect.objectContaining({ name: 'ResourceNotFoundException', message: 'Queue "nope" not found' }),
    );
  });
});

describe('ConnectSimulator.getMetricDataV2: agrees with the simulator’s own counters', () => {
  const T0 = Date.UTC(2026, 10, 27, 6);
  const arrival = fc.record({
    kind: fc.constantFrom('VOICE', 'CHAT', 'TASK'),
    queueId: fc.constantFrom('primary', 'callback'),
    atSeconds: fc.integer({ min: 0, max: 2 * 24 * 3600 }),
    patienceSeconds: fc.integer({ min: 0, max: 900 }),
    handlingSeconds: fc.integer({ min: 0, max: 1800 }),
  });

  it('counts every contact once, whatever zone cuts the days (UTC, Kathmandu +5:45, Chatham +13:45)', () => {
    fc.assert(
      fc.property(
        fc.array(arrival, { maxLength: 80 }),
        fc.integer({ min: 0, max: 3 }),
        (arrivals, agents) => {
          // Prepare: random calls, chats and tasks over two days, a few agents for all of them.
          const simulator = new ConnectSimulator({
            startTime: T0,
            seed: 11,
            queues: [
              { id: 'primary', name: 'primary' },
              { id: 'callback', name: 'callback' },
            ],
            routingProfiles: [
              {
                id: 'all',
                name: 'all',
                concurrency: { VOICE: 1, CHAT: 2, TASK: 1 },
                queues: ['primary', 'callback'].flatMap((queueId) =>
                  (['VOICE', 'CHAT', 'TASK'] as const).map((channel) => ({ queueId, channel, priority: 1 })),
                ),
              },
            ],
          });
          simulator.setAgentsOnline('all', agents);
          let longestWaitMs = 0;
          let answerWaitSum = 0;
          let removedWithin20s = 0;
          simulator.onContactEvent((event) => {
            if (event.type === 'completed') return;
            longestWaitMs = Math.max(longestWaitMs, event.waitSeconds * 1000);
            if (event.type === 'answered') answerWaitSum += event.waitSeconds;
            if (event.waitSeconds < 20) removedWithin20s++;
          });
          for (const a of arrivals) {
            const at = T0 + a.atSeconds * 1000;
            if (a.kind === 'TASK')
              simulator.arriveTask({ queueId: a.queueId, at, handlingSeconds: a.handlingSeconds });
            else
              simulator.arrive({
                channel: a.kind,
                queueId: a.queueId,
                at,
                patienceSeconds: a.patienceSeconds,
                handlingSeconds: a.handlingSeconds,
              });
          }
          simulator.advanceTo(T0 + 3 * 24 * 3600_000);

          for (const zone of ['UTC', 'Asia/Kathmandu', 'Pacific/Chatham']) {
            // Act
            const rows = simulator.getMetricDataV2({
              ...request(),
              StartTime: (T0 - 24 * 3600_000) / 1000,
              EndTime: simulator.now / 1000,
              Interval: { TimeZone: zone, IntervalPeriod: 'DAY' },
            }).MetricResults;

            // Assess: per queue and channel, the days add up to the simulator's counters since the start.
            for (const stats of simulator.queueStats()) {
              for (const channel of ['VOICE', 'CHAT', 'TASK'] as const) {
                const mine = rows.filter(
                  (r) => r.Dimensions['QUEUE'] === stats.queueId && r.Dimensions['CHANNEL'] === channel,
                );
                const sum = (metric: string) =>
                  mine.reduce((total, row) => total + (values(row)[metric] ?? 0), 0);
                const counters = stats.byChannel[channel];
                expect(sum('CONTACTS_QUEUED')).toBe(counters.answered + counters.abandoned);
                expect(sum('CONTACTS_ABANDONED')).toBe(counters.abandoned);
                expect(sum('CONTACTS_HANDLED')).toBe(counters.completed);
              }
            }
            // The service level (< 20 s) times the queued: the contacts answered or abandoned within 20 s.
            const inTime = rows.reduce(
              (total, row) =>
                total + ((values(row)['SERVICE_LEVEL'] ?? 0) * (values(row)['CONTACTS_QUEUED'] ?? 0)) / 100,
              0,
            );
            expect(inTime).toBeCloseTo(removedWithin20s, 6);
            const answerWaits = rows.reduce((total, row) => {
              const v = values(row);
              return (
                total +
                (v['AVG_QUEUE_ANSWER_TIME'] ?? 0) *
                  ((v['CONTACTS_QUEUED'] ?? 0) - (v['CONTACTS_ABANDONED'] ?? 0))
              );
            }, 0);
            expect(answerWaits).toBeCloseTo(answerWaitSum, 3);
            const longest = Math.max(0, ...rows.map((row) => values(row)['MAX_QUEUED_TIME'] ?? 0));
            expect(longest).toBeCloseTo(longestWaitMs / 1000, 6);
          }
        },
      ),
      { numRuns: 60, seed: 2026 },
    );
  });
});

describe('LaneHistory: memory', () => {
  it('keeps aggregates, not contacts, and drops those older than the retention', () => {
    // Prepare: 120 days of a call answered every minute.
    const history = new LaneHistory('primary', 'VOICE');
    const start = Date.UTC(2026, 0, 1);

    // Act
    for (let minute = 0; minute < 120 * 24 * 60; minute++) history.answered(start + minute * 60_000, 12_000);

    // Assess: at most 93 days of quarter hours, the newest kept, the first 27 days gone.
    expect(history.quarters.size).toBeLessThanOrEqual(RETAINED_QUARTER_HOURS);
    const indexes = [...history.quarters.keys()];
    expect(indexes.at(-1)).toBe(Math.floor((start + (120 * 24 * 60 - 1) * 60_000) / QUARTER_HOUR_MS));
    expect(Math.min(...indexes) * QUARTER_HOUR_MS).toBeGreaterThan(start + 26 * 24 * 3600_000);
    // Every call waited 12 s: one entry per quarter hour however many calls it holds.
    expect(history.quarters.get(indexes[0] ?? 0)?.removedBySecond).toEqual(new Map([[12, 15]]));
  });
});
