import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SynthesizedDeployment, synthDeployment } from '#test/support/synth.js';

const SHOP_ACCOUNT = '210987654321';

describe('PipelineStack', () => {
  let synth: SynthesizedDeployment;

  beforeAll(() => {
    synth = synthDeployment({
      shop: { accountId: SHOP_ACCOUNT, source: 'acme.shop' },
      alarms: { email: 'ops@example.com' },
    });
  });

  it('admits to the bus only the shop account, and only with the shop source', () => {
    synth.pipeline.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: {
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Principal: { AWS: `arn:aws:iam::${SHOP_ACCOUNT}:root` },
        Condition: { StringEquals: { 'events:source': 'acme.shop' } },
      },
    });
    expect(synth.pipeline.findResources('AWS::Events::EventBusPolicy')).toSatisfy(
      (policies: object) => Object.keys(policies).length === 1,
    );
  });

  it('names the bus as configured', () => {
    synth.pipeline.hasResourceProperties('AWS::Events::EventBus', { Name: 'peakline' });
  });

  it('gives every rule target a dead-letter queue', () => {
    // Act
    const rules = Object.values(synth.pipeline.findResources('AWS::Events::Rule'));

    // Assess
    const targets = rules.flatMap((r) => r.Properties.Targets as { DeadLetterConfig?: { Arn?: unknown } }[]);
    expect(targets.length).toBeGreaterThanOrEqual(2);
    for (const target of targets) expect(target.DeadLetterConfig?.Arn).toBeDefined();
  });

  it('moves a message that keeps failing from every buffer to a dead-letter queue', () => {
    // Act: the mappings that read a queue of this stack (the seats stream's has an on-failure queue).
    const mappings = Object.values(synth.pipeline.findResources('AWS::Lambda::EventSourceMapping')).filter(
      (mapping) => mapping.Properties.EventSourceArn['Fn::GetAtt'] !== undefined,
    );
    const queues = synth.pipeline.findResources('AWS::SQS::Queue');

    // Assess
    expect(mappings).not.toHaveLength(0);
    for (const mapping of mappings) {
      const queueId = mapping.Properties.EventSourceArn['Fn::GetAtt'][0] as string;
      expect(queues[queueId]?.Properties.RedrivePolicy?.deadLetterTargetArn).toBeDefined();
    }
  });

  it('reports partial batch failures, so one bad record does not redeliver the batch', () => {
    const mappings = Object.values(synth.pipeline.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).not.toHaveLength(0);
    for (const mapping of mappings)
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  it('encrypts every queue and refuses requests without TLS', () => {
    // Act
    const queues = synth.pipeline.findResources('AWS::SQS::Queue');
    const policies = Object.values(synth.pipeline.findResources('AWS::SQS::QueuePolicy'));

    // Assess
    for (const [id, queue] of Object.entries(queues)) {
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      const denied = policies.some(
        (p) =>
          JSON.stringify(p.Properties.Queues).includes(id) &&
          p.Properties.PolicyDocument.Statement.some(
            (s: { Effect: string; Condition?: Record<string, Record<string, string>> }) =>
              s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
          ),
      );
      expect(denied, `${id} must deny non-TLS requests`).toBe(true);
    }
  });

  it('routes events of an unknown detail-type to the rejected-events queue with a reason', () => {
    synth.pipeline.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['acme.shop'],
        'detail-type': [{ 'anything-but': Match.arrayWith(['OrderPlaced', 'CustomerOptedOut']) }],
      },
      Targets: [
        Match.objectLike({
          InputTransformer: Match.objectLike({
            InputTemplate: Match.stringLikeRegexp('is not one peakline knows'),
          }),
        }),
      ],
    });
  });

  it('runs every function on the newest Node.js runtime, on arm64, with JSON logs and tracing', () => {
    const functions = Object.values(synth.pipeline.findResources('AWS::Lambda::Function'));
    expect(functions).not.toHaveLength(0);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        LoggingConfig: { LogFormat: 'JSON' },
        TracingConfig: { Mode: 'Active' },
      });
      // No source maps are shipped (infra/constructs/bundling.ts): node would parse them at every cold start.
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
    }
  });

  it('keeps function logs for the configured retention', () => {
    synth.pipeline.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('lets the opt-out function only write and read the suppression table', () => {
    synth.pipeline.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Effect: 'Allow' }),
        ]),
      },
    });
  });

  it('alarms on every dead-letter queue, to the encrypted ops topic with the configured e-mail', () => {
    // Act
    const alarms = Object.values(synth.pipeline.findResources('AWS::CloudWatch::Alarm'));
    const dlqAlarms = alarms.filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible');

    // Assess: rejected events, bus DLQ, opt-out, order SMS, SMS release, seat sweeper, TTL backstop,
    // the overflow controller's schedule, the cart-callbacks and payment-issues buffers, the callback sweeper,
    // the fact recorder's buffer, the seat digest's and the monthly report's failures; with the order status
    // on (the default), the order index's buffer and the caller-SMS queue (its tracking links).
    expect(dlqAlarms).toHaveLength(16);
    synth.pipeline.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    synth.pipeline.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  describe('order SMS', () => {
    it('routes OrderPlaced and OrderStatusChanged to the order-SMS buffer', () => {
      synth.pipeline.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['acme.shop'], 'detail-type': ['OrderPlaced', 'OrderStatusChanged'] },
        Targets: [Match.objectLike({ DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }) })],
      });
      synth.pipeline.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: 'peakline-test-order-sms',
        RedrivePolicy: Match.objectLike({ maxReceiveCount: 6 }),
      });
    });

    it('caps the senders so together they stay under the SMS rate', () => {
      // Act
      const functions = synth.pipeline.findResources('AWS::Lambda::Function');
      const orderSms = Object.values(functions).find((f) =>
        f.Properties.Description?.startsWith('OrderPlaced'),
      );
      const release = Object.values(functions).find((f) =>
        f.Properties.Description?.startsWith('Every minute'),
      );

      // Assess: 2 order-SMS invocations and 1 release sweep, each paced to a third of 20 parts/s.
      expect(orderSms?.Properties.ReservedConcurrentExecutions).toBe(2);
      expect(release?.Properties.ReservedConcurrentExecutions).toBe(1);
      for (const fn of [orderSms, release]) {
        expect(Number(fn?.Properties.Environment.Variables.SMS_PARTS_PER_SECOND)).toBeCloseTo(20 / 5);
      }
      synth.pipeline.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        ScalingConfig: { MaximumConcurrency: 2 },
        FunctionName: { Ref: Match.stringLikeRegexp('^OrderSms') },
      });
    });

    it('lets the SMS functions publish to SNS, and nothing else on "*"', () => {
      // Act
      const policies = Object.values(synth.pipeline.findResources('AWS::IAM::Policy'));
      const wildcard = policies.flatMap((p) =>
        (p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]).filter(
          (st) => st.Resource === '*',
        ),
      );

      // Assess
      const actions = new Set(wildcard.flatMap((st) => [st.Action].flat()));
      expect([...actions].sort()).toEqual([
        'sns:Publish',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
      // The order SMS, the release sweep and the caller-SMS sender (tracking links, with the order status on).
      expect(wildcard.filter((st) => [st.Action].flat().includes('sns:Publish'))).toHaveLength(3);
    });

    it('releases deferred SMS every minute, with a DLQ on the schedule and on the function', () => {
      synth.pipeline.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        Targets: [Match.objectLike({ DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }) })],
      });
      const release = Object.values(synth.pipeline.findResources('AWS::Lambda::Function')).find((f) =>
        f.Properties.Description?.startsWith('Every minute'),
      );
      expect(release?.Properties.DeadLetterConfig?.TargetArn).toBeDefined();
    });

    it('alarms when the daily SMS cap is reached', () => {
      // Act
      const alarm = Object.values(synth.pipeline.findResources('AWS::CloudWatch::Alarm')).find((a) =>
        JSON.stringify(a.Properties.Metrics ?? []).includes('SmsDailyCapReached'),
      );

      // Assess: whichever sender reaches the cap, the alarm goes off.
      expect(alarm?.Properties.Threshold).toBe(1);
      const services = JSON.stringify(alarm?.Properties.Metrics);
      expect(services).toContain('peakline-order-sms');
      expect(services).toContain('peakline-sms-release');
    });
  });
});
