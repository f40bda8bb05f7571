/**
 * `npm run bench`: measures the budgets of DESIGN.md that exist so far and writes the figures to
 * bench/results.md (committed, so a change's effect shows in review). Figures, never pass/fail: the
 * budget is printed beside each so a reader sees the margin.
 */

import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { measureColdStarts } from './cold-start.js';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '15' } } });
const samples = Number(values.samples);
const COLD_START_BUDGET_MS = 50;

const ms = (n: number) => n.toFixed(1);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

const { baselineMs, results } = await measureColdStarts(samples);

const lines = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${samples} samples per figure (median, with p90).`,
  '',
  '## Function cold start',
  '',
  `A fresh \`node\` process loads the bundle and invokes the handler once against a fake AWS endpoint on loopback. Budget: within ${COLD_START_BUDGET_MS} ms of a bare \`node -e 0\`, which took ${ms(baselineMs.median)} ms (p90 ${ms(baselineMs.p90)}).`,
  '',
  '| function | AWS SDK | bundle | wall median (p90) | over `node -e 0` | budget | module load | first invoke |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...results.map(
    (r) =>
      `| ${r.name} | ${r.variant === 'sdk-from-runtime' ? "runtime's copy" : 'bundled'} | ${kib(r.bundleBytes)} | ${ms(r.wallMs.median)} ms (${ms(r.wallMs.p90)}) | ${ms(r.overBaselineMs)} ms | ${r.overBaselineMs <= COLD_START_BUDGET_MS ? 'within' : '**over**'} | ${ms(r.loadMs.median)} ms | ${ms(r.invokeMs.median)} ms |`,
  ),
  '',
];
const report = lines.join('\n');
writeFileSync(new URL('./results.md', import.meta.url), report);
console.log(report);
