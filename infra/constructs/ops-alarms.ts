import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AccountRootPrincipal, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OpsAlarmsProps {
  readonly stage: string;
  /** Subscribed to the ops topic when given. @default no subscription */
  readonly email?: string;
}

/**
 * The ops topic and the alarms that page it. The topic is encrypted with a key of its own because
 * CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key.
 */
export class OpsAlarms extends Construct {
  readonly topic: Topic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OpsAlarmsProps) {
    super(scope, id);
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

  /** Alarms when a function fails invocations (not records: those are retried through the queue). */
  functionErrors(id: string, fn: IFunction, name: string): Alarm {
    return this.whenAny(
      id,
      fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      `${name} is failing invocations; see its log group.`,
    );
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
