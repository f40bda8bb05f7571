/**
 * `npm start`, until the local stack exists: synthesizes a stage (dev by default, or `--stage prod`)
 * with every check `cdk synth` runs, and prints what would be deployed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { physicalTableName, TABLE_NAMES, TABLES } from '#adapters/dynamodb/tables.js';
import { rules } from '#events/rules.js';
import { buildApp } from '#infra/app.js';
import { ConfigError } from '#infra/config/load.js';

const { values } = parseArgs({ options: { stage: { type: 'string', default: 'dev' } } });
const stage = values.stage ?? 'dev';
const outdir = mkdtempSync(join(tmpdir(), 'peakline-synth-'));

const countByType = (stack: Stack): Map<string, number> => {
  const counts = new Map<string, number>();
  const visit = (c: IConstruct) => {
    const type = (c as { cfnResourceType?: string }).cfnResourceType;
    if (type) counts.set(type, (counts.get(type) ?? 0) + 1);
    for (const child of c.node.children) if (!(child instanceof Stack)) visit(child);
  };
  visit(stack);
  return counts;
};

try {
  const app = new App({ outdir });
  const deployment = buildApp(app, stage);
  app.synth();
  console.log(`peakline, stage "${stage}": synthesized and checked by cdk-nag.\n`);
  for (const stack of [deployment.data, deployment.contactCenter, deployment.pipeline]) {
    const counts = [...countByType(stack)].sort(([a], [b]) => a.localeCompare(b));
    console.log(`${stack.stackName}  (${counts.reduce((n, [, c]) => n + c, 0)} resources)`);
    for (const [type, count] of counts) console.log(`  ${String(count).padStart(3)}  ${type}`);
    console.log('');
  }
  console.log('Tables:');
  for (const name of TABLE_NAMES) {
    console.log(
      `  ${physicalTableName(stage, name).padEnd(32)} TTL ${TABLES[name].ttlAttribute.padEnd(10)} ${TABLES[name].purpose}`,
    );
  }
  console.log('\nRules on the bus:');
  for (const rule of Object.values(rules({ shopSource: 'shop' })))
    console.log(`  ${rule.id.padEnd(20)} ${rule.description}`);
  console.log('\nDeploy with: npx cdk deploy --all -c stage=' + stage);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 1;
  } else throw error;
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
