/**
 * How every function is bundled, in one place: PeaklineFunction hands these to NodejsFunction, and
 * `npm run bench` bundles with the very same settings to measure size and cold start.
 */
export const BUNDLING = {
  target: 'node24',
  format: 'esm',
  minify: true,
  sourcemap: true,
  mainFields: ['module', 'main'],
  // Some CommonJS dependencies call require() on Node built-ins; ESM output needs a require.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  /**
   * Nothing is left to the runtime, the AWS SDK v3 included: `npm run bench` measures both ways for every
   * function, and the bundled, tree-shaken SDK loads in about half the time of the runtime's copy (one
   * file instead of hundreds of small ones; figures in bench/results.md). It also pins the SDK version
   * to the one the tests ran with.
   */
  externalModules: [],
} as const;
