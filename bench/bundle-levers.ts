/**
 * The bundle-level levers of issue 16, measured A/B: each function bundled with the deployed settings
 * and with one lever changed, every variant run in the same round of samples (round-robin, the order
 * turned each round, interleaved with a bare `node -e 0`), so a busy moment of the shared machine hits
 * every variant alike. Prints, per function and variant, the median over `node -e 0`, the load, the first
 * invoke and the bundle's size; the figures kept go into bench/levers.ts and infra/constructs/bundling.ts.
 *
 * `tsx bench/bundle-levers.ts --only overflow-router,order-sms --samples 9 [--variants a,b]`
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BuildOptions } from 'esbuild';
import { BUNDLING } from '#infra/constructs/bundling.js';
import {
  benchBaseEnv,
  bundleFunction,
  type ChildRun,
  DEPLOYED_VARIANT,
  distribution,
  functionEnv,
  runBaseline,
  runChild,
  startFakeAws,
  writeEvent,
} from './cold-start.js';
import { benchFunctions } from './functions.js';
import type { Lever } from './levers.js';

const CREDENTIALS_FROM_ENV = fileURLToPath(
  new URL('../infra/constructs/lambda-credentials.ts', import.meta.url),
);

export interface BundleVariant {
  readonly label: string;
  /** Whether BUNDLING ships this variant's change (undefined for the "before" every lever is measured from). */
  readonly kept?: boolean;
  /** Why it was kept or not, for the levers table. */
  readonly why?: string;
  /** esbuild options over the deployed ones. */
  readonly build: BuildOptions;
  /** Environment over the deployed one. */
  readonly env: Record<string, string>;
}

const SOURCE_MAPS = { NODE_OPTIONS: '--enable-source-maps' };
const NO_NODE_OPTIONS = { NODE_OPTIONS: '' };
const FULL_CHAIN: BuildOptions = { alias: {} };
const ENV_CREDENTIALS: BuildOptions = {
  alias: { '@aws-sdk/credential-provider-node': CREDENTIALS_FROM_ENV },
};

/**
 * Each variant spelled out in full (not relative to today's BUNDLING), so the A/B stays the same when the
 * deployed settings change: "before" is how issue 16 found the bundles, "after" what BUNDLING sets now.
 */
export const BUNDLE_VARIANTS: readonly BundleVariant[] = [
  {
    label: 'before: minified ESM, source maps on (NODE_OPTIONS), the full credential chain',
    build: { sourcemap: true, keepNames: false, ...FULL_CHAIN },
    env: SOURCE_MAPS,
  },
  {
    label: 'before, without NODE_OPTIONS=--enable-source-maps (the map still shipped)',
    kept: true,
    why: 'node parses the source map of the whole bundle at load when the flag is on',
    build: { sourcemap: true, keepNames: false, ...FULL_CHAIN },
    env: NO_NODE_OPTIONS,
  },
  {
    label: 'before, no source map at all, keepNames',
    kept: true,
    why: 'without the flag the map is dead weight in the zip; keepNames keeps function names in stack traces for about 5% more bytes',
    build: { sourcemap: false, keepNames: true, ...FULL_CHAIN },
    env: NO_NODE_OPTIONS,
  },
  {
    label: 'before, not minified',
    kept: false,
    why: 'twice the bytes; minified stays',
    build: { sourcemap: true, keepNames: false, minify: false, ...FULL_CHAIN },
    env: SOURCE_MAPS,
  },
  {
    label: 'before, as CommonJS',
    kept: false,
    why: 'the module load roughly doubles: ESM stays',
    build: { sourcemap: true, keepNames: false, format: 'cjs', banner: {}, ...FULL_CHAIN },
    env: SOURCE_MAPS,
  },
  {
    label: 'before, credentials from the environment only',
    kept: true,
    why: 'Lambda always hands the credentials in the environment: the SSO/ini/process/web-identity/metadata providers and @aws-sdk/nested-clients leave the bundle (about 110 KiB)',
    build: { sourcemap: true, keepNames: false, ...ENV_CREDENTIALS },
    env: SOURCE_MAPS,
  },
  {
    label: 'after: no source map, keepNames, credentials from the environment, no NODE_OPTIONS',
    kept: true,
    why: 'what BUNDLING ships now: the kept levers together',
    build: { sourcemap: false, keepNames: true, ...ENV_CREDENTIALS },
    env: NO_NODE_OPTIONS,
  },
  {
    label: 'after, names and lines readable (whitespace and syntax minified only)',
    kept: false,
    why: 'about 40% more bytes than keepNames for the same readable names; not worth it without a clear gain',
    build: {
      sourcemap: false,
      minify: false,
      minifyWhitespace: true,
      minifySyntax: true,
      minifyIdentifiers: false,
      ...ENV_CREDENTIALS,
    },
    env: NO_NODE_OPTIONS,
  },
];

export interface LeverFigures {
  readonly name: string;
  readonly label: string;
  readonly bundleBytes: number;
  readonly overBaselineMs: number;
  /** The least of the samples over the least bare node: on a busy machine, the steadier figure. */
  readonly minOverBaselineMs: number;
  readonly loadMs: number;
  readonly minLoadMs: number;
  readonly invokeMs: number;
  /** CPU ms of the process until the first invoke returned (median): the steadiest figure under load. */
  readonly cpuMs: number;
}

export const measureBundleLevers = async (
  names: readonly string[],
  variants: readonly BundleVariant[],
  samples: number,
): Promise<LeverFigures[]> => {
  const figures: LeverFigures[] = [];
  for (const fn of benchFunctions.filter((f) => names.includes(f.name))) {
    const { server, endpoint } = await startFakeAws((await fn.awsAnswers?.()) ?? {});
    try {
      const eventFile = writeEvent(fn);
      const env = functionEnv(fn, endpoint);
      const files = await Promise.all(
        variants.map((v, i) => bundleFunction(fn.name, DEPLOYED_VARIANT, v.build, `lever-${i}`)),
      );
      const runs: ChildRun[][] = variants.map(() => []);
      const baseline: number[] = [];
      for (let round = 0; round <= samples; round++) {
        for (let k = 0; k < variants.length; k++) {
          const i = (k + round) % variants.length;
          const bare = await runBaseline(benchBaseEnv(endpoint));
          const run = await runChild(files[i] ?? '', eventFile, { ...env, ...variants[i]?.env });
          // Round 0 warms the file system cache.
          if (round === 0) continue;
          baseline.push(bare);
          runs[i]?.push(run);
        }
      }
      const base = distribution(baseline).median;
      const minBase = distribution(baseline).min;
      variants.forEach((v, i) => {
        const own = runs[i] ?? [];
        figures.push({
          name: fn.name,
          label: v.label,
          bundleBytes: statSync(files[i] ?? '').size,
          overBaselineMs: distribution(own.map((r) => r.wallMs)).median - base,
          minOverBaselineMs: distribution(own.map((r) => r.wallMs)).min - minBase,
          loadMs: distribution(own.map((r) => r.loadMs)).median,
          minLoadMs: distribution(own.map((r) => r.loadMs)).min,
          invokeMs: distribution(own.map((r) => r.invokeMs)).median,
          cpuMs: distribution(own.map((r) => r.cpuMs)).median,
        });
      });
    } finally {
      server.close();
    }
  }
  return figures;
};

/** Each lever's figures against the "before" variant of the same function, as entries of the levers table. */
export const leverEntries = (figures: readonly LeverFigures[], variants = BUNDLE_VARIANTS): Lever[] => {
  const before = variants[0]?.label;
  return figures.flatMap((f) => {
    const variant = variants.find((v) => v.label === f.label);
    const base = figures.find((g) => g.name === f.name && g.label === before);
    if (variant?.kept === undefined || base === undefined) return [];
    return [
      {
        lever: variant.label.replace(/^before, /, ''),
        scope: f.name,
        beforeMs: base.overBaselineMs,
        afterMs: f.overBaselineMs,
        kept: variant.kept,
        note: `ms over node -e 0, medians, A/B interleaved by npm run bench (CPU to the end of the first invoke ${base.cpuMs.toFixed(1)} -> ${f.cpuMs.toFixed(1)} ms; load ${base.loadMs.toFixed(1)} -> ${f.loadMs.toFixed(1)} ms; least samples over node ${base.minOverBaselineMs.toFixed(1)} -> ${f.minOverBaselineMs.toFixed(1)} ms; bundle ${(base.bundleBytes / 1024).toFixed(0)} -> ${(f.bundleBytes / 1024).toFixed(0)} KiB): ${variant.why ?? ''}`,
      },
    ];
  });
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', default: 'overflow-router,order-sms' },
      samples: { type: 'string', default: '9' },
      variants: { type: 'string' },
    },
  });
  const wanted = values.variants?.split(',').map((v) => Number(v));
  const variants =
    wanted === undefined ? BUNDLE_VARIANTS : BUNDLE_VARIANTS.filter((_, i) => wanted.includes(i));
  const figures = await measureBundleLevers(values.only.split(','), variants, Number(values.samples));
  console.log(`deployed: ${JSON.stringify(BUNDLING)}`);
  console.log('| function | variant | bundle | over node -e 0 (min) | load (min) | first invoke | CPU |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const f of figures) {
    console.log(
      `| ${f.name} | ${f.label} | ${(f.bundleBytes / 1024).toFixed(0)} KiB | ${f.overBaselineMs.toFixed(1)} ms (${f.minOverBaselineMs.toFixed(1)}) | ${f.loadMs.toFixed(1)} ms (${f.minLoadMs.toFixed(1)}) | ${f.invokeMs.toFixed(1)} ms | ${f.cpuMs.toFixed(1)} ms |`,
    );
  }
}
