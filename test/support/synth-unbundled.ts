import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '#infra/config/load.js';
import type { PeaklineSettings } from '#infra/config/schema.js';
import { PeaklineDeployment } from '#infra/peakline-deployment.js';
import { newApp, type SynthesizedDeployment } from './synth.js';

/**
 * A whole stage like `synthDeployment`, but with the functions' bundling skipped (CDK's
 * `aws:cdk:bundling-stacks` context, as `cdk synth --exclusively` uses it): for tests of the templates'
 * resources, permissions and settings, which do not depend on the code inside the zip. Several stages then
 * synthesize in seconds instead of a minute each on a loaded machine.
 */
export const synthUnbundled = (settings: PeaklineSettings = {}, stage = 'test'): SynthesizedDeployment => {
  const app = newApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  const deployment = new PeaklineDeployment(app, stage, { config: parseConfig(stage, settings) });
  return {
    deployment,
    data: Template.fromStack(deployment.data),
    contactCenter: Template.fromStack(deployment.contactCenter),
    pipeline: Template.fromStack(deployment.pipeline),
  };
};
