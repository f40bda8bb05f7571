/**
 * Cold start of every function, bundled exactly as PeaklineFunction bundles it, in two variants: with
 * the AWS SDK left to the runtime's copy (resolved from node_modules here) and with the SDK bundled.
 * Each sample is a fresh `node` process that loads the bundle and invokes it once against a fake AWS
 * endpoint on loopback; the baseline is a bare `node -e 0`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLING } from '#infra/constructs/bundling.js';
import { type BenchFunction, benchFunctions } from './functions.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TMP = join(ROOT, 'bench/.tmp');
const CHILD = join(ROOT, 'bench/cold-start-child.mjs');

export interface Distribution {
  readonly median: number;
  readonly p90: number;
  readonly min: number;
}

export interface ColdStartResult {
  readonly name: string;
  readonly variant: 'sdk-from-runtime' | 'sdk-bundled';
  readonly bundleBytes: number;
  readonly wallMs: Distribution;
  readonly overBaselineMs: number;
  readonly loadMs: Distribution;
  readonly invokeMs: Distribution;
}

const distribution = (values: number[]): Distribution => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { median: at(0.5), p90: at(0.9), min: sorted[0] ?? Number.NaN };
};

/** Answers every AWS call with an empty success (SNS with its XML), which is all a first invoke needs. */
const fakeAws = async (): Promise<{ server: Server; endpoint: string }> => {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      // SNS still speaks the query protocol: form in, XML out.
      if (String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': 'bench' });
        res.end(
          '<PublishResponse><PublishResult><MessageId>bench</MessageId></PublishResult><ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></PublishResponse>',
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'bench' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

const run = (args: string[], env: NodeJS.ProcessEnv): Promise<{ wallMs: number; report?: string }> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
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

const bundle = async (fn: BenchFunction, variant: ColdStartResult['variant']): Promise<string> => {
  // Inside the project, so that an external @aws-sdk import resolves from node_modules, as it resolves
  // from the runtime's own copy on Lambda.
  const outdir = join(TMP, fn.name, variant);
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'index.mjs');
  await build({
    entryPoints: [join(ROOT, 'functions', fn.name, 'handler.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: BUNDLING.format,
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourcemap,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    external: variant === 'sdk-from-runtime' ? ['@aws-sdk/*'] : [],
    logLevel: 'error',
  });
  return outfile;
};

export const measureColdStarts = async (
  samples: number,
  /** Only these functions (by name); all of them by default. */
  only?: readonly string[],
): Promise<{ baselineMs: Distribution; results: ColdStartResult[] }> => {
  const { server, endpoint } = await fakeAws();
  try {
    const baseEnv = {
      PATH: process.env.PATH,
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_ENDPOINT_URL: endpoint,
      POWERTOOLS_SERVICE_NAME: 'bench',
      POWERTOOLS_METRICS_NAMESPACE: 'peakline',
      // Keep the SDK's Node 20 notice out of the timing and the output (Lambda runs Node 24).
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const baseline: number[] = [];
    const results: ColdStartResult[] = [];
    for (const fn of benchFunctions.filter((f) => only === undefined || only.includes(f.name))) {
      const eventFile = join(TMP, fn.name, 'event.json');
      mkdirSync(join(TMP, fn.name), { recursive: true });
      writeFileSync(eventFile, JSON.stringify(fn.event()));
      for (const variant of ['sdk-from-runtime', 'sdk-bundled'] as const) {
        const file = await bundle(fn, variant);
        const wall: number[] = [];
        const load: number[] = [];
        const invoke: number[] = [];
        // One warm-up of each, so the first sample does not pay for the file system cache.
        await run([CHILD, file, eventFile], { ...baseEnv, ...fn.environment });
        await run(['-e', '0'], baseEnv);
        for (let i = 0; i < samples; i++) {
          // Interleaved with the baseline, so a busy moment of the machine hits both alike.
          baseline.push((await run(['-e', '0'], baseEnv)).wallMs);
          const { wallMs, report } = await run([CHILD, file, eventFile], { ...baseEnv, ...fn.environment });
          const parsed = JSON.parse(report ?? '{}') as { loadMs: number; invokeMs: number };
          wall.push(wallMs);
          load.push(parsed.loadMs);
          invoke.push(parsed.invokeMs);
        }
        const wallMs = distribution(wall);
        results.push({
          name: fn.name,
          variant,
          bundleBytes: statSync(file).size,
          wallMs,
          overBaselineMs: wallMs.median - distribution(baseline).median,
          loadMs: distribution(load),
          invokeMs: distribution(invoke),
        });
      }
    }
    return { baselineMs: distribution(baseline), results };
  } finally {
    server.close();
  }
};
