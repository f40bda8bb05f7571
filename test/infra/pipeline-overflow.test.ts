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

  it('associates the router, and the deflection SMS when a request page is configured, with the instance', () => {
    // Act
    const associated = (synth: SynthesizedDeployment) =>
      Object.values(synth.pipeline.findResources('AWS::Connect::IntegrationAssociation')).map((r) =>
        rendered(r.Properties.IntegrationArn),
      );

    // Assess
    expect(associated(withSms)).toHaveLength(2);
    expect(associated(withSms).some((arn) => arn.includes('OverflowRoutingRouter'))).toBe(true);
    expect(associated(withSms).some((arn) => arn.includes('DeflectionSms'))).toBe(true);
    expect(associated(withoutSms)).toHaveLength(1);
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

  it('tells ops which flow to attach to the phone number', () => {
    withSms.pipeline.hasOutput('InboundFlowArn', {});
  });
});
