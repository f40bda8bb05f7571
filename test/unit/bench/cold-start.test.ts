import { describe, expect, it } from 'vitest';
import { BUNDLE_VARIANTS, type LeverFigures, leverEntries } from '../../../bench/bundle-levers.js';
import { type ColdStartResult, coldStartBudgetMs, withinBudget } from '../../../bench/cold-start.js';
import { importsOf, moduleOf } from '../../../bench/module-cost.js';

const result = (name: string, overBaselineMs: number, pacingMs = 0): ColdStartResult => ({
  name,
  variant: 'sdk-bundled',
  deployed: true,
  bundleBytes: 1,
  wallMs: { median: overBaselineMs + 40, p90: overBaselineMs + 45, min: overBaselineMs + 38 },
  overBaselineMs,
  loadMs: { median: 1, p90: 1, min: 1 },
  invokeMs: { median: 1, p90: 1, min: 1 },
  pacingMs,
  awsCalls: [],
  firstResult: undefined,
});

describe('the cold start budgets (issue 16)', () => {
  it('gives the overflow router 50 ms over bare node and every other function 100 ms', () => {
    expect(coldStartBudgetMs('overflow-router')).toBe(50);
    expect(coldStartBudgetMs('order-sms')).toBe(100);
    expect(withinBudget(result('overflow-router', 60))).toBe(false);
    expect(withinBudget(result('order-sms', 60))).toBe(true);
  });

  it('sets the deliberate pacing waits apart before comparing with the budget', () => {
    expect(withinBudget(result('seat-ttl-backstop', 6_080, 5_990))).toBe(true);
    expect(withinBudget(result('seat-ttl-backstop', 6_200, 5_990))).toBe(false);
  });
});

describe('what each module costs at load', () => {
  it('names a bundled source by its package, or by its folder of the repository', () => {
    expect(moduleOf('node_modules/@smithy/core/dist-es/submodules/protocols/index.js')).toBe('@smithy/core');
    expect(moduleOf('node_modules/zod/v4/classic/schemas.js')).toBe('zod');
    expect(moduleOf('../../node_modules/.pnpm/luxon/node_modules/luxon/src/luxon.js')).toBe('luxon');
    expect(moduleOf('layers/core/sms/phone-check.ts')).toBe('layers/core');
    expect(moduleOf('functions/order-sms/handler.ts')).toBe('functions/order-sms');
  });

  it("reads what a function's source takes from each package, types left out", () => {
    // Prepare
    const source = [
      "import { Logger } from '@aws-lambda-powertools/logger';",
      "import middy from '@middy/core';",
      "import * as z from 'zod';",
      "import type { Context } from 'aws-lambda';",
      "import { type SQSEvent, SendMessageCommand as Send, SQSClient } from '@aws-sdk/client-sqs';",
      "import { readFileSync } from 'node:fs';",
      "import { env } from '#adapters/lambda/environment.js';",
      "import { local } from './wiring.js';",
    ].join('\n');

    // Act
    const imports = importsOf(source);

    // Assess
    expect(imports).toEqual([
      { spec: '@aws-lambda-powertools/logger', names: ['Logger'] },
      { spec: '@middy/core', names: ['default'] },
      { spec: 'zod', names: ['*'] },
      { spec: '@aws-sdk/client-sqs', names: ['SendMessageCommand', 'SQSClient'] },
    ]);
  });
});

describe('the bundle-level levers', () => {
  it('compares each lever with the bundle as issue 16 found it, for the same function', () => {
    // Prepare
    const figure = (label: string, overBaselineMs: number): LeverFigures => ({
      name: 'order-sms',
      label,
      bundleBytes: 900 * 1024,
      overBaselineMs,
      minOverBaselineMs: overBaselineMs - 20,
      loadMs: overBaselineMs - 60,
      minLoadMs: overBaselineMs - 80,
      invokeMs: 40,
      cpuMs: overBaselineMs + 30,
    });
    const [before, withoutFlag] = BUNDLE_VARIANTS;

    // Act
    const entries = leverEntries([figure(before?.label ?? '', 180), figure(withoutFlag?.label ?? '', 150)]);

    // Assess
    expect(entries).toEqual([
      expect.objectContaining({ scope: 'order-sms', beforeMs: 180, afterMs: 150, kept: true }),
    ]);
    expect(entries[0]?.lever).not.toMatch(/^before/);
  });
});
