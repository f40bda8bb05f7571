import { Duration, Fn } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type EventPattern as CdkEventPattern, type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CONNECT_API_CALLERS } from '#adapters/connect/api-rate-split.js';
import { TABLES } from '#adapters/dynamodb/tables.js';
import type { RuleDefinition } from '#events/rules.js';
import { SWEEP_EVERY_SECONDS } from '#functions/callback-sweeper/connect-budget.js';
import {
  callbackSweeperEnvironment,
  callbackSweeperEnvironmentFrom,
} from '#functions/callback-sweeper/environment.js';
import { SWEEP_FULL_METRIC, SWEEP_METRICS } from '#functions/callback-sweeper/wiring.js';
import { callbackEnvironmentFrom, cartCallbacksEnvironment } from '#functions/cart-callbacks/environment.js';
import {
  paymentIssuesEnvironment,
  paymentIssuesEnvironmentFrom,
} from '#functions/payment-issues/environment.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { acknowledge } from '#infra/nag.js';
import type { QueueKey } from './connect/contact-centre-model.js';
import { EventBuffer } from './event-buffer.js';
import type { OpsAlarms } from './ops-alarms.js';
import { PeaklineFunction } from './peakline-function.js';
import { deadLetterQueue } from './secure-queue.js';

export interface CartCallbacksProps {
  readonly config: PeaklineConfig;
  readonly tables: {
    readonly callbacks: ITableV2;
    readonly suppression: ITableV2;
    readonly routing: ITableV2;
    readonly ledger: ITableV2;
  };
  readonly bus: IEventBus;
  /** Where the consumers put the events they refuse, with the reason. */
  readonly rejectedEvents: IQueue;
  /** The rules from `events/rules.ts`. */
  readonly rules: { readonly cartCallbacks: RuleDefinition; readonly paymentIssues: RuleDefinition };
  /** The Connect instance and its queues (the ContactCenterStack's). */
  readonly connect: {
    readonly instanceArn: string;
    readonly instanceId: string;
    readonly queueArns: Readonly<Record<QueueKey, string>>;
  };
  /** The task flow StartTaskContact runs (the ContactFlows' `taskFlowArn` and `taskFlowId`). */
  readonly taskFlow: { readonly arn: string; readonly id: string };
  readonly ops: OpsAlarms;
  /** Physical name prefix, e.g. `peakline-prod`. */
  readonly prefix: string;
}

/** The sweeper's index, the only one it reads. */
const DUE_INDEX = 'due';

/** A queue's id, which the Connect API and the task flow take: the last part of its ARN. */
export const queueIdOf = (queueArn: string): string => Fn.select(3, Fn.split('/', queueArn));

/**
 * Cart callbacks and payment cases (issue 7):
 * - the cart-callbacks consumer, on its buffer: CartAbandoned schedules the cart's callback, OrderPlaced
 *   with the cart's id cancels it;
 * - the callback sweeper, every minute: due callbacks become tasks in the callback queue (or wait, or are
 *   replaced by the saved-cart SMS while the queue is overloaded);
 * - the payment-issues consumer, on its buffer: PaymentIssueReported becomes a task in the accounting queue.
 * Tasks start in the task flow, which transfers each to the queue named in its `peaklineQueueId`.
 */
export class CartCallbacks extends Construct {
  readonly consumer: PeaklineFunction;
  readonly sweeper: PeaklineFunction;
  readonly paymentIssues: PeaklineFunction;
  readonly callbackBuffer: EventBuffer;
  readonly paymentBuffer: EventBuffer;
  readonly sweeperFailures: Queue;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: CartCallbacksProps) {
    super(scope, id);
    const { config, tables, bus, connect, ops, prefix } = props;
    if (!TABLES.callbacks.indexes.some((index) => index.name === DUE_INDEX)) {
      throw new Error(`The callbacks table has no ${DUE_INDEX} index for the sweeper to read.`);
    }
    const callbackResources = {
      callbacksTable: tables.callbacks.tableName,
      suppressionTable: tables.suppression.tableName,
      busName: bus.eventBusName,
      callbackQueueId: queueIdOf(connect.queueArns.callback),
    };

    // CartAbandoned / OrderPlaced -> the callback scheduled or cancelled.
    this.consumer = new PeaklineFunction(this, 'Consumer', {
      config,
      name: 'cart-callbacks',
      description: 'CartAbandoned -> a callback when due; OrderPlaced -> the cart callback cancelled',
      environmentSchema: cartCallbacksEnvironment,
      environment: {
        ...callbackEnvironmentFrom(config, callbackResources),
        REJECTED_EVENTS_QUEUE_URL: props.rejectedEvents.queueUrl,
      },
      timeout: Duration.seconds(30),
    });
    this.grantCallbacks(this.consumer.fn, tables.callbacks);
    tables.suppression.grant(this.consumer.fn, 'dynamodb:GetItem');
    bus.grantPutEventsTo(this.consumer.fn);
    props.rejectedEvents.grantSendMessages(this.consumer.fn);
    this.callbackBuffer = new EventBuffer(this, 'CallbackBuffer', {
      bus,
      // The rule's `$or` is added below: the buffer's pattern conversion knows the envelope's fields only.
      rule: { ...props.rules.cartCallbacks, pattern: withoutOr(props.rules.cartCallbacks.pattern) },
      consumer: this.consumer.fn,
      consumerTimeout: Duration.seconds(30),
      queueName: `${prefix}-cart-callbacks`,
    });
    const or = props.rules.cartCallbacks.pattern.$or;
    if (or !== undefined) this.callbackBuffer.rule.addEventPattern({ $or: or } as CdkEventPattern);

    // Every minute: the due callbacks -> tasks.
    this.sweeperFailures = deadLetterQueue(this, 'SweeperFailures', {
      queueName: `${prefix}-callback-sweeper-dlq`,
    });
    acknowledge(
      this.sweeperFailures,
      'AwsSolutions-SQS3',
      "This queue is the callback-sweeper function's on-failure destination and its schedule's DLQ; cdk-nag only recognises SQS redrive DLQs.",
    );
    const smsPath = config.callbacks.peakBehaviour === 'sms';
    this.sweeper = new PeaklineFunction(this, 'Sweeper', {
      config,
      name: 'callback-sweeper',
      description: 'Every minute: due cart callbacks -> tasks in the callback queue, at the Connect rate',
      environmentSchema: callbackSweeperEnvironment,
      environment: callbackSweeperEnvironmentFrom(config, {
        ...callbackResources,
        routingTable: tables.routing.tableName,
        ledgerTable: tables.ledger.tableName,
        connectInstanceId: connect.instanceId,
        taskContactFlowId: props.taskFlow.id,
      }),
      // As long as the interval, so a run has ended (or been stopped) when the next one starts; the handler
      // takes on only as many callbacks as fit three quarters of it at the Connect rate.
      timeout: Duration.seconds(SWEEP_EVERY_SECONDS),
      // One sweep at a time: a second would only race the first for the same callbacks (safely: claims are
      // conditional) and take a share of the Connect rate nobody gave it (CONNECT_API_CALLERS counts one).
      reservedConcurrentExecutions: CONNECT_API_CALLERS['callback-sweeper'].maxConcurrency,
      onFailureQueue: this.sweeperFailures,
    });
    this.grantCallbacks(this.sweeper.fn, tables.callbacks);
    this.sweeper.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${tables.callbacks.tableArn}/index/${DUE_INDEX}`],
      }),
    );
    tables.suppression.grant(this.sweeper.fn, 'dynamodb:GetItem');
    tables.routing.grant(this.sweeper.fn, 'dynamodb:GetItem');
    bus.grantPutEventsTo(this.sweeper.fn);
    if (smsPath) this.grantSavedCartSms(this.sweeper.fn, tables.ledger);
    this.schedule = new Rule(this, 'SweeperSchedule', {
      description: 'Turns the due cart callbacks into tasks',
      schedule: Schedule.rate(Duration.seconds(SWEEP_EVERY_SECONDS)),
      targets: [
        new LambdaFunction(this.sweeper.fn, {
          deadLetterQueue: this.sweeperFailures,
          retryAttempts: 2,
          maxEventAge: Duration.minutes(1),
        }),
      ],
    });

    // PaymentIssueReported -> a task in the accounting queue.
    this.paymentIssues = new PeaklineFunction(this, 'PaymentIssues', {
      config,
      name: 'payment-issues',
      description: 'PaymentIssueReported -> a task in the accounting queue',
      environmentSchema: paymentIssuesEnvironment,
      environment: paymentIssuesEnvironmentFrom(config, {
        rejectedEventsQueueUrl: props.rejectedEvents.queueUrl,
        connectInstanceId: connect.instanceId,
        taskContactFlowId: props.taskFlow.id,
        accountingQueueId: queueIdOf(connect.queueArns.accounting),
      }),
      // Ten records at the paced rate, each with the adapter's throttling backoff (about 15 s at worst).
      timeout: Duration.seconds(60),
    });
    props.rejectedEvents.grantSendMessages(this.paymentIssues.fn);
    this.paymentBuffer = new EventBuffer(this, 'PaymentBuffer', {
      bus,
      rule: props.rules.paymentIssues,
      consumer: this.paymentIssues.fn,
      consumerTimeout: Duration.seconds(60),
      queueName: `${prefix}-payment-issues`,
      // The least SQS allows; each invocation paces its calls at its share of `connect.apiCallsPerSecond`,
      // which counts this many invocations (CONNECT_API_CALLERS).
      maxConcurrency: CONNECT_API_CALLERS['payment-issues'].maxConcurrency,
    });

    for (const fn of [this.sweeper, this.paymentIssues])
      this.grantStartTask(fn, connect.instanceArn, props.taskFlow.arn);

    ops.deadLetters(
      'CallbackBufferDlqAlarm',
      this.callbackBuffer.deadLetterQueue,
      'Cart callbacks could not be scheduled or cancelled',
    );
    ops.deadLetters('CallbackSweeperDlqAlarm', this.sweeperFailures, 'Callback sweeps failed');
    ops.deadLetters(
      'PaymentBufferDlqAlarm',
      this.paymentBuffer.deadLetterQueue,
      'Payment issues did not become tasks',
    );
    ops.functionErrors('CartCallbacksErrors', this.consumer.fn, 'cart-callbacks');
    ops.functionErrors('CallbackSweeperErrors', this.sweeper.fn, 'callback-sweeper');
    ops.functionErrors('PaymentIssuesErrors', this.paymentIssues.fn, 'payment-issues');
    const sweeperMetric = (metricName: string, statistic: string) =>
      new Metric({
        namespace: 'peakline',
        metricName,
        dimensionsMap: { service: 'peakline-callback-sweeper', stage: config.stage },
        period: Duration.minutes(5),
        statistic,
      });
    // A callback the sweep could not handle at all (the store unreachable mid-sweep): it is due again, but
    // nothing else would tell.
    ops.metricAtLeastOnce(
      'CallbackSweepErrorsAlarm',
      sweeperMetric(SWEEP_METRICS.ERROR, 'Sum'),
      'The callback sweeper failed on some callbacks; see its log group ("callback swept", outcome ERROR).',
    );
    // Every run full for 15 minutes: callbacks are due faster than the Connect rate turns them into tasks.
    new Alarm(this, 'BacklogAlarm', {
      alarmDescription: `Every callback sweep has been full (as many due callbacks as a run takes) for 15 minutes: callbacks are being made late. Raise connect.apiCallsPerSecond (with Connect's quota) or callbacks.sweepBatch.`,
      metric: sweeperMetric(SWEEP_FULL_METRIC, 'Minimum'),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new SnsAction(ops.topic));
  }

  /**
   * The callbacks, the customers' markers and the carts' tombstones: read, and write conditionally
   * (TransactWriteItems is puts, updates and the tombstone's ConditionCheck).
   */
  private grantCallbacks(fn: IFunction, table: ITableV2): void {
    // By hand rather than with table.grant(), which would add every index (`index/*`).
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [table.tableArn],
      }),
    );
  }

  /** The saved-cart SMS: the ledger's once-only record and daily count, and SNS Publish to a phone. */
  private grantSavedCartSms(fn: IFunction, ledger: ITableV2): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [ledger.tableArn],
      }),
    );
    // SNS has no resource for a phone number: Publish to PhoneNumber is authorised on "*" only.
    const publish = new Policy(fn, 'SmsPublish', {
      statements: [new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] })],
    });
    fn.role?.attachInlinePolicy(publish);
    acknowledge(
      publish,
      'AwsSolutions-IAM5[Resource::*]',
      'SNS Publish to a phone number (SMS) has no resource ARN; AWS documents "*" as the only resource for it. The policy allows sns:Publish and nothing else.',
    );
  }

  /**
   * StartTaskContact in the task flow of peakline's instance, and nowhere else. Per the Service Authorization
   * Reference it authorizes on the instance and on the contact flow the request names.
   */
  private grantStartTask(fn: PeaklineFunction, instanceArn: string, taskFlowArn: string): void {
    const policy = new Policy(fn, 'StartTasks', {
      statements: [
        new PolicyStatement({
          sid: 'StartTasksInTheTaskFlow',
          actions: ['connect:StartTaskContact'],
          resources: [instanceArn, taskFlowArn],
        }),
      ],
    });
    fn.fn.role?.attachInlinePolicy(policy);
  }
}

/** The pattern without its top-level `$or` (added to the rule afterwards). */
const withoutOr = (pattern: RuleDefinition['pattern']): RuleDefinition['pattern'] =>
  Object.fromEntries(Object.entries(pattern).filter(([field]) => field !== '$or'));
