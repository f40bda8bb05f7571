import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { awsReportContext } from '#cli/report/context.js';

const ARN = 'arn:aws:connect:eu-central-1:123456789012:instance/5f0c7c4e-9d3a-4b7e-8f51-3c2a1d0e9b77';

/** The ContactCenterStack's queue outputs as DescribeStacks answers them after `cdk deploy`. */
const OUTPUTS = [
  ['InstanceArn', ARN],
  ['PrimaryQueueArn', `${ARN}/queue/q-primary`],
  ['SecondLineQueueArn', `${ARN}/queue/q-second`],
  ['CallbackQueueArn', `${ARN}/queue/q-callback`],
  ['AccountingQueueArn', `${ARN}/queue/q-accounting`],
].map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));

const cloudFormation = mockClient(CloudFormationClient);
afterEach(() => cloudFormation.reset());

const answer = (outputs: typeof OUTPUTS) =>
  cloudFormation.on(DescribeStacksCommand).resolves({
    Stacks: [{ StackName: 'x', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: outputs }],
  });

describe('peakline report on AWS: finding a deployed stage', () => {
  it('reads the queues from the ContactCenterStack outputs and the report settings from the stage', async () => {
    // Prepare
    answer(OUTPUTS);

    // Act
    const ctx = await awsReportContext({ stage: 'prod' });
    ctx.close();

    // Assess
    expect(cloudFormation.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({
      StackName: 'peakline-prod-contact-center',
    });
    expect(ctx.queues.map((q) => [q.key, q.id])).toEqual([
      ['primary', 'q-primary'],
      ['secondLine', 'q-second'],
      ['callback', 'q-callback'],
      ['accounting', 'q-accounting'],
    ]);
    expect(ctx).toMatchObject({
      where: 'stage prod in eu-central-1',
      timeZone: 'Europe/Warsaw',
      language: 'pl',
    });
    expect(ctx.settings.serviceLevelSeconds).toBeGreaterThan(0);
  });

  it('says which output is missing and how to get it', async () => {
    // Prepare: a stack deployed before the queues were output.
    answer(OUTPUTS.filter((o) => o.OutputKey !== 'AccountingQueueArn'));

    // Act / Assess
    await expect(awsReportContext({ stage: 'prod' })).rejects.toThrow(
      /has no output AccountingQueueArn; deploy the current version \(cdk deploy --all -c stage=prod\)/,
    );
  });
});
