/**
 * The CDK app: `cdk synth|deploy -c stage=<stage>` builds the stage described by
 * `infra/config/stages/<stage>.json`, validated before any construct is created.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, loadConfig } from './config/load.js';
import { PeaklineDeployment } from './peakline-deployment.js';

export const buildApp = (app: App, stage: string): PeaklineDeployment => {
  const config = loadConfig(stage);
  const deployment = new PeaklineDeployment(app, stage, { config });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return deployment;
};

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const app = new App();
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  try {
    buildApp(app, stage);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  app.synth();
}
