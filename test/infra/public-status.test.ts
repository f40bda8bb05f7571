import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  overflowControllerEnvironment,
  publicStatusFrom,
} from '#functions/overflow-controller/environment.js';
import { parseConfig } from '#infra/config/load.js';
import type { QueueKey } from '#infra/constructs/connect/contact-centre-model.js';
import { OpsAlarms } from '#infra/constructs/ops-alarms.js';
import { OverflowRouting } from '#infra/constructs/overflow-routing.js';
import { PublicStatus } from '#infra/constructs/public-status.js';
import { setDeadLetterRetention } from '#infra/constructs/secure-queue.js';
import { newApp } from '#test/support/synth.js';

const INSTANCE_ID = '11111111-2222-3333-4444-555555555555';
const INSTANCE_ARN = `arn:aws:connect:eu-central-1:123456789012:instance/${INSTANCE_ID}`;
const QUEUE_ARNS: Record<QueueKey, string> = {
  primary: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000001`,
  secondLine: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000002`,
  callback: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000003`,
  accounting: `${INSTANCE_ARN}/queue/aaaaaaaa-0000-0000-0000-000000000004`,
};

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Effect: string };

interface NagReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
    suppressedViolations: { ruleName: string; reason: string; acknowledgedAt: string }[];
  }[];
}

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** The construct on a bare stack, its writer the real overflow controller (as the PipelineStack wires it). */
const synth = (settings: Record<string, unknown> = {}) => {
  const outdir = mkdtempSync(join(tmpdir(), 'peakline-public-status-'));
  outdirs.push(outdir);
  const app = newApp({ outdir });
  const config = parseConfig('test', settings);
  const stack = new Stack(app, 'PublicStatusTest', {
    env: { account: '123456789012', region: 'eu-central-1' },
  });
  setDeadLetterRetention(stack, config.bus.deadLetterRetentionDays);
  const routing = new OverflowRouting(stack, 'OverflowRouting', {
    config,
    routingTable: new TableV2(stack, 'Routing', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    }),
    bus: new EventBus(stack, 'Bus', { eventBusName: 'peakline' }),
    connect: { instanceArn: INSTANCE_ARN, instanceId: INSTANCE_ID },
    queueArns: QUEUE_ARNS,
    ops: new OpsAlarms(stack, 'Ops', { stage: 'test' }),
  });
  const status = new PublicStatus(stack, 'PublicStatus', { config, writer: routing.controller.fn });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  const nag = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as NagReport;
  return { template: Template.fromStack(stack), stack, status, nag };
};

const onlyResource = (template: Template, type: string) => {
  const found = Object.entries(template.findResources(type));
  expect(found, type).toHaveLength(1);
  return found[0] as [string, ReturnType<Template['findResources']>[string]];
};

describe('PublicStatus', () => {
  let built: ReturnType<typeof synth>;

  beforeAll(() => {
    built = synth({
      publicStatus: {
        cacheSeconds: 30,
        allowedOrigins: ['https://sklep.example.pl'],
        normalReplyWithinHours: 3,
      },
      sms: { replyWithinHours: { OVERFLOW: 6, DEFLECT: 48 } },
    });
  });

  describe('the bucket', () => {
    it('is encrypted, private, without ACLs, and kept on stack deletion', () => {
      // Act
      const [, bucket] = onlyResource(built.template, 'AWS::S3::Bucket');

      // Assess
      expect(bucket.Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
      expect(bucket.DeletionPolicy).toBe('Retain');
    });

    it('refuses plain HTTP and TLS below 1.2, and lets only this distribution read, through OAC', () => {
      // Act
      const [, policy] = onlyResource(built.template, 'AWS::S3::BucketPolicy');
      const [distributionId] = onlyResource(built.template, 'AWS::CloudFront::Distribution');
      const statements = policy.Properties.PolicyDocument.Statement as (Statement & {
        Principal: unknown;
        Condition: unknown;
      })[];

      // Assess
      expect(statements.filter((s) => s.Effect === 'Deny').map((s) => s.Condition)).toEqual([
        { Bool: { 'aws:SecureTransport': 'false' } },
        { NumericLessThan: { 's3:TlsVersion': 1.2 } },
      ]);
      const allowed = statements.filter((s) => s.Effect === 'Allow');
      expect(allowed).toHaveLength(1);
      expect(allowed[0]).toMatchObject({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
      });
      expect(JSON.stringify(allowed[0]?.Condition)).toContain(distributionId);
      built.template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: Match.objectLike({
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
          SigningProtocol: 'sigv4',
        }),
      });
    });
  });

  describe('the distribution', () => {
    it('serves GET and HEAD over HTTPS only, from the cheapest price class', () => {
      built.template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          PriceClass: 'PriceClass_100',
          DefaultCacheBehavior: Match.objectLike({
            ViewerProtocolPolicy: 'https-only',
            AllowedMethods: ['GET', 'HEAD'],
            Compress: true,
          }),
        }),
      });
    });

    it('caches for publicStatus.cacheSeconds whatever the query string, headers or cookies', () => {
      built.template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({
          DefaultTTL: 30,
          MaxTTL: 30,
          MinTTL: 0,
          ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
            QueryStringsConfig: { QueryStringBehavior: 'none' },
            HeadersConfig: { HeaderBehavior: 'none' },
            CookiesConfig: { CookieBehavior: 'none' },
          }),
        }),
      });
    });

    it('answers the allowed origins (CORS, no credentials) and tells browsers the same cache time', () => {
      // Act
      const [, policy] = onlyResource(built.template, 'AWS::CloudFront::ResponseHeadersPolicy');
      const config = policy.Properties.ResponseHeadersPolicyConfig;

      // Assess
      expect(config.CorsConfig).toMatchObject({
        AccessControlAllowOrigins: { Items: ['https://sklep.example.pl'] },
        AccessControlAllowMethods: { Items: ['GET', 'HEAD'] },
        AccessControlAllowCredentials: false,
        OriginOverride: true,
      });
      expect(config.CustomHeadersConfig.Items).toEqual([
        { Header: 'Cache-Control', Value: 'public, max-age=30', Override: true },
      ]);
    });

    it('outputs the URL a site fetches', () => {
      // Act
      const outputs = Object.values(built.template.findOutputs('*'));
      const url = outputs.find((o) => JSON.stringify(o.Value).includes('DomainName'));

      // Assess
      expect(JSON.stringify(url?.Value)).toMatch(/"https:\/\/",.*DomainName.*"\/status\.json"/);
    });
  });

  describe('the writer', () => {
    it('may put the one object, and do nothing else in S3', () => {
      // Act
      const s3 = Object.values(built.template.findResources('AWS::IAM::Policy'))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
        .filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));

      // Assess
      expect(s3).toHaveLength(1);
      expect(s3[0]).toMatchObject({ Sid: 'WriteThePublicStatusDocument', Action: 's3:PutObject' });
      expect(JSON.stringify(s3[0]?.Resource)).toMatch(/"\/status\.json"\]/);
    });

    it('is told where to write and what to promise, as the controller reads it at cold start', () => {
      // Prepare
      const controller = Object.values(built.template.findResources('AWS::Lambda::Function')).find(
        (fn) =>
          fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === 'peakline-overflow-controller',
      );
      const variables = controller?.Properties.Environment.Variables as Record<string, unknown>;

      // Act: the names of the bucket, table, bus and topic are references until deploy; here, what they
      // will resolve to
      const deployed: Record<string, string> = {
        PUBLIC_STATUS_BUCKET: 'the-bucket',
        ROUTING_TABLE_NAME: 'the-table',
        EVENT_BUS_NAME: 'peakline',
        OPS_TOPIC_ARN: 'arn:aws:sns:eu-central-1:123456789012:the-topic',
      };
      const env = overflowControllerEnvironment.parse(
        Object.fromEntries(
          Object.entries(variables).map(([name, value]) => [
            name,
            typeof value === 'string' ? value : deployed[name],
          ]),
        ),
      );

      // Assess
      expect(variables.PUBLIC_STATUS_BUCKET).toEqual({ Ref: expect.stringMatching(/^PublicStatusBucket/) });
      expect(publicStatusFrom(env)).toEqual({
        bucket: 'the-bucket',
        key: 'status.json',
        cacheSeconds: 30,
        replyWithinHours: { NORMAL: 3, OVERFLOW: 6, DEFLECT: 48 },
      });
    });
  });

  describe('cdk-nag AwsSolutions', () => {
    it('finds nothing unacknowledged, and every acknowledgement here says why', () => {
      // Act
      const nag = built.nag.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
      const mine = nag?.suppressedViolations.filter((v) => v.acknowledgedAt.includes('/PublicStatus/')) ?? [];

      // Assess
      expect(nag?.violations).toEqual([]);
      expect(mine.map((v) => v.ruleName).sort()).toEqual([
        'AwsSolutions-CFR1',
        'AwsSolutions-CFR2',
        'AwsSolutions-CFR3',
        'AwsSolutions-CFR4',
        'AwsSolutions-S1',
      ]);
      for (const finding of mine) expect(finding.reason.length).toBeGreaterThan(80);
    });
  });
});
