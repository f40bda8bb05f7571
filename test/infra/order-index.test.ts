import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules } from '#events/rules.js';
import { parseConfig } from '#infra/config/load.js';
import { OrderIndexWriter, type OrderIndexWriterProps } from '#infra/constructs/order-index.js';
import { FunctionEnvironmentError } from '#infra/constructs/peakline-function.js';
import { deadLetterQueue, setDeadLetterRetention } from '#infra/constructs/secure-queue.js';
import { acknowledge } from '#infra/nag.js';
import { newApp } from '#test/support/synth.js';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
type Resource = { Properties: Record<string, unknown> };
interface NagReport {
  pluginReports: {
    pluginName: string;
    violations: unknown[];
    suppressedViolations: { ruleName: string; reason: string }[];
  }[];
}

const PHONE_HASH_KEY_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:PhoneHashKey-AbCdEf';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * The writer on a bare stack with an orders table, a bus, a rejected-events queue and a phone-hash key;
 * the function is not bundled. cdk-nag's AwsSolutions checks run over the synthesized app.
 */
const build = (settings: Record<string, unknown> = {}, extra: Partial<OrderIndexWriterProps> = {}) => {
  const outdir = mkdtempSync(join(tmpdir(), 'peakline-order-index-'));
  outdirs.push(outdir);
  const app = newApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'OrderIndex', { env: { account: '123456789012', region: 'eu-central-1' } });
  const config = parseConfig('test', { shop: { source: 'sklep' }, ...settings });
  setDeadLetterRetention(stack, config.bus.deadLetterRetentionDays);
  const ordersTable = new TableV2(stack, 'OrdersTable', {
    partitionKey: { name: 'phoneKey', type: AttributeType.STRING },
    sortKey: { name: 'orderId', type: AttributeType.STRING },
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
  // The DataStack's, imported as the PipelineStack sees it (its rotation finding is the DataStack's to answer).
  const phoneHashKey = Secret.fromSecretCompleteArn(stack, 'PhoneHashKey', PHONE_HASH_KEY_ARN);
  const bus = new EventBus(stack, 'Bus', { eventBusName: 'peakline-test' });
  // As the PipelineStack builds it: a dead-letter queue of its own, the end of the line for refused events.
  const rejectedEvents = deadLetterQueue(stack, 'Rejected', { queueName: 'peakline-test-rejected-events' });
  acknowledge(
    rejectedEvents,
    'AwsSolutions-SQS3',
    'The rejected-events queue is itself a dead-letter queue: the end of the line for refused events.',
  );
  const writer = new OrderIndexWriter(stack, 'OrderIndexWriter', {
    config,
    ordersTable,
    bus,
    rule: rules({ shopSource: config.shop.source }).orderIndex,
    rejectedEvents,
    phoneHashKey,
    prefix: 'peakline-test',
    ...extra,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  const nag = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as NagReport;
  const template = Template.fromStack(stack);
  const id = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as never);
  return { template, nag, writer, tableId: id(ordersTable) };
};

const statementsOfRole = (template: Template, roleId: string): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref?: string }[]).some((r) => r.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);

const writerFunction = (template: Template): Resource => {
  const fn = Object.values(template.findResources('AWS::Lambda::Function')).find(
    (f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'peakline-order-index',
  );
  if (fn === undefined) throw new Error('no order-index function');
  return fn as Resource;
};

const environmentOf = (template: Template) =>
  (writerFunction(template).Properties.Environment as { Variables: Record<string, unknown> }).Variables;

const writerStatements = (template: Template) =>
  statementsOfRole(
    template,
    (writerFunction(template).Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0],
  );

const actionsOf = (s: Statement) => [s.Action].flat();

describe('OrderIndexWriter', () => {
  let built: ReturnType<typeof build>;

  beforeAll(() => {
    built = build();
  });

  it("routes the shop's OrderPlaced and OrderStatusChanged to its own buffer, with the DLQ as the target's", () => {
    // Prepare
    const { template, writer } = built;
    const stack = Stack.of(writer);
    const queueId = stack.getLogicalId(writer.queue.node.defaultChild as never);
    const dlqId = stack.getLogicalId(writer.deadLetterQueue.node.defaultChild as never);

    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['sklep'], 'detail-type': ['OrderPlaced', 'OrderStatusChanged'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        }),
      ],
    });
  });

  it('moves a record that keeps failing to the DLQ, kept only for the dead-letter retention', () => {
    // Prepare
    const { template, writer } = built;
    const dlqId = Stack.of(writer).getLogicalId(writer.deadLetterQueue.node.defaultChild as never);

    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'peakline-test-order-index',
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'peakline-test-order-index-dlq',
      MessageRetentionPeriod: 7 * 86_400,
    });
  });

  it('reads its buffer in batches that report their failed records one by one', () => {
    // Assess
    built.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it("tells the function its table, the SMS retention, the orders kept per phone and the contact centre's zone", () => {
    // Assess
    expect(environmentOf(built.template)).toMatchObject({
      ORDERS_TABLE_NAME: { Ref: built.tableId },
      REJECTED_EVENTS_QUEUE_URL: { Ref: expect.any(String) },
      ORDER_INDEX_RETENTION_DAYS: '30',
      MAX_ORDERS_PER_PHONE: '5',
      CONTACT_CENTRE_TIME_ZONE: 'Europe/Warsaw',
    });
  });

  it("takes the stage's retention and orders per phone", () => {
    // Act
    const { template } = build({ sms: { retentionDays: 60 }, orderStatus: { maxOrdersPerPhone: 3 } });

    // Assess
    expect(environmentOf(template)).toMatchObject({
      ORDER_INDEX_RETENTION_DAYS: '60',
      MAX_ORDERS_PER_PHONE: '3',
    });
  });

  it('refuses at synth an orders-per-phone the function would refuse at cold start', () => {
    // Act / Assess
    expect(() => build({}, { maxOrdersPerPhone: 0 })).toThrow(FunctionEnvironmentError);
  });

  it('may update, query and delete items of the orders table, and nothing else there', () => {
    // Act
    const dynamo = writerStatements(built.template).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:')),
    );

    // Assess
    expect(dynamo.map((st) => ({ ...st, Action: actionsOf(st).sort() }))).toEqual([
      {
        Action: ['dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [built.tableId, 'Arn'] },
      },
    ]);
  });

  it('reads the phone-hash key, and that secret alone', () => {
    // Act
    const secrets = writerStatements(built.template).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('secretsmanager:')),
    );

    // Assess
    expect(environmentOf(built.template).PHONE_HASH_KEY_SECRET_ARN).toBe(PHONE_HASH_KEY_ARN);
    expect(secrets).toEqual([
      { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: PHONE_HASH_KEY_ARN },
    ]);
  });

  it('is given no legacy suppression window, even in a stage upgraded with one: the index was keyed from its start', () => {
    // Act
    const { template } = build({ data: { legacySuppressionReadsUntil: '2029-11-30' } });

    // Assess
    expect(environmentOf(template).SUPPRESSION_LEGACY_READS_UNTIL).toBeUndefined();
    expect(environmentOf(template).PHONE_HASH_KEY_SECRET_ARN).toBe(PHONE_HASH_KEY_ARN);
  });

  it('is clean under cdk-nag', () => {
    // Act
    const report = built.nag.pluginReports.find((r) => r.pluginName === 'AwsSolutions');

    // Assess
    expect(report?.violations).toEqual([]);
    for (const s of report?.suppressedViolations ?? [])
      expect(s.reason.length, s.ruleName).toBeGreaterThan(40);
  });
});
