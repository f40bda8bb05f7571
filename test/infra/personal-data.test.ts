import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SynthesizedDeployment } from '#test/support/synth.js';
import { synthUnbundled as synthDeployment } from '#test/support/synth-unbundled.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** The functions that build a suppression store (grep `new DynamoSuppressionStore`), by their name. */
const SUPPRESSION_READERS = [
  'customer-opt-out',
  'order-sms',
  'sms-release',
  'cart-callbacks',
  'callback-sweeper',
] as const;

/**
 * The functions that key phones for the order index (issue 15) with the same key: the index's writer and the
 * lookup. The index was keyed from its first item, so they never get the suppression list's legacy window.
 */
const ORDER_INDEX_READERS = ['order-index', 'order-status'] as const;

const functionsByName = (d: SynthesizedDeployment) => {
  const functions = d.pipeline.findResources('AWS::Lambda::Function') as Record<string, Resource>;
  const byName = new Map<string, { id: string; env: Record<string, unknown>; role: unknown }>();
  for (const [id, fn] of Object.entries(functions)) {
    const env = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    const service = env?.POWERTOOLS_SERVICE_NAME;
    if (typeof service === 'string') {
      byName.set(service.replace(/^peakline-/, ''), { id, env: env ?? {}, role: fn.Properties.Role });
    }
  }
  return byName;
};

/** Every statement of the policies attached to the role `roleRef` ({ Fn::GetAtt: [roleId, Arn] }). */
const statementsOfRole = (d: SynthesizedDeployment, roleRef: unknown): Statement[] => {
  const roleId = (roleRef as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = d.pipeline.findResources('AWS::IAM::Policy') as Record<string, Resource>;
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** Every function whose role may read the suppression table: each must key phones as the list does. */
const suppressionReaders = (d: SynthesizedDeployment): string[] =>
  [...functionsByName(d)]
    .filter(([, fn]) =>
      statementsOfRole(d, fn.role).some(
        (s) =>
          actionsOf(s).includes('dynamodb:GetItem') &&
          JSON.stringify(s.Resource).includes('SuppressionTable'),
      ),
    )
    .map(([name]) => name)
    .sort();

describe('where personal data lives, and for how long', () => {
  let defaults: SynthesizedDeployment;
  // Synthesized once, at first use: each synthesis gets a test's time, not all of them one hook's.
  let shorterOnce: SynthesizedDeployment | undefined;
  const shorter = () =>
    (shorterOnce ??= synthDeployment(
      { bus: { archiveRetentionDays: 2, deadLetterRetentionDays: 3 } },
      'dev',
    ));
  const upgraded = () => synthDeployment({ data: { legacySuppressionReadsUntil: '2029-11-30' } }, 'upgraded');

  beforeAll(() => {
    defaults = synthDeployment({ overflow: { requestUrl: 'https://shop.example/contact' } }, 'prod');
  });

  it('archives shop events for 7 days by default, and for the configured days otherwise', () => {
    defaults.pipeline.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: ['shop'] },
      RetentionDays: 7,
    });
    shorter().pipeline.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 2 });
  });

  it('refuses an archive kept forever', () => {
    expect(() => synthDeployment({ bus: { archiveRetentionDays: 0 } }, 'forever')).toThrow(
      /bus\.archiveRetentionDays/,
    );
  });

  it('keeps every dead-letter queue, the rejected events first, for the configured days only', () => {
    // Prepare: a dead-letter queue is one named *-dlq, or the rejected-events queue.
    const queues = (d: SynthesizedDeployment) =>
      Object.values(d.pipeline.findResources('AWS::SQS::Queue') as Record<string, Resource>).map((q) => ({
        name: String(q.Properties.QueueName),
        retention: q.Properties.MessageRetentionPeriod,
      }));
    const deadLetters = (d: SynthesizedDeployment) =>
      queues(d).filter((q) => q.name.endsWith('-dlq') || q.name.endsWith('-rejected-events'));

    // Assess
    expect(deadLetters(defaults).map((q) => q.name)).toContain('peakline-prod-rejected-events');
    expect(deadLetters(defaults).length).toBeGreaterThanOrEqual(8);
    for (const q of deadLetters(defaults)) expect(q, q.name).toEqual({ ...q, retention: 7 * 86_400 });
    for (const q of deadLetters(shorter())) expect(q, q.name).toEqual({ ...q, retention: 3 * 86_400 });
    // Nothing in the stack, buffer or DLQ, keeps a message longer than the dead letters.
    for (const q of queues(defaults)) expect(Number(q.retention), q.name).toBeLessThanOrEqual(7 * 86_400);
  });

  it('refuses a dead-letter retention SQS cannot keep', () => {
    expect(() => synthDeployment({ bus: { deadLetterRetentionDays: 15 } }, 'toolong')).toThrow(
      /bus\.deadLetterRetentionDays/,
    );
  });

  /** The function names the key's secret and may only GetSecretValue on that one secret. */
  const expectReadsTheKeyAlone = (
    fn: { readonly env: Record<string, unknown>; readonly role: unknown },
    name: string,
    secretId: string,
  ) => {
    expect(JSON.stringify(fn.env.PHONE_HASH_KEY_SECRET_ARN), name).toContain(secretId);
    const reads = statementsOfRole(defaults, fn.role).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('secretsmanager:')),
    );
    expect(
      reads.map((s) => actionsOf(s)),
      name,
    ).toEqual([['secretsmanager:GetSecretValue']]);
    expect(JSON.stringify(reads[0]?.Resource), name).toContain(secretId);
    // One secret, not a list of them.
    expect(Array.isArray(reads[0]?.Resource), name).toBe(false);
  };

  it('gives every function that checks the suppression list the key, and GetSecretValue on it alone', () => {
    // Prepare
    const secretId = Object.keys(defaults.data.findResources('AWS::SecretsManager::Secret'))[0];
    const byName = functionsByName(defaults);

    // Assess
    const readers = suppressionReaders(defaults);
    expect(readers).toEqual(expect.arrayContaining([...SUPPRESSION_READERS]));
    for (const name of readers) {
      const fn = byName.get(name);
      expect(fn, name).toBeDefined();
      if (fn === undefined) continue;
      expectReadsTheKeyAlone(fn, name, String(secretId));
    }
  });

  it("gives the order index's functions the key, and GetSecretValue on it alone, without the legacy window", () => {
    // Prepare
    const secretId = Object.keys(defaults.data.findResources('AWS::SecretsManager::Secret'))[0];
    const byName = functionsByName(defaults);
    const stage = functionsByName(upgraded());

    // Assess
    for (const name of ORDER_INDEX_READERS) {
      const fn = byName.get(name);
      expect(fn, name).toBeDefined();
      if (fn === undefined) continue;
      expectReadsTheKeyAlone(fn, name, String(secretId));
      expect(stage.get(name)?.env.SUPPRESSION_LEGACY_READS_UNTIL, name).toBeUndefined();
    }
  });

  it('gives no other function the key or any Secrets Manager permission', () => {
    const readers: string[] = [...suppressionReaders(defaults), ...ORDER_INDEX_READERS];
    for (const [name, fn] of functionsByName(defaults)) {
      if (readers.includes(name)) continue;
      expect(fn.env.PHONE_HASH_KEY_SECRET_ARN, name).toBeUndefined();
      const secrets = statementsOfRole(defaults, fn.role).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('secretsmanager:')),
      );
      expect(secrets, name).toEqual([]);
    }
  });

  it('reads legacy unkeyed opt-outs only in a stage that says until when', () => {
    // Act
    const legacy = (d: SynthesizedDeployment) =>
      [...functionsByName(d)]
        .filter(([, fn]) => fn.env.SUPPRESSION_LEGACY_READS_UNTIL !== undefined)
        .map(([name, fn]) => [name, fn.env.SUPPRESSION_LEGACY_READS_UNTIL]);

    // Assess
    expect(legacy(defaults)).toEqual([]);
    const stage = upgraded();
    expect(Object.fromEntries(legacy(stage))).toEqual(
      Object.fromEntries(suppressionReaders(stage).map((n) => [n, '2029-11-30T00:00:00Z'])),
    );
    expect(suppressionReaders(stage)).toEqual(expect.arrayContaining([...SUPPRESSION_READERS]));
  });

  it('generates the phone-hash key in the DataStack and keeps it with the tables', () => {
    defaults.data.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
      }),
    });
    expect(Object.keys(defaults.data.findResources('AWS::SecretsManager::Secret'))).toHaveLength(1);
  });
});
