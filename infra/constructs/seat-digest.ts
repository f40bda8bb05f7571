import { Duration, TimeZone } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { seatDigestEnvironment, seatDigestEnvironmentFrom } from '#functions/seat-digest/environment.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { acknowledge } from '#infra/nag.js';
import type { OpsAlarms } from './ops-alarms.js';
import { PeaklineFunction } from './peakline-function.js';
import { deadLetterQueue } from './secure-queue.js';

export interface SeatDigestProps {
  readonly config: PeaklineConfig;
  /** The seats table: the digest scans it once a day (hundreds of items, a few read units). */
  readonly seatsTable: ITableV2;
  /** Its alarms, and the topic the digest goes to unless `opsTopic` says otherwise. */
  readonly ops: OpsAlarms;
  /**
   * Where the digest goes; encrypted topics are supported (the function is given its key for publishing).
   * @default the ops alarms' topic, `ops.topic`
   */
  readonly opsTopic?: ITopic;
  /** Physical name prefix, e.g. `peakline-prod`. */
  readonly prefix: string;
}

/** `HH:MM` (config `alarms.seatDigestAt`) as the cron's hour and minute. */
export const digestTime = (hhmm: string): { hour: string; minute: string } => {
  const [hour = '', minute = ''] = hhmm.split(':');
  return { hour: String(Number(hour)), minute: String(Number(minute)) };
};

/**
 * Scheduler's Lambda target, allowed to invoke the function itself and nothing else: the stock target grants
 * `<function>:*` too (every version and alias), which nothing here publishes and cdk-nag rightly flags.
 */
class InvokeTheFunction extends LambdaInvoke {
  constructor(
    private readonly target: IFunction,
    props: ScheduleTargetBaseProps,
  ) {
    super(target, props);
  }

  protected override addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.target.functionArn] }),
    );
  }
}

/**
 * The daily digest of seats ending tomorrow (DESIGN.md, part 5): EventBridge Scheduler runs the function
 * every day at `alarms.seatDigestAt` in `connect.timeZone` (Scheduler keeps the wall-clock time across the
 * clocks changing, which an EventBridge rule's UTC cron cannot), and the function tells the ops topic which
 * seats end tomorrow, or nothing on a day with none.
 */
export class SeatDigest extends Construct {
  readonly digest: PeaklineFunction;
  readonly schedule: Schedule;
  /** Invocations that failed after their retries, and schedule runs that could not invoke at all. */
  readonly failures: ReturnType<typeof deadLetterQueue>;

  constructor(scope: Construct, id: string, props: SeatDigestProps) {
    super(scope, id);
    const { config, seatsTable, ops, prefix } = props;
    const opsTopic = props.opsTopic ?? ops.topic;

    this.failures = deadLetterQueue(this, 'Failures', { queueName: `${prefix}-seat-digest-dlq` });
    acknowledge(
      this.failures,
      'AwsSolutions-SQS3',
      "This queue is the seat-digest function's on-failure destination and its schedule's DLQ; cdk-nag only recognises SQS redrive DLQs.",
    );
    this.digest = new PeaklineFunction(this, 'Digest', {
      config,
      name: 'seat-digest',
      description: `Daily at ${config.alarms.seatDigestAt} ${config.connect.timeZone}: the seats ending tomorrow -> ops topic`,
      environmentSchema: seatDigestEnvironment,
      environment: seatDigestEnvironmentFrom(config, {
        seatsTable: seatsTable.tableName,
        opsTopicArn: opsTopic.topicArn,
      }),
      timeout: Duration.seconds(30),
      onFailureQueue: this.failures,
    });
    // Lambda's own retries of the asynchronous invocation, within the afternoon: a digest a day late is news
    // nobody can act on.
    this.digest.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(2) });
    // DynamoSeatStore.list scans the table; nothing else is read, and nothing written.
    this.digest.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:Scan'], resources: [seatsTable.tableArn] }),
    );
    this.digest.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: [opsTopic.topicArn] }),
    );
    if (opsTopic.masterKey !== undefined) {
      this.digest.fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [opsTopic.masterKey.keyArn],
        }),
      );
    }

    this.schedule = new Schedule(this, 'Schedule', {
      description: `The seats ending tomorrow, to the ops topic (peakline ${config.stage})`,
      schedule: ScheduleExpression.cron({
        ...digestTime(config.alarms.seatDigestAt),
        timeZone: TimeZone.of(config.connect.timeZone),
      }),
      target: new InvokeTheFunction(this.digest.fn, {
        deadLetterQueue: this.failures,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    });

    ops.deadLetters(
      'SeatDigestDlqAlarm',
      this.failures,
      'The daily digest of seats ending tomorrow was not sent',
    );
    ops.functionErrors('SeatDigestErrors', this.digest.fn, 'seat-digest');
  }
}
