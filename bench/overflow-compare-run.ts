/**
 * `npm run bench:overflow`: issue 13's comparison of the routing policies, rerun by anyone. Runs the very
 * `peakline` program a user runs (in this process): the README walk-through's forecast, then
 * `simulate --compare --json` on its busiest day at x1, x1.5 and x3; writes the section "Overflow policies
 * compared" of bench/results.md in place (the other sections as they were) and `bench.overflowPolicies` in
 * bench/results.json, and prints the section.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runPeakline } from '#cli/in-process.js';
import { busiestDay } from '#cli/simulate/command.js';
import { parseForecastCsv } from '#core/planning/forecast-file.js';
import { loadConfig } from '#infra/config/load.js';
import type { PeakSummary, PolicyComparison } from '#simulator/peak/summary.js';
import {
  DEMANDS,
  type DemandComparison,
  OVERFLOW_COMPARE_HEADING,
  overflowCompareSection,
  replaceSection,
  withOverflowCompareJson,
} from './overflow-compare.js';

const STAGE = 'dev';
const REPLICATIONS = 5;
const SEED = 7;
const TARGET_SECONDS = 20;
/**
 * The policies are compared on every caller reaching the router, as issue 13 measured them: the callers the
 * order status contains (the stage's `orderStatus.statusOnlyCallerShare`) leave before the router under every
 * policy alike, so they would only shrink the demand each policy is judged on. Their effect is measured apart
 * (the README's order-status figures, `simulate --status-only-share`).
 */
const STATUS_ONLY_SHARE = 0;
const FORECAST_ARGS = ['--history', 'examples/last-season.csv', '--growth', '1.4', '--year', '2027'];
const SEAT_ARGS = ['--seats', 'examples/permanent-seats.csv', '--seats', 'examples/seasonal-seats.csv'];

// The CLI reads the bundled files by the paths the README gives, from the repository's root.
process.chdir(fileURLToPath(new URL('..', import.meta.url)));
const FORECAST = 'bench/.tmp/overflow-forecast.csv';
mkdirSync('bench/.tmp', { recursive: true });

/** `peakline <args>` as a user runs it; its stdout, or the reason it failed. */
const peakline = async (args: readonly string[]): Promise<string> => {
  const run = await runPeakline(args);
  if (run.exitCode !== 0) throw new Error(`peakline ${args.join(' ')} exited ${run.exitCode}:\n${run.err}`);
  return run.out;
};

const started = new Date();
const clock = performance.now();
await peakline(['forecast', ...FORECAST_ARGS, '--out', FORECAST]);
const common = [
  'simulate',
  '--forecast',
  FORECAST,
  ...SEAT_ARGS,
  '--stage',
  STAGE,
  '--target-seconds',
  String(TARGET_SECONDS),
  '--seed',
  String(SEED),
  '--status-only-share',
  String(STATUS_ONLY_SHARE),
];

const day = busiestDay(
  parseForecastCsv(readFileSync(FORECAST, 'utf8')).intervals,
  loadConfig(STAGE).connect.timeZone,
);
if (day === undefined) throw new Error(`${FORECAST} has no usable rows`);
// One replication says who was logged in: the compare JSON carries the calls' figures only.
const { agents } = JSON.parse(await peakline([...common, '--json'])) as PeakSummary;

const demands: DemandComparison[] = [];
for (const scenario of DEMANDS) {
  const json = await peakline([
    ...common,
    '--scenario',
    `x${scenario}`,
    '--replications',
    String(REPLICATIONS),
    '--compare',
    '--json',
  ]);
  demands.push({ scenario, comparison: JSON.parse(json) as PolicyComparison });
}
const wallSeconds = (performance.now() - clock) / 1000;

const run = {
  forecastCommand: `peakline forecast ${FORECAST_ARGS.join(' ')} --out forecast.csv`,
  simulateCommand: `peakline simulate --forecast forecast.csv ${SEAT_ARGS.join(' ')} --scenario <x> --replications ${REPLICATIONS} --seed ${SEED} --status-only-share ${STATUS_ONLY_SHARE} --compare --json`,
  day,
  agents,
  replications: REPLICATIONS,
  seed: SEED,
  stage: STAGE,
  targetSeconds: TARGET_SECONDS,
  node: process.version,
  startedAt: started,
  wallSeconds,
  demands,
};

const MD_FILE = 'bench/results.md';
const JSON_FILE = 'bench/results.json';
const section = overflowCompareSection(run).join('\n');
const md = existsSync(MD_FILE) ? readFileSync(MD_FILE, 'utf8') : '# Benchmark results\n';
writeFileSync(MD_FILE, replaceSection(md, OVERFLOW_COMPARE_HEADING, section));
const json = existsSync(JSON_FILE)
  ? (JSON.parse(readFileSync(JSON_FILE, 'utf8')) as Record<string, unknown>)
  : {};
writeFileSync(JSON_FILE, `${JSON.stringify(withOverflowCompareJson(json, run), null, 2)}\n`);
console.log(section);
