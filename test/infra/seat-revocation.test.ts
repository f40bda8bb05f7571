import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SynthesizedDeployment, synthDeployment } from '#test/support/synth.js';

const INSTANCE_ID = '11111111-2222-3333-4444-555555555555';
const INSTANCE_ARN = `arn:aws:connect:eu-central-1:123456789012:instance/${INSTANCE_ID}`;

/** A resource as Template.findResources returns it. */
type Resource = ReturnType<Template['findResources']>[string];
type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };

const functionNamed = (synth: SynthesizedDeployment, service: string): [string, Resource] => {
  const found = Object.entries(synth.pipeline.findResources('AWS::Lambda::Function')).find(
    ([, fn]) => fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === service,
  );
  if (found === undefined) throw new Error(`no function ${service}`);
  return found;
};

/** Every statement of the policies attached to the function's role. */
const statementsOf = (synth: SynthesizedDeployment, service: string): Statement[] => {
  const [, fn] = functionNamed(synth, service);
  const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
  return Object.values(synth.pipeline.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref?: string }[]).some((r) => r.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
};

const connectStatements = (synth: SynthesizedDeployment, service: string) =>
  statementsOf(synth, service).filter((st) => [st.Action].flat().some((a) => a.startsWith('connect:')));

describe('seat revocation in the PipelineStack', () => {
  let onExisting: SynthesizedDeployment;
  let onCreated: SynthesizedDeployment;

  beforeAll(() => {
    onExisting = synthDeployment({
      connect: { instanceArn: INSTANCE_ARN, apiCallsPerSecond: 4 },
      seats: { sweepEveryMinutes: 3, revokedRetentionDays: 730 },
    });
    onCreated = synthDeployment();
  });

  describe('the sweeper', () => {
    it('runs on the configured schedule', () => {
      // Prepare
      const [sweeperId] = functionNamed(onExisting, 'peakline-seat-sweeper');

      // Assess
      onExisting.pipeline.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(3 minutes)',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [sweeperId, 'Arn'] } })],
      });
    });

    it('runs one at a time, each run no longer than the interval', () => {
      // Act
      const [, sweeper] = functionNamed(onExisting, 'peakline-seat-sweeper');

      // Assess
      expect(sweeper.Properties.ReservedConcurrentExecutions).toBe(1);
      expect(sweeper.Properties.Timeout).toBe(180);
    });

    it('is told the instance, its share of the API rate, the identity management, the tag and the retention', () => {
      // Act
      const [, sweeper] = functionNamed(onExisting, 'peakline-seat-sweeper');

      // Assess: 4 calls a second shared by 6 callers at once.
      expect(sweeper.Properties.Environment.Variables).toMatchObject({
        CONNECT_INSTANCE_ID: INSTANCE_ID,
        CONNECT_CALLS_PER_SECOND: String(4 / 6),
        CONNECT_MANAGED_USER_TAG: 'test',
        CONNECT_IDENTITY_MANAGEMENT: 'CONNECT_MANAGED',
        SEATS_REVOKED_RETENTION_DAYS: '730',
      });
    });

    it('may read the sweep index and update seats, and nothing else in the table', () => {
      // Act
      const dynamo = statementsOf(onCreated, 'peakline-seat-sweeper').filter((st) =>
        [st.Action].flat().some((a) => a.startsWith('dynamodb:')),
      );

      // Assess
      expect(dynamo.map((st) => st.Action)).toEqual(['dynamodb:Query', 'dynamodb:UpdateItem']);
      expect(JSON.stringify(dynamo[0]?.Resource)).toContain('/index/active-by-expiry');
    });
  });

  describe('the TTL backstop', () => {
    it('is invoked for TTL deletions of the seats table only, by exactly this filter pattern', () => {
      onCreated.pipeline.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FilterCriteria: {
          Filters: [
            {
              Pattern:
                '{"eventName":["REMOVE"],"userIdentity":{"type":["Service"],"principalId":["dynamodb.amazonaws.com"]}}',
            },
          ],
        },
      });
    });

    it('reads the seats stream from its trim horizon, reports failed records, bisects, retries boundedly and keeps failures', () => {
      // Act
      const mapping = Object.values(onCreated.pipeline.findResources('AWS::Lambda::EventSourceMapping')).find(
        (m) => m.Properties.FilterCriteria !== undefined,
      );
      const failureQueue = Object.entries(onCreated.pipeline.findResources('AWS::SQS::Queue')).find(
        ([, queue]) => queue.Properties.QueueName === 'peakline-test-seat-ttl-backstop-dlq',
      );

      // Assess
      expect(JSON.stringify(mapping?.Properties.EventSourceArn)).toMatch(
        /peakline-test-data.*SeatsTable.*StreamArn/,
      );
      expect(mapping?.Properties).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failureQueue?.[0], 'Arn'] } } },
      });
    });

    it('may write the revocation record and nothing else in the table', () => {
      // Act
      const dynamoWrites = statementsOf(onCreated, 'peakline-seat-ttl-backstop').filter((st) =>
        [st.Action].flat().some((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)),
      );

      // Assess
      expect(dynamoWrites.map((st) => st.Action)).toEqual(['dynamodb:PutItem']);
    });
  });

  describe('Connect permissions', () => {
    it.each(['peakline-seat-sweeper', 'peakline-seat-ttl-backstop'])(
      '%s may find and delete users (also one known by username only) and their quick connects of the configured instance only',
      (service) => {
        // Act
        const statements = connectStatements(onExisting, service);

        // Assess
        expect(
          statements.map(({ Action, Resource, Effect, Condition }) => ({
            Action,
            Resource,
            Effect,
            ...(Condition === undefined ? {} : { Condition }),
          })),
        ).toEqual([
          { Effect: 'Allow', Action: 'connect:SearchQuickConnects', Resource: INSTANCE_ARN },
          {
            Effect: 'Allow',
            Action: ['connect:DeleteQuickConnect', 'connect:DescribeQuickConnect'],
            Resource: `${INSTANCE_ARN}/transfer-destination/*`,
          },
          { Effect: 'Allow', Action: 'connect:SearchUsers', Resource: INSTANCE_ARN },
          { Effect: 'Allow', Action: 'connect:DescribeUser', Resource: `${INSTANCE_ARN}/agent/*` },
          // Only users this stage of peakline created: the seats CLI tags every user peakline:managed=<stage>.
          {
            Effect: 'Allow',
            Action: 'connect:DeleteUser',
            Resource: `${INSTANCE_ARN}/agent/*`,
            Condition: { StringEquals: { 'aws:ResourceTag/peakline:managed': 'test' } },
          },
        ]);
      },
    );

    it('scopes them to the instance the ContactCenterStack creates, never to "*"', () => {
      // Act
      const statements = ['peakline-seat-sweeper', 'peakline-seat-ttl-backstop'].flatMap((service) =>
        connectStatements(onCreated, service),
      );

      // Assess
      expect(statements).toHaveLength(10);
      for (const statement of statements) {
        expect(statement.Resource).not.toBe('*');
        expect(JSON.stringify(statement.Resource)).toContain('peakline-test-contact-center');
      }
    });
  });

  describe('the Connect API rate, shared', () => {
    it.each([
      ['peakline-seat-sweeper'],
      ['peakline-seat-ttl-backstop'],
      ['peakline-payment-issues'],
      ['peakline-callback-sweeper'],
    ])('gives %s its share of connect.apiCallsPerSecond, not the whole', (service) => {
      // Act
      const [, fn] = functionNamed(onExisting, service);

      // Assess: 4 calls a second, 6 invocations that may call Connect at once.
      expect(fn.Properties.Environment.Variables.CONNECT_CALLS_PER_SECOND).toBe(String(4 / 6));
    });

    it('holds every caller to the concurrency its share assumes', () => {
      // Act
      const [, backstop] = functionNamed(onExisting, 'peakline-seat-ttl-backstop');
      const [paymentIssues] = functionNamed(onExisting, 'peakline-payment-issues');
      const mapping = Object.values(
        onExisting.pipeline.findResources('AWS::Lambda::EventSourceMapping'),
      ).find((m) => JSON.stringify(m.Properties.FunctionName).includes(paymentIssues));

      // Assess
      expect(backstop.Properties.ReservedConcurrentExecutions).toBe(1);
      expect(mapping?.Properties.ScalingConfig).toEqual({ MaximumConcurrency: 2 });
    });
  });

  describe('alarms', () => {
    it('alarms on both functions’ errors, the failure queues, and any revocation the backstop had to make', () => {
      // Act
      const descriptions = Object.values(onCreated.pipeline.findResources('AWS::CloudWatch::Alarm')).map(
        (alarm) => JSON.stringify(alarm.Properties.AlarmDescription),
      );

      // Assess
      expect(descriptions).toEqual(
        expect.arrayContaining([
          expect.stringContaining('seat-sweeper is failing invocations'),
          expect.stringContaining('seat-ttl-backstop is failing invocations'),
          expect.stringContaining('Seat sweeps failed'),
          expect.stringContaining('Seats deleted by their TTL could not be revoked'),
          expect.stringContaining('The TTL backstop revoked seats the sweeper missed'),
          expect.stringContaining('The seat sweeper could not revoke some seats'),
        ]),
      );
    });
  });

  it('names the stacks as the ops CLI looks them up', () => {
    expect(
      [onCreated.deployment.data, onCreated.deployment.contactCenter, onCreated.deployment.pipeline].map(
        (stack) => stack.stackName,
      ),
    ).toEqual(['peakline-test-data', 'peakline-test-contact-center', 'peakline-test-pipeline']);
  });
});
