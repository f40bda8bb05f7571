import { Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct, type IConstruct } from 'constructs';
import {
  monthlyReportEnvironment,
  monthlyReportEnvironmentFrom,
} from '#functions/monthly-report/environment.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { acknowledge } from '#infra/nag.js';
import type { QueueKey } from './connect/contact-centre-model.js';
import { grantReadFigures } from './fact-recorder.js';
import type { OpsAlarms } from './ops-alarms.js';
import { PeaklineFunction } from './peakline-function.js';
import { deadLetterQueue } from './secure-queue.js';

export interface MonthlyReportProps {
  readonly config: PeaklineConfig;
  readonly connect: { readonly instanceArn: string };
  readonly queueArns: Readonly<Record<QueueKey, string>>;
  readonly factsTable: ITableV2;
  readonly seatsTable: ITableV2;
  readonly routingTable: ITableV2;
  /** Alarms on the function's errors and on runs that failed for good. @default none */
  readonly ops?: OpsAlarms;
  /** Physical name prefix, e.g. `peakline-prod`. */
  readonly prefix: string;
}

/** When the report is made: the 1st of each month, 06:00 on the shop's wall clock, last month being over. */
export const MONTHLY_REPORT_CRON = { minute: '0', hour: '6', day: '1' } as const;

/**
 * The monthly KPI report (DESIGN.md part 5): on the 1st of each month at 06:00 in `connect.timeZone`
 * (EventBridge Scheduler, which keeps the hour across the clock changes), a function builds last month's
 * report with the same core as `peakline report` and writes report-YYYY-MM.html and .csv to a private bucket:
 * - SSE-S3, TLS only, public access blocked, ACLs off, kept on stack deletion (a report is the only record
 *   of a month once Connect's three months of metrics have passed);
 * - versioned, old versions kept 30 days: a run again for the same month, or a slip by hand, replaces a
 *   report with one that may have been made from less (Connect's data gone, facts expired), and the old one
 *   can be brought back; two files of a few hundred kB a month make the versions cost nothing;
 * - every report expires after `reports.retentionDays`.
 * The function may read Connect's historical metrics of this instance, the facts table's by-day index,
 * the seats table and the routing audit, and put objects in this bucket: nothing else.
 */
export class MonthlyReport extends Construct {
  readonly bucket: Bucket;
  readonly fn: PeaklineFunction;
  readonly schedule: Schedule;
  readonly failures: ReturnType<typeof deadLetterQueue>;

  constructor(scope: Construct, id: string, props: MonthlyReportProps) {
    super(scope, id);
    const { config, prefix } = props;

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'reports-expire',
          expiration: Duration.days(config.reports.retentionDays),
          noncurrentVersionExpiration: Duration.days(30),
        },
        // S3 takes the leftover delete markers of expired reports away only when asked, in a rule of its own.
        { id: 'delete-markers', expiredObjectDeleteMarker: true },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'The bucket holds two report files a month, written by one function and read by ops through the console or the CLI; CloudTrail records who read or wrote them. Server access logs would need a bucket of their own and cost more than this one.',
    });

    this.failures = deadLetterQueue(this, 'Failures', { queueName: `${prefix}-monthly-report-dlq` });
    acknowledge(
      this.failures,
      'AwsSolutions-SQS3',
      "This queue is the monthly report's schedule DLQ and its function's on-failure destination; cdk-nag only recognises SQS redrive DLQs.",
    );

    this.fn = new PeaklineFunction(this, 'Function', {
      config,
      name: 'monthly-report',
      description: "1st of the month, 06:00 in the shop's zone: last month's KPI report to S3 (HTML, CSV)",
      environmentSchema: monthlyReportEnvironment,
      environment: monthlyReportEnvironmentFrom(config, {
        instanceArn: props.connect.instanceArn,
        queueArns: props.queueArns,
        factsTable: props.factsTable.tableName,
        seatsTable: props.seatsTable.tableName,
        routingTable: props.routingTable.tableName,
        bucket: this.bucket.bucketName,
      }),
      // A month's GetMetricDataV2 pages, a scan of the seats and the facts of a month: seconds, with room
      // for Connect's throttling; the charts are drawn in memory.
      timeout: Duration.minutes(5),
      memorySize: 1024,
      onFailureQueue: this.failures,
      // One report at a time: a retry overlapping a slow run would write the same files twice.
      reservedConcurrentExecutions: 1,
    });

    // GetMetricDataV2 is authorised on the instance (its ResourceArn) and on the queues it filters by.
    this.fn.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['connect:GetMetricDataV2'],
        resources: [props.connect.instanceArn, ...Object.values(props.queueArns)],
      }),
    );
    grantReadFigures(this.fn.fn, props.factsTable);
    // The seat-days need every seat, revoked and ended ones too: a Scan of the seats table, no index.
    this.fn.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:Scan'], resources: [props.seatsTable.tableArn] }),
    );
    // The routing audit, read by time: a Query on the table's own key.
    this.fn.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:Query'], resources: [props.routingTable.tableArn] }),
    );
    this.fn.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('report-*')] }),
    );

    // The schedule's own role, so that what it may do is acknowledged here and nowhere else.
    const scheduleRole = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: `peakline monthly report schedule (${config.stage})`,
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: "Last month's KPI report, on the 1st at 06:00 in the shop's zone",
      schedule: ScheduleExpression.cron({
        ...MONTHLY_REPORT_CRON,
        timeZone: TimeZone.of(config.connect.timeZone),
      }),
      target: new LambdaInvoke(this.fn.fn, {
        role: scheduleRole,
        deadLetterQueue: this.failures,
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      }),
    });

    // cdk-nag names a wildcard finding after the resource as the template has it, known once the app is
    // resolved; construct validation runs then, before cdk-nag, so each finding is acknowledged exactly.
    acknowledgeWildcard(
      this.fn.fn.role as IConstruct,
      this.bucket.bucketArn,
      '/report-*',
      "The reports are named by their month (report-YYYY-MM.html, .csv), unknown at deploy time; the wildcard is confined to this bucket's report-* keys and to PutObject.",
    );
    acknowledgeWildcard(
      scheduleRole,
      this.fn.fn.functionArn,
      ':*',
      "CDK's Lambda target grants the function and its versions/aliases (<arn>:*); the role can invoke this one function and nothing else.",
    );

    if (props.ops) {
      props.ops.deadLetters('MonthlyReportDlqAlarm', this.failures, 'The monthly KPI report was not written');
      props.ops.functionErrors('MonthlyReportErrors', this.fn.fn, 'monthly-report');
    }
  }
}

/** Acknowledges cdk-nag's IAM5 finding for `<resource><suffix>` on `scope`, once the reference resolves. */
const acknowledgeWildcard = (scope: IConstruct, resource: string, suffix: string, reason: string): void => {
  scope.node.addValidation({
    validate: () => {
      const flattened = flattenCfnReference(Stack.of(scope).resolve(resource));
      Validations.of(scope).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${flattened}${suffix}]`,
        reason,
      });
      return [];
    },
  });
};
