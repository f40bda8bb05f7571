import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '#infra/config/load.js';
import type { QueueKey } from '#infra/constructs/connect/contact-centre-model.js';
import { OpsAlarms } from '#infra/constructs/ops-alarms.js';
import { OverflowRouting } from '#infra/constructs/overflow-routing.js';
import { setDeadLetterRetention } from '#infra/constructs/secure-queue.js';
import { newApp } from '#test/support/synth.js';

const INSTANCE_ID = '11111111-2222-3333-4444-555555555555';
const INSTANCE_ARN = `arn:aws:connect:eu-central-1:123456789012:instance/${INSTANCE_ID}`;
const QUEUE_ARNS: Record<QueueKey, string> = {
  primary: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000001`,
  secondLine: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000002`,
  callback: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000003`,
  accounting: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000004`,
};

type Resource = ReturnType<Template['findResources']>[string];
type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Effect: string };

interface NagReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** The construct in a stack of its own, with the table, bus and ops alarms the PipelineStack gives it. */
const synth = (settings: Record<string, unknown> = {}) => {
  const outdir = mkdtempSync(join(tmpdir(), 'peakline-overflow-'));
  outdirs.push(outdir);
  const app = newApp({ outdir });
  const config = parseConfig('test', settings);
  const stack = new Stack(app, 'OverflowTest', { env: { account: '123456789012', region: 'eu-central-1' } });
  // As the PipelineStack does before any queue: the schedule's DLQ keeps its messages this long.
  setDeadLetterRetention(stack, config.bus.deadLetterRetentionDays);
  const routingTable = new TableV2(stack, 'Routing', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'sk', type: AttributeType.STRING },
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
  const bus = new EventBus(stack, 'Bus', { eventBusName: 'peakline' });
  const ops = new OpsAlarms(stack, 'Ops', { stage: 'test' });
  const routing = new OverflowRouting(stack, 'OverflowRouting', {
    config,
    routingTable,
    bus,
    connect: { instanceArn: INSTANCE_ARN, instanceId: INSTANCE_ID },
    queueArns: QUEUE_ARNS,
    ops,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  const nag = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as NagReport;
  return { template: Template.fromStack(stack), routing, stack, nag };
};

const functionOf = (template: Template, service: string): [string, Resource] => {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).find(
    ([, fn]) => fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === service,
  );
  if (found === undefined) throw new Error(`no function ${service}`);
  return found;
};

/** Every statement of the policies attached to the function's role. */
const statementsOf = (template: Template, service: string): Statement[] => {
  const [, fn] = functionOf(template, service);
  const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref?: string }[]).some((r) => r.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
};

const actionsOf = (statements: Statement[]) => statements.flatMap((st) => [st.Action].flat()).sort();

describe('OverflowRouting', () => {
  let built: ReturnType<typeof synth>;

  beforeAll(() => {
    built = synth();
  });

  describe('the controller', () => {
    it('runs every minute on a schedule, with a dead-letter queue for what EventBridge cannot deliver', () => {
      // Prepare
      const [controllerId] = functionOf(built.template, 'peakline-overflow-controller');

      // Assess
      built.template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [controllerId, 'Arn'] },
            DeadLetterConfig: { Arn: Match.anyValue() },
            RetryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 2 },
          }),
        ],
      });
    });

    it('runs one at a time, each run inside the minute, and is never retried late', () => {
      // Prepare
      const [controllerId, controller] = functionOf(built.template, 'peakline-overflow-controller');

      // Assess
      expect(controller.Properties.ReservedConcurrentExecutions).toBe(1);
      expect(controller.Properties.Timeout).toBe(55);
      built.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: controllerId },
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 60,
      });
    });

    it('is told the queues, the second line, the thresholds, the wait model and where to write and announce', () => {
      // Act
      const [, controller] = functionOf(
        synth({
          overflow: {
            samplesPerMinute: 6,
            enterWaitSeconds: 90,
            queues: ['primary'],
            handlingSeconds: 240,
            patienceSeconds: 90,
            secondLineMarginSeconds: 15,
            secondLineMaxShare: 0.35,
            minDwellSeconds: 300,
          },
        }).template,
        'peakline-overflow-controller',
      );

      // Assess
      expect(controller.Properties.Environment.Variables).toMatchObject({
        CONNECT_INSTANCE_ID: INSTANCE_ID,
        OVERFLOW_QUEUES: 'primary',
        QUEUE_ARN_PRIMARY: QUEUE_ARNS.primary,
        QUEUE_ARN_CALLBACK: QUEUE_ARNS.callback,
        QUEUE_ARN_SECOND_LINE: QUEUE_ARNS.secondLine,
        OVERFLOW_SAMPLES_PER_MINUTE: '6',
        OVERFLOW_ENTER_WAIT_SECONDS: '90',
        OVERFLOW_ENTER_SAMPLES: '3',
        OVERFLOW_EXIT_WAIT_SECONDS: '30',
        OVERFLOW_EXIT_SAMPLES: '4',
        OVERFLOW_DEFLECT_WAIT_SECONDS: '120',
        OVERFLOW_MIN_DWELL_SECONDS: '300',
        OVERFLOW_HANDLING_SECONDS: '240',
        OVERFLOW_PATIENCE_SECONDS: '90',
        OVERFLOW_SECOND_LINE_MARGIN_SECONDS: '15',
        OVERFLOW_SECOND_LINE_MAX_SHARE: '0.35',
        // Three sample periods at 6 a minute: how long readers believe a state without a new sample.
        OVERFLOW_STATE_MAX_AGE_SECONDS: '30',
        ROUTING_TABLE_NAME: expect.anything(),
        EVENT_BUS_NAME: expect.anything(),
        OPS_TOPIC_ARN: expect.anything(),
      });
      // At 6 samples a minute the last starts at 50 s and may take 10 s.
      expect(controller.Properties.Timeout).toBe(60);
    });

    it('may read queue metrics of the watched queues and the second line of this instance, and nothing else in Connect', () => {
      // Act
      const connect = statementsOf(built.template, 'peakline-overflow-controller').filter((st) =>
        [st.Action].flat().some((a) => a.startsWith('connect:')),
      );

      // Assess
      expect(connect).toEqual([
        {
          Sid: 'ReadTheWatchedQueuesMetrics',
          Effect: 'Allow',
          Action: 'connect:GetCurrentMetricData',
          // In the order CDK writes a statement's resources: sorted.
          Resource: [QUEUE_ARNS.primary, QUEUE_ARNS.callback, QUEUE_ARNS.secondLine].sort(),
        },
      ]);
      for (const arn of [connect[0]?.Resource].flat())
        expect(String(arn).startsWith(`${INSTANCE_ARN}/queue/`)).toBe(true);
    });

    it('asks only for the queues it watches, and the second line it shares their callers with', () => {
      // Act
      const connect = statementsOf(
        synth({ overflow: { queues: ['primary'] } }).template,
        'peakline-overflow-controller',
      ).filter((st) => [st.Action].flat().some((a) => a.startsWith('connect:')));

      // Assess
      expect(connect.map((st) => st.Resource)).toEqual([[QUEUE_ARNS.primary, QUEUE_ARNS.secondLine].sort()]);
    });

    it('may read and write its items in the routing table, put events on the bus and publish to the ops topic', () => {
      // Act
      const statements = statementsOf(built.template, 'peakline-overflow-controller');

      // Assess
      expect(actionsOf(statements)).toEqual([
        'connect:GetCurrentMetricData',
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'events:PutEvents',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sns:Publish',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
      const dynamo = statements.find((st) => st.Sid === 'KeepTheRoutingStates');
      expect(JSON.stringify(dynamo?.Resource)).not.toContain('index');
      expect(statements.find((st) => st.Sid === 'TellOps')?.Resource).toEqual({
        Ref: expect.stringMatching(/^OpsTopic/),
      });
    });
  });

  describe('the router', () => {
    it('is small and answers well inside Connect’s 8 seconds', () => {
      // Act
      const [, router] = functionOf(built.template, 'peakline-overflow-router');

      // Assess
      expect(router.Properties.Timeout).toBeLessThanOrEqual(3);
      expect(router.Properties.MemorySize).toBeLessThanOrEqual(256);
      expect(router.Properties.Environment.Variables).toMatchObject({
        ROUTER_CACHE_SECONDS: '5',
        QUEUE_ARN_PRIMARY: QUEUE_ARNS.primary,
        QUEUE_ARN_SECOND_LINE: QUEUE_ARNS.secondLine,
      });
      expect(built.routing.router.fn).toBeDefined();
    });

    it('may only read the routing table', () => {
      // Act
      const statements = statementsOf(built.template, 'peakline-overflow-router');

      // Assess
      expect(actionsOf(statements)).toEqual([
        'dynamodb:GetItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    });
  });

  it('alarms on both functions’ errors, the router falling back, the controller falling silent and the schedule’s DLQ', () => {
    // Act
    const alarms = Object.values(built.template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties,
    );
    const [controllerId] = functionOf(built.template, 'peakline-overflow-controller');
    const [routerId] = functionOf(built.template, 'peakline-overflow-router');
    const on = (metric: string, functionId: string) =>
      alarms.filter(
        (a) => a.MetricName === metric && JSON.stringify(a.Dimensions ?? []).includes(functionId),
      );

    // Assess
    expect(on('Errors', controllerId)).toHaveLength(1);
    expect(on('Errors', routerId)).toHaveLength(1);
    expect(on('Invocations', controllerId)).toEqual([
      expect.objectContaining({
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        // alarms.controllerSilentMinutes (5 by default) one-minute periods without a run
        Period: 60,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 5,
        TreatMissingData: 'breaching',
      }),
    ]);
    expect(alarms.filter((a) => a.MetricName === 'RouterFallbacks')).toHaveLength(1);
    expect(alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(1);
    for (const alarm of alarms)
      expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^OpsTopic/) }]);
  });

  it('alarms when the controller confirms no state for the maximum age, and when a reader finds one stale (issue 11, defect 4)', () => {
    // Act
    const alarms = Object.values(built.template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties,
    );
    const unconfirmed = alarms.filter((a) => a.MetricName === 'RoutingStatesConfirmed');
    const stale = alarms.filter((a) => JSON.stringify(a.Metrics ?? []).includes('RoutingStateStale'));

    // Assess: 45 s by default, so one minute without a confirmed state; silence counts as none
    expect(unconfirmed).toEqual([
      expect.objectContaining({
        Namespace: 'peakline',
        Dimensions: [
          { Name: 'service', Value: 'peakline-overflow-controller' },
          { Name: 'stage', Value: 'test' },
        ],
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        EvaluationPeriods: 1,
        TreatMissingData: 'breaching',
      }),
    ]);
    expect(stale).toHaveLength(1);
    for (const service of ['peakline-overflow-router', 'peakline-order-sms', 'peakline-callback-sweeper']) {
      expect(JSON.stringify(stale[0]?.Metrics)).toContain(service);
    }
  });

  it('refuses a maximum state age no longer than one sample period', () => {
    // Act / Assess
    expect(() => parseConfig('test', { overflow: { samplesPerMinute: 4, stateMaxAgeSeconds: 15 } })).toThrow(
      /stateMaxAgeSeconds/,
    );
  });

  it('passes cdk-nag AwsSolutions with nothing unacknowledged', () => {
    // Assess
    const nag = built.nag.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(nag?.violations).toEqual([]);
  });
});
