import { CfnSecurityProfile } from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';
import type { SecurityProfileKey } from './seat-types.js';

/**
 * Connect security profile permissions (API names, as in "List of security profile permissions" of the
 * Amazon Connect Administrator Guide). Only what the agents' work needs: a seasonal account is handed to
 * many people, so everything else stays off.
 */
export const SECURITY_PROFILE_PERMISSIONS = {
  // Contact Control Panel, plus dialling out: voice agents make the cart callbacks.
  agent: ['BasicAgentAccess', 'OutboundCallAccess'],
  // Contact Control Panel only. Light agents work payment-issue tasks and must never reach a customer on
  // their own, so none of the outbound permissions (calls, email, campaigns) is granted.
  lightAgent: ['BasicAgentAccess'],
} as const satisfies Readonly<Record<SecurityProfileKey, readonly string[]>>;

interface SecurityProfileSpec {
  readonly id: string;
  /** Last part of the name, after the prefix. */
  readonly name: string;
  readonly description: string;
}

const SECURITY_PROFILES: Readonly<Record<SecurityProfileKey, SecurityProfileSpec>> = {
  agent: {
    id: 'Agent',
    name: 'agent',
    description: 'Seasonal agents: contact control panel and outbound calls.',
  },
  lightAgent: {
    id: 'LightAgent',
    name: 'light-agent',
    description: 'Light agents: contact control panel for tasks; no outbound access.',
  },
};

export interface ConnectSecurityProfilesProps {
  /** ARN of the Amazon Connect instance the security profiles belong to. */
  readonly instanceArn: string;
  /**
   * Put before every security profile name, e.g. the stage, so that several stages can share one instance.
   * Connect allows letters, digits, spaces, "_", "@" and "-" in the name.
   */
  readonly namePrefix: string;
}

/** The agent and light-agent security profiles seasonal users are given. */
export class ConnectSecurityProfiles extends Construct {
  public readonly securityProfiles: Readonly<Record<SecurityProfileKey, CfnSecurityProfile>>;
  public readonly securityProfileArns: Readonly<Record<SecurityProfileKey, string>>;

  constructor(scope: Construct, id: string, props: ConnectSecurityProfilesProps) {
    super(scope, id);
    const profile = (key: SecurityProfileKey): CfnSecurityProfile =>
      new CfnSecurityProfile(this, SECURITY_PROFILES[key].id, {
        instanceArn: props.instanceArn,
        securityProfileName: `${props.namePrefix}-${SECURITY_PROFILES[key].name}`,
        description: SECURITY_PROFILES[key].description,
        permissions: [...SECURITY_PROFILE_PERMISSIONS[key]],
      });
    this.securityProfiles = { agent: profile('agent'), lightAgent: profile('lightAgent') };
    this.securityProfileArns = {
      agent: this.securityProfiles.agent.attrSecurityProfileArn,
      lightAgent: this.securityProfiles.lightAgent.attrSecurityProfileArn,
    };
  }
}
