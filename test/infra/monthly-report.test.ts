import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '#infra/config/load.js';
import type { QueueKey } from '#infra/constructs/connect/contact-centre-model.js';
import { MonthlyReport } from '#infra/constructs/monthly-report.js';
import { OpsAlarms } from '#infra/constructs/ops-alarms.js';
import { setDeadLetterRetention } from '#infra/constructs/secure-queue.js';
import { newApp } from '#test/support/synth.js';

const INSTANCE_ARN =
  'arn:aws:connect:eu-central-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
const QUEUE_ARNS: Record<QueueKey, string> = {
  primary: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000001`,
  secondLine: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000002`,
  callback: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000003`,
  accounting: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000004`,
};

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

interface NagReport {
  pluginReports: {
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
    suppressedViolations: { ruleName: string; reason: string }[];
  }[];
}

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

const table = (stack: Stack, id: string, sortKey?: string) =>
  new TableV2(stack, id, {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    ...(sortKey === undefined ? {} : { sortKey: { name: sortKey, type: AttributeType.STRING } }),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });

/** The construct on a bare stack, with cdk-nag's AwsSolutions checks. */
const synth = (settings: Record<string, unknown>) => {
  const outdir = mkdtempSync(join(tmpdir(), 'peakline-monthly-report-'));
  outdirs.push(outdir);
  const app = newApp({ outdir });
  const config = parseConfig('test', settings);
  const stack = new Stack(app, 'MonthlyReportTest', {
    env: { account: '123456789012', region: 'eu-central-1' },
  });
  setDeadLetterRetention(stack, config.bus.deadLetterRetentionDays);
  const tables = {
    factsTable: table(stack, 'Facts', 'sk'),
    seatsTable: table(stack, 'Seats'),
    routingTable: table(stack, 'Routing', 'sk'),
  };
  new MonthlyReport(stack, 'MonthlyReport', {
    config,
    connect: { instanceArn: INSTANCE_ARN },
    queueArns: QUEUE_ARNS,
    ...tables,
    ops: new OpsAlarms(stack, 'Ops', { stage: 'test' }),
    prefix: 'peakline-test',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  const nag = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as NagReport;
  const template = Template.fromStack(stack);
  const logical = (construct: TableV2) => stack.getLogicalId(construct.node.defaultChild as never);
  return {
    template,
    nag,
    tableIds: {
      facts: logical(tables.factsTable),
      seats: logical(tables.seatsTable),
      routing: logical(tables.routingTable),
    },
  };
};

const statementsOfFunction = (template: Template): Statement[] => {
  const [, fn] = Object.entries(template.findResources('AWS::Lambda::Function')).find(
    ([, f]) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'peakline-monthly-report',
  ) ?? ['', undefined];
  const roleId = fn?.Properties.Role['Fn::GetAtt'][0] as string;
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref?: string }[]).some((r) => r.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
};

describe('MonthlyReport', () => {
  let built: ReturnType<typeof synth>;

  beforeAll(() => {
    built = synth({ connect: { timeZone: 'Europe/Warsaw' }, reports: { retentionDays: 400, locale: 'en' } });
  });

  it('keeps the reports in an encrypted, private, TLS-only bucket, versioned, expiring after reports.retentionDays', () => {
    // Assess
    built.template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              ExpirationInDays: 400,
              NoncurrentVersionExpiration: { NoncurrentDays: 30 },
              Status: 'Enabled',
            }),
            Match.objectLike({ ExpiredObjectDeleteMarker: true, Status: 'Enabled' }),
          ]),
        },
      }),
    });
    built.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('runs on the 1st of each month at 06:00 in the shop’s zone, retrying twice, failures to a DLQ', () => {
    // Assess
    built.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 1 * ? *)',
      ScheduleExpressionTimezone: 'Europe/Warsaw',
      State: 'ENABLED',
      Target: Match.objectLike({
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21_600 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
  });

  it('gives the function the stage’s report settings and one run at a time', () => {
    // Assess
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 1,
      Environment: {
        Variables: Match.objectLike({
          CONNECT_INSTANCE_ARN: INSTANCE_ARN,
          QUEUE_ARN_ACCOUNTING: QUEUE_ARNS.accounting,
          REPORT_TIME_ZONE: 'Europe/Warsaw',
          REPORT_LOCALE: 'en',
          REPORT_SERVICE_LEVEL_SECONDS: '20',
        }),
      },
    });
  });

  it('may read Connect’s historical metrics, the facts, seats and routing audit, and put reports: nothing else', () => {
    // Act
    const statements = statementsOfFunction(built.template);
    const actions = statements.flatMap((s) => [s.Action].flat()).sort();

    // Assess
    expect(actions).toEqual([
      'connect:GetMetricDataV2',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:PutObject',
      'sqs:SendMessage',
      // PeaklineFunction's tracing, in a policy of its own.
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    // One Query statement (CDK merges them): the facts' by-day index and the routing table's audit.
    const query = JSON.stringify(statements.find((s) => s.Action === 'dynamodb:Query')?.Resource);
    expect(query).toContain('/index/by-day');
    expect(query).toContain(built.tableIds.routing);
    const connect = statements.find((s) => s.Action === 'connect:GetMetricDataV2');
    expect(connect?.Resource).toEqual([INSTANCE_ARN, ...Object.values(QUEUE_ARNS)]);
    const put = statements.find((s) => s.Action === 's3:PutObject');
    expect(JSON.stringify(put?.Resource)).toContain('/report-*');
    const scan = statements.find((s) => s.Action === 'dynamodb:Scan');
    expect(JSON.stringify(scan?.Resource)).toContain(built.tableIds.seats);
  });

  it('is clean under cdk-nag, each acknowledgement with its reason', () => {
    // Act
    const report = built.nag.pluginReports.find((p) => p.violations !== undefined);
    const violations = report?.violations ?? [];
    const suppressed = report?.suppressedViolations ?? [];

    // Assess: the two wildcards the construct asks for (the reports' keys; the schedule's invoke of the
    // function's versions), the bucket's access logs, and PeaklineFunction's X-Ray, each with its reason.
    expect(violations).toEqual([]);
    expect(suppressed.map((s) => s.ruleName).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<MonthlyReportBucket\w+\.Arn>\/report-\*\]$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<MonthlyReportFunction\w+\.Arn>:\*\]$/),
      'AwsSolutions-S1',
    ]);
    for (const s of suppressed) expect(s.reason.length, s.ruleName).toBeGreaterThan(40);
  });
});
