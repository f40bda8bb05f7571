/**
 * The names the ops CLI finds a deployed stage by: its stacks, and the ContactCenterStack's outputs that
 * carry the Connect ids. The stacks are named and their outputs keyed from here, and the CLI reads them
 * with DescribeStacks by the same functions, so a rename cannot break `peakline seats` silently.
 *
 * Pure on purpose (no aws-cdk-lib): the CLI imports it without loading the CDK.
 */
import type { RoutingProfileKey, SecurityProfileKey } from './seat-types.js';

export interface StackNames {
  readonly data: string;
  readonly contactCenter: string;
  readonly pipeline: string;
}

/** The CloudFormation stack names of a stage: `peakline-<stage>-data|contact-center|pipeline`. */
export const stackNames = (stage: string): StackNames => ({
  data: `peakline-${stage}-data`,
  contactCenter: `peakline-${stage}-contact-center`,
  pipeline: `peakline-${stage}-pipeline`,
});

/** Output of the ContactCenterStack with the Connect instance's ARN (existing or created). */
export const INSTANCE_ARN_OUTPUT = 'InstanceArn';

/** "chat2" -> "Chat2", "secondLine" -> "SecondLine", "lightAgent" -> "LightAgent". */
const pascal = (key: string): string => key.charAt(0).toUpperCase() + key.slice(1);

/** Output with a routing profile's ARN, e.g. `VoiceRoutingProfileArn`, `Chat2RoutingProfileArn`. */
export const routingProfileOutputKey = (key: RoutingProfileKey): string => `${pascal(key)}RoutingProfileArn`;

/** Output with a queue's ARN: `PrimaryQueueArn`, `SecondLineQueueArn`, `CallbackQueueArn`, `AccountingQueueArn`. */
export const queueOutputKey = (key: string): string => `${pascal(key)}QueueArn`;

/** Output with a security profile's ARN: `AgentSecurityProfileArn`, `LightAgentSecurityProfileArn`. */
export const securityProfileOutputKey = (key: SecurityProfileKey): string =>
  `${pascal(key)}SecurityProfileArn`;
