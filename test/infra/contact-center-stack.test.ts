import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '#infra/config/load.js';
import type { PeaklineSettings } from '#infra/config/schema.js';
import { SEAT_TYPES } from '#infra/constructs/connect/seat-types.js';
import { ContactCenterStack } from '#infra/stacks/contact-center-stack.js';
import { newApp } from '#test/support/synth.js';

const EXISTING_INSTANCE_ARN =
  'arn:aws:connect:eu-central-1:123456789012:instance/11111111-2222-3333-4444-555555555555';

const synth = (settings: PeaklineSettings = {}) => {
  const app = newApp();
  const stack = new ContactCenterStack(app, 'Cc', { config: parseConfig('test', settings) });
  return { stack, template: Template.fromStack(stack) };
};

describe('ContactCenterStack', () => {
  describe('instance', () => {
    it('creates a Connect-managed instance with calls both ways and flow logs when no instanceArn is set', () => {
      // Prepare
      const settings = { connect: { instanceAlias: 'peakline-test' } };

      // Act
      const { template } = synth(settings);

      // Assess
      template.hasResourceProperties('AWS::Connect::Instance', {
        IdentityManagementType: 'CONNECT_MANAGED',
        InstanceAlias: 'peakline-test',
        Attributes: { InboundCalls: true, OutboundCalls: true, ContactflowLogs: true },
      });
    });

    it('creates no instance when instanceArn is set', () => {
      // Prepare
      const settings = { connect: { instanceArn: EXISTING_INSTANCE_ARN } };

      // Act
      const { template } = synth(settings);

      // Assess
      template.resourceCountIs('AWS::Connect::Instance', 0);
    });

    it('puts its resources on the existing instance when instanceArn is set', () => {
      // Prepare
      const settings = { connect: { instanceArn: EXISTING_INSTANCE_ARN } };

      // Act
      const { template } = synth(settings);

      // Assess
      template.allResourcesProperties('AWS::Connect::Queue', { InstanceArn: EXISTING_INSTANCE_ARN });
    });

    it('refuses an existing instance in another region than the stage', () => {
      // Prepare
      const settings = { region: 'eu-west-1', connect: { instanceArn: EXISTING_INSTANCE_ARN } };

      // Act
      const act = () => synth(settings);

      // Assess
      expect(act).toThrow(/instance is in eu-central-1.*deploys to eu-west-1/);
    });
  });

  it('opens on the configured days and hours, in the configured time zone, and nowhere else', () => {
    // Prepare
    const settings = {
      connect: {
        timeZone: 'Europe/Helsinki',
        hours: { mon: { open: '08:30', close: '20:15' }, sat: { open: '09:00', close: '17:00' } },
      },
    };

    // Act
    const { template } = synth(settings);

    // Assess
    template.hasResourceProperties('AWS::Connect::HoursOfOperation', {
      TimeZone: 'Europe/Helsinki',
      Config: [
        { Day: 'MONDAY', StartTime: { Hours: 8, Minutes: 30 }, EndTime: { Hours: 20, Minutes: 15 } },
        { Day: 'SATURDAY', StartTime: { Hours: 9, Minutes: 0 }, EndTime: { Hours: 17, Minutes: 0 } },
      ],
    });
  });

  it('creates the primary, second-line, callback and accounting queues, named after the stage', () => {
    // Prepare
    const settings = {};

    // Act
    const { template } = synth(settings);

    // Assess
    const names = Object.values(template.findResources('AWS::Connect::Queue')).map((q) => q.Properties.Name);
    expect(names.sort()).toEqual(['test-accounting', 'test-callback', 'test-primary', 'test-second-line']);
  });

  it.each([
    ['test-chat-2', 2],
    ['test-chat-4', 4],
    ['test-chat-6', 6],
  ])('routing profile %s takes %i chats at once from the primary queue', (name, concurrency) => {
    // Prepare
    const { stack, template } = synth();

    // Act
    const primaryQueue = stack.resolve(stack.queueArns.primary);

    // Assess
    template.hasResourceProperties('AWS::Connect::RoutingProfile', {
      Name: name,
      MediaConcurrencies: [{ Channel: 'CHAT', Concurrency: concurrency }],
      QueueConfigs: [Match.objectLike({ QueueReference: { Channel: 'CHAT', QueueArn: primaryQueue } })],
    });
  });

  it('the light routing profile offers only tasks, from the accounting queue', () => {
    // Prepare
    const { stack, template } = synth();

    // Act
    const accountingQueue = stack.resolve(stack.queueArns.accounting);

    // Assess
    template.hasResourceProperties('AWS::Connect::RoutingProfile', {
      Name: 'test-light',
      MediaConcurrencies: [Match.objectLike({ Channel: 'TASK' })],
      QueueConfigs: [Match.objectLike({ QueueReference: { Channel: 'TASK', QueueArn: accountingQueue } })],
    });
  });

  it('the voice routing profile also takes queued callbacks and callback tasks, after waiting callers', () => {
    // Prepare
    const { stack, template } = synth();

    // Act
    const [primaryQueue, callbackQueue] = [stack.queueArns.primary, stack.queueArns.callback].map((arn) =>
      stack.resolve(arn),
    );

    // Assess
    template.hasResourceProperties('AWS::Connect::RoutingProfile', {
      Name: 'test-voice',
      QueueConfigs: [
        Match.objectLike({ Priority: 1, QueueReference: { Channel: 'VOICE', QueueArn: primaryQueue } }),
        Match.objectLike({ Priority: 2, QueueReference: { Channel: 'VOICE', QueueArn: callbackQueue } }),
        Match.objectLike({ Priority: 2, QueueReference: { Channel: 'TASK', QueueArn: callbackQueue } }),
      ],
    });
  });

  it('the second-line routing profile serves the second-line queue first and the primary queue after it', () => {
    // Prepare
    const { stack, template } = synth();

    // Act
    const [secondLineQueue, primaryQueue] = [stack.queueArns.secondLine, stack.queueArns.primary].map((arn) =>
      stack.resolve(arn),
    );

    // Assess
    template.hasResourceProperties('AWS::Connect::RoutingProfile', {
      Name: 'test-second-line',
      MediaConcurrencies: [{ Channel: 'VOICE', Concurrency: 1 }],
      QueueConfigs: [
        { Priority: 1, Delay: 0, QueueReference: { Channel: 'VOICE', QueueArn: secondLineQueue } },
        {
          Priority: 2,
          Delay: Match.anyValue(),
          QueueReference: { Channel: 'VOICE', QueueArn: primaryQueue },
        },
      ],
    });
  });

  it("the second-line routing profile takes primary calls after the stage's assist delay", () => {
    // Prepare
    const { stack, template } = synth({ overflow: { secondLineAssistDelaySeconds: 45 } });

    // Act
    const primaryQueue = stack.resolve(stack.queueArns.primary);

    // Assess
    template.hasResourceProperties('AWS::Connect::RoutingProfile', {
      Name: 'test-second-line',
      QueueConfigs: Match.arrayWith([
        { Priority: 2, Delay: 45, QueueReference: { Channel: 'VOICE', QueueArn: primaryQueue } },
      ]),
    });
  });

  it('creates one routing profile per seat type', () => {
    // Prepare
    const expected = SEAT_TYPES.map((seat) => `test-${seat}`).sort();

    // Act
    const { template } = synth();

    // Assess
    const names = Object.values(template.findResources('AWS::Connect::RoutingProfile')).map(
      (p) => p.Properties.Name,
    );
    expect(names.sort()).toEqual(expected);
  });

  it('the light-agent security profile grants no outbound permission of any kind', () => {
    // Prepare
    const settings = {};

    // Act
    const { template } = synth(settings);

    // Assess
    template.hasResourceProperties('AWS::Connect::SecurityProfile', {
      SecurityProfileName: 'test-light-agent',
      Permissions: Match.not(Match.arrayWith([Match.stringLikeRegexp('Outbound')])),
    });
  });

  it('the agent security profile may make outbound calls', () => {
    // Prepare
    const settings = {};

    // Act
    const { template } = synth(settings);

    // Assess
    template.hasResourceProperties('AWS::Connect::SecurityProfile', {
      SecurityProfileName: 'test-agent',
      Permissions: Match.arrayWith(['BasicAgentAccess', 'OutboundCallAccess']),
    });
  });

  it('outputs the instance, queue, routing profile and security profile ARNs under the keys the ops CLI reads', () => {
    // Prepare
    const settings = { connect: { instanceArn: EXISTING_INSTANCE_ARN } };

    // Act
    const { template } = synth(settings);

    // Assess
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual([
      'AccountingQueueArn',
      'AgentSecurityProfileArn',
      'CallbackQueueArn',
      'Chat2RoutingProfileArn',
      'Chat4RoutingProfileArn',
      'Chat6RoutingProfileArn',
      'InstanceArn',
      'LightAgentSecurityProfileArn',
      'LightRoutingProfileArn',
      'PrimaryQueueArn',
      'SecondLineQueueArn',
      'SecondLineRoutingProfileArn',
      'VoiceRoutingProfileArn',
    ]);
  });

  it('outputs each profile output with the ARN of that very profile', () => {
    // Prepare
    const { stack, template } = synth();

    // Act
    const outputs = template.findOutputs('*');

    // Assess
    expect(outputs.Chat4RoutingProfileArn?.Value).toEqual(stack.resolve(stack.routingProfileArns.chat4));
    expect(outputs.SecondLineRoutingProfileArn?.Value).toEqual(
      stack.resolve(stack.routingProfileArns.secondLine),
    );
    expect(outputs.LightAgentSecurityProfileArn?.Value).toEqual(
      stack.resolve(stack.securityProfileArns.lightAgent),
    );
    expect(outputs.InstanceArn?.Value).toEqual(stack.resolve(stack.instanceArn));
  });
});
