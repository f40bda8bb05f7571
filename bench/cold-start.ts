/**
 * Cold start of every function, bundled exactly as PeaklineFunction bundles it and run with the
 * environment it deploys (its own variables and `runtimeEnvironment`'s, NODE_OPTIONS included). Two
 * variants: the AWS SDK left to the runtime's copy (resolved from node_modules here) and the SDK bundled.
 * Each sample is a fresh `node` process that loads the bundle and invokes it once against a fake AWS
 * endpoint on loopback; the baseline is a bare `node -e 0`, and the harness alone (an empty handler
 * through the same child) is measured beside it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { BUNDLING } from '#infra/constructs/bundling.js';
import metricDataPage from '#test/fixtures/connect/get-metric-data-v2-page-1.json' with { type: 'json' };
import { type BenchFunction, benchFunctions } from './functions.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BENCH_TMP = join(ROOT, 'bench/.tmp');
const CHILD = join(ROOT, 'bench/cold-start-child.mjs');

export type Variant = 'sdk-from-runtime' | 'sdk-bundled';
export const VARIANTS: readonly Variant[] = ['sdk-from-runtime', 'sdk-bundled'];
/** The variant the CDK app ships: the SDK is bundled unless BUNDLING leaves it to the runtime. */
export const DEPLOYED_VARIANT: Variant = (BUNDLING.externalModules as readonly string[]).some((m) =>
  m.startsWith('@aws-sdk'),
)
  ? 'sdk-from-runtime'
  : 'sdk-bundled';

export interface Distribution {
  readonly median: number;
  readonly p90: number;
  readonly min: number;
}

export interface ColdStartResult {
  readonly name: string;
  readonly variant: Variant;
  readonly deployed: boolean;
  readonly bundleBytes: number;
  readonly wallMs: Distribution;
  readonly overBaselineMs: number;
  readonly loadMs: Distribution;
  readonly invokeMs: Distribution;
  /** Deliberate waits within the first invoke (median of what the child measured), 0 when none. */
  readonly pacingMs: number;
  /** The AWS calls of one first invoke, in order (the fake's log of the last sample). */
  readonly awsCalls: readonly string[];
  /** What the handler returned on that first invoke. */
  readonly firstResult: unknown;
}

export interface ColdStarts {
  readonly baselineMs: Distribution;
  /** The harness alone: an empty handler through the same child, over the baseline (median). */
  readonly harnessMs: number;
  readonly results: ColdStartResult[];
}

export const distribution = (values: readonly number[]): Distribution => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { median: at(0.5), p90: at(0.9), min: sorted[0] ?? Number.NaN };
};

/** A 64-character key, as the phone-hash secret peakline generates holds. */
const BENCH_PHONE_HASH_KEY = 'bench-phone-hash-key-'.padEnd(64, 'k');

/**
 * One Connect metrics page: the fixture's rows, without its next page, placed on the queues and the
 * window the request asked for (the report refuses a row it cannot place).
 */
const metricPage = (body: string): unknown => {
  const request = JSON.parse(body) as {
    StartTime: number;
    EndTime: number;
    Filters: { FilterKey: string; FilterValues: string[] }[];
  };
  const queues = request.Filters.find((f) => f.FilterKey === 'QUEUE')?.FilterValues ?? [];
  const rows = (metricDataPage as { MetricResults: { Dimensions: Record<string, string> }[] }).MetricResults;
  return {
    MetricResults: rows.map((row, i) => ({
      ...row,
      Dimensions: { QUEUE: queues[i % queues.length], CHANNEL: row.Dimensions.CHANNEL },
      MetricInterval: { Interval: 'DAY', StartTime: request.StartTime, EndTime: request.EndTime },
    })),
  };
};

/**
 * What a first invoke asks of AWS beyond an empty success: SQS checks the MD5 of the body it sent, the
 * phone-hash key must be a key, a Connect task has an id, a metrics page has metrics.
 */
const builtInAnswer = (target: string, route: string, body: string): unknown => {
  if (target === 'AmazonSQS.SendMessage') {
    const { MessageBody } = JSON.parse(body) as { MessageBody: string };
    return { MessageId: 'bench', MD5OfMessageBody: createHash('md5').update(MessageBody).digest('hex') };
  }
  if (target === 'secretsmanager.GetSecretValue') {
    return {
      ARN: (JSON.parse(body) as { SecretId: string }).SecretId,
      Name: 'bench',
      SecretString: BENCH_PHONE_HASH_KEY,
    };
  }
  if (route.startsWith('PUT /contact/task')) return { ContactId: 'bench-task' };
  if (route.startsWith('POST /metrics/data')) return metricPage(body);
  return undefined;
};

/**
 * A fake AWS on loopback. Every call gets an empty success (SNS, a query-protocol service, its XML; S3
 * an ETag), which is all most first invokes need, or the built-in answers above; `answers` gives a
 * specific JSON body to a JSON-protocol call by its `x-amz-target` (e.g. `DynamoDB_20120810.Query`) or
 * to a REST call by method and path prefix (e.g. `GET /bucket/`).
 */
export const startFakeAws = async (
  answers: Readonly<Record<string, unknown>> = {},
): Promise<{ server: Server; endpoint: string; calls: string[] }> => {
  /** Each call served, by target or method and path: what a first invoke asked of AWS. */
  const calls: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const route = `${req.method} ${req.url}`;
      const form = String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded');
      calls.push(
        form
          ? `SNS ${/Action=(\w+)/.exec(Buffer.concat(chunks).toString())?.[1] ?? '?'}`
          : target || `${req.method} ${req.url?.split('?')[0]}`,
      );
      if (form) {
        res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': 'bench' });
        res.end(PUBLISH_ANSWER);
        return;
      }
      const rest = Object.keys(answers).find((key) => key.includes(' ') && route.startsWith(key));
      const body =
        answers[target] ??
        (rest === undefined ? undefined : answers[rest]) ??
        builtInAnswer(target, route, Buffer.concat(chunks).toString()) ??
        {};
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-amzn-requestid': 'bench',
        etag: '"bench"',
      });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
};

const PUBLISH_ANSWER =
  '<PublishResponse><PublishResult><MessageId>bench</MessageId></PublishResult><ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></PublishResponse>';

export interface ChildRun {
  readonly wallMs: number;
  readonly loadMs: number;
  readonly invokeMs: number;
  readonly waitMs: number;
  /** CPU time of the child until the first invoke returned (user + system, node's start included). */
  readonly cpuMs: number;
  /** What the handler returned. */
  readonly result: unknown;
}

const spawnNode = (args: string[], env: NodeJS.ProcessEnv): Promise<{ wallMs: number; report: string }> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    // BENCH_CHILD_OUTPUT=1 shows the functions' logs (to see what a first invoke did); off for timing.
    const output = process.env.BENCH_CHILD_OUTPUT === '1' ? 'inherit' : 'ignore';
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', output, 'pipe', 'pipe'] });
    let report = '';
    let stderr = '';
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      report += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) reject(new Error(`${args.join(' ')} exited with ${code}: ${stderr}`));
      else resolve({ wallMs, report });
    });
  });

/** A bare `node -e 0`: what every figure is measured over. */
export const runBaseline = async (env: NodeJS.ProcessEnv): Promise<number> =>
  (await spawnNode(['-e', '0'], env)).wallMs;

/** One cold start of `bundle` in a fresh node: load, then one invoke with the event in `eventFile`. */
export const runChild = async (
  bundle: string,
  eventFile: string,
  env: NodeJS.ProcessEnv,
): Promise<ChildRun> => {
  const { wallMs, report } = await spawnNode([CHILD, bundle, eventFile], env);
  const parsed = JSON.parse(report) as {
    loadMs: number;
    invokeMs: number;
    waitMs: number;
    cpuMs: number;
    result: unknown;
  };
  return {
    wallMs,
    loadMs: parsed.loadMs,
    invokeMs: parsed.invokeMs,
    waitMs: parsed.waitMs,
    cpuMs: parsed.cpuMs,
    result: parsed.result,
  };
};

/** The esbuild options PeaklineFunction's NodejsFunction uses (see infra/constructs/bundling.ts). */
export const deployedBuildOptions = (variant: Variant): BuildOptions => ({
  bundle: true,
  platform: 'node',
  format: BUNDLING.format,
  target: BUNDLING.target,
  minify: BUNDLING.minify,
  sourcemap: BUNDLING.sourcemap,
  sourcesContent: BUNDLING.sourcesContent,
  keepNames: BUNDLING.keepNames,
  define: { ...BUNDLING.define },
  alias: { ...BUNDLING.alias },
  mainFields: [...BUNDLING.mainFields],
  banner: { js: BUNDLING.banner },
  external: variant === 'sdk-from-runtime' ? ['@aws-sdk/*'] : [...BUNDLING.externalModules],
  logLevel: 'error',
});

/**
 * Bundles a function's handler into bench/.tmp/<name>/<tag>/index.mjs (inside the project, so that an
 * external @aws-sdk import resolves from node_modules, as it resolves from the runtime's own copy on
 * Lambda). `overrides` change the deployed options, for a lever's A/B.
 */
export const bundleFunction = async (
  name: string,
  variant: Variant,
  overrides: BuildOptions = {},
  tag: string = variant,
): Promise<string> => {
  const outdir = join(BENCH_TMP, name, tag);
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, overrides.format === 'cjs' ? 'index.cjs' : 'index.mjs');
  await build({
    ...deployedBuildOptions(variant),
    ...overrides,
    entryPoints: [join(ROOT, 'functions', name, 'handler.ts')],
    outfile,
  });
  return outfile;
};

/** What every child gets: credentials, the region and every endpoint pointed at the fake AWS. */
export const benchBaseEnv = (endpoint: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
  AWS_ENDPOINT_URL: endpoint,
  // Keep the SDK's Node 20 notice out of the timing and the output (Lambda runs Node 24).
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

const SQS_QUEUE_URL = /^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com\//;

/**
 * The environment `fn` runs with on Lambda (as PeaklineFunction sets it), over `benchBaseEnv`. Queue URLs
 * point at the fake too: the SQS client sends to the host of the queue URL, whatever the endpoint.
 */
export const functionEnv = (fn: BenchFunction, endpoint: string): NodeJS.ProcessEnv => ({
  ...benchBaseEnv(endpoint),
  ...Object.fromEntries(
    Object.entries(fn.environment).map(([name, value]) => [
      name,
      value.replace(SQS_QUEUE_URL, `${endpoint}/`),
    ]),
  ),
  ...fn.runtime,
});

export const writeEvent = (fn: BenchFunction): string => {
  const eventFile = join(BENCH_TMP, fn.name, 'event.json');
  mkdirSync(join(BENCH_TMP, fn.name), { recursive: true });
  writeFileSync(eventFile, JSON.stringify(fn.event()));
  return eventFile;
};

/** An empty ESM handler: the harness's own cost (node's ESM loader, the child's bookkeeping). */
export const emptyHandlerBundle = (): string => {
  const dir = join(BENCH_TMP, 'empty-handler');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => ({});\n');
  writeFileSync(join(dir, 'event.json'), '{}');
  return dir;
};

export interface MeasureOptions {
  /** The variants to measure; both by default. */
  readonly variants?: readonly Variant[];
  /** Called after each function's variant, e.g. to print progress. */
  readonly onResult?: (result: ColdStartResult) => void;
}

export const measureColdStarts = async (
  samples: number,
  /** Only these functions (by name); all of them by default. */
  only?: readonly string[],
  options: MeasureOptions = {},
): Promise<ColdStarts> => {
  const selected = benchFunctions.filter((f) => only === undefined || only.includes(f.name));
  const unknown = (only ?? []).filter((name) => !benchFunctions.some((f) => f.name === name));
  if (unknown.length > 0) throw new Error(`No such bench function: ${unknown.join(', ')}`);
  const baseline: number[] = [];
  const harness: number[] = [];
  const emptyDir = emptyHandlerBundle();
  const emptyRun = (env: NodeJS.ProcessEnv) =>
    runChild(join(emptyDir, 'index.mjs'), join(emptyDir, 'event.json'), env);
  const results: ColdStartResult[] = [];
  for (const fn of selected) {
    // A fake of its own per function: its answers (a due callback, a seat ending tomorrow) are its own.
    const { server, endpoint, calls } = await startFakeAws((await fn.awsAnswers?.()) ?? {});
    try {
      const baseEnv = benchBaseEnv(endpoint);
      // Warm-up: the file system cache and node's own caches for the child.
      await runBaseline(baseEnv);
      await emptyRun(baseEnv);
      const eventFile = writeEvent(fn);
      for (const variant of options.variants ?? VARIANTS) {
        const file = await bundleFunction(fn.name, variant);
        const env = functionEnv(fn, endpoint);
        const runs: ChildRun[] = [];
        const baselineHere: number[] = [];
        await runChild(file, eventFile, env);
        for (let i = 0; i < samples; i++) {
          // Interleaved with the baseline and the empty handler, so a busy moment of the machine hits
          // all three alike.
          const bare = await runBaseline(baseEnv);
          baselineHere.push(bare);
          baseline.push(bare);
          harness.push((await emptyRun(baseEnv)).wallMs - bare);
          calls.length = 0;
          runs.push(await runChild(file, eventFile, env));
        }
        const wallMs = distribution(runs.map((r) => r.wallMs));
        const result: ColdStartResult = {
          name: fn.name,
          variant,
          deployed: variant === DEPLOYED_VARIANT,
          bundleBytes: statSync(file).size,
          wallMs,
          overBaselineMs: wallMs.median - distribution(baselineHere).median,
          loadMs: distribution(runs.map((r) => r.loadMs)),
          invokeMs: distribution(runs.map((r) => r.invokeMs)),
          pacingMs: distribution(runs.map((r) => r.waitMs)).median,
          awsCalls: [...calls],
          firstResult: runs.at(-1)?.result,
        };
        results.push(result);
        options.onResult?.(result);
      }
    } finally {
      server.close();
    }
  }
  return { baselineMs: distribution(baseline), harnessMs: distribution(harness).median, results };
};

export const ROUTER_COLD_START_BUDGET_MS = 50;
export const COLD_START_BUDGET_MS = 100;
export const coldStartBudgetMs = (name: string): number =>
  name === 'overflow-router' ? ROUTER_COLD_START_BUDGET_MS : COLD_START_BUDGET_MS;

/** Within budget once the deliberate waits are set apart. */
export const withinBudget = (r: ColdStartResult): boolean =>
  r.overBaselineMs - r.pacingMs <= coldStartBudgetMs(r.name);

const ms = (n: number) => n.toFixed(1);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/** The cold start table (markdown), as bench/results.md and `npm run bench:cold` print it. */
export const coldStartTable = ({ results }: ColdStarts): string[] => [
  '| function | AWS SDK | bundle | wall median (p90) | over `node -e 0` | of which pacing | budget | module load | first invoke |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...results.map(
    (r) =>
      `| ${r.name} | ${r.variant === 'sdk-from-runtime' ? "runtime's copy" : 'bundled'}${r.deployed ? ' (deployed)' : ''} | ${kib(r.bundleBytes)} | ${ms(r.wallMs.median)} ms (${ms(r.wallMs.p90)}) | ${ms(r.overBaselineMs)} ms | ${r.pacingMs > 0.5 ? `${ms(r.pacingMs)} ms` : '-'} | ${coldStartBudgetMs(r.name)} ms: ${withinBudget(r) ? 'within' : '**over**'} | ${ms(r.loadMs.median)} ms | ${ms(r.invokeMs.median)} ms |`,
  ),
];

/** `bench.coldStarts` of bench/results.json, without moduleLoad and levers (their own benchmarks add them). */
export const coldStartsJson = (coldStarts: ColdStarts, samples: number, cpu: string) => ({
  node: process.version,
  cpu,
  samples,
  baselineMs: { median: coldStarts.baselineMs.median, p90: coldStarts.baselineMs.p90 },
  harnessMs: coldStarts.harnessMs,
  functions: coldStarts.results.map((r) => ({
    name: r.name,
    variant: r.variant,
    deployed: r.deployed,
    bundleBytes: r.bundleBytes,
    overBaselineMs: r.overBaselineMs,
    loadMs: r.loadMs.median,
    invokeMs: r.invokeMs.median,
    pacingMs: r.pacingMs,
    wallMs: { median: r.wallMs.median, p90: r.wallMs.p90 },
    budgetMs: coldStartBudgetMs(r.name),
    withinBudget: withinBudget(r),
  })),
});
