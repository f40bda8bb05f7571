import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { AccountPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { TableName } from '#adapters/dynamodb/tables.js';
import { REFUSED_BY_BUS, rules, unknownDetailTypeReason } from '#events/rules.js';
import { optOutEnvironment } from '#functions/customer-opt-out/environment.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { acknowledge } from '#infra/nag.js';
import { EventBuffer } from '../constructs/event-buffer.js';
import { toCdkEventPattern } from '../constructs/event-pattern.js';
import { OpsAlarms } from '../constructs/ops-alarms.js';
import { PeaklineFunction } from '../constructs/peakline-function.js';
import { secureQueue } from '../constructs/secure-queue.js';

export interface PipelineStackProps extends StackProps {
  readonly config: PeaklineConfig;
  readonly tables: Readonly<Record<TableName, ITableV2>>;
}

/**
 * The stateless half: the bus the shop writes to, its rules, the buffers, the functions and the
 * alarms. It can be destroyed and redeployed at will; everything worth keeping is in the DataStack.
 */
export class PipelineStack extends Stack {
  readonly bus: EventBus;
  readonly rejectedEvents: ReturnType<typeof secureQueue>;
  readonly ops: OpsAlarms;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { config, tables } = props;
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
    this.rejectedEvents = secureQueue(this, 'RejectedEvents', {
      queueName: `${prefix}-rejected-events`,
      retentionPeriod: Duration.days(14),
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
    const busDeadLetters = secureQueue(this, 'BusDeadLetters', {
      queueName: `${prefix}-bus-dlq`,
      retentionPeriod: Duration.days(14),
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
  }
}
