import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { physicalTableName, TABLE_NAMES, TABLES } from '#adapters/dynamodb/tables.js';
import type { SynthesizedDeployment } from '#test/support/synth.js';
import { synthUnbundled as synthDeployment } from '#test/support/synth-unbundled.js';

describe('DataStack', () => {
  let retained: SynthesizedDeployment;
  let throwaway: SynthesizedDeployment;

  beforeAll(() => {
    retained = synthDeployment({ data: { retainOnDelete: true } }, 'prod');
    throwaway = synthDeployment({ data: { retainOnDelete: false } }, 'dev');
  });

  it('creates exactly the tables the shared definitions list', () => {
    // Act
    const tables = retained.data.findResources('AWS::DynamoDB::GlobalTable');

    // Assess
    const names = Object.values(tables).map((t) => t.Properties.TableName);
    expect(names.sort()).toEqual(TABLE_NAMES.map((n) => physicalTableName('prod', n)).sort());
  });

  it.each(TABLE_NAMES)('gives the %s table its TTL attribute', (name) => {
    retained.data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: physicalTableName('prod', name),
      TimeToLiveSpecification: { AttributeName: TABLES[name].ttlAttribute, Enabled: true },
    });
  });

  it.each(TABLE_NAMES)('turns point-in-time recovery on for the %s table', (name) => {
    retained.data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: physicalTableName('prod', name),
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });

  it.each(TABLE_NAMES)('gives the %s table the class its definition chooses', (name) => {
    // Assess: the facts (written once, kept 400 days) in Standard-IA, every other table in Standard (the default)
    retained.data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: physicalTableName('prod', name),
      Replicas: [
        Match.objectLike({ TableClass: name === 'facts' ? 'STANDARD_INFREQUENT_ACCESS' : Match.absent() }),
      ],
    });
  });

  it('streams the old image of deleted seats, for the TTL revocation backstop', () => {
    retained.data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: physicalTableName('prod', 'seats'),
      StreamSpecification: { StreamViewType: 'OLD_IMAGE' },
    });
  });

  it('indexes active seats by expiry and pending callbacks by due time', () => {
    retained.data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: physicalTableName('prod', 'seats'),
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'active-by-expiry',
          KeySchema: [
            { AttributeName: 'active', KeyType: 'HASH' },
            { AttributeName: 'expiresAt', KeyType: 'RANGE' },
          ],
        }),
      ],
    });
    retained.data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: physicalTableName('prod', 'callbacks'),
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'due' })],
    });
  });

  it('retains the tables, with deletion protection, when the stage keeps its data', () => {
    const tables = Object.values(retained.data.findResources('AWS::DynamoDB::GlobalTable'));
    expect(tables).not.toHaveLength(0);
    for (const table of tables) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    }
    expect(retained.deployment.data.terminationProtection).toBe(true);
  });

  it('deletes the tables of a throwaway stage with the stack', () => {
    const tables = Object.values(throwaway.data.findResources('AWS::DynamoDB::GlobalTable'));
    expect(tables).not.toHaveLength(0);
    for (const table of tables) expect(table.DeletionPolicy).toBe('Delete');
    expect(throwaway.deployment.data.terminationProtection).toBe(false);
  });

  it('keeps the phone-hash key when the stage keeps its data, and deletes it with a throwaway stage', () => {
    // The key is worth exactly as much as the suppression list keyed by it: it lives and dies with it.
    const secrets = (d: SynthesizedDeployment) =>
      Object.values(d.data.findResources('AWS::SecretsManager::Secret')).map((s) => s.DeletionPolicy);
    expect(secrets(retained)).toEqual(['Retain']);
    expect(secrets(throwaway)).toEqual(['Delete']);
  });
});
