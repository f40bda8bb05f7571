import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/app.js';
import { knownStages, parseConfig } from '#infra/config/load.js';
import { PeaklineDeployment } from '#infra/peakline-deployment.js';
import { newApp } from '#test/support/synth.js';

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
    suppressedViolations: { ruleName: string; reason: string; acknowledgedAt: string }[];
  }[];
}

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

const synthStage = (stage: string): ValidationReport => {
  const outdir = mkdtempSync(join(tmpdir(), `peakline-nag-${stage}-`));
  outdirs.push(outdir);
  const app = newApp({ outdir });
  buildApp(app, stage);
  app.synth();
  return JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
};

describe('cdk-nag AwsSolutions', () => {
  it.each(knownStages())('finds nothing unacknowledged in stage %s', (stage) => {
    // Act
    const report = synthStage(stage);

    // Assess
    const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(nag?.violations).toEqual([]);
    expect(nag?.conclusion).toBe('success');
  });

  it.each(knownStages())('gives every acknowledgement in stage %s its reason', (stage) => {
    // Act
    const report = synthStage(stage);

    // Assess
    const acknowledged = report.pluginReports.flatMap((r) => r.suppressedViolations);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const finding of acknowledged) {
      expect(finding.reason.length, `${finding.ruleName} at ${finding.acknowledgedAt}`).toBeGreaterThan(40);
    }
  });

  it('finds nothing unacknowledged when the stage uses an existing Connect instance', () => {
    // Prepare: the Connect permissions then name the instance's ARN itself, not a cross-stack reference.
    const app = newApp({ outdir: mkdtempSync(join(tmpdir(), 'peakline-nag-existing-')) });
    outdirs.push(app.outdir);
    const instanceArn =
      'arn:aws:connect:eu-central-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
    new PeaklineDeployment(app, 'existing', {
      config: parseConfig('existing', { connect: { instanceArn, identityManagement: 'SAML' } }),
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act
    app.synth();

    // Assess
    const report = JSON.parse(
      readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'),
    ) as ValidationReport;
    const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(nag?.violations).toEqual([]);
    expect(nag?.suppressedViolations.map((v) => v.ruleName)).toContain(
      `AwsSolutions-IAM5[Resource::${instanceArn}/agent/*]`,
    );
  });

  it('fails the synth on a finding nobody acknowledged', () => {
    // Prepare: a queue without TLS enforcement or a DLQ, which AwsSolutions rejects.
    const app = newApp({ outdir: mkdtempSync(join(tmpdir(), 'peakline-nag-bad-')) });
    outdirs.push(app.outdir);
    new Queue(new Stack(app, 'Careless'), 'Queue');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act + Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});
