import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '#infra/config/load.js';
import { OpsAlarms } from '#infra/constructs/ops-alarms.js';
import { SeatDigest } from '#infra/constructs/seat-digest.js';
import { setDeadLetterRetention } from '#infra/constructs/secure-queue.js';
import { newApp } from '#test/support/synth.js';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

interface NagReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
    suppressedViolations: { ruleName: string; reason: string; acknowledgedAt: string }[];
  }[];
}

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** The construct on a bare stack, with a seats table and the ops alarms the PipelineStack gives it. */
const synth = (settings: Record<string, unknown> = {}) => {
  const outdir = mkdtempSync(join(tmpdir(), 'peakline-seat-digest-'));
  outdirs.push(outdir);
  const app = newApp({ outdir });
  const config = parseConfig('test', settings);
  const stack = new Stack(app, 'DigestTest', { env: { account: '123456789012', region: 'eu-central-1' } });
  setDeadLetterRetention(stack, config.bus.deadLetterRetentionDays);
  const seatsTable = new TableV2(stack, 'Seats', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
  const digest = new SeatDigest(stack, 'SeatDigest', {
    config,
    seatsTable,
    ops: new OpsAlarms(stack, 'Ops', { stage: 'test' }),
    prefix: 'peakline-test',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  const nag = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as NagReport;
  return { template: Template.fromStack(stack), digest, stack, nag };
};

const digestFunction = (template: Template) => {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).find(
    ([, fn]) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'peakline-seat-digest',
  );
  if (found === undefined) throw new Error('no seat-digest function');
  return found;
};

describe('SeatDigest', () => {
  let built: ReturnType<typeof synth>;

  beforeAll(() => {
    built = synth({ alarms: { seatDigestAt: '07:30' }, connect: { timeZone: 'Europe/Helsinki' } });
  });

  it('runs daily at alarms.seatDigestAt in connect.timeZone, retrying into the failure queue', () => {
    // Prepare
    const [fnId] = digestFunction(built.template);

    // Assess
    built.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 7 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Helsinki',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
        DeadLetterConfig: { Arn: Match.anyValue() },
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 2 },
      }),
    });
  });

  it('is told the seats table, the ops topic and the time zone', () => {
    // Act
    const [, fn] = digestFunction(built.template);

    // Assess
    expect(fn.Properties.Environment.Variables).toMatchObject({
      SEATS_TABLE_NAME: { Ref: expect.stringMatching(/^Seats/) },
      OPS_TOPIC_ARN: { Ref: expect.stringMatching(/^OpsTopic/) },
      CONNECT_TIME_ZONE: 'Europe/Helsinki',
    });
  });

  it('may scan the seats table and publish to the ops topic (with its key), nothing more', () => {
    // Prepare
    const [, fn] = digestFunction(built.template);
    const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;

    // Act
    const actions = Object.values(built.template.findResources('AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as { Ref?: string }[]).some((r) => r.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
      .flatMap((st) => [st.Action].flat())
      .filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:'))
      .sort();

    // Assess: the SQS send is the function's own on-failure destination
    expect(actions).toEqual([
      'dynamodb:Scan',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'sns:Publish',
      'sqs:SendMessage',
    ]);
  });

  it('is retried by Lambda within two hours, then kept in the failure queue, and both are alarmed', () => {
    // Prepare
    const [fnId] = digestFunction(built.template);

    // Assess
    built.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 7200,
    });
    built.template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'peakline-test-seat-digest-dlq' });
    const descriptions = Object.values(built.template.findResources('AWS::CloudWatch::Alarm')).map((alarm) =>
      JSON.stringify(alarm.Properties.AlarmDescription),
    );
    expect(descriptions.some((d) => d.includes('seats ending tomorrow was not sent'))).toBe(true);
    expect(descriptions.some((d) => d.includes('seat-digest'))).toBe(true);
  });

  it('finds nothing unacknowledged for cdk-nag AwsSolutions', () => {
    // Act
    const nag = built.nag.pluginReports.find((r) => r.pluginName === 'AwsSolutions');

    // Assess
    expect(nag?.violations).toEqual([]);
  });
});
