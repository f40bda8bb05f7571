import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { controllerTimeoutSeconds } from '#core/routing/controller.js';
import {
  overflowControllerEnvironment,
  overflowControllerEnvironmentFrom,
  stateMaxAgeSecondsOf,
} from '#functions/overflow-controller/environment.js';
import {
  overflowRouterEnvironment,
  overflowRouterEnvironmentFrom,
} from '#functions/overflow-router/environment.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { acknowledge } from '#infra/nag.js';
import type { QueueKey } from './connect/contact-centre-model.js';
import type { OpsAlarms } from './ops-alarms.js';
import { PeaklineFunction } from './peakline-function.js';
import { deadLetterQueue } from './secure-queue.js';

export interface OverflowRoutingProps {
  readonly config: PeaklineConfig;
  /** The routing table (pk/sk): one state item per queue, and the audit trail of its changes. */
  readonly routingTable: ITableV2;
  /** Where `OverflowStateChanged` goes. */
  readonly bus: IEventBus;
  /** The Connect instance the queues live in (the ContactCenterStack's `instanceArn` and `instanceId`). */
  readonly connect: { readonly instanceArn: string; readonly instanceId: string };
  /** The queues' ARNs by key (the ContactCenterStack's `queueArns`). */
  readonly queueArns: Readonly<Record<QueueKey, string>>;
  /** The alarms, and the topic they page. */
  readonly ops: OpsAlarms;
  /**
   * Where state changes are told to the people on call; encrypted topics are supported (the controller is
   * given its key for publishing).
   * @default the ops alarms' topic, `ops.topic`
   */
  readonly opsTopic?: ITopic;
}

/**
 * Overflow routing (DESIGN.md, part 3):
 * - the controller, every minute on a schedule, samples the watched queues `overflow.samplesPerMinute`
 *   times (one GetCurrentMetricData call each, whatever the traffic) and keeps each queue's routing state
 *   with hysteresis in the routing table, announcing every change on the bus and to ops;
 * - the router, invoked by the inbound contact flow for every caller, answers the queue to transfer to from
 *   that state. Its `fn` is what the contact flows associate with the Connect instance (and give Connect
 *   the permission to invoke).
 */
export class OverflowRouting extends Construct {
  readonly controller: PeaklineFunction;
  readonly router: PeaklineFunction;
  readonly schedule: Rule;
  readonly scheduleFailures: Queue;

  constructor(scope: Construct, id: string, props: OverflowRoutingProps) {
    super(scope, id);
    const { config, routingTable, bus, connect, queueArns, ops } = props;
    const opsTopic = props.opsTopic ?? ops.topic;
    const overflow = config.overflow;

    this.controller = new PeaklineFunction(this, 'Controller', {
      config,
      name: 'overflow-controller',
      description: `Every minute: ${overflow.samplesPerMinute} samples of the queues' waits -> routing state per queue`,
      environmentSchema: overflowControllerEnvironment,
      environment: overflowControllerEnvironmentFrom(config, {
        routingTable: routingTable.tableName,
        busName: bus.eventBusName,
        opsTopicArn: opsTopic.topicArn,
        connectInstanceId: connect.instanceId,
        queueArns: {
          primary: queueArns.primary,
          callback: queueArns.callback,
          secondLine: queueArns.secondLine,
        },
      }),
      // The last sample starts (samplesPerMinute - 1) intervals into the run, and the run takes no sample
      // it could not finish in the time left: 55 s at 4 samples a minute.
      timeout: Duration.seconds(controllerTimeoutSeconds(overflow.samplesPerMinute)),
      // One run at a time: a second would double the Connect calls a minute (the one thing that must not
      // grow) and count each moment twice. Overlaps are still safe (the writes are conditional on the
      // version read), but they are not the normal case.
      reservedConcurrentExecutions: 1,
    });
    // A run that starts more than a minute late has been overtaken by the next one; one that failed is
    // followed by the next within a minute. Neither is worth running again.
    this.controller.fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    // Where EventBridge puts the schedule's events it could not hand to Lambda at all (throttling by the
    // reserved concurrency is Lambda's to retry, not this).
    this.scheduleFailures = deadLetterQueue(this, 'ScheduleFailures', {
      queueName: `peakline-${config.stage}-overflow-controller-dlq`,
    });
    acknowledge(
      this.scheduleFailures,
      'AwsSolutions-SQS3',
      "This queue is the overflow controller schedule's DLQ (the EventBridge target's DeadLetterConfig); cdk-nag only recognises SQS redrive DLQs.",
    );
    this.schedule = new Rule(this, 'ControllerSchedule', {
      description: 'Samples the queues for overflow routing',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [
        new LambdaFunction(this.controller.fn, {
          deadLetterQueue: this.scheduleFailures,
          retryAttempts: 2,
          maxEventAge: Duration.minutes(1),
        }),
      ],
    });
    this.grantController(props, opsTopic);

    this.router = new PeaklineFunction(this, 'Router', {
      config,
      name: 'overflow-router',
      description: 'Inbound flow -> the queue to transfer the caller to, from the routing state',
      environmentSchema: overflowRouterEnvironment,
      environment: overflowRouterEnvironmentFrom(config, {
        routingTable: routingTable.tableName,
        queueArns: { primary: queueArns.primary, secondLine: queueArns.secondLine },
      }),
      // A warm answer takes microseconds and a cold read milliseconds; the handler gives up on the state
      // after a second and answers the primary queue. Three seconds leave Connect's 8 far behind, and a
      // function that still times out sends the flow down its error branch: the primary queue as well.
      timeout: Duration.seconds(3),
      // Small: the work is a cache lookup or one GetItem. Not the 128 MB minimum: the CPU share grows with
      // memory, and a cold start (a caller waiting in silence) loads the bundle on that CPU.
      memorySize: 256,
    });
    this.router.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [routingTable.tableArn] }),
    );

    ops.deadLetters(
      'ScheduleDlqAlarm',
      this.scheduleFailures,
      'The overflow controller could not be started',
    );
    ops.functionErrors('ControllerErrors', this.controller.fn, 'overflow-controller');
    ops.functionErrors('RouterErrors', this.router.fn, 'overflow-router');
    // The router never fails a call: it falls back to the primary queue. Falling back at all means callers
    // are not routed by the state (the table unreadable, or a flow asking for a queue it does not know).
    ops.metricAtLeastOnce(
      'RouterFallbackAlarm',
      new Metric({
        namespace: 'peakline',
        metricName: 'RouterFallbacks',
        dimensionsMap: { service: 'peakline-overflow-router', stage: config.stage },
        period: Duration.minutes(5),
        statistic: 'Sum',
      }),
      'The overflow router answered the primary queue regardless of the routing state (see its log group for the reason): overflow routing is not in effect for those callers.',
    );
    // A controller that stops running leaves every queue in whatever state it was: OVERFLOW for good, or
    // never again. Silence is the failure here, which the "it happened" alarms cannot see.
    // After as many minutes as `alarms.controllerSilentMinutes`, like the pipeline's OverflowSamples alarm
    // (a controller that runs and takes no sample): this one tells the two apart, it never runs at all.
    const silentMinutes = config.alarms.controllerSilentMinutes;
    new Alarm(this, 'ControllerSilentAlarm', {
      alarmDescription: `The overflow controller has not run for ${silentMinutes} minutes (alarms.controllerSilentMinutes): the routing states are frozen. Check its schedule, its log group and its reserved concurrency.`,
      metric: this.controller.fn.metricInvocations({ period: Duration.minutes(1), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: silentMinutes,
      datapointsToAlarm: silentMinutes,
      treatMissingData: TreatMissingData.BREACHING,
    }).addAlarmAction(new SnsAction(ops.topic));
    // Running is not enough: a controller that runs but confirms no state (Connect refusing its metrics
    // call, its writes failing) lets every state expire, and its readers route as if all were NORMAL.
    // Missing data is a silent controller: breaching.
    const maxAgeMinutes = Math.max(1, Math.ceil(stateMaxAgeSecondsOf(overflow) / 60));
    new Alarm(this, 'RoutingStatesUnconfirmedAlarm', {
      alarmDescription: `The overflow controller has confirmed no routing state for ${maxAgeMinutes} minute(s): the states have expired and every reader takes them as NORMAL (no overflow, no deflection). Check its log group: the Connect metrics call or the routing table.`,
      metric: new Metric({
        namespace: 'peakline',
        metricName: 'RoutingStatesConfirmed',
        dimensionsMap: { service: 'peakline-overflow-controller', stage: config.stage },
        period: Duration.minutes(1),
        statistic: 'Sum',
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: maxAgeMinutes,
      datapointsToAlarm: maxAgeMinutes,
      treatMissingData: TreatMissingData.BREACHING,
    }).addAlarmAction(new SnsAction(ops.topic));
    // Every reader that took a state as NORMAL because it was stale, undated or garbage counts it
    // (`RoutingStateStale`, by service): the router per caller, the order SMS and the callback sweeper
    // per read.
    const stale = (service: string) =>
      new Metric({
        namespace: 'peakline',
        metricName: 'RoutingStateStale',
        dimensionsMap: { service, stage: config.stage },
        period: Duration.minutes(5),
        statistic: 'Sum',
      });
    ops.metricAtLeastOnce(
      'RoutingStateStaleAlarm',
      new MathExpression({
        expression: 'FILL(router, 0) + FILL(orderSms, 0) + FILL(sweeper, 0)',
        usingMetrics: {
          router: stale('peakline-overflow-router'),
          orderSms: stale('peakline-order-sms'),
          sweeper: stale('peakline-callback-sweeper'),
        },
        label: 'RoutingStateStale',
        period: Duration.minutes(5),
      }),
      `A routing state older than overflow.stateMaxAgeSeconds (${stateMaxAgeSecondsOf(overflow)} s), undated or unreadable was taken as NORMAL: overflow routing, the late-reply promise and callback postponing are off until the controller confirms the states again.`,
    );
  }

  /**
   * The controller's permissions, each on exactly its resources:
   * - GetCurrentMetricData on the watched queues and the second line (asked for in the same call, for the
   *   callers' share): per the Service Authorization Reference it authorizes on the queues (or routing
   *   profiles) in the request's filter, not on the instance; the queue ARNs name the instance, so nothing
   *   outside it is reachable;
   * - its state and audit items: a consistent BatchGetItem/GetItem, and PutItem (TransactWriteItems has no
   *   action of its own: DynamoDB checks PutItem for each put in the transaction);
   * - PutEvents on the bus, Publish on the ops topic (with its key, when it has one).
   */
  private grantController(props: OverflowRoutingProps, opsTopic: ITopic): void {
    const { config, routingTable, bus, queueArns } = props;
    const fn = this.controller.fn;
    const watched = [...new Set(config.overflow.queues)].map((key) => queueArns[key]);
    const sampled = [...watched, queueArns.secondLine];
    const policy = new Policy(this.controller, 'OverflowControllerPolicy', {
      statements: [
        new PolicyStatement({
          sid: 'ReadTheWatchedQueuesMetrics',
          actions: ['connect:GetCurrentMetricData'],
          resources: sampled,
        }),
        new PolicyStatement({
          sid: 'KeepTheRoutingStates',
          actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem'],
          resources: [routingTable.tableArn],
        }),
        new PolicyStatement({
          sid: 'TellOps',
          actions: ['sns:Publish'],
          resources: [opsTopic.topicArn],
        }),
        ...(opsTopic.masterKey === undefined
          ? []
          : [
              // What SNS needs of a publisher to an encrypted topic, named exactly (no GenerateDataKey*).
              new PolicyStatement({
                sid: 'TellOpsEncrypted',
                actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
                resources: [opsTopic.masterKey.keyArn],
              }),
            ]),
      ],
    });
    fn.role?.attachInlinePolicy(policy);
    bus.grantPutEventsTo(fn);
  }
}
