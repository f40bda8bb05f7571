import { Token } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { optOutEnvironment } from '#functions/customer-opt-out/environment.js';
import { checkEnvironment, FunctionEnvironmentError } from '#infra/constructs/peakline-function.js';

describe("PeaklineFunction's environment check at synth", () => {
  const valid = {
    SUPPRESSION_TABLE_NAME: 'peakline-dev-suppression',
    REJECTED_EVENTS_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/q',
    SUPPRESSION_RETENTION_DAYS: '1095',
  };

  it('accepts what the handler will accept at cold start', () => {
    expect(() => checkEnvironment('customer-opt-out', optOutEnvironment, valid)).not.toThrow();
  });

  it('names a variable the handler needs and nobody set', () => {
    const { SUPPRESSION_TABLE_NAME: _, ...missing } = valid;
    expect(() => checkEnvironment('customer-opt-out', optOutEnvironment, missing)).toThrow(
      new FunctionEnvironmentError('Function customer-opt-out environment: SUPPRESSION_TABLE_NAME: missing'),
    );
  });

  it('names a literal value the handler would refuse', () => {
    expect(() =>
      checkEnvironment('customer-opt-out', optOutEnvironment, {
        ...valid,
        SUPPRESSION_RETENTION_DAYS: 'forever',
      }),
    ).toThrow(/SUPPRESSION_RETENTION_DAYS: /);
  });

  it('leaves values known only at deploy time (tokens) to the cold-start check', () => {
    const token = Token.asString({ Ref: 'Queue' });
    expect(() =>
      checkEnvironment('customer-opt-out', optOutEnvironment, { ...valid, REJECTED_EVENTS_QUEUE_URL: token }),
    ).not.toThrow();
  });
});
