import { describe, expect, it } from 'vitest';
import { synthUnbundled as synthDeployment } from '#test/support/synth-unbundled.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** The actions the order-SMS function's role is allowed on the suppression table. */
const suppressionActionsOfOrderSms = (): string[] => {
  const { pipeline } = synthDeployment({}, 'dev');
  const functions = pipeline.findResources('AWS::Lambda::Function') as Record<string, Resource>;
  const orderSms = Object.values(functions).find(
    (fn) =>
      (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables
        ?.POWERTOOLS_SERVICE_NAME === 'peakline-order-sms',
  );
  const roleId = (orderSms?.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = pipeline.findResources('AWS::IAM::Policy') as Record<string, Resource>;
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Resource).includes('SuppressionTable'))
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
    .sort();
};

describe('the order-SMS function on the suppression list', () => {
  it('may read a batch of phones in one call, and only read', () => {
    // Prepare: the dev stage as the CDK app synthesizes it

    // Act
    const actions = suppressionActionsOfOrderSms();

    // Assess
    expect(actions).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem']);
  });
});
