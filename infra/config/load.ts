import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { readableErrorMap } from '#core/zod-messages.js';
import { configSchema, type PeaklineConfig } from './schema.js';

export const STAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'stages');
const STAGE_NAME = /^[a-z][a-z0-9-]{0,15}$/;

/** A configuration that cannot be deployed; its message names every offending key. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const describeIssue = (issue: z.core.$ZodIssue): string => {
  const prefix = issue.path.length > 0 ? `${issue.path.join('.')}` : '';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (prefix ? `${prefix}.${k}` : k)).join(', ');
    return `${keys}: unknown setting (the configuration reference in README.md lists them all)`;
  }
  const got =
    'input' in issue && issue.input !== undefined && typeof issue.input !== 'object'
      ? ` (got ${JSON.stringify(issue.input)})`
      : '';
  return `${prefix || '(top level)'}: ${issue.message}${got}`;
};

/** Validates raw settings; `origin` says in the error message where they came from. */
export const parseConfig = (stage: string, raw: unknown, origin = `stage "${stage}"`): PeaklineConfig => {
  const result = configSchema.safeParse(raw, { reportInput: true, error: readableErrorMap });
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${describeIssue(i)}`);
    throw new ConfigError(`Invalid peakline configuration in ${origin}:\n${lines.join('\n')}`);
  }
  return Object.freeze({ ...result.data, stage });
};

/** The stages that have a settings file in `dir`. */
export const knownStages = (dir = STAGES_DIR): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();

/** Reads and validates `infra/config/stages/<stage>.json`. */
export const loadConfig = (stage: string, dir = STAGES_DIR): PeaklineConfig => {
  if (!STAGE_NAME.test(stage)) {
    throw new ConfigError(
      `Invalid stage "${stage}": expected lowercase letters, digits and "-" (at most 16), as in -c stage=prod`,
    );
  }
  const file = join(dir, `${stage}.json`);
  const shown = relative(process.cwd(), file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(
      `Unknown stage "${stage}": there is no ${shown}. Known stages: ${knownStages(dir).join(', ')}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${shown} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(stage, raw, shown);
};
