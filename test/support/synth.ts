import { readFileSync } from 'node:fs';
import { App, type AppProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '#infra/config/load.js';
import type { PeaklineSettings } from '#infra/config/schema.js';
import { PeaklineDeployment } from '#infra/peakline-deployment.js';

/** The feature flags in cdk.json, so the tests synthesize exactly what `cdk synth` does. */
const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export const newApp = (props: AppProps = {}): App =>
  new App({ ...props, context: { ...cdkJson.context, ...props.context } });

export interface SynthesizedDeployment {
  readonly deployment: PeaklineDeployment;
  readonly data: Template;
  readonly contactCenter: Template;
  readonly pipeline: Template;
}

/** A whole stage built from `settings` (validated like a stage file), with a template per stack. */
export const synthDeployment = (settings: PeaklineSettings = {}, stage = 'test'): SynthesizedDeployment => {
  const app = newApp();
  const deployment = new PeaklineDeployment(app, stage, { config: parseConfig(stage, settings) });
  return {
    deployment,
    data: Template.fromStack(deployment.data),
    contactCenter: Template.fromStack(deployment.contactCenter),
    pipeline: Template.fromStack(deployment.pipeline),
  };
};
