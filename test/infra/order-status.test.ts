/**
 * The order status told before the queue (issue 15) as the whole app deploys it: the lookup function the
 * inbound flow invokes, what it may do, the flow's step, the caller-SMS sender it feeds, and the switch
 * that removes it all.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SynthesizedDeployment } from '#test/support/synth.js';
import { synthUnbundled } from '#test/support/synth-unbundled.js';

type Resource = { Properties: Record<string, unknown>; DependsOn?: string[] };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

const rendered = (value: unknown): string => JSON.stringify(value);

/** The functions of the pipeline by their folder name (POWERTOOLS_SERVICE_NAME without `peakline-`). */
const functionsOf = (
  d: SynthesizedDeployment,
): Map<string, { id: string; properties: Record<string, unknown> }> => {
  const byName = new Map<string, { id: string; properties: Record<string, unknown> }>();
  for (const [id, fn] of Object.entries(
    d.pipeline.findResources('AWS::Lambda::Function') as Record<string, Resource>,
  )) {
    const env = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    const service = env?.POWERTOOLS_SERVICE_NAME;
    if (typeof service === 'string')
      byName.set(service.replace(/^peakline-/, ''), { id, properties: fn.Properties });
  }
  return byName;
};

const functionNamed = (d: SynthesizedDeployment, name: string) => {
  const fn = functionsOf(d).get(name);
  if (fn === undefined) throw new Error(`no function ${name}`);
  return fn;
};

const environmentOf = (fn: { properties: Record<string, unknown> }): Record<string, unknown> =>
  (fn.properties.Environment as { Variables: Record<string, unknown> }).Variables;

/** Every statement of the policies attached to a function's role. */
const statementsOf = (d: SynthesizedDeployment, fn: { properties: Record<string, unknown> }): Statement[] => {
  const roleId = (fn.properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return Object.values(d.pipeline.findResources('AWS::IAM::Policy') as Record<string, Resource>)
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};

const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

const inboundFlowOf = (d: SynthesizedDeployment): string => {
  const inbound = Object.values(
    d.pipeline.findResources('AWS::Connect::ContactFlow') as Record<string, Resource>,
  ).find(
    (flow) => flow.Properties.Type === 'CONTACT_FLOW' && rendered(flow.Properties.Name).includes('inbound'),
  );
  return rendered(inbound?.Properties.Content);
};

describe('the order status before the queue, in the whole app', () => {
  let on: SynthesizedDeployment;
  let off: SynthesizedDeployment | undefined;
  const disabled = () =>
    (off ??= synthUnbundled(
      { orderStatus: { enabled: false }, overflow: { requestUrl: 'https://sklep.example.pl/kontakt' } },
      'off',
    ));

  beforeAll(() => {
    // The default stage: order status on, no request page (so no deflection SMS).
    on = synthUnbundled({ orderStatus: { lookupTimeoutSeconds: 5 } });
  });

  it('associates the order-status function with the Connect instance', () => {
    // Act
    const lookup = functionNamed(on, 'order-status');
    const associations = Object.values(
      on.pipeline.findResources('AWS::Connect::IntegrationAssociation') as Record<string, Resource>,
    ).filter((a) => rendered(a.Properties.IntegrationArn).includes(lookup.id));

    // Assess
    expect(associations).toHaveLength(1);
    expect(associations[0]?.Properties.IntegrationType).toBe('LAMBDA_FUNCTION');
    expect(rendered(associations[0]?.Properties.InstanceId)).toContain('InstanceArn');
  });

  it('lets only Connect, for this instance and account, invoke it', () => {
    // Act
    const lookup = functionNamed(on, 'order-status');
    const permissions = Object.values(
      on.pipeline.findResources('AWS::Lambda::Permission') as Record<string, Resource>,
    ).filter((p) => rendered(p.Properties.FunctionName).includes(lookup.id));

    // Assess
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'connect.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
    expect(rendered(permissions[0]?.Properties.SourceArn)).toContain('InstanceArn');
  });

  it('puts the lookup and the link in the inbound flow, each with the configured wait, before the router', () => {
    // Act
    const content = inboundFlowOf(on);
    const lookup = functionNamed(on, 'order-status');

    // Assess
    for (const step of ['LookupOrder', 'SendTrackingLink']) expect(content).toContain(step);
    expect(content).toContain(lookup.id);
    expect(content.match(/\\"InvocationTimeLimitSeconds\\":\\"5\\"/g)).toHaveLength(2);
    expect(content).toContain('\\"action\\":\\"lookup\\"');
    expect(content).toContain('\\"action\\":\\"send-link\\"');
  });

  it('has no reserved concurrency, and stops a second after the flow stopped waiting', () => {
    // Act
    const lookup = functionNamed(on, 'order-status');

    // Assess: a burst of callers is never throttled into the error branch.
    expect(lookup.properties.ReservedConcurrentExecutions).toBeUndefined();
    expect(lookup.properties.Timeout).toBe(6);
    expect(environmentOf(lookup).ORDER_LOOKUP_BUDGET_MS).toBe('4500');
  });

  it('may query the order index, read the phone-hash key and queue the link, and nothing else', () => {
    // Act
    const statements = statementsOf(on, functionNamed(on, 'order-status'));

    // Assess
    const granted = statements.map((s) => [actionsOf(s).sort(), rendered(s.Resource)] as const);
    const byAction = (prefix: string) =>
      granted.filter(([actions]) => actions.some((a) => a.startsWith(prefix)));
    expect(byAction('dynamodb:').map(([a]) => a)).toEqual([['dynamodb:Query']]);
    expect(byAction('dynamodb:')[0]?.[1]).toMatch(/OrdersTable.*Arn/);
    expect(byAction('secretsmanager:').map(([a]) => a)).toEqual([['secretsmanager:GetSecretValue']]);
    expect(byAction('secretsmanager:')[0]?.[1]).toContain('PhoneHashKey');
    expect(byAction('sqs:').map(([a]) => a)).toEqual([
      ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
    ]);
    expect(byAction('sqs:')[0]?.[1]).toContain('DeflectionSmsRequests');
    expect(granted.flatMap(([a]) => a).filter((a) => /^(sns|events|lambda|connect):/.test(a))).toEqual([]);
    expect(environmentOf(functionNamed(on, 'order-status')).SUPPRESSION_LEGACY_READS_UNTIL).toBeUndefined();
  });

  it('keeps the caller-SMS queue and sender for the tracking link without a request page, and no deflection function', () => {
    // Act
    const functions = functionsOf(on);
    const sender = functionNamed(on, 'deflection-sms-sender');

    // Assess
    expect(functions.has('deflection-sms')).toBe(false);
    expect(environmentOf(sender).DEFLECTION_REQUEST_URL).toBeUndefined();
    expect(rendered(environmentOf(sender).ORDERS_TABLE_NAME)).toContain('OrdersTable');
    const ordersReads = statementsOf(on, sender).filter((s) => rendered(s.Resource).includes('OrdersTable'));
    expect(ordersReads.map((s) => actionsOf(s))).toEqual([['dynamodb:GetItem']]);
    expect(
      Object.values(
        on.pipeline.findResources('AWS::Lambda::EventSourceMapping') as Record<string, Resource>,
      ).filter((m) => rendered(m.Properties.EventSourceArn).includes('DeflectionSmsRequests')),
    ).toHaveLength(1);
  });

  it('pages ops when lookups keep failing open, not on one', () => {
    // Act
    const alarms = Object.entries(
      on.pipeline.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>,
    ).filter(([id]) => id.includes('OrderStatusLookupFailedAlarm'));

    // Assess
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.[1].Properties).toMatchObject({
      MetricName: 'OrderStatusLookupFailed',
      Namespace: 'peakline',
      Threshold: 5,
      EvaluationPeriods: 2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it("keeps the order index from the shop's order events, alarmed like every buffer", () => {
    // Act
    const writer = functionsOf(on).get('order-index');
    const alarms = Object.keys(on.pipeline.findResources('AWS::CloudWatch::Alarm'));

    // Assess
    expect(writer).toBeDefined();
    on.pipeline.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['shop'], 'detail-type': ['OrderPlaced', 'OrderStatusChanged'] },
      Targets: Match.arrayWith([
        Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrderIndexBuffer'), 'Arn'] } }),
      ]),
    });
    for (const alarm of ['OrderIndexDlqAlarm', 'OrderIndexErrors', 'OrderIndexBufferAgeAlarm']) {
      expect(
        alarms.some((id) => id.includes(alarm)),
        alarm,
      ).toBe(true);
    }
  });

  describe('with orderStatus.enabled false', () => {
    it('has no index writer, no lookup function, no association for it, and no order step in the flow', () => {
      // Act
      const d = disabled();

      // Assess
      expect(functionsOf(d).has('order-index')).toBe(false);
      expect(
        Object.keys(d.pipeline.findResources('AWS::SQS::Queue')).filter((id) => id.startsWith('OrderIndex')),
      ).toEqual([]);
      expect(functionsOf(d).has('order-status')).toBe(false);
      const content = inboundFlowOf(d);
      expect(content).not.toContain('LookupOrder');
      expect(content).not.toContain('peaklineOrder');
      expect(Object.keys(d.pipeline.findResources('AWS::Connect::IntegrationAssociation'))).toHaveLength(2);
    });

    it('keeps the deflection SMS as before, with no access to the order index', () => {
      // Act
      const d = disabled();
      const sender = functionNamed(d, 'deflection-sms-sender');

      // Assess
      expect(functionsOf(d).has('deflection-sms')).toBe(true);
      expect(environmentOf(sender).ORDERS_TABLE_NAME).toBeUndefined();
      expect(statementsOf(d, sender).filter((s) => rendered(s.Resource).includes('OrdersTable'))).toEqual([]);
    });

    it('has no caller-SMS queue or sender at all without a request page either', () => {
      // Act
      const d = synthUnbundled({ orderStatus: { enabled: false } }, 'bare');

      // Assess
      expect(functionsOf(d).has('deflection-sms-sender')).toBe(false);
      expect(functionsOf(d).has('order-status')).toBe(false);
      expect(
        Object.keys(d.pipeline.findResources('AWS::SQS::Queue')).filter((id) =>
          id.startsWith('DeflectionSms'),
        ),
      ).toEqual([]);
    });
  });
});
