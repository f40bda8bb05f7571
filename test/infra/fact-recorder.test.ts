import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { rules } from '#events/rules.js';
import { parseConfig } from '#infra/config/load.js';
import { FactRecorder, grantReadFigures } from '#infra/constructs/fact-recorder.js';
import { FunctionEnvironmentError } from '#infra/constructs/peakline-function.js';
import { newApp } from '#test/support/synth.js';
import { synthUnbundled } from '#test/support/synth-unbundled.js';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** A bare stack with a facts table, a bus and a rejected-events queue; the functions are not bundled. */
const build = (extra: { retentionDays?: number } = {}, factsRetentionDays?: number) => {
  const app = newApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Facts', { env: { account: '123456789012', region: 'eu-central-1' } });
  const config = parseConfig('test', {
    shop: { source: 'sklep' },
    ...(factsRetentionDays === undefined ? {} : { data: { factsRetentionDays } }),
  });
  const factsTable = new TableV2(stack, 'FactsTable', {
    partitionKey: { name: 'id', type: AttributeType.STRING },
  });
  const bus = new EventBus(stack, 'Bus', { eventBusName: 'peakline-test' });
  const rejectedEvents = new Queue(stack, 'Rejected');
  const facts = new FactRecorder(stack, 'FactRecorder', {
    config,
    factsTable,
    bus,
    rule: rules({ shopSource: config.shop.source }).factRecorder,
    rejectedEvents,
    prefix: 'peakline-test',
    ...extra,
  });
  const reader = new Role(stack, 'Reader', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  grantReadFigures(reader, factsTable);
  return { template: Template.fromStack(stack), stack, facts, factsTable };
};

const ref = (
  template: Template,
  type: string,
  predicate: (r: { Properties?: Record<string, unknown> }) => boolean,
) => {
  const found = Object.entries(template.findResources(type)).find(([, r]) => predicate(r as never));
  if (found === undefined) throw new Error(`no ${type}`);
  return found[0];
};

const statementsOfRole = (template: Template, roleId: string): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref?: string }[]).some((r) => r.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);

describe('FactRecorder', () => {
  it("routes peakline's SMS and callback facts and the shop's orders with a cart id to its buffer, in EventBridge's own pattern", () => {
    // Act
    const { template } = build();

    // Assess
    const queueId = ref(
      template,
      'AWS::SQS::Queue',
      (q) => q.Properties?.QueueName === 'peakline-test-facts',
    );
    const dlqId = ref(
      template,
      'AWS::SQS::Queue',
      (q) => q.Properties?.QueueName === 'peakline-test-facts-dlq',
    );
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.anyValue() },
      EventPattern: {
        $or: [
          {
            source: ['peakline'],
            'detail-type': [
              'SmsSent',
              'SmsSuppressed',
              'CallbackScheduled',
              'CallbackCreated',
              'CallbackCancelled',
            ],
          },
          { source: ['sklep'], 'detail-type': ['OrderPlaced'], detail: { cartId: [{ exists: true }] } },
        ],
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        }),
      ],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'peakline-test-facts',
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
      SqsManagedSseEnabled: true,
    });
  });

  it('reads its buffer in batches that report their failed records one by one', () => {
    // Act
    const { template } = build();

    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it("tells the function its table, the shop source and the stage's retention, 400 days unless configured", () => {
    // Act
    const byDefault = build().template;
    const configured = build({}, 730).template;
    const overridden = build({ retentionDays: 1095 }, 730).template;

    // Assess
    const env = (template: Template) =>
      Object.values(template.findResources('AWS::Lambda::Function'))
        .map((fn) => fn.Properties.Environment?.Variables as Record<string, unknown> | undefined)
        .find((vars) => vars?.POWERTOOLS_SERVICE_NAME === 'peakline-fact-recorder');
    expect(env(byDefault)).toMatchObject({
      FACTS_TABLE_NAME: { Ref: expect.any(String) },
      REJECTED_EVENTS_QUEUE_URL: { Ref: expect.any(String) },
      SHOP_SOURCE: 'sklep',
      FACTS_RETENTION_DAYS: '400',
    });
    expect(env(configured)).toMatchObject({ FACTS_RETENTION_DAYS: '730' });
    expect(env(overridden)).toMatchObject({ FACTS_RETENTION_DAYS: '1095' });
  });

  it('refuses at synth a retention the function would refuse at cold start', () => {
    // Act / Assess
    expect(() => build({ retentionDays: 7 })).toThrow(FunctionEnvironmentError);
  });

  it('may only put items in the facts table: no read, no index, no delete', () => {
    // Prepare
    const { template } = build();
    const tableId = ref(template, 'AWS::DynamoDB::GlobalTable', () => true);
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'peakline-fact-recorder',
    );
    const roleId = fn?.Properties.Role['Fn::GetAtt'][0] as string;

    // Act
    const dynamo = statementsOfRole(template, roleId).filter((st) =>
      [st.Action].flat().some((a) => a.startsWith('dynamodb:')),
    );

    // Assess
    expect(dynamo).toEqual([
      { Action: 'dynamodb:PutItem', Effect: 'Allow', Resource: { 'Fn::GetAtt': [tableId, 'Arn'] } },
    ]);
  });

  it("lets the report read the by-day index and the carts' orders, and nothing more", () => {
    // Prepare
    const { template } = build();
    const tableId = ref(template, 'AWS::DynamoDB::GlobalTable', () => true);
    const roleId = ref(
      template,
      'AWS::IAM::Role',
      (r) =>
        JSON.stringify(r.Properties).includes('lambda.amazonaws.com') &&
        !JSON.stringify(r.Properties).includes('fact-recorder'),
    );

    // Act
    const statements = statementsOfRole(template, roleId);

    // Assess
    expect(statements).toEqual([
      {
        Action: 'dynamodb:Query',
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/by-day']] },
      },
      { Action: 'dynamodb:BatchGetItem', Effect: 'Allow', Resource: { 'Fn::GetAtt': [tableId, 'Arn'] } },
    ]);
  });

  it("gives the DataStack's facts table the by-day index the report reads, and a TTL", () => {
    // Act
    const { data } = synthUnbundled({}, 'prod');

    // Assess
    data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'peakline-prod-facts',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'by-day',
          KeySchema: [
            { AttributeName: 'day', KeyType: 'HASH' },
            { AttributeName: 'at', KeyType: 'RANGE' },
          ],
        }),
      ],
    });
  });
});
