import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, type IFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '#infra/config/load.js';
import { ContactFlows, type ContactFlowsProps } from '#infra/constructs/connect/contact-flows.js';
import type { FlowAction, FlowDocument } from '#infra/constructs/connect/flows/builder.js';
import { type FlowType, validateFlow } from '#infra/constructs/connect/flows/validator.js';
import { ContactCenterStack } from '#infra/stacks/contact-center-stack.js';
import { newApp } from '#test/support/synth.js';

const INSTANCE_ARN =
  'arn:aws:connect:eu-central-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
const QUEUE_ARNS = {
  primary: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000001`,
  secondLine: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000002`,
  callback: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000003`,
  accounting: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000004`,
};
const ROUTER_ARN = 'arn:aws:lambda:eu-central-1:123456789012:function:peakline-test-router';
const SMS_ARN = 'arn:aws:lambda:eu-central-1:123456789012:function:peakline-test-deflection-sms';
const ORDER_STATUS_ARN = 'arn:aws:lambda:eu-central-1:123456789012:function:peakline-test-order-status';

type Resource = ReturnType<Template['findResources']>[string];

/**
 * The construct in a stack of its own, with the functions imported by ARN: the flows' content then
 * names them literally, and the stack holds nothing but what ContactFlows creates.
 */
const build = (props: Partial<ContactFlowsProps> = {}, outdir?: string) => {
  const app = newApp(outdir === undefined ? {} : { outdir });
  const stack = new Stack(app, 'Flows');
  const imported = (id: string, functionArn: string): IFunction =>
    LambdaFunction.fromFunctionAttributes(stack, id, { functionArn, sameEnvironment: true });
  const flows = new ContactFlows(stack, 'ContactFlows', {
    instanceArn: INSTANCE_ARN,
    queueArns: QUEUE_ARNS,
    routerFunction: imported('Router', ROUTER_ARN),
    deflectionSmsFunction: imported('DeflectionSms', SMS_ARN),
    namePrefix: 'test',
    bonusCode: 'PEAK10',
    ...props,
  });
  return { app, stack, flows };
};

const synth = (props: Partial<ContactFlowsProps> = {}) => {
  const built = build(props);
  return { ...built, template: Template.fromStack(built.stack) };
};

/**
 * A flow's Content as the flow document Connect will read, with each CloudFormation intrinsic written
 * as a readable placeholder: `GetAtt:<logical id>.<attribute>`, `Ref:<logical id>`,
 * `Output:<stack>.<output>` or `Import:<export>`.
 */
const contentOf = (flow: Resource): FlowDocument => {
  const content: unknown = flow.Properties.Content;
  const text =
    typeof content === 'string'
      ? content
      : (content as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map(placeholder).join('');
  return JSON.parse(text) as FlowDocument;
};

const placeholder = (part: unknown): string => {
  if (typeof part === 'string') return part;
  const intrinsic = part as Record<string, unknown>;
  if (Array.isArray(intrinsic['Fn::GetAtt'])) return `GetAtt:${intrinsic['Fn::GetAtt'].join('.')}`;
  if (typeof intrinsic['Ref'] === 'string') return `Ref:${intrinsic['Ref']}`;
  // Cross-stack references: CloudFormation exports, or (newer CDK) the producing stack's outputs.
  const output = intrinsic['Fn::GetStackOutput'] as { StackName?: string; OutputName?: string } | undefined;
  if (output !== undefined) return `Output:${output.StackName}.${output.OutputName}`;
  if (intrinsic['Fn::ImportValue'] !== undefined)
    return `Import:${JSON.stringify(intrinsic['Fn::ImportValue'])}`;
  throw new Error(`unexpected intrinsic in a flow's content: ${JSON.stringify(part)}`);
};

const flowNamed = (template: Template, name: string): [string, Resource] => {
  const found = Object.entries(template.findResources('AWS::Connect::ContactFlow')).find(
    ([, r]) => r.Properties.Name === name,
  );
  if (found === undefined) throw new Error(`no flow ${name}`);
  return found;
};

const actionsOfType = (flow: FlowDocument, type: string): FlowAction[] =>
  flow.Actions.filter((a) => a.Type === type);

const queuesNamed = (flow: FlowDocument): unknown[] =>
  [...actionsOfType(flow, 'UpdateContactTargetQueue'), ...actionsOfType(flow, 'CreateCallbackContact')].map(
    (a) => a.Parameters['QueueId'],
  );

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe('ContactFlows', () => {
  it('creates the inbound, customer queue and task routing flows on the instance, named with the prefix', () => {
    // Act
    const { template } = synth();

    // Assess
    template.resourceCountIs('AWS::Connect::ContactFlow', 3);
    template.hasResourceProperties('AWS::Connect::ContactFlow', {
      InstanceArn: INSTANCE_ARN,
      Name: 'test-inbound',
      Type: 'CONTACT_FLOW',
    });
    template.hasResourceProperties('AWS::Connect::ContactFlow', {
      InstanceArn: INSTANCE_ARN,
      Name: 'test-customer-queue',
      Type: 'CUSTOMER_QUEUE',
    });
    template.hasResourceProperties('AWS::Connect::ContactFlow', {
      InstanceArn: INSTANCE_ARN,
      Name: 'test-task-routing',
      Type: 'CONTACT_FLOW',
    });
  });

  it('deploys content that is valid Flow Language with the ARNs filled in', () => {
    // Act
    const { template } = synth();

    // Assess
    for (const name of ['test-inbound', 'test-customer-queue', 'test-task-routing']) {
      const [, flow] = flowNamed(template, name);
      const flowType = flow.Properties.Type as FlowType;
      expect(validateFlow(contentOf(flow), { flowType }), name).toEqual([]);
    }
  });

  it('has the inbound flow name the primary, second-line and callback queues, the router and the SMS function', () => {
    // Act
    const { template } = synth();

    // Assess
    const inbound = contentOf(flowNamed(template, 'test-inbound')[1]);
    expect(new Set(queuesNamed(inbound))).toEqual(
      new Set(['$.External.queueArn', QUEUE_ARNS.primary, QUEUE_ARNS.secondLine, QUEUE_ARNS.callback]),
    );
    expect(actionsOfType(inbound, 'CreateCallbackContact').map((a) => a.Parameters['QueueId'])).toEqual([
      QUEUE_ARNS.callback,
    ]);
    expect(
      actionsOfType(inbound, 'InvokeLambdaFunction').map((a) => a.Parameters['LambdaFunctionARN']),
    ).toEqual([ROUTER_ARN, SMS_ARN]);
    expect(JSON.stringify(inbound)).not.toContain(QUEUE_ARNS.accounting);
  });

  it('has the inbound flow set the customer queue flow it creates', () => {
    // Act
    const { template } = synth();

    // Assess
    const [customerQueueId] = flowNamed(template, 'test-customer-queue');
    const inbound = contentOf(flowNamed(template, 'test-inbound')[1]);
    expect(actionsOfType(inbound, 'UpdateContactEventHooks').map((a) => a.Parameters['EventHooks'])).toEqual([
      { CustomerQueue: `GetAtt:${customerQueueId}.ContactFlowArn` },
    ]);
  });

  it('has the task flow route by the peaklineQueueId attribute, with the callback queue as its only fallback', () => {
    // Act
    const { template } = synth();

    // Assess
    const task = contentOf(flowNamed(template, 'test-task-routing')[1]);
    expect(queuesNamed(task)).toEqual(['$.Attributes.peaklineQueueId', QUEUE_ARNS.callback]);
  });

  it('associates the router and the SMS function with the instance', () => {
    // Act
    const { template } = synth();

    // Assess
    template.resourceCountIs('AWS::Connect::IntegrationAssociation', 2);
    for (const arn of [ROUTER_ARN, SMS_ARN]) {
      template.hasResourceProperties('AWS::Connect::IntegrationAssociation', {
        InstanceId: INSTANCE_ARN,
        IntegrationType: 'LAMBDA_FUNCTION',
        IntegrationArn: arn,
      });
    }
  });

  it('creates the inbound flow only once both functions are associated', () => {
    // Act
    const { template } = synth();

    // Assess
    const [, inbound] = flowNamed(template, 'test-inbound');
    const integrations = Object.keys(template.findResources('AWS::Connect::IntegrationAssociation'));
    expect(integrations).toHaveLength(2);
    expect(inbound.DependsOn).toEqual(expect.arrayContaining(integrations));
  });

  it('lets Connect invoke each function only on behalf of this instance', () => {
    // Act
    const { template } = synth();

    // Assess
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).map(
      (r) => r.Properties,
    );
    expect(permissions).toEqual(
      [ROUTER_ARN, SMS_ARN].map((functionName) => ({
        Action: 'lambda:InvokeFunction',
        FunctionName: functionName,
        Principal: 'connect.amazonaws.com',
        SourceArn: INSTANCE_ARN,
        SourceAccount: { Ref: 'AWS::AccountId' },
      })),
    );
  });

  it('offers no SMS, and associates and permits only the router, without an SMS function', () => {
    // Act
    const { template } = synth({ deflectionSmsFunction: undefined });

    // Assess
    const inbound = contentOf(flowNamed(template, 'test-inbound')[1]);
    expect(JSON.stringify(inbound)).not.toContain(SMS_ARN);
    template.resourceCountIs('AWS::Connect::IntegrationAssociation', 1);
    template.resourcePropertiesCountIs('AWS::Lambda::Permission', { FunctionName: SMS_ARN }, 0);
  });

  describe('with the order-status function', () => {
    const withOrderStatus = (timeoutSeconds?: number) => {
      const app = newApp();
      const stack = new Stack(app, 'Flows');
      const imported = (id: string, functionArn: string): IFunction =>
        LambdaFunction.fromFunctionAttributes(stack, id, { functionArn, sameEnvironment: true });
      new ContactFlows(stack, 'ContactFlows', {
        instanceArn: INSTANCE_ARN,
        queueArns: QUEUE_ARNS,
        routerFunction: imported('Router', ROUTER_ARN),
        orderStatusFunction: imported('OrderStatus', ORDER_STATUS_ARN),
        ...(timeoutSeconds === undefined ? {} : { orderStatusTimeoutSeconds: timeoutSeconds }),
        namePrefix: 'test',
      });
      return Template.fromStack(stack);
    };

    it('associates the order-status function with the instance, before the inbound flow is created', () => {
      // Act
      const template = withOrderStatus(5);

      // Assess
      const associations = template.findResources('AWS::Connect::IntegrationAssociation', {
        Properties: { IntegrationArn: ORDER_STATUS_ARN },
      });
      expect(Object.values(associations).map((r) => r.Properties)).toEqual([
        { InstanceId: INSTANCE_ARN, IntegrationType: 'LAMBDA_FUNCTION', IntegrationArn: ORDER_STATUS_ARN },
      ]);
      const [, inbound] = flowNamed(template, 'test-inbound');
      expect(inbound.DependsOn).toEqual(expect.arrayContaining(Object.keys(associations)));
    });

    it('lets only this instance, in this account, invoke the order-status function', () => {
      // Act
      const template = withOrderStatus(5);

      // Assess
      const permissions = template.findResources('AWS::Lambda::Permission', {
        Properties: { FunctionName: ORDER_STATUS_ARN },
      });
      expect(Object.values(permissions).map((r) => r.Properties)).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: ORDER_STATUS_ARN,
          Principal: 'connect.amazonaws.com',
          SourceArn: INSTANCE_ARN,
          SourceAccount: { Ref: 'AWS::AccountId' },
        },
      ]);
    });

    it('deploys the inbound flow with the lookup and the link, each within the configured time, before the router', () => {
      // Act
      const template = withOrderStatus(5);

      // Assess
      const inbound = contentOf(flowNamed(template, 'test-inbound')[1]);
      expect(validateFlow(inbound, { flowType: 'CONTACT_FLOW' })).toEqual([]);
      expect(
        actionsOfType(inbound, 'InvokeLambdaFunction').map((a) => [
          a.Identifier,
          a.Parameters['LambdaFunctionARN'],
          a.Parameters['InvocationTimeLimitSeconds'],
          a.Parameters['LambdaInvocationAttributes'],
        ]),
      ).toEqual([
        ['LookupOrder', ORDER_STATUS_ARN, '5', { action: 'lookup' }],
        ['SendTrackingLink', ORDER_STATUS_ARN, '5', { action: 'send-link' }],
        ['InvokeRouter', ROUTER_ARN, '3', { queue: 'primary' }],
      ]);
    });

    it("waits the setting's default, 3 s, when no time is given", () => {
      // Act
      const template = withOrderStatus();

      // Assess
      const inbound = contentOf(flowNamed(template, 'test-inbound')[1]);
      const lookup = actionsOfType(inbound, 'InvokeLambdaFunction').find(
        (a) => a.Identifier === 'LookupOrder',
      );
      expect(lookup?.Parameters['InvocationTimeLimitSeconds']).toBe('3');
    });

    it('refuses at synth a wait Connect would not accept', () => {
      // Act
      const act = () => withOrderStatus(9);

      // Assess
      expect(act).toThrow(/LookupOrder.*InvocationTimeLimitSeconds must be a whole number from 1 to 8/s);
    });
  });

  it('looks no order up, and associates nothing more, without the order-status function', () => {
    // Act
    const { template } = synth();

    // Assess
    const inbound = contentOf(flowNamed(template, 'test-inbound')[1]);
    expect(inbound.Actions.map((a) => a.Identifier)).not.toContain('LookupOrder');
    template.resourcePropertiesCountIs(
      'AWS::Connect::IntegrationAssociation',
      { IntegrationArn: ORDER_STATUS_ARN },
      0,
    );
  });

  it('exposes the task flow id, the last part of its ARN, for StartTaskContact', () => {
    // Act
    const { stack, flows, template } = synth();

    // Assess
    const [taskFlowId] = flowNamed(template, 'test-task-routing');
    expect(stack.resolve(flows.taskFlowId)).toEqual({
      'Fn::Select': [3, { 'Fn::Split': ['/', { 'Fn::GetAtt': [taskFlowId, 'ContactFlowArn'] }] }],
    });
    expect(stack.resolve(flows.inboundFlowArn)).toEqual({
      'Fn::GetAtt': [flowNamed(template, 'test-inbound')[0], 'ContactFlowArn'],
    });
  });

  it("fills in the ContactCenterStack's queues and the stack's own functions across stacks", () => {
    // Prepare: the layout the deployment will have, the flows beside the functions in another stack.
    const app = newApp();
    const contactCenter = new ContactCenterStack(app, 'ContactCenter', { config: parseConfig('test', {}) });
    const pipeline = new Stack(app, 'Pipeline');
    const fn = (id: string) =>
      new LambdaFunction(pipeline, id, {
        runtime: Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: Code.fromInline('exports.handler = async () => ({});'),
      });
    const router = fn('Router');
    new ContactFlows(pipeline, 'ContactFlows', {
      instanceArn: contactCenter.instanceArn,
      queueArns: contactCenter.queueArns,
      routerFunction: router,
      namePrefix: 'test',
    });

    // Act
    const template = Template.fromStack(pipeline);

    // Assess
    const inbound = contentOf(flowNamed(template, 'test-inbound')[1]);
    expect(validateFlow(inbound)).toEqual([]);
    const [primary] = actionsOfType(inbound, 'UpdateContactTargetQueue')
      .map((a) => String(a.Parameters['QueueId']))
      .filter((q) => /^(Import|Output):/.test(q) && q.includes('Primary'));
    expect(primary).toMatch(/^(Output|Import):.*ContactCenter.*QueuesPrimary.*QueueArn/);
    expect(actionsOfType(inbound, 'InvokeLambdaFunction')[0]?.Parameters['LambdaFunctionARN']).toBe(
      `GetAtt:${pipeline.getLogicalId(router.node.defaultChild as never)}.Arn`,
    );
  });

  it('adds nothing cdk-nag AwsSolutions objects to', () => {
    // Prepare
    const outdir = mkdtempSync(join(tmpdir(), 'peakline-flows-nag-'));
    outdirs.push(outdir);
    const { app } = build({}, outdir);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act: an unacknowledged finding would make the synth throw.
    const act = () => app.synth();

    // Assess
    expect(act).not.toThrow();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: unknown[] }[];
    };
    expect(report.pluginReports.flatMap((r) => r.violations)).toEqual([]);
  });
});
