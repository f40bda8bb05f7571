import { fileURLToPath } from 'node:url';

/**
 * How every function is bundled and started, in one place: PeaklineFunction hands these to
 * NodejsFunction, and `npm run bench` / `npm run bench:cold` bundle and run each function with the very
 * same settings to measure its size and cold start. Each lever's A/B is in its comment: module load of
 * the bundle, median of 15 interleaved samples, `tsx bench/bundle-levers.ts --only order-sms,cart-callbacks`
 * on Node 20 with the 2-core machine at load 12-16 (so ±30 ms of noise: trust the big effects and the
 * bytes); `npm run bench` measures them again ("Cold start levers" in bench/results.md).
 */
export const BUNDLING = {
  target: 'node24',
  /**
   * ESM: the CommonJS build of the same code loaded about twice as slowly (order-sms 449 -> 748 ms,
   * cart-callbacks 192 -> 401 ms), and top-level await needs ESM anyway.
   */
  format: 'esm',
  /**
   * Minified: unminified bundles are twice the bytes (order-sms 944 -> 2036 KiB, the zip Lambda fetches at
   * a cold start); their load was not measurably different on the busy machine (449 vs 393 ms, one run;
   * 280 vs 361 ms the run before), so the bytes decide.
   */
  minify: true,
  /**
   * No source map, and so no `--enable-source-maps`: with the flag, node parses the whole map at load:
   * order-sms 449 -> 376 ms without it, cart-callbacks 192 -> 166 ms, the overflow router 101 -> 70 ms
   * (the lead's run on a quiet machine). Without the flag a map would only be dead weight in the zip.
   * Stack traces stay readable by name (keepNames below) and point at the
   * bundle's line and column; to map one to TypeScript, rebuild the same commit's bundle with a map
   * (esbuild is deterministic): `npx esbuild functions/<name>/handler.ts --bundle --minify --keep-names
   * --format=esm --platform=node --target=node24 --sourcemap --outfile=/tmp/<name>.mjs`, then look the
   * position up in /tmp/<name>.mjs.map.
   */
  sourcemap: false,
  sourcesContent: false,
  /**
   * Function and method names kept through minification, so a stack trace in the logs reads
   * `at sendOrderSms`, not `at a`: about 5% more bytes (order-sms +52 KiB) and no load cost beyond the
   * noise (376 -> 389 ms, cart-callbacks 166 -> 177 ms).
   */
  keepNames: true,
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
  /**
   * The AWS SDK's credential chain reduced to the environment (see lambda-credentials.ts): Lambda always
   * hands the role's credentials in the environment, and the rest of the default chain (SSO, ini files,
   * process, web identity, instance metadata, and the STS/SSO clients of @aws-sdk/nested-clients behind
   * them) were about 110 KiB of every bundle that talks to AWS: order-sms 944 -> 833 KiB, load 449 -> 399
   * ms; cart-callbacks 645 -> 519 KiB, load 192 -> 191 ms (least sample 97 -> 84 ms). All the levers
   * together: order-sms 449 -> 406 ms (least 313 -> 239), cart-callbacks 192 -> 178 ms (least 97 -> 91).
   */
  alias: {
    '@aws-sdk/credential-provider-node': fileURLToPath(new URL('./lambda-credentials.ts', import.meta.url)),
  },
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
  // No NODE_OPTIONS: `--enable-source-maps` went with the source maps (see BUNDLING.sourcemap).
  POWERTOOLS_SERVICE_NAME: `peakline-${name}`,
  POWERTOOLS_METRICS_NAMESPACE: 'peakline',
  POWERTOOLS_LOG_LEVEL: logLevel,
  PEAKLINE_STAGE: stage,
});
