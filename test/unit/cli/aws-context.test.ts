import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { awsContext, CliError } from '#cli/seats/context.js';

const ARN = 'arn:aws:connect:eu-central-1:123456789012:instance/5f0c7c4e-9d3a-4b7e-8f51-3c2a1d0e9b77';

/** The ContactCenterStack's outputs as DescribeStacks answers them after `cdk deploy`. */
const OUTPUTS = [
  ['InstanceArn', ARN],
  ['VoiceRoutingProfileArn', `${ARN}/routing-profile/rp-voice`],
  ['Chat2RoutingProfileArn', `${ARN}/routing-profile/rp-chat2`],
  ['Chat4RoutingProfileArn', `${ARN}/routing-profile/rp-chat4`],
  ['Chat6RoutingProfileArn', `${ARN}/routing-profile/rp-chat6`],
  ['LightRoutingProfileArn', `${ARN}/routing-profile/rp-light`],
  ['SecondLineRoutingProfileArn', `${ARN}/routing-profile/rp-second`],
  ['AgentSecurityProfileArn', `${ARN}/security-profile/sp-agent`],
  ['LightAgentSecurityProfileArn', `${ARN}/security-profile/sp-light`],
].map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));

const cloudFormation = mockClient(CloudFormationClient);
afterEach(() => cloudFormation.reset());

describe('peakline seats on AWS: finding a deployed stage', () => {
  it('reads the Connect ids from the ContactCenterStack outputs of the stage', async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        { StackName: 'x', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: OUTPUTS },
      ],
    });

    // Act
    const ctx = await awsContext({ stage: 'prod' });
    ctx.close();

    // Assert
    expect(cloudFormation.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({
      StackName: 'peakline-prod-contact-center',
    });
    expect(ctx.profiles.voice).toEqual({ routingProfileId: 'rp-voice', securityProfileIds: ['sp-agent'] });
    expect(ctx.profiles['chat-6']).toEqual({
      routingProfileId: 'rp-chat6',
      securityProfileIds: ['sp-agent'],
    });
    expect(ctx.profiles.light).toEqual({ routingProfileId: 'rp-light', securityProfileIds: ['sp-light'] });
    expect(ctx.profiles['second-line'].routingProfileId).toBe('rp-second');
    expect(ctx).toMatchObject({
      where: 'stage prod in eu-central-1',
      timeZone: 'Europe/Warsaw',
      // The CLI's share of the stage's 2 Connect calls a second: one of the six callers that may run at once.
      callsPerSecond: 2 / 6,
      usernameMaxLength: 20,
    });
  });

  it('takes the Connect call rate from --rate over the stage setting', async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        { StackName: 'x', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: OUTPUTS },
      ],
    });

    // Act
    const ctx = await awsContext({ stage: 'prod', rate: 0.5 });
    ctx.close();

    // Assert
    expect(ctx.callsPerSecond).toBe(0.5);
  });

  it('says which output is missing and how to get it, for a stack deployed by an older version', async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'x',
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: OUTPUTS.slice(0, 3),
        },
      ],
    });

    // Act
    const opening = awsContext({ stage: 'prod' });

    // Assert
    await expect(opening).rejects.toThrow(CliError);
    await expect(opening).rejects.toThrow(
      'The stack peakline-prod-contact-center has no output Chat4RoutingProfileArn; deploy the current version (cdk deploy --all -c stage=prod).',
    );
  });

  it('says the stage may not be deployed, or the credentials are for another account', async () => {
    // Prepare
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(new Error('Stack with id peakline-prod-contact-center does not exist'));

    // Act
    const opening = awsContext({ stage: 'prod' });

    // Assert
    await expect(opening).rejects.toThrow(
      /Could not read the stack peakline-prod-contact-center in eu-central-1 \(Stack with id .* does not exist\)\. Is stage "prod" deployed/,
    );
  });
});
