import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '#infra/config/load.js';
import { PeaklineDeployment } from '#infra/peakline-deployment.js';
import { newApp, type SynthesizedDeployment, synthDeployment } from '#test/support/synth.js';

const INSTANCE_ID = '11111111-2222-3333-4444-555555555555';
const INSTANCE_ARN = `arn:aws:connect:eu-central-1:123456789012:instance/${INSTANCE_ID}`;

type Resource = ReturnType<Template['findResources']>[string];
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

const functionNamed = (synth: SynthesizedDeployment, service: string): [string, Resource] => {
  const found = Object.entries(synth.pipeline.findResources('AWS::Lambda::Function')).find(
    ([, fn]) => fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === service,
  );
  if (found === undefined) throw new Error(`no function ${service}`);
  return found;
};

const statementsOf = (synth: SynthesizedDeployment, service: string): Statement[] => {
  const [, fn] = functionNamed(synth, service);
  const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
  return Object.values(synth.pipeline.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref?: string }[]).some((r) => r.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
};

const actionsOf = (statement: Statement): string[] => [statement.Action].flat();

describe('cart callbacks in the PipelineStack', () => {
  let synth: SynthesizedDeployment;
  let withSms: SynthesizedDeployment;

  beforeAll(() => {
    synth = synthDeployment({
      shop: { source: 'acme.shop' },
      connect: { apiCallsPerSecond: 4 },
      callbacks: { sweepBatch: 40 },
    });
    withSms = synthDeployment({
      connect: { instanceArn: INSTANCE_ARN },
      callbacks: { peakBehaviour: 'sms' },
    });
  });

  describe('the rules', () => {
    it('routes CartAbandoned, and OrderPlaced with a cart id, to the cart-callbacks buffer', () => {
      synth.pipeline.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['acme.shop'],
          $or: [
            { 'detail-type': ['CartAbandoned'] },
            { 'detail-type': ['OrderPlaced'], detail: { cartId: [{ exists: true }] } },
          ],
        },
        Targets: [Match.objectLike({ DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }) })],
      });
      synth.pipeline.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'peakline-test-cart-callbacks' });
    });

    it('routes PaymentIssueReported to the payment-issues buffer', () => {
      synth.pipeline.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['acme.shop'], 'detail-type': ['PaymentIssueReported'] },
        Targets: [Match.objectLike({ DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }) })],
      });
      synth.pipeline.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'peakline-test-payment-issues' });
    });
  });

  describe('the sweeper', () => {
    it('runs every minute, one run at a time, each no longer than the minute', () => {
      // Act
      const [sweeperId, sweeper] = functionNamed(synth, 'peakline-callback-sweeper');

      // Assess
      synth.pipeline.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [sweeperId, 'Arn'] },
            DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
          }),
        ],
      });
      expect(sweeper.Properties.ReservedConcurrentExecutions).toBe(1);
      expect(sweeper.Properties.Timeout).toBe(60);
    });

    it('is told the instance, the task flow, the callback queue id, the rate and the batch', () => {
      // Act
      const [, sweeper] = functionNamed(synth, 'peakline-callback-sweeper');
      const variables = sweeper.Properties.Environment.Variables;

      // Assess
      expect(variables).toMatchObject({
        // Its share of connect.apiCallsPerSecond (4), shared by 6 Connect callers at once.
        CONNECT_CALLS_PER_SECOND: String(4 / 6),
        CALLBACK_SWEEP_BATCH: '40',
        CALLBACK_PEAK_BEHAVIOUR: 'postpone',
        CALLBACK_QUEUE_KEY: 'callback',
        CONNECT_INSTANCE_ID: expect.anything(),
      });
      expect(variables.TASK_CONTACT_FLOW_ID).toEqual(
        expect.objectContaining({ 'Fn::Select': expect.arrayContaining([3]) }),
      );
      expect(JSON.stringify(variables.TASK_CONTACT_FLOW_ID)).toMatch(/TaskRouting.*ContactFlowArn/);
      expect(JSON.stringify(variables.CALLBACK_QUEUE_ID)).toMatch(/Fn::Select.*3.*Fn::Split/);
      expect(JSON.parse(variables.CONTACT_CENTRE_HOURS as string)).toHaveProperty('mon');
    });

    it('may start tasks only on the instance and in the task flow, never on "*"', () => {
      for (const service of ['peakline-callback-sweeper', 'peakline-payment-issues']) {
        // Act
        const connect = statementsOf(withSms, service).filter((st) =>
          actionsOf(st).some((a) => a.startsWith('connect:')),
        );

        // Assess
        expect(connect).toHaveLength(1);
        const [statement] = connect;
        if (statement === undefined) throw new Error('no Connect statement');
        expect(actionsOf(statement)).toEqual(['connect:StartTaskContact']);
        const resources = [statement.Resource].flat();
        expect(resources).toHaveLength(2);
        expect(resources).toContain(INSTANCE_ARN);
        expect(JSON.stringify(resources)).toMatch(/TaskRouting.*ContactFlowArn/);
        expect(JSON.stringify(resources)).not.toContain('"*"');
      }
    });

    it('reads the due index and writes callbacks, nothing else of the table', () => {
      // Act
      const dynamo = statementsOf(synth, 'peakline-callback-sweeper').filter((st) =>
        actionsOf(st).some((a) => a.startsWith('dynamodb:')),
      );
      const query = dynamo.find((st) => actionsOf(st).includes('dynamodb:Query'));

      // Assess
      expect(JSON.stringify(query?.Resource)).toMatch(/\/index\/due"/);
      expect(JSON.stringify(dynamo)).not.toContain('index/*');
    });

    it('may send SMS and write the ledger only with peakBehaviour "sms"', () => {
      // Act
      const postponing = statementsOf(synth, 'peakline-callback-sweeper').flatMap(actionsOf);
      const texting = statementsOf(withSms, 'peakline-callback-sweeper').flatMap(actionsOf);

      // Assess
      expect(postponing).not.toContain('sns:Publish');
      expect(texting).toContain('sns:Publish');
    });
  });

  describe('the payment issues', () => {
    it('are told the accounting queue id and the task flow', () => {
      // Act
      const [, fn] = functionNamed(synth, 'peakline-payment-issues');
      const variables = fn.Properties.Environment.Variables;

      // Assess
      expect(JSON.stringify(variables.ACCOUNTING_QUEUE_ID)).toMatch(/Fn::Select.*3.*Fn::Split/);
      expect(JSON.stringify(variables.TASK_CONTACT_FLOW_ID)).toMatch(/TaskRouting.*ContactFlowArn/);
      expect(variables.AGENT_LOCALE).toBe('pl-PL');
    });

    it('are given the queue ids of an existing instance as the last part of the queue ARN', () => {
      // Act
      const [, fn] = functionNamed(withSms, 'peakline-payment-issues');

      const variables = fn.Properties.Environment.Variables;

      // Assess: the ARN's parts, split on "/", the fourth is the queue's id.
      expect(JSON.stringify(variables.ACCOUNTING_QUEUE_ID)).toMatch(/Fn::Select.*3.*Fn::Split/);
      expect(variables.CONNECT_INSTANCE_ID).toBe(INSTANCE_ID);
    });
  });

  it('alarms on the buffers, the sweeper failures and a backlog', () => {
    // Act
    const alarms = Object.values(synth.pipeline.findResources('AWS::CloudWatch::Alarm'));

    // Assess
    expect(alarms.map((a) => a.Properties.MetricName)).toEqual(
      expect.arrayContaining(['CallbackSweepFull', 'CallbackSweepErrors']),
    );
    synth.pipeline.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'CallbackSweepFull',
      EvaluationPeriods: 3,
      Dimensions: [
        { Name: 'service', Value: 'peakline-callback-sweeper' },
        { Name: 'stage', Value: 'test' },
      ],
    });
  });

  it('passes cdk-nag with the saved-cart SMS (peakBehaviour "sms"), which no known stage uses', () => {
    // Prepare
    const outdir = mkdtempSync(join(tmpdir(), 'peakline-nag-callbacks-sms-'));
    const app = newApp({ outdir });
    new PeaklineDeployment(app, 'sms', {
      config: parseConfig('sms', { callbacks: { peakBehaviour: 'sms' } }),
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act
    app.synth();

    // Assess
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: unknown[] }[];
    };
    rmSync(outdir, { recursive: true, force: true });
    expect(report.pluginReports.find((r) => r.pluginName === 'AwsSolutions')?.violations).toEqual([]);
  });
});
