import { beforeAll, describe, expect, it } from 'vitest';
import { type SynthesizedDeployment, synthDeployment } from '#test/support/synth.js';

/** Every string a resource's properties contain once CDK has rendered them, tokens included. */
const rendered = (value: unknown): string => JSON.stringify(value);

describe('PipelineStack: overflow routing and the contact flows, in the whole app', () => {
  let withSms: SynthesizedDeployment;
  let withoutSms: SynthesizedDeployment;

  beforeAll(() => {
    withSms = synthDeployment({
      overflow: { requestUrl: 'https://sklep.example.pl/kontakt', bonusCode: 'PEAK10' },
    });
    withoutSms = synthDeployment();
  });

  it('associates the router, the order-status lookup, and the deflection SMS when a request page is configured, with the instance', () => {
    // Act
    const associated = (synth: SynthesizedDeployment) =>
      Object.values(synth.pipeline.findResources('AWS::Connect::IntegrationAssociation')).map((r) =>
        rendered(r.Properties.IntegrationArn),
      );

    // Assess
    // The order status is on by default (orderStatus.enabled), so its lookup is associated in both stages.
    expect(associated(withSms)).toHaveLength(3);
    expect(associated(withSms).some((arn) => arn.includes('OverflowRoutingRouter'))).toBe(true);
    expect(associated(withSms).some((arn) => arn.includes('DeflectionSms'))).toBe(true);
    expect(associated(withSms).some((arn) => arn.includes('OrderStatusLookup'))).toBe(true);
    expect(associated(withoutSms)).toHaveLength(2);
    expect(associated(withoutSms).some((arn) => arn.includes('DeflectionSms'))).toBe(false);
    expect(
      withoutSms.pipeline.findResources('AWS::Lambda::Function', {
        Properties: { FunctionName: 'peakline-test-deflection-sms' },
      }),
    ).toEqual({});
  });

  it('builds the inbound flow on the ContactCenterStack’s primary, second-line and callback queues', () => {
    // Act
    const inbound = Object.values(withSms.pipeline.findResources('AWS::Connect::ContactFlow')).find(
      (flow) => flow.Properties.Type === 'CONTACT_FLOW' && rendered(flow.Properties.Name).includes('inbound'),
    );

    // Assess
    const content = rendered(inbound?.Properties.Content);
    // Cross-stack references name the queue constructs of the ContactCenterStack they come from.
    for (const queue of ['QueuesPrimary', 'QueuesSecondLine', 'QueuesCallback']) {
      expect(content).toContain(queue);
    }
    expect(content).not.toContain('QueuesAccounting');
  });

  describe('the deflection SMS takes a burst of callers (issue 11, defect 7)', () => {
    const functionNamed = (name: string) => {
      const found = Object.values(
        withSms.pipeline.findResources('AWS::Lambda::Function', {
          Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: `peakline-${name}` } } },
        }),
      );
      expect(found).toHaveLength(1);
      return found[0] as { Properties: Record<string, unknown> };
    };

    it('is invoked by Connect without reserved concurrency, so Lambda never throttles a caller', () => {
      // Act
      const accept = functionNamed('deflection-sms');

      // Assess
      expect(accept.Properties.ReservedConcurrentExecutions).toBeUndefined();
      expect(rendered(accept.Properties.Environment)).toContain('DEFLECTION_QUEUE_URL');
    });

    it('sends from a queue with at most two paced invocations, each at half of one SMS rate share', () => {
      // Act
      const sender = functionNamed('deflection-sms-sender');
      const mappings = Object.values(withSms.pipeline.findResources('AWS::Lambda::EventSourceMapping'));
      const fromDeflectionQueue = mappings.filter((m) =>
        rendered(m.Properties.EventSourceArn).includes('DeflectionSmsRequests'),
      );

      // Assess
      expect(sender.Properties.ReservedConcurrentExecutions).toBe(2);
      expect(fromDeflectionQueue).toHaveLength(1);
      expect(fromDeflectionQueue[0]?.Properties).toMatchObject({
        ScalingConfig: { MaximumConcurrency: 2 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      const env = (sender.Properties.Environment as { Variables: Record<string, string> }).Variables;
      const orderSms = functionNamed('order-sms');
      const orderEnv = (orderSms.Properties.Environment as { Variables: Record<string, string> }).Variables;
      // The sender halves the share itself at start-up (deflectionSenderPartsPerSecond): same share here.
      expect(env.SMS_PARTS_PER_SECOND).toBe(orderEnv.SMS_PARTS_PER_SECOND);
    });

    it('alarms on a deflection SMS that waits in its queue, and on its dead letters', () => {
      // Act
      const alarms = Object.entries(withSms.pipeline.findResources('AWS::CloudWatch::Alarm')).map(
        ([id]) => id,
      );

      // Assess
      expect(alarms.some((id) => id.includes('DeflectionSmsLateAlarm'))).toBe(true);
      expect(alarms.some((id) => id.includes('DeflectionSmsDlqAlarm'))).toBe(true);
    });
  });

  it('tells ops which flow to attach to the phone number', () => {
    withSms.pipeline.hasOutput('InboundFlowArn', {});
  });
});
