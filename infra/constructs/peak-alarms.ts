import { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  ComparisonOperator,
  type CompositeAlarm,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { PeaklineConfig } from '#infra/config/schema.js';
import type { QueueKey } from './connect/contact-centre-model.js';
import { connectFlowMetric, connectInstanceMetric } from './connect/connect-metrics.js';
import { type OpsAlarms, peaklineMetric } from './ops-alarms.js';

/** The controller's service: it writes RoutingState, ExpectedWaitSeconds and OverflowSamples. */
export const CONTROLLER_SERVICE = 'peakline-overflow-controller';
/** The callback sweeper's service: it writes CallbackCreated and CallbackBacklogAgeSeconds. */
export const SWEEPER_SERVICE = 'peakline-callback-sweeper';

/** RoutingState's values (the metrics contract): 0 NORMAL, 1 OVERFLOW, 2 DEFLECT. */
export const ROUTING_STATE_VALUE = { NORMAL: 0, OVERFLOW: 1, DEFLECT: 2 } as const;

/** CloudWatch refuses an alarm whose evaluation periods times its period exceed one day. */
const MAX_EVALUATION_SECONDS = 86_400;
const PERIOD_CHOICES_MINUTES = [60, 30, 15, 10, 5, 1] as const;

/**
 * How to see "held for `minutes`" with whole periods: the Minimum of RoutingState over each period is at
 * least the state only if every sample of the period was, so `evaluationPeriods` such periods in a row
 * mean the state held that long. The period is the longest that divides `minutes` and is at most a tenth
 * of it (the alarm comes at most a tenth late: a state entered mid-period counts from the next one), and
 * always within CloudWatch's one day of evaluation.
 */
export const heldPeriods = (
  minutes: number,
): { readonly period: Duration; readonly evaluationPeriods: number } => {
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new RangeError(`A held-for alarm needs a whole number of minutes, got ${minutes}`);
  }
  const periodMinutes = PERIOD_CHOICES_MINUTES.find((p) => minutes % p === 0 && p <= minutes / 10) ?? 1;
  const evaluationPeriods = minutes / periodMinutes;
  if (evaluationPeriods * periodMinutes * 60 > MAX_EVALUATION_SECONDS) {
    throw new RangeError(
      `${minutes} minutes is longer than CloudWatch can evaluate in one alarm (one day): lower the setting`,
    );
  }
  return { period: Duration.minutes(periodMinutes), evaluationPeriods };
};

/** The account's SMS spend this month in SNS (no dimension: one figure per account and region). */
export const smsSpendMetric = (period = Duration.hours(1)): Metric =>
  new Metric({
    namespace: 'AWS/SNS',
    metricName: 'SMSMonthToDateSpentUSD',
    statistic: 'Maximum',
    period,
  });

/**
 * SMS SNS handed to the carriers, delivered or failed. peakline publishes to phone numbers directly (no
 * topic): SNS files those under the dimension `PhoneNumber` = `PhoneNumberDirect`.
 */
export const smsDeliveryMetric = (
  metricName: 'NumberOfNotificationsDelivered' | 'NumberOfNotificationsFailed',
  period = Duration.hours(1),
): Metric =>
  new Metric({
    namespace: 'AWS/SNS',
    metricName,
    dimensionsMap: { PhoneNumber: 'PhoneNumberDirect' },
    statistic: 'Sum',
    period,
  });

export interface PeakAlarmsProps {
  readonly config: PeaklineConfig;
  readonly ops: OpsAlarms;
  readonly connectInstanceId: string;
  /** The names of peakline's contact flows (their CloudWatch `ContactFlowName`). */
  readonly flowNames: readonly string[];
}

/** The alarms of a peak, each by what it watches; `peakDegraded` is the one the pager follows. */
export interface PeakAlarms {
  readonly smsSpend80: Alarm;
  readonly smsSpend95: Alarm;
  readonly smsDeliveryFailures: Alarm;
  readonly overflowHeld: Readonly<Partial<Record<QueueKey, Alarm>>>;
  readonly deflectHeld: Readonly<Partial<Record<QueueKey, Alarm>>>;
  readonly controllerSilent: Alarm;
  readonly callbackBacklog: Alarm;
  readonly connectConcurrentCalls: Alarm;
  readonly connectThrottledCalls: Alarm;
  readonly connectFlowFatalErrors: Alarm;
  readonly peakDegraded: CompositeAlarm;
}

/**
 * The alarms DESIGN.md part 5 and issue 14 ask for beyond the per-queue and per-function ones, all to the
 * ops topic, with their thresholds from `alarms.*`, and the composite "peak degraded" alarm.
 */
export const addPeakAlarms = ({ config, ops, connectInstanceId, flowNames }: PeakAlarmsProps): PeakAlarms => {
  const { stage, alarms } = config;

  const spend = (id: string, share: number) =>
    ops.threshold(id, {
      metric: smsSpendMetric(),
      threshold: Math.round(alarms.smsMonthlySpendLimitUSD * share * 100) / 100,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // SNS sends the figure now and then, not every period: a gap keeps the state it had.
      treatMissingData: TreatMissingData.IGNORE,
      description: `SMS spend this month has reached ${share * 100}% of alarms.smsMonthlySpendLimitUSD (US$${alarms.smsMonthlySpendLimitUSD}); at 100% SNS stops sending every SMS until the month ends. Raise the account's SMS spend limit in SNS (text messaging preferences; above US$1 it needs a quota request) and alarms.smsMonthlySpendLimitUSD with it, or lower sms.dailySegmentCap.`,
      okAction: true,
    });
  const smsSpend80 = spend('SmsSpend80Alarm', 0.8);
  const smsSpend95 = spend('SmsSpend95Alarm', 0.95);

  // Metric math: the rate only over an hour with enough SMS to mean something, 0 otherwise.
  const minimum = alarms.smsDeliveryMinimum;
  const smsDeliveryFailures = ops.threshold('SmsDeliveryFailureAlarm', {
    metric: new MathExpression({
      expression: `IF((FILL(failed, 0) + FILL(delivered, 0)) >= ${minimum}, FILL(failed, 0) / (FILL(failed, 0) + FILL(delivered, 0)), 0)`,
      usingMetrics: {
        failed: smsDeliveryMetric('NumberOfNotificationsFailed'),
        delivered: smsDeliveryMetric('NumberOfNotificationsDelivered'),
      },
      label: 'SMS delivery failure rate',
      period: Duration.hours(1),
    }),
    threshold: alarms.smsDeliveryFailureRate,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    description: `Over the last hour at least ${alarms.smsDeliveryFailureRate * 100}% (alarms.smsDeliveryFailureRate) of the SMS SNS handed to the carriers failed, with at least ${minimum} SMS sent (alarms.smsDeliveryMinimum). Check the SNS delivery status logs (text messaging preferences) for the carriers' reasons: a blocked sender ID, a country not enabled, numbers that are no longer mobile.`,
  });

  const routingState = (queue: QueueKey, period: Duration) =>
    peaklineMetric({
      stage,
      service: CONTROLLER_SERVICE,
      metricName: 'RoutingState',
      dimensions: { queue },
      // The lowest state of the period: at least OVERFLOW only if every sample was.
      statistic: 'Minimum',
      period,
    });
  const held = (
    state: 'OVERFLOW' | 'DEFLECT',
    minutes: number,
    setting: string,
    advice: string,
  ): Partial<Record<QueueKey, Alarm>> => {
    const { period, evaluationPeriods } = heldPeriods(minutes);
    return Object.fromEntries(
      [...new Set(config.overflow.queues)].map((queue) => [
        queue,
        ops.threshold(`${pascal(queue)}${pascal(state.toLowerCase())}HeldAlarm`, {
          metric: routingState(queue, period),
          threshold: ROUTING_STATE_VALUE[state],
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods,
          // A silent controller has its own alarm; no samples is not a state held.
          treatMissingData: TreatMissingData.NOT_BREACHING,
          description: `The ${queue} queue has been in ${state}${state === 'OVERFLOW' ? ' or DEFLECT' : ''} for ${minutes} minutes (${setting}): ${advice}`,
          okAction: true,
        }),
      ]),
    );
  };
  const overflowHeld = held(
    'OVERFLOW',
    alarms.overflowHeldMinutes,
    'alarms.overflowHeldMinutes',
    'the peak outlasts the staffing and the second line takes callers for good. Add voice or second-line seats (peakline seats add), or check the wait thresholds (overflow.*).',
  );
  const deflectHeld = held(
    'DEFLECT',
    alarms.deflectHeldMinutes,
    'alarms.deflectHeldMinutes',
    'callers have been offered to leave (SMS link, queued callback) for that long: the queue is overwhelmed. Add seats now, and expect queued callbacks to pile up in the callback queue.',
  );

  const silentMinutes = alarms.controllerSilentMinutes;
  const controllerSilent = ops.threshold('ControllerSamplesSilentAlarm', {
    metric: peaklineMetric({
      stage,
      service: CONTROLLER_SERVICE,
      metricName: 'OverflowSamples',
      statistic: 'Sum',
      period: Duration.minutes(1),
    }),
    threshold: 1,
    comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: silentMinutes,
    datapointsToAlarm: silentMinutes,
    // Silence is the failure: no datapoint at all is a controller that did not sample.
    treatMissingData: TreatMissingData.BREACHING,
    description: `The overflow controller has taken no sample for ${silentMinutes} minutes (alarms.controllerSilentMinutes): the routing states go stale and every router answers NORMAL (no overflow, no deflection, no late-reply promise). Check its schedule, its errors and throttles, its log group (the Connect metrics call), and its reserved concurrency.`,
    okAction: true,
  });

  const backlogMinutes = alarms.callbackBacklogMinutes;
  const callbackBacklog = ops.threshold('CallbackBacklogAgeAlarm', {
    metric: peaklineMetric({
      stage,
      service: SWEEPER_SERVICE,
      metricName: 'CallbackBacklogAgeSeconds',
      statistic: 'Maximum',
      period: Duration.minutes(1),
    }),
    threshold: backlogMinutes * 60,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    // Two sweeps in a row: the due index is eventually consistent, and right after a sweep it may still
    // show a callback the sweep has just turned into a task.
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    description: `A due cart callback has waited over ${backlogMinutes} minutes (alarms.callbackBacklogMinutes) without its task: Connect is throttling StartTaskContact, tasks fail, or the sweeper is too slow for the carts abandoned. See the callback-sweeper's log group ("callback swept"), raise connect.apiCallsPerSecond (with Connect's quota) or callbacks.sweepBatch.`,
  });

  const connectConcurrentCalls = ops.threshold('ConnectConcurrentCallsAlarm', {
    metric: connectInstanceMetric(connectInstanceId, 'ConcurrentCallsPercentage', { statistic: 'Maximum' }),
    // Connect sends the share as a fraction: 0.8 is 80% of the instance's concurrent-calls quota.
    threshold: 0.8,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    description:
      "Amazon Connect is at 80% or more of the instance's concurrent-calls quota: above 100% new calls are refused (ThrottledCalls, CallsBreachingConcurrencyQuota). Ask for a quota increase (Service Quotas, Amazon Connect, concurrent active calls per instance) before the next peak.",
    okAction: true,
  });
  const connectThrottledCalls = ops.threshold('ConnectThrottledCallsAlarm', {
    metric: connectInstanceMetric(connectInstanceId, 'ThrottledCalls', {
      statistic: 'Sum',
      period: Duration.minutes(5),
    }),
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    description:
      'Amazon Connect refused calls: the calls-per-second quota was exceeded and those callers heard nothing. Ask for a quota increase (Service Quotas, Amazon Connect, rate of calls per second) and check the traffic for a spike or an attack.',
  });
  const fatal = Object.fromEntries(
    flowNames.map((name, index) => [
      `flow${index}`,
      connectFlowMetric(connectInstanceId, name, 'ContactFlowFatalErrors', {
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
    ]),
  );
  const connectFlowFatalErrors = ops.threshold('ConnectFlowFatalErrorsAlarm', {
    metric: new MathExpression({
      expression: Object.keys(fatal)
        .map((id) => `FILL(${id}, 0)`)
        .join(' + '),
      usingMetrics: fatal,
      label: 'ContactFlowFatalErrors',
      period: Duration.minutes(5),
    }),
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    description: `A peakline contact flow (${flowNames.join(', ')}) failed on a system error and the contact was dropped. Read the instance's flow logs (CloudWatch Logs, /aws/connect/<instance alias>) for the block that failed; check that the flow's functions are associated with the instance.`,
  });

  const primaryDeflect = deflectHeld.primary;
  const feeding: Alarm[] = [
    connectThrottledCalls,
    connectConcurrentCalls,
    connectFlowFatalErrors,
    controllerSilent,
    ...(primaryDeflect === undefined ? [] : [primaryDeflect]),
    callbackBacklog,
    smsSpend95,
  ];
  const peakDegraded = ops.composite(
    'PeakDegradedAlarm',
    feeding,
    [
      `peak degraded (${stage}): the one alarm to page someone. It is in ALARM while any of these is:`,
      '- Connect ThrottledCalls, ConcurrentCallsPercentage >= 0.8, ContactFlowFatalErrors: callers are refused or dropped now, or about to be;',
      '- controller silent: routing is frozen at NORMAL for every caller, so overflow and deflection are off in the middle of a peak;',
      '- DEFLECT held on the primary queue: the queue has been overwhelmed for alarms.deflectHeldMinutes, only more staff helps;',
      '- callback backlog: customers promised a callback are not getting one;',
      '- SMS spend at 95%: SNS is about to stop every SMS, order confirmations included.',
      'Not included (each still goes to the ops topic): dead letters, buffer age, function errors and throttles, OVERFLOW held, SMS spend at 80% and the delivery failure rate, which need a look in working hours rather than a page at night.',
    ].join('\n'),
    `peakline-${stage}-peak-degraded`,
  );

  return {
    smsSpend80,
    smsSpend95,
    smsDeliveryFailures,
    overflowHeld,
    deflectHeld,
    controllerSilent,
    callbackBacklog,
    connectConcurrentCalls,
    connectThrottledCalls,
    connectFlowFatalErrors,
    peakDegraded,
  };
};

const pascal = (key: string): string => key.charAt(0).toUpperCase() + key.slice(1);
