/**
 * What each module of a function's bundle costs at load, measured: the deployed bundle is loaded (only
 * loaded, no invoke) in a fresh node under V8's CPU profiler, and each sample's self time is put on the
 * package its code comes from through the bundle's source map (node's own `module.SourceMap`). The
 * median over the samples, per package, beside the bytes it puts in the bundle (esbuild's metafile).
 * The profiler slows what it watches a little, so the figures are shares of a real load more than exact
 * milliseconds; what is not the bundle's code (parsing and compiling it, node's loader, GC) is reported
 * as its own line.
 *
 * `tsx bench/module-cost.ts -- --only order-sms --samples 5` prints the table; `npm run bench` writes it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { BENCH_TMP, DEPLOYED_VARIANT, deployedBuildOptions, functionEnv } from './cold-start.js';
import { type BenchFunction, benchFunctions } from './functions.js';

const ROOT = join(BENCH_TMP, '..', '..');

export interface ModuleCost {
  readonly function: string;
  /** A package (`@smithy/core`), or a folder of this repository (`layers/core`). */
  readonly module: string;
  /** What it puts in the minified bundle. */
  readonly bytes: number;
  /**
   * The package alone: a bundle of exactly what the function imports from it (and what that pulls in),
   * its load over an empty module's (median, ms). Undefined for this repository's own folders.
   */
  readonly loadMs?: number;
  /** Its own code's CPU time while the function's bundle loads (median of the samples, profiled). */
  readonly cpuMs: number;
}

/** Code that is not the bundle's own: parse and compile, node's ESM loader, GC. */
export const OUTSIDE_BUNDLE = '(node and V8: parse, compile, loader, GC)';

/** The package or folder a bundled source belongs to. */
export const moduleOf = (source: string): string => {
  // The last node_modules of the path: a nested copy belongs to its own package.
  const pkg = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (pkg?.[1] !== undefined) return pkg[1];
  const relative = source.replace(/^(?:file:\/\/)?.*?\/(layers|functions|events|infra|bench)\//, '$1/');
  const parts = relative.split('/');
  return parts.slice(0, parts[0] === 'layers' || parts[0] === 'functions' ? 2 : 1).join('/');
};

interface CpuProfile {
  readonly nodes: { id: number; callFrame: { url: string; lineNumber: number; columnNumber: number } }[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** Self time per module in one profile, in ms. */
const selfTimeByModule = (profile: CpuProfile, bundleUrl: string, map: SourceMap): Map<string, number> => {
  const moduleOfNode = new Map<number, string>();
  for (const node of profile.nodes) {
    const { url, lineNumber, columnNumber } = node.callFrame;
    let module = OUTSIDE_BUNDLE;
    if (url === bundleUrl && lineNumber >= 0) {
      const entry = map.findEntry(lineNumber, columnNumber) as { originalSource?: string };
      if (entry.originalSource !== undefined) module = moduleOf(entry.originalSource);
    }
    moduleOfNode.set(node.id, module);
  }
  const byModule = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const module = moduleOfNode.get(id) ?? OUTSIDE_BUNDLE;
    byModule.set(module, (byModule.get(module) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return byModule;
};

const profileLoad = (bundle: string, dir: string, env: NodeJS.ProcessEnv): Promise<CpuProfile> =>
  new Promise((resolve, reject) => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const child = spawn(
      process.execPath,
      [
        '--cpu-prof',
        `--cpu-prof-dir=${dir}`,
        '--cpu-prof-interval=100',
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(pathToFileURL(bundle).href)});`,
      ],
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`loading ${bundle} exited with ${code}: ${stderr}`));
      const [file] = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
      if (file === undefined) return reject(new Error(`no CPU profile for ${bundle}`));
      resolve(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
    });
  });

/** The bare specifiers a source file imports, with the names it takes (`*` for a namespace import). */
export const importsOf = (source: string): { spec: string; names: string[] }[] => {
  const found: { spec: string; names: string[] }[] = [];
  const statement =
    /import\s+(?!type\s)([\w$]+\s*,?\s*)?(\{[^}]*\}|\*\s+as\s+[\w$]+)?\s*from\s*'([^'.#][^']*)'/g;
  for (const match of source.matchAll(statement)) {
    const [, defaultName, rest, spec] = match;
    if (spec === undefined || spec.startsWith('node:')) continue;
    const names: string[] = [];
    if (defaultName !== undefined && defaultName.replace(',', '').trim() !== '') names.push('default');
    if (rest?.startsWith('*')) names.push('*');
    else if (rest !== undefined) {
      for (const part of rest.slice(1, -1).split(',')) {
        const name = part.trim();
        if (name === '' || name.startsWith('type ')) continue;
        names.push(name.split(/\s+as\s+/)[0] ?? name);
      }
    }
    if (names.length > 0) found.push({ spec, names });
  }
  return found;
};

/** An entry that imports `names` from each spec and keeps them alive (so tree shaking keeps what is used). */
const entryOf = (imports: readonly { spec: string; names: readonly string[] }[]): string => {
  const lines: string[] = [];
  const kept: string[] = [];
  imports.forEach(({ spec, names }, i) => {
    const local = (_name: string, j: number) => `__${i}_${j}`;
    const named = names.filter((n) => n !== 'default' && n !== '*');
    if (names.includes('*')) {
      lines.push(`import * as __${i}_ns from '${spec}';`);
      kept.push(`__${i}_ns`);
    }
    if (names.includes('default')) {
      lines.push(`import __${i}_default from '${spec}';`);
      kept.push(`__${i}_default`);
    }
    if (named.length > 0) {
      lines.push(`import { ${named.map((n, j) => `${n} as ${local(n, j)}`).join(', ')} } from '${spec}';`);
      kept.push(...named.map(local));
    }
  });
  return `${lines.join('\n')}\nglobalThis.__keep = [${kept.join(', ')}];\n`;
};

const packageOf = (spec: string): string =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

const spawnWall = (args: string[], env: NodeJS.ProcessEnv): Promise<number> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${args.join(' ')} exited with ${code}`)),
    );
  });

/** Load ms of each package's bundle over an empty module's, interleaved sample by sample. */
const measureAlone = async (
  name: string,
  packages: Map<string, { spec: string; names: string[] }[]>,
  samples: number,
  env: NodeJS.ProcessEnv,
): Promise<Map<string, number>> => {
  const dir = join(BENCH_TMP, name, 'module-alone');
  mkdirSync(dir, { recursive: true });
  const empty = join(dir, 'empty.mjs');
  writeFileSync(empty, 'export {};\n');
  const bundles = new Map<string, string>();
  for (const [pkg, imports] of packages) {
    const entry = join(dir, `${pkg.replace(/\W/g, '_')}.mjs`);
    writeFileSync(entry, entryOf(imports));
    const outfile = entry.replace(/\.mjs$/, '.bundle.mjs');
    await build({
      ...deployedBuildOptions(DEPLOYED_VARIANT),
      entryPoints: [entry],
      outfile,
      absWorkingDir: ROOT,
    });
    bundles.set(pkg, outfile);
  }
  const base: number[] = [];
  const load = new Map<string, number[]>([...bundles.keys()].map((pkg) => [pkg, []]));
  for (let i = 0; i <= samples; i++) {
    for (const [pkg, file] of bundles) {
      const bare = await spawnWall([empty], env);
      const wall = await spawnWall([file], env);
      // The first round warms the file system cache and is not counted.
      if (i === 0) continue;
      base.push(bare);
      load.get(pkg)?.push(wall);
    }
  }
  const baseMs = median(base);
  return new Map([...load].map(([pkg, walls]) => [pkg, median(walls) - baseMs]));
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** The load cost of each module of `fn`'s deployed bundle. */
export const measureModuleCost = async (fn: BenchFunction, samples: number): Promise<ModuleCost[]> => {
  const outdir = join(BENCH_TMP, fn.name, 'module-cost');
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'index.mjs');
  const result = await build({
    ...deployedBuildOptions(DEPLOYED_VARIANT),
    // A map file beside the bundle to attribute the samples with, whatever the deployed setting.
    sourcemap: 'external',
    sourcesContent: false,
    metafile: true,
    entryPoints: [join(ROOT, 'functions', fn.name, 'handler.ts')],
    outfile,
  });
  const bytes = new Map<string, number>();
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  for (const [path, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    bytes.set(moduleOf(path), (bytes.get(moduleOf(path)) ?? 0) + bytesInOutput);
  }
  // What the function's own code imports from each package, read from the sources esbuild bundled.
  const imports = new Map<string, { spec: string; names: string[] }[]>();
  for (const path of Object.keys(output?.inputs ?? {})) {
    if (path.includes('node_modules') || !/\.(ts|mjs|js)$/.test(path)) continue;
    for (const found of importsOf(readFileSync(join(ROOT, path), 'utf8'))) {
      const pkg = packageOf(found.spec);
      const list = imports.get(pkg) ?? [];
      const same = list.find((i) => i.spec === found.spec);
      if (same === undefined) list.push(found);
      else same.names = [...new Set([...same.names, ...found.names])];
      imports.set(pkg, list);
    }
  }
  const map = new SourceMap(JSON.parse(readFileSync(`${outfile}.map`, 'utf8')) as never);
  // The deployed environment, without --enable-source-maps: the profile is of the bundle's own code.
  const env = { ...functionEnv(fn, 'http://127.0.0.1:9'), NODE_OPTIONS: '' };
  const url = pathToFileURL(outfile).href;
  const runs: Map<string, number>[] = [];
  await profileLoad(outfile, join(outdir, 'profile'), env);
  for (let i = 0; i < samples; i++) {
    runs.push(selfTimeByModule(await profileLoad(outfile, join(outdir, 'profile'), env), url, map));
  }
  const alone = await measureAlone(fn.name, imports, samples, env);
  const modules = new Set([...bytes.keys(), ...runs.flatMap((run) => [...run.keys()])]);
  return [...modules]
    .map((module) => {
      const loadMs = alone.get(module);
      return {
        function: fn.name,
        module,
        bytes: bytes.get(module) ?? 0,
        ...(loadMs === undefined ? {} : { loadMs }),
        cpuMs: median(runs.map((run) => run.get(module) ?? 0)),
      };
    })
    .sort((a, b) => (b.loadMs ?? 0) - (a.loadMs ?? 0) || b.cpuMs - a.cpuMs || b.bytes - a.bytes);
};

export const measureModuleCosts = async (
  samples: number,
  only?: readonly string[],
): Promise<ModuleCost[]> => {
  const costs: ModuleCost[] = [];
  for (const fn of benchFunctions.filter((f) => only === undefined || only.includes(f.name))) {
    costs.push(...(await measureModuleCost(fn, samples)));
  }
  return costs;
};

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const msOf = (n: number | undefined) => (n === undefined ? '-' : `${n.toFixed(1)} ms`);

export const moduleCostTable = (costs: readonly ModuleCost[]): string[] => {
  const functions = [...new Set(costs.map((c) => c.function))];
  return [
    "Per function, each package its code imports, measured two ways. **Alone**: a bundle of exactly what the function imports from the package (with what that pulls in, tree-shaken, minified as deployed), loaded in a fresh `node`, over an empty module's load (median): what the package costs the function by itself; packages share dependencies (the AWS SDK clients share @smithy/core), so these do not add up. **CPU at load**: the function's deployed bundle loaded (no invoke) under V8's CPU profiler, each sample's self time put on the package its code comes from through the bundle's source map (median): its own code's share of a real load; parsing and compiling the bundle, node's loader and GC are a line of their own. Bytes: what the package puts in the minified bundle (esbuild's metafile). Modules with neither 1 ms alone nor 1 ms of CPU are summed.",
    '',
    '| function | module | bytes in bundle | alone, over an empty module | CPU at load |',
    '| --- | --- | --- | --- | --- |',
    ...functions.flatMap((name) => {
      const own = costs.filter((c) => c.function === name);
      const big = own.filter((c) => (c.loadMs ?? 0) >= 1 || c.cpuMs >= 1);
      const small = own.filter((c) => !big.includes(c));
      return [
        ...big.map(
          (c) => `| ${name} | ${c.module} | ${kib(c.bytes)} | ${msOf(c.loadMs)} | ${msOf(c.cpuMs)} |`,
        ),
        `| ${name} | ${small.length} others | ${kib(small.reduce((s, c) => s + c.bytes, 0))} | - | ${msOf(small.reduce((s, c) => s + c.cpuMs, 0))} |`,
        `| ${name} | **the bundle** | ${kib(own.reduce((s, c) => s + c.bytes, 0))} | - | ${msOf(own.reduce((s, c) => s + c.cpuMs, 0))} |`,
      ];
    }),
  ];
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, samples: { type: 'string', default: '5' } },
    allowPositionals: true,
  });
  const only = values.only?.split(',').map((name) => name.trim());
  console.log(moduleCostTable(await measureModuleCosts(Number(values.samples), only)).join('\n'));
}
