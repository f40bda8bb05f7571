import { describe, expect, it } from 'vitest';
import {
  INSTANCE_ARN_OUTPUT,
  routingProfileOutputKey,
  securityProfileOutputKey,
  stackNames,
} from '#infra/constructs/connect/outputs.js';

// The ops CLI of a newer peakline reads a stage deployed by an older one: these names are a contract.
describe('the names the ops CLI finds a stage by', () => {
  it('names the stacks peakline-<stage>-data|contact-center|pipeline', () => {
    // Act
    const names = stackNames('prod');

    // Assess
    expect(names).toEqual({
      data: 'peakline-prod-data',
      contactCenter: 'peakline-prod-contact-center',
      pipeline: 'peakline-prod-pipeline',
    });
  });

  it('keys the Connect outputs by profile', () => {
    // Act
    const keys = [
      INSTANCE_ARN_OUTPUT,
      routingProfileOutputKey('voice'),
      routingProfileOutputKey('chat2'),
      routingProfileOutputKey('secondLine'),
      securityProfileOutputKey('agent'),
      securityProfileOutputKey('lightAgent'),
    ];

    // Assess
    expect(keys).toEqual([
      'InstanceArn',
      'VoiceRoutingProfileArn',
      'Chat2RoutingProfileArn',
      'SecondLineRoutingProfileArn',
      'AgentSecurityProfileArn',
      'LightAgentSecurityProfileArn',
    ]);
  });
});
