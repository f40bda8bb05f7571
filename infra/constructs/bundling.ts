import { fileURLToPath } from 'node:url';

/**
 * How every function is bundled and started, in one place: PeaklineFunction hands these to
 * NodejsFunction, and `npm run bench` / `npm run bench:cold` bundle and run each function with the very
 * same settings to measure its size and cold start. Each lever's A/B is in its comment: `tsx
 * bench/bundle-levers.ts --only overflow-router,order-sms,cart-callbacks --samples 11` on Node 20 (machine
 * load 3-5), medians of the module load and of the process's CPU until the first invoke returned (the
 * steadier figure), each lever against the bundles as issue 16 found them; `npm run bench` measures them
 * again ("Cold start levers" in bench/results.md).
 *
 * The levers that are not bundler settings, kept after their A/B (bench/levers.ts has each with its
 * figures): no function carries the AWS SDK: every call is one request signed by aws4 through
 * layers/adapters/signed-json/ (DynamoDB: fact-recorder 104 -> 64 ms over `node -e 0`; SQS and Secrets
 * Manager: customer-opt-out 107 -> 69; EventBridge: cart-callbacks 818 -> 676 M instructions; SNS:
 * order-sms 890 -> 753 M; Connect: payment-issues 128 -> 71 ms; S3: overflow-controller 709 -> 542 M); the
 * event contracts on zod/mini (fact-recorder 406 -> 338 M); ECharts from its tree-shaking entry points
 * (monthly-report 2091 -> 1472 KiB). With no SDK client left in any function, `alias` below is a guard:
 * should one come back, it comes without the SDK's whole credential chain.
 */
export const BUNDLING = {
  target: 'node24',
  /**
   * ESM: the CommonJS build of the same code loads far slower (order-sms load 124 -> 232 ms, CPU +109 ms;
   * cart-callbacks CPU +105 ms; router +5 ms), and top-level await needs ESM anyway.
   */
  format: 'esm',
  /**
   * Minified: unminified is twice the bytes (order-sms 944 -> 2036 KiB, the zip Lambda fetches at a cold
   * start) and slower (order-sms CPU +14 ms, cart-callbacks +8 ms).
   */
  minify: true,
  /**
   * No source map, and so no `--enable-source-maps`: with the flag node parses the whole map at load:
   * order-sms load 124 -> 108 ms without it (CPU -13 ms), cart-callbacks 101 -> 88 ms, the router 15 ->
   * 11 ms. Without the flag a map would only be dead weight in the zip. Stack traces stay readable by name
   * (keepNames below) and point at the bundle's line and column; to map one to TypeScript, rebuild the
   * same commit's bundle with a map (esbuild is deterministic): `npx esbuild functions/<name>/handler.ts
   * --bundle --minify --keep-names --format=esm --platform=node --target=node24 --sourcemap
   * --alias:@aws-sdk/credential-provider-node=./infra/constructs/lambda-credentials.ts
   * --outfile=/tmp/<name>.mjs`, then look the position up in /tmp/<name>.mjs.map.
   */
  sourcemap: false,
  sourcesContent: false,
  /**
   * Function and method names kept through minification, so a stack trace in the logs reads
   * `at sendOrderSms`, not `at a`. Its cost, measured: about 5% more bytes (order-sms +52 KiB) and the
   * names set at load: order-sms CPU +10 ms, cart-callbacks +2 ms, the router none. Kept: with no source
   * map it is what makes an error in the logs readable. Not minifying identifiers at all gives the same
   * names for the same CPU but 40% more bytes (order-sms 1251 KiB).
   */
  keepNames: true,
  /**
   * `process.env.NODE_ENV` is "production" at build time, so esbuild drops the dependencies' development-only
   * branches (ECharts' and zrender's warnings and asserts: 228 checks in monthly-report's bundle, none in
   * the others'). Lambda does not set NODE_ENV, so until now those branches ran, warnings on, in every
   * deployed report. monthly-report 809 -> 784 KiB, 1,797 -> 1,767 M instructions of a cold start
   * (valgrind, 2 runs; the report byte-identical). Setting NODE_ENV in the function's environment instead
   * measured nothing: the gain is the dead code gone, not the checks skipped.
   */
  define: { 'process.env.NODE_ENV': '"production"' },
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
   * them) were about 110 KiB of every bundle that talks to AWS: order-sms 944 -> 834 KiB, load 124 -> 112
   * ms (CPU -11 ms); cart-callbacks 645 -> 519 KiB, load 101 -> 90 ms (CPU -5 ms). All the kept levers
   * together: order-sms load 124 -> 114 ms (CPU 228 -> 217), cart-callbacks 101 -> 85 ms (CPU 179 -> 172,
   * 169 -> 158 ms over `node -e 0`), the router 15 -> 10 ms (38 -> 31 ms over `node -e 0`).
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
