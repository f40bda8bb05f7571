/**
 * The cold start figures in bench/results.md ("Function cold start", "What each module costs at load",
 * "Cold start levers") and `bench.coldStarts` of bench/results.json.
 */
import { cpus } from 'node:os';
import {
  COLD_START_BUDGET_MS,
  type ColdStarts,
  coldStartBudgetMs,
  coldStartsJson,
  coldStartTable,
  ROUTER_COLD_START_BUDGET_MS,
  withinBudget,
} from './cold-start.js';
import { LEVERS, type Lever, leversTable } from './levers.js';
import type { ModuleCost } from './module-cost.js';
import { moduleCostTable } from './module-cost.js';
import { benchSection, mergeBenchJson } from './results-json.js';

export const COLD_START_HEADING = '## Function cold start';
export const MODULE_COST_HEADING = '## What each module costs at load';
export const LEVERS_HEADING = '## Cold start levers';

const ms = (n: number) => n.toFixed(1);

export const coldStartSection = (coldStarts: ColdStarts, samples: number): string[] => {
  const deployed = coldStarts.results.filter((r) => r.deployed);
  const over = deployed.filter((r) => !withinBudget(r)).map((r) => r.name);
  const paced = deployed.filter((r) => r.pacingMs > 0.5);
  return [
    COLD_START_HEADING,
    '',
    `Each sample is a fresh \`node\` process that loads the function's bundle (built with the settings of infra/constructs/bundling.ts, as the CDK app builds it) and invokes the handler once with a realistic first event, in the environment the function is deployed with (its construct's variables and PeaklineFunction's: \`NODE_OPTIONS\`, Powertools, the stage), against a fake AWS on loopback that answers what the first invoke asks (\`npm run bench:cold -- --calls\` lists the calls). Figures are the median of ${samples} samples over a bare \`node -e 0\`, run interleaved with it: ${ms(coldStarts.baselineMs.median)} ms (p90 ${ms(coldStarts.baselineMs.p90)}).`,
    '',
    `Budgets over \`node -e 0\`: the overflow router, which every caller waits on, ${ROUTER_COLD_START_BUDGET_MS} ms; every other function ${COLD_START_BUDGET_MS} ms, deliberate pacing waits set apart. The harness itself (an empty ESM handler through the same child: node's ESM loader and the child's bookkeeping, which Lambda's runtime also pays when it imports a handler) is ${ms(coldStarts.harnessMs)} ms of every figure. "deployed" marks the variant the CDK app ships.`,
    '',
    ...coldStartTable(coldStarts),
    '',
    over.length === 0
      ? 'Every deployed function is within its budget.'
      : `Over budget (deployed variant): ${over.map((name) => `${name} (${coldStartBudgetMs(name)} ms)`).join(', ')}.`,
    '',
    ...(paced.length === 0
      ? []
      : [
          `Pacing: the Connect adapter spaces its calls at the function's share of \`connect.apiCallsPerSecond\`. The child measures those deliberate waits (each timer that fired during the first invoke, for the part of its delay the event loop spent idle; their union) and they are shown apart: ${paced.map((r) => `${r.name} ${ms(r.pacingMs)} ms`).join(', ')}. The budget is checked on the figure without them.`,
          '',
        ]),
  ];
};

export const moduleCostSection = (costs: readonly ModuleCost[]): string[] => [
  MODULE_COST_HEADING,
  '',
  ...moduleCostTable(costs),
  '',
];

export const leversSection = (measured: readonly Lever[] = []): string[] => [
  LEVERS_HEADING,
  '',
  'Each lever measured A/B on the same machine, interleaved. The bundle-level levers (infra/constructs/bundling.ts) are measured again by every `npm run bench` (bench/bundle-levers.ts: each function bundled as issue 16 found it, "before", and with one lever changed); the code-level ones were measured where they were made (bench/levers.ts).',
  '',
  ...leversTable([...measured, ...LEVERS]),
  '',
];

/**
 * `bench.coldStarts` of results.json. Module costs come from this run when measured, otherwise from the
 * last run that measured them; the levers from bench/levers.ts.
 */
export const writeColdStartsJson = (
  coldStarts: ColdStarts,
  samples: number,
  moduleLoad?: readonly ModuleCost[],
  measuredLevers: readonly Lever[] = [],
): void => {
  const previous = benchSection<{ moduleLoad?: unknown }>('coldStarts');
  mergeBenchJson('coldStarts', {
    ...coldStartsJson(coldStarts, samples, `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`),
    moduleLoad: moduleLoad ?? previous?.moduleLoad ?? [],
    levers: [...measuredLevers, ...LEVERS],
  });
};
