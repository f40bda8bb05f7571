import type { Environment } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { PeaklineConfig } from './config/schema.js';
import { stackNames } from './constructs/connect/outputs.js';
import { ContactCenterStack } from './stacks/contact-center-stack.js';
import { DataStack } from './stacks/data-stack.js';
import { PipelineStack } from './stacks/pipeline-stack.js';

export interface PeaklineDeploymentProps {
  readonly config: PeaklineConfig;
}

/**
 * One deployment stage: its three stacks, named `peakline-<stage>-data|contact-center|pipeline`.
 *
 * A plain construct rather than a cdk `Stage`: the CLI's `deploy --all` refuses an app whose stacks all
 * sit inside stages, and ops deploy with `cdk deploy --all -c stage=prod`. The app synthesizes one
 * stage per run, so the grouping a Stage would add is not needed.
 */
export class PeaklineDeployment extends Construct {
  readonly data: DataStack;
  readonly contactCenter: ContactCenterStack;
  readonly pipeline: PipelineStack;

  constructor(scope: Construct, id: string, props: PeaklineDeploymentProps) {
    super(scope, id);
    const { config } = props;
    const env: Environment = {
      region: config.region,
      ...(config.account ? { account: config.account } : {}),
    };
    // The ops CLI finds the stacks by these names.
    const names = stackNames(config.stage);
    const tags = { application: 'peakline', stage: config.stage };

    this.data = new DataStack(this, 'Data', {
      config,
      env,
      stackName: names.data,
      description: `peakline ${config.stage}: tables (stateful)`,
      tags,
    });
    this.contactCenter = new ContactCenterStack(this, 'ContactCenter', {
      config,
      env,
      stackName: names.contactCenter,
      description: `peakline ${config.stage}: Amazon Connect instance, queues, routing and security profiles`,
      tags,
    });
    this.pipeline = new PipelineStack(this, 'Pipeline', {
      config,
      env,
      stackName: names.pipeline,
      description: `peakline ${config.stage}: event bus, rules, buffers, functions, alarms (stateless)`,
      tables: this.data.tables,
      phoneHashKey: this.data.phoneHashKey,
      connect: {
        instanceArn: this.contactCenter.instanceArn,
        instanceId: this.contactCenter.instanceId,
        queueArns: this.contactCenter.queueArns,
      },
      tags,
    });
  }
}
