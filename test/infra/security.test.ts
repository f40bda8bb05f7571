/**
 * The security proof over every stack of every stage as `cdk synth` builds it: cdk-nag finds nothing
 * unacknowledged; no statement allows every action of a service; a `*` resource appears only where AWS
 * offers no narrower one, each listed below with the reason, so a new one fails this test until someone
 * writes down why it is needed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/app.js';
import { knownStages } from '#infra/config/load.js';
import { newApp } from '#test/support/synth.js';

interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
}

interface PolicyDocument {
  readonly Statement: Statement[];
}

/** The properties of a resource that hold policy statements (IAM, resource and key policies, permissions). */
interface PolicyProperties {
  readonly PolicyDocument?: PolicyDocument;
  readonly KeyPolicy?: PolicyDocument;
  readonly AssumeRolePolicyDocument?: PolicyDocument;
  readonly Policies?: { readonly PolicyDocument: PolicyDocument }[];
  readonly Statement?: Statement;
  readonly Action?: string;
  readonly FunctionName?: unknown;
  readonly Principal?: unknown;
}

interface Found {
  readonly where: string;
  readonly type: string;
  readonly statement: Statement;
}

interface NagReport {
  pluginReports: {
    pluginName: string;
    violations: unknown[];
    suppressedViolations: { ruleName: string; reason: string }[];
  }[];
}

/**
 * Every `*` resource peakline's templates hold, by resource type and the statement's actions, with the
 * reason AWS leaves no narrower resource. The test fails on one missing here, and on one listed here that
 * no longer exists (so the list never outlives its reasons).
 */
const STAR_RESOURCES: Readonly<Record<string, string>> = {
  'AWS::IAM::Policy sns:Publish':
    'SNS Publish to a phone number (an SMS) has no resource ARN; AWS documents "*" as its only resource. Each such policy allows sns:Publish and nothing else.',
  'AWS::IAM::Policy xray:PutTelemetryRecords,xray:PutTraceSegments':
    'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions.',
  'AWS::KMS::Key kms:*':
    'In a key policy "*" means the key itself; this is AWS\'s default key policy statement that hands the key to the account\'s IAM (see the action exception).',
  'AWS::KMS::Key kms:Decrypt,kms:GenerateDataKey*':
    'In a key policy "*" means the key itself: CloudWatch (only from this account) may encrypt alarm notifications to the ops topic.',
};

/**
 * Allowed actions with a wildcard, by resource type and action, with the reason. `*` and `service:*`
 * grants are refused outright, except the one statement AWS's default key policy needs.
 */
const WILDCARD_ACTIONS: Readonly<Record<string, string>> = {
  'AWS::KMS::Key kms:*':
    "AWS's default key policy: the account root (that is, the account's own IAM policies) administers the key; without it AWS warns the key can become unmanageable. It grants nothing outside the account.",
  'AWS::KMS::Key kms:GenerateDataKey*':
    'The statement AWS documents for CloudWatch alarms publishing to an SSE-KMS topic, limited to this account by aws:SourceAccount.',
};

const asList = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const actions = (s: Statement): string[] => asList(s.Action).map(String);
const key = (f: Found, what: string) => `${f.type} ${what}`;

/** Every policy statement in a template: identity policies, roles' inline ones, resource and key policies. */
const statementsOf = (
  template: { Resources: Record<string, { Type: string; Properties?: PolicyProperties }> },
  file: string,
) => {
  const found: Found[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const p: PolicyProperties = resource.Properties ?? {};
    const documents = [
      p.PolicyDocument,
      p.KeyPolicy,
      p.AssumeRolePolicyDocument,
      ...(p.Policies ?? []).map((inline) => inline.PolicyDocument),
    ].filter((d): d is PolicyDocument => d !== undefined);
    const statements = documents.flatMap((d) => d.Statement);
    // AWS::Events::EventBusPolicy and AWS::Lambda::Permission carry one statement's parts directly.
    if (resource.Type === 'AWS::Events::EventBusPolicy' && p.Statement) statements.push(p.Statement);
    if (resource.Type === 'AWS::Lambda::Permission') {
      statements.push({
        Effect: 'Allow',
        Action: p.Action,
        Resource: p.FunctionName,
        Principal: p.Principal,
      });
    }
    for (const statement of statements)
      found.push({ where: `${file} ${id}`, type: resource.Type, statement });
  }
  return found;
};

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe.each(knownStages())('security of stage %s', (stage) => {
  let statements: Found[];
  let nag: NagReport['pluginReports'][number] | undefined;

  beforeAll(() => {
    const outdir = mkdtempSync(join(tmpdir(), `peakline-security-${stage}-`));
    outdirs.push(outdir);
    // Bundling skipped: the permissions and the findings do not depend on the code inside the zips.
    const app = newApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    buildApp(app, stage);
    app.synth();
    const templates = readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
    statements = templates.flatMap((file) =>
      statementsOf(JSON.parse(readFileSync(join(outdir, file), 'utf8')), file),
    );
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as NagReport;
    nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
  });

  it('leaves no cdk-nag finding unacknowledged, and gives each acknowledgement its reason', () => {
    expect(nag?.violations).toEqual([]);
    for (const finding of nag?.suppressedViolations ?? []) {
      expect(finding.reason.length, finding.ruleName).toBeGreaterThan(40);
    }
  });

  it('reads every statement of every stack (the proof below is not vacuous)', () => {
    expect(statements.length).toBeGreaterThan(50);
    expect(new Set(statements.map((s) => s.type))).toEqual(
      new Set([
        'AWS::IAM::Policy',
        'AWS::IAM::Role',
        'AWS::SQS::QueuePolicy',
        'AWS::SNS::TopicPolicy',
        'AWS::KMS::Key',
        'AWS::Events::EventBusPolicy',
        'AWS::Lambda::Permission',
        // The public status document's bucket: CloudFront's read, and TLS only.
        'AWS::S3::BucketPolicy',
      ]),
    );
  });

  it('allows no `*` or `service:*` action, and no other wildcard action without its reason', () => {
    const wildcards = statements
      .filter((f) => f.statement.Effect === 'Allow')
      .flatMap((f) =>
        actions(f.statement)
          .filter((a) => a.includes('*'))
          .map((a) => ({ f, a })),
      );
    const unexplained = wildcards
      .filter(({ f, a }) => WILDCARD_ACTIONS[key(f, a)] === undefined)
      .map(({ f, a }) => `${f.where}: ${a}`);
    expect(unexplained).toEqual([]);
    // The one service-wide grant, `kms:*`, only ever to the account root, in a key policy.
    for (const { f } of wildcards.filter(({ a }) => a === '*' || /^[a-z0-9-]+:\*$/.test(a))) {
      expect(JSON.stringify(f.statement.Principal), f.where).toMatch(/:root"/);
      expect(f.type, f.where).toBe('AWS::KMS::Key');
    }
  });

  it('uses no NotAction or NotResource in an Allow, and no Allow to anyone at all', () => {
    const loose = statements.filter(
      ({ statement: s }) =>
        s.Effect === 'Allow' &&
        (s.NotAction !== undefined ||
          s.NotResource !== undefined ||
          s.Principal === '*' ||
          JSON.stringify(s.Principal) === '{"AWS":"*"}'),
    );
    expect(loose.map((f) => f.where)).toEqual([]);
  });

  it('denies with a wildcard only to refuse requests that are not over TLS (or over TLS older than 1.2)', () => {
    const denials = statements.filter((f) => f.statement.Effect === 'Deny');
    expect(denials.length).toBeGreaterThan(0);
    for (const { where, statement } of denials) {
      expect([
        { Bool: { 'aws:SecureTransport': 'false' } },
        // S3's own key for the TLS version (the public status bucket's enforceSSL with minimumTLSVersion 1.2).
        { NumericLessThan: { 's3:TlsVersion': 1.2 } },
      ]).toContainEqual(statement.Condition);
      if (JSON.stringify(statement.Condition).includes('s3:TlsVersion'))
        expect(where).toMatch(/BucketPolicy/);
    }
  });

  it('uses a `*` resource only where AWS requires it, each listed with its reason', () => {
    const starred = new Set(
      statements
        .filter((f) => f.statement.Effect === 'Allow' && asList(f.statement.Resource).includes('*'))
        .map((f) => key(f, [...actions(f.statement)].sort().join(','))),
    );
    expect([...starred].sort()).toEqual(Object.keys(STAR_RESOURCES).sort());
  });
});
