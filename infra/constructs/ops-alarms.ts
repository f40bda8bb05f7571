import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmRule,
  ComparisonOperator,
  CompositeAlarm,
  type IAlarm,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AccountRootPrincipal, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The namespace of every metric peakline's functions write (Powertools, `POWERTOOLS_METRICS_NAMESPACE`). */
export const PEAKLINE_NAMESPACE = 'peakline';

export interface PeaklineMetricProps {
  readonly stage: string;
  readonly metricName: string;
  /** The function's service, `peakline-<function>` (POWERTOOLS_SERVICE_NAME). */
  readonly service: string;
  /** Besides service and stage: the low-cardinality dimensions of the metrics contract. */
  readonly dimensions?: Readonly<Partial<Record<'kind' | 'reason' | 'queue', string>>>;
  /** @default Sum */
  readonly statistic?: string;
  /** @default 5 minutes */
  readonly period?: Duration;
  readonly label?: string;
}

/**
 * One of peakline's own metrics, under the dimensions createMetrics() gives it: `service` and `stage`
 * (and any contract dimension). CloudWatch matches a metric by its exact set of dimensions, so an alarm
 * without `stage` would watch a series no function writes.
 */
export const peaklineMetric = (props: PeaklineMetricProps): Metric =>
  new Metric({
    namespace: PEAKLINE_NAMESPACE,
    metricName: props.metricName,
    dimensionsMap: { service: props.service, stage: props.stage, ...props.dimensions },
    statistic: props.statistic ?? 'Sum',
    period: props.period ?? Duration.minutes(5),
    ...(props.label === undefined ? {} : { label: props.label }),
  });

/** A function the ops alarms watch, by the name its folder has under `functions/`. */
export interface WatchedFunction {
  readonly name: string;
  readonly fn: IFunction;
}

/** A queue the ops alarms watch, with what it means when it fills. */
export interface WatchedQueue {
  readonly name: string;
  readonly queue: IQueue;
}

export interface OpsAlarmsProps {
  readonly stage: string;
  /** Subscribed to the ops topic when given. @default no subscription */
  readonly email?: string;
}

export interface ThresholdAlarmProps {
  readonly metric: IMetric;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly treatMissingData: TreatMissingData;
  /** What it means and what to do: the text ops read in the notification. */
  readonly description: string;
  /** Also tell the topic when the alarm is over. @default false */
  readonly okAction?: boolean;
}

/**
 * The ops topic and the alarms that page it. The topic is encrypted with a key of its own because
 * CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key.
 */
export class OpsAlarms extends Construct {
  readonly topic: Topic;
  readonly stage: string;
  /** Every function whose errors are alarmed on, in the order registered: the dashboard draws them all. */
  readonly functions: WatchedFunction[] = [];
  /** Every dead-letter (and rejected-events) queue alarmed on. */
  readonly deadLetterQueues: WatchedQueue[] = [];
  /** Every event buffer whose oldest message is alarmed on. */
  readonly buffers: WatchedQueue[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OpsAlarmsProps) {
    super(scope, id);
    this.stage = props.stage;
    const key = new Key(this, 'TopicKey', {
      description: `peakline ${props.stage} ops topic`,
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': new AccountRootPrincipal().accountId } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      topicName: `peakline-${props.stage}-ops`,
      displayName: `peakline ${props.stage}`,
      masterKey: key,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
  }

  /** Alarms as soon as one message waits in a dead-letter queue: each is an event nobody handled. */
  deadLetters(id: string, queue: IQueue, what: string): Alarm {
    this.deadLetterQueues.push({ name: what, queue });
    const alarm = this.whenAny(
      id,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      `${what}: messages are waiting in ${queue.queueName}. Read them, fix the cause, then redrive.`,
    );
    // The all-clear matters here: ops learn the queue has been drained.
    alarm.addOkAction(this.action);
    return alarm;
  }

  /** Alarms as soon as a metric counts anything in its period. */
  metricAtLeastOnce(id: string, metric: IMetric, description: string): Alarm {
    return this.whenAny(id, metric, description);
  }

  /**
   * Alarms when a function fails invocations (not records: those are retried through the queue), and when
   * Lambda throttles it (`<id minus Errors>Throttles`): every function registered here is also drawn on
   * the dashboard.
   */
  functionErrors(id: string, fn: IFunction, name: string): Alarm {
    this.functions.push({ name, fn });
    this.whenAny(
      `${id.replace(/Errors$/, '')}Throttles`,
      fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      `Lambda is throttling ${name}: the account's or the function's concurrency is used up, and its events wait (queues) or are retried (schedules). See the function's ConcurrentExecutions and the account's Lambda quota.`,
    );
    return this.whenAny(
      id,
      fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      `${name} is failing invocations; see its log group.`,
    );
  }

  /**
   * Alarms when the oldest message of an event buffer is older than `maxAgeMinutes`: its consumer is
   * failing, throttled or too slow, and the events behind it (SMS, callbacks, opt-outs) are late.
   */
  bufferAge(id: string, queue: IQueue, name: string, maxAgeMinutes: number): Alarm {
    this.buffers.push({ name, queue });
    return this.threshold(id, {
      metric: queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: maxAgeMinutes * 60,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      description: `The oldest message in ${queue.queueName} (${name}) has waited over ${maxAgeMinutes} minute(s) (alarms.bufferAgeMinutes): its consumer is failing, throttled or too slow. See the consumer's errors and log group; the messages are kept, not lost.`,
    });
  }

  /** An alarm of any shape, paging the ops topic (and telling it when it is over, with `okAction`). */
  threshold(id: string, props: ThresholdAlarmProps): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: props.comparisonOperator,
      evaluationPeriods: props.evaluationPeriods,
      ...(props.datapointsToAlarm === undefined ? {} : { datapointsToAlarm: props.datapointsToAlarm }),
      treatMissingData: props.treatMissingData,
    });
    alarm.addAlarmAction(this.action);
    if (props.okAction === true) alarm.addOkAction(this.action);
    return alarm;
  }

  /** One alarm for the pager: in ALARM while any of `alarms` is. */
  composite(id: string, alarms: readonly IAlarm[], description: string, name: string): CompositeAlarm {
    const composite = new CompositeAlarm(this, id, {
      compositeAlarmName: name,
      alarmDescription: description,
      alarmRule: AlarmRule.anyOf(...alarms),
    });
    composite.addAlarmAction(this.action);
    // The pager's all-clear: the peak is no longer degraded.
    composite.addOkAction(this.action);
    return composite;
  }

  /** Every peakline alarm is "it happened at all": one datapoint of at least 1, silence is fine. */
  private whenAny(id: string, metric: IMetric, description: string): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}
