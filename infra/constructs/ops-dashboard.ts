import { Duration } from 'aws-cdk-lib';
import {
  AlarmStatusWidget,
  Color,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  MathExpression,
  type Metric,
  PeriodOverride,
  TextWidget,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { PeaklineConfig } from '#infra/config/schema.js';
import type { QueueKey } from './connect/contact-centre-model.js';
import { connectFlowMetric, connectInstanceMetric, connectQueueMetric } from './connect/connect-metrics.js';
import { type OpsAlarms, PEAKLINE_NAMESPACE, peaklineMetric } from './ops-alarms.js';
import { CONTROLLER_SERVICE, SWEEPER_SERVICE, smsSpendMetric } from './peak-alarms.js';

export interface OpsDashboardProps {
  readonly config: PeaklineConfig;
  /** Every function, buffer and dead-letter queue registered with the ops alarms is drawn. */
  readonly ops: OpsAlarms;
  readonly connectInstanceId: string;
  /** Each queue's name in Connect: its `QueueName` dimension. */
  readonly queueNames: Readonly<Record<QueueKey, string>>;
  /** The contact flows' names: their `ContactFlowName` dimension. */
  readonly flowNames: readonly string[];
  /** The services (`peakline-<function>`) that send SMS and count SmsSent, SmsParts, SmsDeferred. */
  readonly smsServices: readonly string[];
  /** Shown at the top: the composite first, then what feeds it. */
  readonly alarms: readonly IAlarm[];
  /** Graphs of the other parts (facts recorded, public status writes...), drawn before the plumbing. */
  readonly extraGraphs?: readonly { readonly title: string; readonly metrics: readonly IMetric[] }[];
}

/** The dashboard's widgets are 24 units wide: two graphs a row. */
const HALF = 12;
const HEIGHT = 6;

const QUEUE_KEYS: readonly QueueKey[] = ['primary', 'secondLine', 'callback', 'accounting'];

/**
 * `metrics` summed into one line (each series filled with 0 where it has no datapoint). The ids start
 * with the label, since ids must be unique across a graph's lines.
 */
const sumOf = (label: string, metrics: readonly Metric[], period = Duration.minutes(5)): MathExpression => {
  const prefix = label.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  return new MathExpression({
    expression: metrics.map((_, i) => `FILL(${prefix}${i}, 0)`).join(' + '),
    usingMetrics: Object.fromEntries(metrics.map((m, i) => [`${prefix}${i}`, m])),
    label,
    period,
  });
};

/**
 * The stage's CloudWatch dashboard, `peakline-<stage>`: what ops look at during a peak, top to bottom -
 * the alarms, Amazon Connect's own view of the queues and calls, the routing state peakline keeps, then
 * the SMS, callbacks, seats, and the plumbing (buffers, dead letters, functions). Built last, from what the
 * stack registered with the ops alarms, so a function or queue added later is drawn without touching it.
 */
export class OpsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OpsDashboardProps) {
    super(scope, id);
    const { config, ops, connectInstanceId } = props;
    const stage = config.stage;
    const watched = [...new Set(config.overflow.queues)];
    const own = (service: string, metricName: string, statistic = 'Sum', period = Duration.minutes(5)) =>
      peaklineMetric({ stage, service, metricName, statistic, period, label: metricName });
    const graph = (
      title: string,
      left: readonly IMetric[],
      extra: Partial<GraphWidgetExtra> = {},
    ): GraphWidget =>
      new GraphWidget({
        title,
        left: [...left],
        width: extra.width ?? HALF,
        height: HEIGHT,
        ...(extra.leftYAxis === undefined ? {} : { leftYAxis: extra.leftYAxis }),
        ...(extra.leftAnnotations === undefined ? {} : { leftAnnotations: extra.leftAnnotations }),
        ...(extra.stacked === undefined ? {} : { stacked: extra.stacked }),
      });

    const rows: IWidget[][] = [];
    rows.push([
      new AlarmStatusWidget({
        title: 'Peak degraded, and what feeds it',
        alarms: [...props.alarms],
        width: 24,
        height: 3,
      }),
    ]);

    // Amazon Connect's own metrics (AWS/Connect), per queue and for the instance.
    const perQueue = (metricName: 'QueueSize' | 'LongestQueueWaitTime') =>
      QUEUE_KEYS.map((key) =>
        connectQueueMetric(connectInstanceId, props.queueNames[key], metricName, {
          statistic: 'Maximum',
          label: key,
        }),
      );
    rows.push([
      graph('Contacts in queue (Connect QueueSize)', perQueue('QueueSize')),
      graph('Longest wait in queue, s (Connect LongestQueueWaitTime)', perQueue('LongestQueueWaitTime')),
    ]);
    rows.push([
      graph(
        "Concurrent calls, share of the instance's quota",
        [connectInstanceMetric(connectInstanceId, 'ConcurrentCallsPercentage', { statistic: 'Maximum' })],
        {
          leftYAxis: { min: 0, max: 1 },
          leftAnnotations: [{ value: 0.8, label: 'alarm at 0.8', color: Color.RED }],
        },
      ),
      graph('Calls refused (ThrottledCalls) and missed by agents (MissedCalls)', [
        connectInstanceMetric(connectInstanceId, 'ThrottledCalls', {
          statistic: 'Sum',
          period: Duration.minutes(5),
          label: 'ThrottledCalls',
        }),
        connectInstanceMetric(connectInstanceId, 'MissedCalls', {
          statistic: 'Sum',
          period: Duration.minutes(5),
          label: 'MissedCalls',
        }),
      ]),
    ]);
    rows.push([
      graph(
        'Contact flow errors (error branch) and fatal errors (contact dropped)',
        props.flowNames.flatMap((name) =>
          (['ContactFlowErrors', 'ContactFlowFatalErrors'] as const).map((metricName) =>
            connectFlowMetric(connectInstanceId, name, metricName, {
              statistic: 'Sum',
              period: Duration.minutes(5),
              label: `${name} ${metricName}`,
            }),
          ),
        ),
        { width: 24 },
      ),
    ]);

    // The routing state peakline's controller keeps, per watched queue, and the waits it judges on.
    const controller = (metricName: string, queue: QueueKey) =>
      peaklineMetric({
        stage,
        service: CONTROLLER_SERVICE,
        metricName,
        dimensions: { queue },
        statistic: 'Maximum',
        period: Duration.minutes(1),
        label: queue,
      });
    rows.push([
      graph(
        'Routing state (0 NORMAL, 1 OVERFLOW, 2 DEFLECT)',
        watched.map((queue) => controller('RoutingState', queue)),
        {
          leftYAxis: { min: 0, max: 2 },
          leftAnnotations: [
            { value: 1, label: 'OVERFLOW', color: Color.ORANGE },
            { value: 2, label: 'DEFLECT', color: Color.RED },
          ],
        },
      ),
      graph('Waits the controller judges on, s', [
        // Only the primary queue has an expected wait: the callback queue is judged on its oldest contact.
        ...(watched.includes('primary')
          ? [controller('ExpectedWaitSeconds', 'primary').with({ label: 'primary: expected wait' })]
          : []),
        ...watched.map((queue) =>
          controller('OldestContactAgeSeconds', queue).with({ label: `${queue}: oldest contact` }),
        ),
      ]),
    ]);

    // SMS: peakline's counts, summed over the functions that send, and what SNS says it cost.
    const smsSum = (metricName: string) =>
      sumOf(
        metricName,
        props.smsServices.map((service) => own(service, metricName)),
      );
    const limit = config.alarms.smsMonthlySpendLimitUSD;
    rows.push([
      graph('SMS sent, deferred (quiet hours) and parts', [
        smsSum('SmsSent'),
        smsSum('SmsDeferred'),
        smsSum('SmsParts'),
      ]),
      graph('SMS suppressed, by reason', [
        new MathExpression({
          // One line per reason and function, whatever reasons appear: a new reason needs no change here.
          expression: `SEARCH('{${PEAKLINE_NAMESPACE},reason,service,stage} MetricName="SmsSuppressed" stage="${stage}"', 'Sum', 300)`,
          usingMetrics: {},
          label: 'SmsSuppressed',
          period: Duration.minutes(5),
        }),
      ]),
    ]);
    rows.push([
      graph(
        'SMS spend this month, US$ (SNS SMSMonthToDateSpentUSD)',
        [smsSpendMetric().with({ label: 'SMSMonthToDateSpentUSD' })],
        {
          leftYAxis: { min: 0 },
          leftAnnotations: [
            { value: limit * 0.8, label: '80% of the limit', color: Color.ORANGE },
            { value: limit * 0.95, label: '95%', color: Color.RED },
            { value: limit, label: 'limit: SNS stops sending', color: Color.RED },
          ],
        },
      ),
      graph('Callbacks scheduled, created (tasks), cancelled, and replaced by the saved-cart SMS', [
        own('peakline-cart-callbacks', 'CallbackScheduled'),
        own(SWEEPER_SERVICE, 'CallbackCreated'),
        own('peakline-cart-callbacks', 'CallbackCancelled'),
        // Sent by the sweeper while the callback queue is overloaded (callbacks.peakBehaviour "sms"): SMS
        // that are not in the SMS graph's counts.
        own(SWEEPER_SERVICE, 'CallbacksReplacedBySms'),
      ]),
    ]);
    rows.push([
      graph(
        'Callback backlog: wait of the oldest due callback, s',
        [own(SWEEPER_SERVICE, 'CallbackBacklogAgeSeconds', 'Maximum', Duration.minutes(1))],
        {
          leftAnnotations: [
            { value: config.alarms.callbackBacklogMinutes * 60, label: 'alarm', color: Color.RED },
          ],
        },
      ),
      graph('Seats active, and revoked (sweeper, TTL backstop)', [
        own('peakline-seat-sweeper', 'SeatsActive', 'Maximum'),
        own('peakline-seat-sweeper', 'SeatsRevoked'),
        own('peakline-seat-ttl-backstop', 'SeatsRevoked'),
      ]),
    ]);

    const extra = props.extraGraphs ?? [];
    for (let i = 0; i < extra.length; i += 2) {
      rows.push(extra.slice(i, i + 2).map((g) => graph(g.title, g.metrics)));
    }

    // The plumbing: buffers, dead letters, functions, all registered with the ops alarms.
    rows.push([
      graph(
        'Buffers: messages waiting',
        ops.buffers.map(({ name, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({
            statistic: 'Maximum',
            period: Duration.minutes(1),
            label: name,
          }),
        ),
      ),
      graph(
        'Buffers: age of the oldest message, s',
        ops.buffers.map(({ name, queue }) =>
          queue.metricApproximateAgeOfOldestMessage({
            statistic: 'Maximum',
            period: Duration.minutes(1),
            label: name,
          }),
        ),
        {
          leftAnnotations: [{ value: config.alarms.bufferAgeMinutes * 60, label: 'alarm', color: Color.RED }],
        },
      ),
    ]);
    rows.push([
      graph(
        'Dead letters: messages waiting (each is an event nobody handled)',
        ops.deadLetterQueues.map(({ queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({
            statistic: 'Maximum',
            period: Duration.minutes(1),
            label: queue.queueName,
          }),
        ),
        { width: 24 },
      ),
    ]);
    rows.push([
      graph(
        'Function errors',
        ops.functions.map(({ name, fn }) =>
          fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(5), label: name }),
        ),
      ),
      graph(
        'Function throttles',
        ops.functions.map(({ name, fn }) =>
          fn.metricThrottles({ statistic: 'Sum', period: Duration.minutes(5), label: name }),
        ),
      ),
    ]);
    rows.push([
      new TextWidget({
        markdown: `Metrics of peakline's functions: namespace \`${PEAKLINE_NAMESPACE}\`, dimensions \`service\` and \`stage\` (${stage}), and \`reason\` or \`queue\` where the metric has one. Alarm thresholds: \`alarms.*\` in the stage's settings.`,
        width: 24,
        height: 2,
      }),
    ]);

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `peakline-${stage}`,
      defaultInterval: Duration.hours(6),
      // Each graph keeps its own period: a day's view of the spend, a minute's of the queues.
      periodOverride: PeriodOverride.INHERIT,
      widgets: rows,
    });
  }
}

interface GraphWidgetExtra {
  readonly width: number;
  readonly leftYAxis: { readonly min?: number; readonly max?: number };
  readonly leftAnnotations: { readonly value: number; readonly label: string; readonly color: string }[];
  readonly stacked: boolean;
}
