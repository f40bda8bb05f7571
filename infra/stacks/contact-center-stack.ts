import { Arn, ArnFormat, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnHoursOfOperation, CfnInstance } from 'aws-cdk-lib/aws-connect';
import type { Construct } from 'constructs';
import { ConfigError } from '#infra/config/load.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { hoursOfOperationConfig } from '#infra/constructs/connect/hours.js';
import { QUEUES } from '#infra/constructs/connect/contact-centre-model.js';
import {
  INSTANCE_ARN_OUTPUT,
  queueOutputKey,
  routingProfileOutputKey,
  securityProfileOutputKey,
} from '#infra/constructs/connect/outputs.js';
import { ConnectQueues, type QueueKey } from '#infra/constructs/connect/queues.js';
import { ConnectRoutingProfiles } from '#infra/constructs/connect/routing-profiles.js';
import type { RoutingProfileKey, SecurityProfileKey } from '#infra/constructs/connect/seat-types.js';
import { ConnectSecurityProfiles } from '#infra/constructs/connect/security-profiles.js';

export interface ContactCenterStackProps extends StackProps {
  /** The stage's validated settings; `connect` and `stage` shape this stack. */
  readonly config: PeaklineConfig;
}

/**
 * Amazon Connect for peakline: the instance (an existing one, or a new one), opening hours, queues, routing
 * profiles and security profiles that the pipeline's callbacks, overflow routing and seasonal seats use.
 *
 * Every name is prefixed with the stage, so that several stages can live on one existing instance.
 */
export class ContactCenterStack extends Stack {
  /** ARN of the Connect instance, existing or created. */
  public readonly instanceArn: string;
  /** Id of the Connect instance (the last part of its ARN), which most Connect API calls take. */
  public readonly instanceId: string;
  public readonly hoursOfOperationArn: string;
  public readonly queueArns: Readonly<Record<QueueKey, string>>;
  public readonly routingProfileArns: Readonly<Record<RoutingProfileKey, string>>;
  public readonly securityProfileArns: Readonly<Record<SecurityProfileKey, string>>;

  constructor(scope: Construct, id: string, props: ContactCenterStackProps) {
    super(scope, id, props);
    const { config } = props;
    const connect = config.connect;
    const prefix = config.stage;

    if (connect.instanceArn === undefined) {
      const instance = new CfnInstance(this, 'Instance', {
        identityManagementType: 'CONNECT_MANAGED',
        instanceAlias: connect.instanceAlias,
        attributes: {
          inboundCalls: true,
          // The voice agents' cart callbacks are outbound calls.
          outboundCalls: true,
          // Flow logs are the only trace of what a caller went through when the router misbehaves.
          contactflowLogs: true,
        },
      });
      // Deleting the instance deletes its users, contact history and claimed phone numbers, and a fresh
      // alias is then needed; keep it wherever the stage keeps its data.
      instance.applyRemovalPolicy(config.data.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
      this.instanceArn = instance.attrArn;
      this.instanceId = instance.attrId;
    } else {
      const arn = Arn.split(connect.instanceArn, ArnFormat.SLASH_RESOURCE_NAME);
      // Connect resources live in their instance's region; a mismatch would only fail at deploy time.
      if (arn.region !== config.region) {
        throw new ConfigError(
          `connect.instanceArn: the instance is in ${arn.region}, but stage "${config.stage}" deploys to ${config.region}`,
        );
      }
      this.instanceArn = connect.instanceArn;
      this.instanceId = arn.resourceName ?? '';
    }

    const hours = new CfnHoursOfOperation(this, 'Hours', {
      instanceArn: this.instanceArn,
      name: `${prefix}-hours`,
      description: 'Opening hours of the contact centre; a day not listed is closed.',
      timeZone: connect.timeZone,
      config: hoursOfOperationConfig(connect.hours),
    });
    this.hoursOfOperationArn = hours.attrHoursOfOperationArn;

    const queues = new ConnectQueues(this, 'Queues', {
      instanceArn: this.instanceArn,
      hoursOfOperationArn: this.hoursOfOperationArn,
      namePrefix: prefix,
    });
    this.queueArns = queues.queueArns;

    this.routingProfileArns = new ConnectRoutingProfiles(this, 'RoutingProfiles', {
      instanceArn: this.instanceArn,
      queueArns: this.queueArns,
      namePrefix: prefix,
      secondLineAssistDelaySeconds: config.overflow.secondLineAssistDelaySeconds,
    }).routingProfileArns;

    this.securityProfileArns = new ConnectSecurityProfiles(this, 'SecurityProfiles', {
      instanceArn: this.instanceArn,
      namePrefix: prefix,
    }).securityProfileArns;

    // For ops and scripts (the AWS CLI, the Connect console): where to look, without digging in the console.
    new CfnOutput(this, 'InstanceArnOutput', {
      key: INSTANCE_ARN_OUTPUT,
      value: this.instanceArn,
      description: 'ARN of the Amazon Connect instance.',
    });
    for (const queue of Object.keys(QUEUES) as QueueKey[]) {
      const key = queueOutputKey(queue);
      new CfnOutput(this, `${key}Output`, {
        key,
        value: this.queueArns[queue],
        description: `ARN of the ${queue} queue.`,
      });
    }
    // The seats CLI gives each new user the routing and security profile of its seat type from these.
    for (const [profile, arn] of Object.entries(this.routingProfileArns) as [RoutingProfileKey, string][]) {
      const key = routingProfileOutputKey(profile);
      new CfnOutput(this, `${key}Output`, {
        key,
        value: arn,
        description: `ARN of the ${profile} routing profile.`,
      });
    }
    for (const [profile, arn] of Object.entries(this.securityProfileArns) as [SecurityProfileKey, string][]) {
      const key = securityProfileOutputKey(profile);
      new CfnOutput(this, `${key}Output`, {
        key,
        value: arn,
        description: `ARN of the ${profile} security profile.`,
      });
    }
  }
}
