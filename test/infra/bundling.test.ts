import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factRecorderEnvironment } from '#functions/fact-recorder/environment.js';
import { parseConfig } from '#infra/config/load.js';
import { PeaklineFunction } from '#infra/constructs/peakline-function.js';
import { newApp } from '#test/support/synth.js';

/**
 * One function bundled by the CDK app as it is deployed (NodejsFunction, the local esbuild): what the zip
 * holds and what the function is started with, as infra/constructs/bundling.ts decides.
 */
describe('the bundle PeaklineFunction deploys', () => {
  let outdir: string;
  let files: string[];
  let bundle: string;
  let environment: Record<string, string>;

  beforeAll(() => {
    // Prepare
    outdir = mkdtempSync(join(tmpdir(), 'peakline-bundling-'));
    const app = newApp({ outdir });
    const stack = new Stack(app, 'Bundling', { env: { account: '123456789012', region: 'eu-central-1' } });
    const config = parseConfig('test', {});

    // Act: a function that talks to DynamoDB and SQS, so the SDK's credential chain is in its bundle.
    const fn = new PeaklineFunction(stack, 'FactRecorder', {
      config,
      name: 'fact-recorder',
      description: 'bundling test',
      environmentSchema: factRecorderEnvironment,
      environment: {
        FACTS_TABLE_NAME: 'facts',
        REJECTED_EVENTS_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/rejected',
        SHOP_SOURCE: 'shop',
        FACTS_RETENTION_DAYS: '400',
      },
    });
    const template = Template.fromStack(stack);
    app.synth();
    const [properties] = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (resource) => resource.Properties as { Environment: { Variables: Record<string, string> } },
    );
    environment = properties?.Environment.Variables ?? {};
    const asset = (fn.fn.node.defaultChild as unknown as { code: { s3Key?: string } }).code.s3Key ?? '';
    const dir = readdirSync(outdir).find(
      (name) => name.startsWith('asset.') && asset.startsWith(name.slice(6)),
    );
    files = readdirSync(join(outdir, dir ?? ''));
    bundle = readFileSync(join(outdir, dir ?? '', 'index.mjs'), 'utf8');
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('ships no source map and starts node without --enable-source-maps', () => {
    expect(files).toEqual(['index.mjs']);
    expect(environment.NODE_OPTIONS).toBeUndefined();
    expect(bundle).not.toContain('sourceMappingURL');
  });

  it('keeps function names through minification, for readable stack traces', () => {
    expect(bundle).toContain('"createFactRecorderConsumer"');
  });

  it('takes AWS credentials from the environment only: no SSO, ini-file, process or web-identity provider', () => {
    for (const marker of ['sso_start_url', 'credential_process', 'AssumeRoleWithWebIdentity']) {
      expect(bundle, marker).not.toContain(marker);
    }
    expect(bundle).toContain('AWS_SECRET_ACCESS_KEY');
  });
});
