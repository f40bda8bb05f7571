import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { EventBus, EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { type IMetric, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { AccountPrincipal, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { TableName } from '#adapters/dynamodb/tables.js';
import { REFUSED_BY_BUS, type RuleDefinition, rules, unknownDetailTypeReason } from '#events/rules.js';
import { optOutEnvironment } from '#functions/customer-opt-out/environment.js';
import {
  ORDER_SMS_CONCURRENCY,
  orderSmsEnvironment,
  orderSmsEnvironmentFrom,
} from '#functions/order-sms/environment.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { acknowledge } from '#infra/nag.js';
import { EventBuffer } from '../constructs/event-buffer.js';
import { toCdkEventPattern } from '../constructs/event-pattern.js';
import { OpsAlarms, peaklineMetric } from '../constructs/ops-alarms.js';
import { OpsDashboard } from '../constructs/ops-dashboard.js';
import { FactRecorder } from '../constructs/fact-recorder.js';
import { PublicStatus } from '../constructs/public-status.js';
import { SeatDigest } from '../constructs/seat-digest.js';
import { MonthlyReport } from '../constructs/monthly-report.js';
import { addPeakAlarms, CONTROLLER_SERVICE, type PeakAlarms } from '../constructs/peak-alarms.js';
import { PeaklineFunction } from '../constructs/peakline-function.js';
import { type QueueKey, queueNameOf } from '../constructs/connect/contact-centre-model.js';
import { CartCallbacks } from '../constructs/cart-callbacks.js';
import { DeflectionSms } from '../constructs/deflection-sms.js';
import { OrderIndexWriter } from '../constructs/order-index.js';
import { OrderStatus } from '../constructs/order-status.js';
import { ContactFlows } from '../constructs/connect/contact-flows.js';
import { OverflowRouting } from '../constructs/overflow-routing.js';
import { SeatRevocation } from '../constructs/seat-revocation.js';
import { deadLetterQueue, setDeadLetterRetention } from '../constructs/secure-queue.js';
import { readsPhoneHashKey } from '../constructs/phone-hash-key.js';

export interface PipelineStackProps extends StackProps {
  readonly config: PeaklineConfig;
  readonly tables: Readonly<Record<TableName, ITableV2>>;
  /** The suppression list's phone-hash key (DataStack), read by every function that checks the list. */
  readonly phoneHashKey: ISecret;
  /**
   * The Connect instance and its queues (from the ContactCenterStack): the seats' users live there, the
   * overflow controller watches the queues, the contact flows transfer to them.
   */
  readonly connect: {
    readonly instanceArn: string;
    readonly instanceId: string;
    readonly queueArns: Readonly<Record<QueueKey, string>>;
  };
}

/**
 * The stateless half: the bus the shop writes to, its rules, the buffers, the functions and the
 * alarms. It can be destroyed and redeployed at will; everything worth keeping is in the DataStack.
 */
export class PipelineStack extends Stack {
  readonly bus: EventBus;
  readonly rejectedEvents: ReturnType<typeof deadLetterQueue>;
  readonly ops: OpsAlarms;
  readonly seatRevocation: SeatRevocation;
  readonly overflowRouting: OverflowRouting;
  readonly contactFlows: ContactFlows;
  readonly cartCallbacks: CartCallbacks;
  /** SMS and callback facts for the KPI report (issue 14). */
  readonly factRecorder: FactRecorder;
  /** The daily digest of seats ending tomorrow, to the ops topic. */
  readonly seatDigest: SeatDigest;
  /** The monthly KPI report, written to its S3 bucket. */
  readonly monthlyReport: MonthlyReport;
  /** The wait published to customers; undefined with `publicStatus.enabled` false. */
  readonly publicStatus: PublicStatus | undefined;
  /** The deflection SMS the inbound flow invokes; undefined without `overflow.requestUrl`. */
  readonly deflectionSms: PeaklineFunction | undefined;
  /**
   * The SMS callers ask for during the call (the deflection SMS, the order status's tracking link): queue
   * and paced sender; undefined with neither `overflow.requestUrl` nor `orderStatus.enabled`.
   */
  readonly callerSms: DeflectionSms | undefined;
  /** The order status told before the queue (issue 15); undefined with `orderStatus.enabled` false. */
  readonly orderStatus: OrderStatus | undefined;
  /** The order index kept from the shop's order events, which the lookup reads; undefined with it off. */
  readonly orderIndex: OrderIndexWriter | undefined;
  /** The peak's alarms (SMS spend, overflow held, controller silent, Connect...) and the pager's composite. */
  readonly peakAlarms: PeakAlarms;
  /** The stage's CloudWatch dashboard, `peakline-<stage>`. */
  readonly dashboard: OpsDashboard;
  readonly #phoneHashKey: ISecret;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { config, tables } = props;
    // Before any queue exists: every dead-letter queue of this stack keeps its messages this long.
    setDeadLetterRetention(this, config.bus.deadLetterRetentionDays);
    this.#phoneHashKey = props.phoneHashKey;
    const prefix = `peakline-${config.stage}`;
    const shopSource = config.shop.source;
    const ruleSet = rules({ shopSource });

    this.bus = new EventBus(this, 'Bus', { eventBusName: config.bus.name });
    // Only the shop's account, and only with the shop's source: another account, or the shop's account
    // impersonating `peakline` or `aws.*`, is refused at PutEvents. (Senders in this account are governed
    // by their IAM policies, as EventBridge evaluates same-account access there.)
    this.bus.addToResourcePolicy(
      new PolicyStatement({
        sid: 'ShopPutsItsOwnEvents',
        principals: [new AccountPrincipal(config.shop.accountId ?? this.account)],
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
        conditions: { StringEquals: { 'events:source': shopSource } },
      }),
    );
    this.bus.archive('ShopEvents', {
      archiveName: `${prefix}-shop-events`,
      description: 'Every shop event, for replay after a fix',
      eventPattern: { source: [shopSource] },
      retention: Duration.days(config.bus.archiveRetentionDays),
    });

    this.ops = new OpsAlarms(this, 'Ops', {
      stage: config.stage,
      ...(config.alarms.email ? { email: config.alarms.email } : {}),
    });

    // Refused events with their reasons: the first place a shop developer looks.
    this.rejectedEvents = deadLetterQueue(this, 'RejectedEvents', {
      queueName: `${prefix}-rejected-events`,
    });
    acknowledge(
      this.rejectedEvents,
      'AwsSolutions-SQS3',
      'The rejected-events queue is itself a dead-letter queue: the end of the line for refused events, read by people, alarmed on.',
    );
    this.ops.deadLetters(
      'RejectedEventsAlarm',
      this.rejectedEvents,
      'The shop sent events peakline cannot read',
    );

    // Where EventBridge puts what it failed to deliver to the rejected-events queue itself.
    const busDeadLetters = deadLetterQueue(this, 'BusDeadLetters', {
      queueName: `${prefix}-bus-dlq`,
    });
    acknowledge(
      busDeadLetters,
      'AwsSolutions-SQS3',
      'This queue is the EventBridge target DLQ (DeadLetterConfig) of the unknown-detail-type rule; cdk-nag only recognises SQS redrive DLQs.',
    );
    this.ops.deadLetters(
      'BusDeadLettersAlarm',
      busDeadLetters,
      'EventBridge could not deliver refused events',
    );

    const unknown = new Rule(this, ruleSet.unknownDetailType.id, {
      eventBus: this.bus,
      description: ruleSet.unknownDetailType.description,
      eventPattern: toCdkEventPattern(ruleSet.unknownDetailType.pattern),
    });
    unknown.addTarget(
      new SqsQueue(this.rejectedEvents, {
        // The same shape the consumers dead-letter with, so one reader handles both.
        message: RuleTargetInput.fromObject({
          reason: unknownDetailTypeReason(EventField.detailType),
          refusedBy: REFUSED_BY_BUS,
          event: {
            id: EventField.eventId,
            source: EventField.source,
            'detail-type': EventField.detailType,
            time: EventField.time,
            account: EventField.account,
          },
        }),
        deadLetterQueue: busDeadLetters,
      }),
    );

    const optOut = new PeaklineFunction(this, 'CustomerOptOut', {
      config,
      name: 'customer-opt-out',
      description: 'CustomerOptedOut -> suppression list',
      environmentSchema: optOutEnvironment,
      environment: {
        SUPPRESSION_TABLE_NAME: tables.suppression.tableName,
        REJECTED_EVENTS_QUEUE_URL: this.rejectedEvents.queueUrl,
        SUPPRESSION_RETENTION_DAYS: String(config.data.suppressionRetentionDays),
      },
    });
    tables.suppression.grant(optOut.fn, 'dynamodb:PutItem', 'dynamodb:GetItem');
    readsPhoneHashKey(optOut.fn, props.phoneHashKey, config);
    this.rejectedEvents.grantSendMessages(optOut.fn);
    const optOutBuffer = new EventBuffer(this, 'CustomerOptOutBuffer', {
      bus: this.bus,
      rule: ruleSet.customerOptOut,
      consumer: optOut.fn,
      queueName: `${prefix}-opt-out`,
    });
    this.ops.deadLetters(
      'CustomerOptOutDlqAlarm',
      optOutBuffer.deadLetterQueue,
      'Opt-outs could not be recorded',
    );
    this.ops.functionErrors('CustomerOptOutErrors', optOut.fn, 'customer-opt-out');
    this.ops.bufferAge(
      'CustomerOptOutBufferAgeAlarm',
      optOutBuffer.queue,
      'opt-outs',
      config.alarms.bufferAgeMinutes,
    );

    this.callerSms = this.orderSms(config, tables, ruleSet.orderSms, prefix);
    this.deflectionSms = this.callerSms?.accept;
    // The lookup the inbound flow makes for every caller; option 1 queues the tracking link for the sender.
    this.orderStatus =
      config.orderStatus.enabled && this.callerSms !== undefined
        ? new OrderStatus(this, 'OrderStatus', {
            config,
            ordersTable: tables.orders,
            phoneHashKey: props.phoneHashKey,
            callerSmsQueue: this.callerSms.queue,
            ops: this.ops,
          })
        : undefined;
    this.orderIndex = config.orderStatus.enabled
      ? new OrderIndexWriter(this, 'OrderIndex', {
          config,
          ordersTable: tables.orders,
          bus: this.bus,
          rule: ruleSet.orderIndex,
          rejectedEvents: this.rejectedEvents,
          phoneHashKey: props.phoneHashKey,
          prefix,
        })
      : undefined;
    if (this.orderIndex !== undefined) {
      this.ops.deadLetters(
        'OrderIndexDlqAlarm',
        this.orderIndex.deadLetterQueue,
        'Order events could not be written to the order index (callers with those orders hear no status)',
      );
      this.ops.functionErrors('OrderIndexErrors', this.orderIndex.fn, 'order-index');
      this.ops.bufferAge(
        'OrderIndexBufferAgeAlarm',
        this.orderIndex.queue,
        'order index',
        config.alarms.bufferAgeMinutes,
      );
    }

    this.overflowRouting = new OverflowRouting(this, 'OverflowRouting', {
      config,
      routingTable: tables.routing,
      bus: this.bus,
      connect: props.connect,
      queueArns: props.connect.queueArns,
      ops: this.ops,
    });
    // The controller writes the document (a grant and its PUBLIC_STATUS_* variables); without it, nothing.
    this.publicStatus = config.publicStatus.enabled
      ? new PublicStatus(this, 'PublicStatus', { config, writer: this.overflowRouting.controller.fn })
      : undefined;
    if (this.publicStatus !== undefined) {
      this.ops.metricAtLeastOnce(
        'PublicStatusWriteFailuresAlarm',
        peaklineMetric({
          stage: config.stage,
          service: CONTROLLER_SERVICE,
          metricName: 'PublicStatusWriteFailures',
          period: Duration.minutes(15),
        }),
        "The public status document could not be written: the shop's website shows the last wait until its validUntil (1 h), then 'unknown'. See the overflow controller's log group ('public status document not written').",
      );
    }

    // Here rather than in the ContactCenterStack: the flows invoke functions of this stack, which already
    // depends on that one for the instance and the queues.
    this.contactFlows = new ContactFlows(this, 'ContactFlows', {
      instanceArn: props.connect.instanceArn,
      queueArns: props.connect.queueArns,
      routerFunction: this.overflowRouting.router.fn,
      ...(this.deflectionSms === undefined ? {} : { deflectionSmsFunction: this.deflectionSms.fn }),
      ...(this.orderStatus === undefined
        ? {}
        : {
            orderStatusFunction: this.orderStatus.lookup.fn,
            orderStatusTimeoutSeconds: config.orderStatus.lookupTimeoutSeconds,
          }),
      // The ContactCenterStack's prefix, so one instance's flows, queues and profiles read alike.
      namePrefix: config.stage,
      language: config.connect.language,
      shopName: config.sms.shopName,
      ...(config.overflow.bonusCode === undefined ? {} : { bonusCode: config.overflow.bonusCode }),
    });
    new CfnOutput(this, 'InboundFlowArnOutput', {
      key: 'InboundFlowArn',
      value: this.contactFlows.inboundFlowArn,
      description: "Contact flow to attach to the shop's phone number(s) in Amazon Connect.",
    });

    // After the flows: the tasks start in the task flow, which transfers them to their queue.
    this.cartCallbacks = new CartCallbacks(this, 'CartCallbacks', {
      config,
      tables,
      bus: this.bus,
      rejectedEvents: this.rejectedEvents,
      rules: { cartCallbacks: ruleSet.cartCallbacks, paymentIssues: ruleSet.paymentIssues },
      connect: props.connect,
      taskFlow: { arn: this.contactFlows.taskFlowArn, id: this.contactFlows.taskFlowId },
      ops: this.ops,
      prefix,
    });
    // Both check the suppression list (scheduling, and again before each call).
    readsPhoneHashKey(this.cartCallbacks.consumer.fn, props.phoneHashKey, config);
    readsPhoneHashKey(this.cartCallbacks.sweeper.fn, props.phoneHashKey, config);

    this.seatRevocation = new SeatRevocation(this, 'SeatRevocation', {
      config,
      seatsTable: tables.seats,
      bus: this.bus,
      connect: props.connect,
      ops: this.ops,
      prefix,
    });

    this.seatDigest = new SeatDigest(this, 'SeatDigest', {
      config,
      seatsTable: tables.seats,
      ops: this.ops,
      prefix,
    });

    this.factRecorder = new FactRecorder(this, 'FactRecorder', {
      config,
      factsTable: tables.facts,
      bus: this.bus,
      rule: ruleSet.factRecorder,
      rejectedEvents: this.rejectedEvents,
      prefix,
    });
    this.ops.deadLetters(
      'FactRecorderDlqAlarm',
      this.factRecorder.buffer.deadLetterQueue,
      'Facts for the KPI report could not be recorded',
    );
    this.ops.functionErrors('FactRecorderErrors', this.factRecorder.recorder.fn, 'fact-recorder');
    this.ops.bufferAge(
      'FactRecorderBufferAgeAlarm',
      this.factRecorder.buffer.queue,
      'facts',
      config.alarms.bufferAgeMinutes,
    );

    this.monthlyReport = new MonthlyReport(this, 'MonthlyReport', {
      config,
      connect: { instanceArn: props.connect.instanceArn },
      queueArns: props.connect.queueArns,
      factsTable: tables.facts,
      seatsTable: tables.seats,
      routingTable: tables.routing,
      ops: this.ops,
      prefix,
    });
    new CfnOutput(this, 'ReportsBucketOutput', {
      key: 'ReportsBucket',
      value: this.monthlyReport.bucket.bucketName,
      description: 'S3 bucket the monthly KPI reports (report-YYYY-MM.html and .csv) are written to.',
    });

    this.ops.bufferAge(
      'CallbackBufferAgeAlarm',
      this.cartCallbacks.callbackBuffer.queue,
      'cart callbacks',
      config.alarms.bufferAgeMinutes,
    );
    this.ops.bufferAge(
      'PaymentBufferAgeAlarm',
      this.cartCallbacks.paymentBuffer.queue,
      'payment issues',
      config.alarms.bufferAgeMinutes,
    );

    // Last: the alarms and the dashboard cover everything registered with the ops alarms above.
    this.peakAlarms = addPeakAlarms({
      config,
      ops: this.ops,
      connectInstanceId: props.connect.instanceId,
      flowNames: this.contactFlows.flowNames,
    });
    const { peakAlarms } = this;
    this.dashboard = new OpsDashboard(this, 'Dashboard', {
      config,
      ops: this.ops,
      connectInstanceId: props.connect.instanceId,
      // The ContactCenterStack names its queues with the stage as prefix, on a new or an existing instance.
      queueNames: {
        primary: queueNameOf(config.stage, 'primary'),
        secondLine: queueNameOf(config.stage, 'secondLine'),
        callback: queueNameOf(config.stage, 'callback'),
        accounting: queueNameOf(config.stage, 'accounting'),
      },
      flowNames: this.contactFlows.flowNames,
      smsServices: [
        'peakline-order-sms',
        'peakline-sms-release',
        ...(this.callerSms === undefined ? [] : ['peakline-deflection-sms-sender']),
      ],
      extraGraphs: [
        {
          title: 'Facts recorded for the KPI report, and duplicates',
          metrics: ['FactsRecorded', 'FactsDuplicate'].map((metricName) =>
            peaklineMetric({ stage: config.stage, service: 'peakline-fact-recorder', metricName }),
          ),
        },
        {
          title: 'Reports written, and seats in the daily digest',
          metrics: [
            peaklineMetric({
              stage: config.stage,
              service: 'peakline-monthly-report',
              metricName: 'ReportsWritten',
              period: Duration.days(1),
            }),
            peaklineMetric({
              stage: config.stage,
              service: 'peakline-seat-digest',
              metricName: 'SeatsEndingTomorrow',
              statistic: 'Maximum',
              period: Duration.days(1),
            }),
          ],
        },
        ...(this.orderStatus === undefined ? [] : [orderStatusGraph(config.stage)]),
        ...(this.publicStatus === undefined
          ? []
          : [
              {
                title: 'Public status document: writes and failures',
                metrics: ['PublicStatusWrites', 'PublicStatusWriteFailures'].map((metricName) =>
                  peaklineMetric({ stage: config.stage, service: CONTROLLER_SERVICE, metricName }),
                ),
              },
            ]),
      ],
      alarms: [
        peakAlarms.peakDegraded,
        peakAlarms.connectThrottledCalls,
        peakAlarms.connectConcurrentCalls,
        peakAlarms.connectFlowFatalErrors,
        peakAlarms.controllerSilent,
        ...Object.values(peakAlarms.deflectHeld),
        ...Object.values(peakAlarms.overflowHeld),
        peakAlarms.callbackBacklog,
        peakAlarms.smsSpend95,
        peakAlarms.smsSpend80,
        peakAlarms.smsDeliveryFailures,
      ],
    });
  }

  /** Order SMS: rule -> buffer -> order-sms -> SNS, and the minute sweeper that releases deferred SMS. */
  private orderSms(
    config: PeaklineConfig,
    tables: Readonly<Record<TableName, ITableV2>>,
    rule: RuleDefinition,
    prefix: string,
  ): DeflectionSms | undefined {
    const environment = orderSmsEnvironmentFrom(config, {
      ledgerTable: tables.ledger.tableName,
      suppressionTable: tables.suppression.tableName,
      routingTable: tables.routing.tableName,
      rejectedEventsQueueUrl: this.rejectedEvents.queueUrl,
      busName: this.bus.eventBusName,
      primaryQueueId: 'primary',
    });
    const grantSmsPath = (fn: IFunction) => {
      // Granted by hand rather than with table.grant(), which would add every index (`index/*`): the SMS
      // path reads one index, the deferred SMS.
      fn.addToRolePolicy(
        new PolicyStatement({
          // BatchWriteItem: the outcomes of a batch recorded once announced (pending where the bus refused),
          // 25 to a call.
          actions: [
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
            'dynamodb:BatchWriteItem',
          ],
          resources: [tables.ledger.tableArn],
        }),
      );
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [`${tables.ledger.tableArn}/index/deferred-by-time`],
        }),
      );
      // BatchGetItem: a batch's opt-outs in one read (layers/core/sms/batch-opt-outs.ts).
      tables.suppression.grant(fn, 'dynamodb:GetItem', 'dynamodb:BatchGetItem');
      readsPhoneHashKey(fn, this.#phoneHashKey, config);
      tables.routing.grant(fn, 'dynamodb:GetItem');
      this.bus.grantPutEventsTo(fn);
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
    };

    const orderSms = new PeaklineFunction(this, 'OrderSms', {
      config,
      name: 'order-sms',
      description: 'OrderPlaced / OrderStatusChanged -> one SMS per order and status',
      environmentSchema: orderSmsEnvironment,
      environment,
      timeout: Duration.seconds(30),
      // With the buffer's maximum concurrency, the cap on senders the SMS rate is shared by.
      reservedConcurrentExecutions: ORDER_SMS_CONCURRENCY,
    });
    grantSmsPath(orderSms.fn);
    this.rejectedEvents.grantSendMessages(orderSms.fn);
    const buffer = new EventBuffer(this, 'OrderSmsBuffer', {
      bus: this.bus,
      rule,
      consumer: orderSms.fn,
      consumerTimeout: Duration.seconds(30),
      queueName: `${prefix}-order-sms`,
      maxConcurrency: ORDER_SMS_CONCURRENCY,
      // The function gives up itself after `sms.maxAttempts`, with the reason; the redrive is the backstop.
      maxReceiveCount: config.sms.maxAttempts + 1,
    });
    this.ops.deadLetters('OrderSmsDlqAlarm', buffer.deadLetterQueue, 'Order SMS could not be processed');
    this.ops.bufferAge('OrderSmsBufferAgeAlarm', buffer.queue, 'order SMS', config.alarms.bufferAgeMinutes);
    this.ops.functionErrors('OrderSmsErrors', orderSms.fn, 'order-sms');
    // Both senders count against the cap: the order-SMS function and the release sweeper.
    const capReached = (service: string) =>
      new Metric({
        namespace: 'peakline',
        metricName: 'SmsDailyCapReached',
        dimensionsMap: { service, stage: config.stage },
        period: Duration.minutes(5),
        statistic: 'Sum',
      });
    this.ops.metricAtLeastOnce(
      'SmsDailyCapAlarm',
      new MathExpression({
        expression: 'FILL(orderSms, 0) + FILL(release, 0) + FILL(deflection, 0) + FILL(callerSms, 0)',
        usingMetrics: {
          orderSms: capReached('peakline-order-sms'),
          release: capReached('peakline-sms-release'),
          deflection: capReached('peakline-deflection-sms'),
          // The caller-SMS sender (deflection and tracking links) counts the cap under its own service.
          callerSms: capReached('peakline-deflection-sms-sender'),
        },
        label: 'SmsDailyCapReached',
        period: Duration.minutes(5),
      }),
      `The daily SMS cap (${config.sms.dailySegmentCap} parts) is reached: order SMS are being suppressed until midnight UTC. Raise sms.dailySegmentCap if the peak is real.`,
    );

    // An SMS whose send was claimed and never recorded (a crash or a timeout between SNS and the ledger):
    // it may or may not have reached the customer, and is not sent again. Someone should look.
    const outcomeUnknown = (service: string) =>
      new Metric({
        namespace: 'peakline',
        metricName: 'SmsOutcomeUnknown',
        dimensionsMap: { service, stage: config.stage },
        period: Duration.minutes(5),
        statistic: 'Sum',
      });
    this.ops.metricAtLeastOnce(
      'SmsOutcomeUnknownAlarm',
      new MathExpression({
        expression: 'FILL(orderSms, 0) + FILL(release, 0)',
        usingMetrics: {
          orderSms: outcomeUnknown('peakline-order-sms'),
          release: outcomeUnknown('peakline-sms-release'),
        },
        label: 'SmsOutcomeUnknown',
        period: Duration.minutes(5),
      }),
      'An order SMS was claimed for sending and its outcome never recorded (the function died or timed out between SNS and the ledger): it was NOT sent again. Check the order-sms / sms-release logs for the order (outcome OUTCOME_UNKNOWN) and, if needed, tell the customer by hand.',
    );

    const releaseFailures = deadLetterQueue(this, 'SmsReleaseFailures', {
      queueName: `${prefix}-sms-release-dlq`,
    });
    acknowledge(
      releaseFailures,
      'AwsSolutions-SQS3',
      "This queue is the sms-release function's on-failure destination and its schedule's DLQ; cdk-nag only recognises SQS redrive DLQs.",
    );
    const release = new PeaklineFunction(this, 'SmsRelease', {
      config,
      name: 'sms-release',
      description: 'Every minute: sends the SMS deferred by quiet hours that are now due',
      environmentSchema: orderSmsEnvironment,
      environment,
      timeout: Duration.seconds(60),
      // One sweep at a time: a second would only race the first for the same SMS.
      reservedConcurrentExecutions: 1,
      onFailureQueue: releaseFailures,
    });
    grantSmsPath(release.fn);
    new Rule(this, 'SmsReleaseSchedule', {
      description: 'Releases SMS deferred by quiet hours',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(release.fn, { deadLetterQueue: releaseFailures, retryAttempts: 2 })],
    });
    this.ops.deadLetters('SmsReleaseDlqAlarm', releaseFailures, 'Deferred SMS could not be released');
    this.ops.functionErrors('SmsReleaseErrors', release.fn, 'sms-release');

    // The caller SMS exist only when a caller can ask for one: the deflection SMS with a page to link to,
    // the tracking link with the order status.
    if (config.overflow.requestUrl === undefined && !config.orderStatus.enabled) return undefined;
    // Queued (by the deflection's accept function or the order-status function) and sent at the rate share:
    // a burst of callers is never throttled.
    const callerSms = new DeflectionSms(this, 'DeflectionSms', {
      config,
      smsEnvironment: environment,
      grantSmsPath,
      ops: this.ops,
      prefix,
      ...(config.orderStatus.enabled ? { tracking: { ordersTable: tables.orders } } : {}),
    });
    // Drawn with the buffers; its own alarm (DeflectionSmsLateAlarm) is at two minutes, not bufferAgeMinutes.
    this.ops.buffers.push({ name: 'caller SMS', queue: callerSms.queue });
    return callerSms;
  }
}

/**
 * The order status on the dashboard: callers told their order's status (the lookup's count), those of them
 * contained (told and never queued: told minus the router's count of callers carrying the outcome), and the
 * tracking links sent (the caller-SMS sender's count of its tracking-link kind).
 */
const orderStatusGraph = (stage: string): { title: string; metrics: IMetric[] } => {
  const told = peaklineMetric({ stage, service: 'peakline-order-status', metricName: 'OrderStatusTold' });
  const thenQueue = peaklineMetric({
    stage,
    service: 'peakline-overflow-router',
    metricName: 'OrderStatusThenQueue',
  });
  return {
    title: 'Order status before the queue: told, contained, tracking links sent',
    metrics: [
      new MathExpression({ expression: 'FILL(told, 0)', usingMetrics: { told }, label: 'Told' }),
      new MathExpression({
        expression: 'FILL(told, 0) - FILL(thenQueue, 0)',
        usingMetrics: { told, thenQueue },
        label: 'Contained (told, never queued)',
        period: Duration.minutes(5),
      }),
      peaklineMetric({
        stage,
        service: 'peakline-deflection-sms-sender',
        metricName: 'TrackingSmsSent',
        label: 'Tracking links sent',
      }),
    ],
  };
};
