import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_SCHEMA_FILE,
  README_FILE,
  renderConfigJsonSchema,
  renderReadme,
} from '#infra/config/generate.js';
import { ConfigError, knownStages, loadConfig, parseConfig } from '#infra/config/load.js';

const stageDir = (files: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'peakline-stages-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

describe('stage configuration', () => {
  it('ships dev and prod, and both are valid', () => {
    expect(knownStages()).toEqual(['dev', 'prod']);
    for (const stage of knownStages()) expect(loadConfig(stage).stage).toBe(stage);
  });

  it('fills every default for an empty file', () => {
    const config = parseConfig('x', {});
    expect(config).toMatchObject({
      region: 'eu-central-1',
      shop: { source: 'shop' },
      bus: { name: 'peakline', archiveRetentionDays: 7, deadLetterRetentionDays: 7 },
      connect: { timeZone: 'Europe/Warsaw', instanceAlias: 'peakline' },
      logs: { level: 'INFO', retentionDays: 30 },
      data: { retainOnDelete: true, suppressionRetentionDays: 1095 },
    });
    expect(config.connect.hours.sat).toEqual({ open: '09:00', close: '17:00' });
    expect(config.connect.hours.sun).toBeUndefined();
  });

  it.each([
    [{ shop: { accountId: '12345' } }, 'shop.accountId: expected a 12-digit AWS account id (got "12345")'],
    [{ shop: { source: 'aws.shop' } }, 'shop.source: sources beginning with "aws." are reserved by AWS'],
    [{ bus: { name: 'default' } }, 'bus.name: peakline needs its own bus, not "default"'],
    [
      { connect: { timeZone: 'Europe/Warsow' } },
      'connect.timeZone: expected an IANA time zone such as "Europe/Warsaw"',
    ],
    [
      { connect: { hours: { mon: { open: '18:00', close: '08:00' } } } },
      'connect.hours.mon.close: close must be later than open on the same day',
    ],
    [
      { connect: { hours: { mon: { open: '8:00', close: '16:00' } } } },
      'connect.hours.mon.open: expected a time as HH:MM',
    ],
    [
      { connect: { instanceArn: 'arn:aws:connect:eu-central-1:123:instance/x' } },
      'connect.instanceArn: expected an Amazon Connect instance ARN',
    ],
    [{ logs: { retentionDays: 31 } }, "logs.retentionDays: expected one of CloudWatch's retention periods"],
    [{ logs: { level: 'TRACE' } }, 'logs.level:'],
    [{ alarms: { email: 'ops-at-shop' } }, 'alarms.email: expected an e-mail address'],
    [{ data: { suppressionRetentionDays: 7 } }, 'data.suppressionRetentionDays: expected at least 30'],
    [{ conect: {} }, 'conect: unknown setting'],
  ])('refuses %j, naming the key', (settings, message) => {
    expect(() => parseConfig('prod', settings)).toThrow(ConfigError);
    expect(() => parseConfig('prod', settings)).toThrow(message);
  });

  it('names the file and lists the known stages for an unknown stage', () => {
    const dir = stageDir({ 'dev.json': '{}', 'prod.json': '{}' });
    expect(() => loadConfig('staging', dir)).toThrow(/Unknown stage "staging".*Known stages: dev, prod/);
  });

  it('says which file is not JSON', () => {
    const dir = stageDir({ 'dev.json': '{ "region": "eu-central-1", }' });
    expect(() => loadConfig('dev', dir)).toThrow(/dev\.json is not valid JSON/);
  });

  it('fails `cdk synth` with the message and a non-zero exit for a stage that cannot exist', () => {
    // Act: the app as the CDK CLI runs it, with the context the CLI passes.
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      encoding: 'utf8',
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ stage: 'Prod!' }), CDK_OUTDIR: tmpdir() },
    });

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Invalid stage "Prod!"');
  });

  it('keeps config.schema.json in step with schema.ts', () => {
    expect(readFileSync(CONFIG_SCHEMA_FILE, 'utf8'), 'run npm run generate and commit the result').toBe(
      renderConfigJsonSchema(),
    );
  });

  it("keeps the README's configuration reference in step with schema.ts", () => {
    const readme = readFileSync(README_FILE, 'utf8');
    expect(readme, 'run npm run generate and commit the result').toBe(renderReadme(readme));
  });
});
