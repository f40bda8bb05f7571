import { beforeAll, describe, expect, it } from 'vitest';
import { type SynthesizedDeployment, synthDeployment } from '#test/support/synth.js';

describe('order SMS under faults (PipelineStack)', () => {
  let synth: SynthesizedDeployment;

  beforeAll(() => {
    synth = synthDeployment({ alarms: { email: 'ops@example.com' } });
  });

  it('alarms on the first SMS whose outcome is unknown, from either sender, and tells ops what to do', () => {
    // Act
    const alarm = Object.values(synth.pipeline.findResources('AWS::CloudWatch::Alarm')).find((a) =>
      JSON.stringify(a.Properties.Metrics ?? []).includes('SmsOutcomeUnknown'),
    );

    // Assess: one datapoint of at least 1 in five minutes, silence is fine, and someone is told.
    expect(alarm?.Properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm?.Properties.AlarmActions).toHaveLength(1);
    const metrics = JSON.stringify(alarm?.Properties.Metrics);
    expect(metrics).toContain('peakline-order-sms');
    expect(metrics).toContain('peakline-sms-release');
    expect(alarm?.Properties.AlarmDescription).toMatch(/NOT sent again/);
  });

  it('lets the SMS path record a batch of outcomes in one call, on the ledger only', () => {
    // Act
    const statements = Object.values(synth.pipeline.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const batchWrites = statements.filter((s) => [s.Action].flat().includes('dynamodb:BatchWriteItem'));

    // Assess
    expect(batchWrites.length).toBeGreaterThan(0);
    for (const statement of batchWrites) expect(JSON.stringify(statement.Resource)).toMatch(/Ledger/i);
  });
});
