/**
 * Every alarm of issue 14 in the pipeline's template: what it watches (metric, dimensions, statistic,
 * period), when it fires (threshold, comparison, evaluation, missing data) and that it tells the ops topic.
 * The stage's settings are not the defaults, so each threshold is seen to come from `alarms.*`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { heldPeriods } from '#infra/constructs/peak-alarms.js';
import type { SynthesizedDeployment } from '#test/support/synth.js';
import { synthUnbundled } from '#test/support/synth-unbundled.js';

type Properties = Record<string, unknown> & {
  readonly AlarmActions?: unknown[];
  readonly OKActions?: unknown[];
  readonly Metrics?: { Id: string; Expression?: string; MetricStat?: Record<string, unknown> }[];
};

const SETTINGS = {
  overflow: { requestUrl: 'https://sklep.example.pl/kontakt' },
  alarms: {
    smsMonthlySpendLimitUSD: 250,
    smsDeliveryFailureRate: 0.1,
    smsDeliveryMinimum: 40,
    overflowHeldMinutes: 90,
    deflectHeldMinutes: 45,
    controllerSilentMinutes: 7,
    callbackBacklogMinutes: 30,
    bufferAgeMinutes: 20,
  },
};

let synth: SynthesizedDeployment;
let alarms: Record<string, { Properties: Properties }>;
let topic: string;

beforeAll(() => {
  synth = synthUnbundled(SETTINGS);
  alarms = synth.pipeline.findResources('AWS::CloudWatch::Alarm') as typeof alarms;
  const topics = Object.keys(synth.pipeline.findResources('AWS::SNS::Topic'));
  expect(topics).toHaveLength(1);
  topic = topics[0] ?? '';
});

/** The alarm whose logical id starts with `prefix` (the construct path without the hash). */
const alarm = (prefix: string): Properties => {
  const found = Object.entries(alarms).filter(([id]) => id.startsWith(prefix));
  expect(found.map(([id]) => id)).toHaveLength(1);
  return (found[0] as [string, { Properties: Properties }])[1].Properties;
};

const pagesOps = (properties: Properties) => {
  expect(properties.AlarmActions).toEqual([{ Ref: topic }]);
};

/** The metric of a metric-math alarm by its id. */
const stat = (properties: Properties, id: string) =>
  properties.Metrics?.find((m) => m.Id === id)?.MetricStat as
    | {
        Metric: { Namespace: string; MetricName: string; Dimensions?: unknown[] };
        Stat: string;
        Period: number;
      }
    | undefined;

/** Dimensions of one of peakline's metrics, in the order the template has them (by name). */
const own = (service: string, extra: Record<string, string> = {}) =>
  [
    { Name: 'service', Value: service },
    { Name: 'stage', Value: 'test' },
    ...Object.entries(extra).map(([Name, Value]) => ({ Name, Value })),
  ].sort((a, b) => a.Name.localeCompare(b.Name));

describe('alarms to the ops topic', () => {
  it('SMS spend at 80% and 95% of alarms.smsMonthlySpendLimitUSD (SNS SMSMonthToDateSpentUSD)', () => {
    // Assess (prepared and synthesized once, in beforeAll)
    for (const [id, threshold] of [
      ['OpsSmsSpend80Alarm', 200],
      ['OpsSmsSpend95Alarm', 237.5],
    ] as const) {
      const spend = alarm(id);
      expect(spend).toMatchObject({
        Namespace: 'AWS/SNS',
        MetricName: 'SMSMonthToDateSpentUSD',
        Statistic: 'Maximum',
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'ignore',
      });
      expect(spend.Dimensions).toBeUndefined();
      pagesOps(spend);
    }
  });

  it('SMS delivery failure rate, judged only above alarms.smsDeliveryMinimum SMS an hour', () => {
    // Assess (prepared and synthesized once, in beforeAll)
    const rate = alarm('OpsSmsDeliveryFailureAlarm');
    const expression = rate.Metrics?.find((m) => m.Expression !== undefined)?.Expression;
    expect(expression).toBe(
      'IF((FILL(failed, 0) + FILL(delivered, 0)) >= 40, FILL(failed, 0) / (FILL(failed, 0) + FILL(delivered, 0)), 0)',
    );
    for (const [id, metric] of [
      ['failed', 'NumberOfNotificationsFailed'],
      ['delivered', 'NumberOfNotificationsDelivered'],
    ] as const) {
      expect(stat(rate, id)).toEqual({
        Metric: {
          Namespace: 'AWS/SNS',
          MetricName: metric,
          Dimensions: [{ Name: 'PhoneNumber', Value: 'PhoneNumberDirect' }],
        },
        Stat: 'Sum',
        Period: 3600,
      });
    }
    expect(rate).toMatchObject({
      Threshold: 0.1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
    });
    pagesOps(rate);
  });

  it('OVERFLOW and DEFLECT held longer than configured, per watched queue: the lowest state of whole periods', () => {
    // Assess (prepared and synthesized once, in beforeAll)
    for (const [queue, prefix] of [
      ['primary', 'Primary'],
      ['callback', 'Callback'],
    ] as const) {
      // 90 minutes: 18 periods of 5 minutes (10 would be more than a tenth); 45 minutes: 45 of 1 minute
      for (const [state, threshold, period, periods] of [
        ['Overflow', 1, 300, 18],
        ['Deflect', 2, 60, 45],
      ] as const) {
        const held = alarm(`Ops${prefix}${state}HeldAlarm`);
        expect(held).toMatchObject({
          Namespace: 'peakline',
          MetricName: 'RoutingState',
          Dimensions: own('peakline-overflow-controller', { queue }),
          Statistic: 'Minimum',
          Period: period,
          Threshold: threshold,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: periods,
          TreatMissingData: 'notBreaching',
        });
        pagesOps(held);
      }
    }
  });

  it('controller silent: no OverflowSamples for alarms.controllerSilentMinutes, missing data breaching', () => {
    // Assess (prepared and synthesized once, in beforeAll)
    const silent = alarm('OpsControllerSamplesSilentAlarm');
    expect(silent).toMatchObject({
      Namespace: 'peakline',
      MetricName: 'OverflowSamples',
      Dimensions: own('peakline-overflow-controller'),
      Statistic: 'Sum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 7,
      DatapointsToAlarm: 7,
      TreatMissingData: 'breaching',
    });
    pagesOps(silent);
  });

  it('callback backlog older than alarms.callbackBacklogMinutes, two sweeps in a row', () => {
    // Assess (prepared and synthesized once, in beforeAll)
    const backlog = alarm('OpsCallbackBacklogAgeAlarm');
    expect(backlog).toMatchObject({
      Namespace: 'peakline',
      MetricName: 'CallbackBacklogAgeSeconds',
      Dimensions: own('peakline-callback-sweeper'),
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 1800,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
    });
    pagesOps(backlog);
  });

  it('Connect: ConcurrentCallsPercentage at 0.8 or more, and any ThrottledCalls', () => {
    // Assess (prepared and synthesized once, in beforeAll)
    const concurrent = alarm('OpsConnectConcurrentCallsAlarm');
    expect(concurrent).toMatchObject({
      Namespace: 'AWS/Connect',
      MetricName: 'ConcurrentCallsPercentage',
      Statistic: 'Maximum',
      Threshold: 0.8,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const throttled = alarm('OpsConnectThrottledCallsAlarm');
    expect(throttled).toMatchObject({
      Namespace: 'AWS/Connect',
      MetricName: 'ThrottledCalls',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    for (const connect of [concurrent, throttled]) {
      const names = (connect.Dimensions as { Name: string; Value: unknown }[]).map((d) => d.Name);
      expect(names).toEqual(['InstanceId', 'MetricGroup']);
      expect(connect.Dimensions).toContainEqual({ Name: 'MetricGroup', Value: 'VoiceCalls' });
      pagesOps(connect);
    }
  });

  it('Connect: any ContactFlowFatalErrors in one of peakline’s flows', () => {
    // Assess (prepared and synthesized once, in beforeAll)
    const fatal = alarm('OpsConnectFlowFatalErrorsAlarm');
    const flows = (fatal.Metrics ?? [])
      .filter((m) => m.MetricStat !== undefined)
      .map((m) => stat(fatal, m.Id)?.Metric);
    expect(flows.map((m) => m?.MetricName)).toEqual(Array(3).fill('ContactFlowFatalErrors'));
    const names = flows.map(
      (m) =>
        (m?.Dimensions as { Name: string; Value: unknown }[]).find((d) => d.Name === 'ContactFlowName')
          ?.Value,
    );
    expect(names.sort()).toEqual(['test-customer-queue', 'test-inbound', 'test-task-routing']);
    for (const flow of flows)
      expect(flow?.Dimensions).toContainEqual({ Name: 'MetricGroup', Value: 'ContactFlow' });
    expect(fatal).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    pagesOps(fatal);
  });

  it('the public status document not written, as soon as one write fails', () => {
    // Assess (prepared and synthesized once, in beforeAll)
    const failures = alarm('OpsPublicStatusWriteFailuresAlarm');
    expect(failures).toMatchObject({
      Namespace: 'peakline',
      MetricName: 'PublicStatusWriteFailures',
      Dimensions: own('peakline-overflow-controller'),
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    pagesOps(failures);
  });

  it('the age of the oldest message in each event buffer above alarms.bufferAgeMinutes', () => {
    // Assess (prepared and synthesized once, in beforeAll)
    const buffers = Object.entries(alarms).filter(([id]) => /BufferAgeAlarm/.test(id));
    expect(buffers.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'OpsCallbackBufferAgeAlarm',
      'OpsCustomerOptOutBufferAgeAlarm',
      'OpsFactRecorderBufferAgeAlarm',
      // The order index's buffer, with the order status on (the default).
      'OpsOrderIndexBufferAgeAlarm',
      'OpsOrderSmsBufferAgeAlarm',
      'OpsPaymentBufferAgeAlarm',
    ]);
    for (const [, { Properties: age }] of buffers) {
      expect(age).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 1200,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      pagesOps(age);
    }
  });

  it('every function: errors and throttles', () => {
    // Assess (prepared and synthesized once, in beforeAll)
    const functions = Object.keys(synth.pipeline.findResources('AWS::Lambda::Function')).filter(
      // CDK's own helper functions (log retention, custom resources) are not peakline's.
      (id) => !/LogRetention|CustomResource|AWS679f53fac002430cb0da5b7982bd2287/.test(id),
    );
    const watched = (metricName: string) =>
      new Set(
        Object.values(alarms)
          .map((a) => a.Properties)
          .filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === metricName)
          .map((a) => {
            pagesOps(a);
            return JSON.stringify(a.Dimensions).match(/"Ref":"([^"]+)"/)?.[1];
          }),
      );
    expect(functions.length).toBeGreaterThanOrEqual(12);
    expect([...watched('Errors')].sort()).toEqual([...functions].sort());
    expect([...watched('Throttles')].sort()).toEqual([...functions].sort());
  });

  it('every dead-letter and rejected-events queue not empty', () => {
    // Assess (prepared and synthesized once, in beforeAll)
    const queues = Object.entries(synth.pipeline.findResources('AWS::SQS::Queue'))
      .filter(([, q]) => /-dlq$|rejected-events$/.test(String(q.Properties?.QueueName)))
      .map(([id]) => id);
    const watched = Object.values(alarms)
      .map((a) => a.Properties)
      .filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map((a) => {
        pagesOps(a);
        expect(a).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
        return JSON.stringify(a.Dimensions).match(/"Fn::GetAtt":\["([^"]+)"/)?.[1];
      });
    expect(queues.length).toBeGreaterThanOrEqual(8);
    expect([...new Set(watched)].sort()).toEqual([...queues].sort());
  });

  it('one composite "peak degraded" for the pager, fed by the alarms its description names', () => {
    // Assess (prepared and synthesized once, in beforeAll)
    const composites = Object.values(synth.pipeline.findResources('AWS::CloudWatch::CompositeAlarm'));
    expect(composites).toHaveLength(1);
    const peak = composites[0]?.Properties as Properties & { AlarmRule: unknown; AlarmDescription: string };
    expect(peak.AlarmName).toBe('peakline-test-peak-degraded');
    pagesOps(peak);
    expect(peak.OKActions).toEqual([{ Ref: topic }]);
    const fed = JSON.stringify(peak.AlarmRule)
      .match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/g)
      ?.map((m) => m.replace(/^.*\["Ops([A-Za-z0-9]+?)Alarm[0-9A-F]{8}".*$/, '$1'));
    expect(fed?.sort()).toEqual(
      [
        'CallbackBacklogAge',
        'ConnectConcurrentCalls',
        'ConnectFlowFatalErrors',
        'ConnectThrottledCalls',
        'ControllerSamplesSilent',
        'PrimaryDeflectHeld',
        'SmsSpend95',
      ].sort(),
    );
    expect(JSON.stringify(peak.AlarmRule)).toMatch(/^\{"Fn::Join":\["",\["\(ALARM\(/);
    expect(JSON.stringify(peak.AlarmRule)).not.toContain(' AND ');
    for (const named of ['ThrottledCalls', 'controller silent', 'DEFLECT held', 'callback backlog', '95%']) {
      expect(peak.AlarmDescription).toContain(named);
    }
    expect(peak.AlarmDescription.length).toBeLessThanOrEqual(1024);
  });
});

describe('heldPeriods', () => {
  it.each([
    [120, 600, 12],
    [90, 300, 18],
    [60, 300, 12],
    [45, 60, 45],
    [5, 60, 5],
    [1440, 3600, 24],
  ])('%i minutes: periods of %i s, %i in a row', (minutes, seconds, periods) => {
    // Act
    const held = heldPeriods(minutes);

    // Assess
    expect(held.period.toSeconds()).toBe(seconds);
    expect(held.evaluationPeriods).toBe(periods);
    // CloudWatch's limit on one alarm's evaluation: a day.
    expect(held.period.toSeconds() * held.evaluationPeriods).toBeLessThanOrEqual(86_400);
  });

  it('refuses what CloudWatch could not evaluate', () => {
    // Act + Assess: 1441 minutes (a prime) would need 1441 one-minute periods, over a day
    expect(() => heldPeriods(1441)).toThrow(/one day/);
    expect(() => heldPeriods(0)).toThrow(RangeError);
  });
});
