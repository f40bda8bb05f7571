/**
 * `npm run bench:cold -- --only overflow-router,order-sms --samples 7`: the cold starts of some
 * functions (all by default), the deployed variant only unless `--variants all`, printed as the table
 * of bench/results.md. Writes nothing: `npm run bench` writes the figures.
 */
import { parseArgs } from 'node:util';
import { coldStartTable, DEPLOYED_VARIANT, measureColdStarts, VARIANTS } from './cold-start.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    samples: { type: 'string', default: '7' },
    variants: { type: 'string', default: 'deployed' },
    /** Also list the AWS calls each first invoke made (the fake's log). */
    calls: { type: 'boolean', default: false },
  },
});
const samples = Number(values.samples);
if (!Number.isInteger(samples) || samples < 1)
  throw new Error(`--samples must be a whole number, got ${values.samples}`);
const only = values.only
  ?.split(',')
  .map((name) => name.trim())
  .filter((name) => name !== '');
const variants = values.variants === 'all' ? VARIANTS : [DEPLOYED_VARIANT];

const coldStarts = await measureColdStarts(samples, only, {
  variants,
  onResult: (r) => process.stderr.write(`${r.name} (${r.variant}): ${r.overBaselineMs.toFixed(1)} ms over\n`),
});
console.log(
  [
    `Node ${process.version}, ${samples} samples; \`node -e 0\` ${coldStarts.baselineMs.median.toFixed(1)} ms (p90 ${coldStarts.baselineMs.p90.toFixed(1)}); the harness alone (an empty handler) ${coldStarts.harnessMs.toFixed(1)} ms over it, included in every figure.`,
    '',
    ...coldStartTable(coldStarts),
  ].join('\n'),
);
if (values.calls) {
  for (const r of coldStarts.results)
    console.log(
      `\n${r.name} (${r.variant}): ${r.awsCalls.join(', ') || 'no AWS call'}\n  returned ${JSON.stringify(r.firstResult)?.slice(0, 300)}`,
    );
}
