/**
 * How every function is bundled and started, in one place: PeaklineFunction hands these to
 * NodejsFunction, and `npm run bench` / `npm run bench:cold` bundle and run each function with the very
 * same settings to measure its size and cold start.
 */
export const BUNDLING = {
  target: 'node24',
  format: 'esm',
  minify: true,
  sourcemap: true,
  // The map only has to point at file and line; the sources themselves stay in the repository.
  sourcesContent: false,
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

/** What the runtime environment of every function holds besides its own variables. */
export interface RuntimeEnvironmentOptions {
  /** The function's folder under `functions/`. */
  readonly name: string;
  readonly stage: string;
  readonly logLevel: string;
}

/** The variables PeaklineFunction sets on every function, after the function's own. */
export const runtimeEnvironment = ({
  name,
  stage,
  logLevel,
}: RuntimeEnvironmentOptions): Record<string, string> => ({
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: `peakline-${name}`,
  POWERTOOLS_METRICS_NAMESPACE: 'peakline',
  POWERTOOLS_LOG_LEVEL: logLevel,
  PEAKLINE_STAGE: stage,
});
