/**
 * `npm run bench:e2e`: end to end on the local stack, as a shop and a user see it. The stack runs in a
 * process of its own (bench/end-to-end-stack.ts); this process sends distinct order events one per
 * PutEvents request over HTTP at a steady rate with the AWS SDK's EventBridge client, stamps each when the
 * bus answers (accepted), and watches `outbox.jsonl` for its SMS, matched by order id and status. The
 * warm-up is sent but not counted. Figures to bench/results.json (`bench.endToEnd`) and its section of
 * bench/results.md, replaced in place.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  fstatSync,
  type FSWatcher,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ORDER_SMS_CONCURRENCY, SMS_SENDERS } from '#functions/order-sms/environment.js';
import { LOCAL_CREDENTIALS } from '#local/dynamodb-local.js';
import type { SmsRecord } from '#local/runtime/records.js';
import type { StackReady, StackSettings } from './end-to-end-stack.js';
import {
  E2E_HEADING,
  type EndToEndResult,
  endToEndSection,
  EventPlan,
  percentiles,
  replaceSection,
} from './end-to-end-events.js';
import { mergeBenchJson } from './results-json.js';

export { E2E_HEADING, endToEndSection, type EndToEndResult };

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const MD_FILE = new URL('./results.md', import.meta.url);
/** The local buffers' batch size (local/bus/local-queue.ts), as the CDK app's EventBuffer's. */
const LOCAL_BATCH_SIZE = 10;
/** The CDK app's EventBuffer deploys `maxBatchingWindow` 1 s (infra/constructs/event-buffer.ts). */
const DEPLOYED_BATCHING_WINDOW_MS = 1_000;

export interface EndToEndOptions {
  /** @default 100 */
  readonly eventsPerSecond?: number;
  /** Measured seconds. @default 40 */
  readonly seconds?: number;
  /** Seconds sent first and not counted: the JIT, DynamoDB Local's JVM and the SDK clients warm up. @default 10 */
  readonly warmupSeconds?: number;
  /** Seconds to wait after the warm-up for its last SMS, before the measured window. @default 90 */
  readonly warmupDrainSeconds?: number;
  /** Seconds to wait after the last send for the last SMS. @default 30 */
  readonly drainSeconds?: number;
  /** @default 16 */
  readonly seed?: number;
  /** @default dev */
  readonly stage?: string;
  /**
   * The account's SMS rate for the run (`sms.maxPartsPerSecond`). @default 1000, the highest the settings
   * take: at AWS's default of 20 the order-SMS function may send 8 parts/s, and 100 events/s would measure
   * a queue growing without end, not the pipeline
   */
  readonly maxPartsPerSecond?: number;
  /**
   * DynamoDB Local in memory, as the load proof and the tests run it. @default true; false keeps its files on
   * disk in the state folder as `npm start` does, where on a shared disk each write waits for SQLite's sync
   */
  readonly inMemoryDatabase?: boolean;
  /**
   * Milliseconds each buffer holds a batch smaller than 10 for more records. @default 1000, the
   * `maxBatchingWindow` the CDK app deploys; 0 hands a batch over as soon as its function is free
   */
  readonly batchingWindowMs?: number;
  /** Leave the run's state folder (outbox, dead letters, logs, database) to look at. @default false */
  readonly keepState?: boolean;
  readonly log?: (line: string) => void;
}

interface Sent {
  readonly smsId: string;
  readonly sentAt: number;
  acceptedAt?: number;
  failed?: string;
  arrivedAt?: number;
  segments?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round = (value: number | undefined) => (value === undefined ? null : Number(value.toFixed(1)));
const loadAverage = () => loadavg().map((v) => Number(v.toFixed(2)));

/** Starts bench/end-to-end-stack.ts and waits for its ready line; its stderr is kept for the error message. */
const startStack = async (
  settings: StackSettings,
  log: (line: string) => void,
): Promise<{ child: ChildProcess; ready: StackReady; stderr: string[] }> => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(BENCH_DIR, 'end-to-end-stack.ts'), JSON.stringify(settings)],
    { cwd: resolve(BENCH_DIR, '..'), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter(Boolean)) {
      stderr.push(line);
      if (stderr.length > 40) stderr.shift();
      if (line.startsWith('[stack]')) log(line);
    }
  });
  const ready = await new Promise<StackReady>((resolveReady, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline >= 0) resolveReady(JSON.parse(out.slice(0, newline)) as StackReady);
    });
    child.once('exit', (code) =>
      reject(new Error(`the local stack exited with code ${code}:\n${stderr.join('\n')}`)),
    );
  });
  return { child, ready, stderr };
};

/** DynamoDB Local's Java, a child of the stack's process: found by its parent's pid, never by a pattern. */
const javaChildOf = (pid: number): number | undefined => {
  const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(pid)], { encoding: 'utf8' });
  const line = out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find(([, comm]) => comm === 'java');
  return line?.[0] === undefined ? undefined : Number(line[0]);
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Reads the lines appended to a JSON Lines file, as `tail -f` does: on every change, and every 20 ms. */
const tailJsonl = (file: string, onRecord: (record: SmsRecord, at: number) => void) => {
  const fd = openSync(file, 'r');
  let offset = fstatSync(fd).size;
  let partial = '';
  const read = () => {
    const size = fstatSync(fd).size;
    if (size <= offset) return;
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    offset = size;
    const at = performance.now();
    const lines = (partial + buffer.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onRecord(JSON.parse(line) as SmsRecord, at);
  };
  const watcher: FSWatcher = watch(file, read);
  const timer = setInterval(read, 20);
  return () => {
    read();
    watcher.close();
    clearInterval(timer);
    closeSync(fd);
  };
};

export const runEndToEnd = async (options: EndToEndOptions = {}): Promise<EndToEndResult> => {
  const log = options.log ?? ((line: string) => console.error(line));
  const rate = options.eventsPerSecond ?? 100;
  const seconds = options.seconds ?? 40;
  const warmupSeconds = options.warmupSeconds ?? 10;
  const maxPartsPerSecond = options.maxPartsPerSecond ?? 1000;
  const stage = options.stage ?? 'dev';
  const settings: StackSettings = {
    stage,
    stateDir: '',
    // The local stack has one SNS stand-in for every sender; at the order-SMS function's two invocations'
    // share of the account's rate it paces as the two do together on AWS.
    smsPartsPerSecond: (maxPartsPerSecond * ORDER_SMS_CONCURRENCY) / SMS_SENDERS,
    maxPartsPerSecond,
    bufferConcurrency: ORDER_SMS_CONCURRENCY,
    inMemoryDatabase: options.inMemoryDatabase ?? true,
    batchingWindowMs: options.batchingWindowMs ?? DEPLOYED_BATCHING_WINDOW_MS,
  };
  mkdirSync(join(BENCH_DIR, '.tmp'), { recursive: true });
  const stateDir = mkdtempSync(join(BENCH_DIR, '.tmp', 'e2e-'));
  const loadBefore = loadAverage();
  log(`load average before: ${loadBefore.join(', ')}; starting the local stack in ${stateDir}`);
  const { child, ready } = await startStack({ ...settings, stateDir }, log);
  const javaPid = child.pid === undefined ? undefined : javaChildOf(child.pid);
  // Ctrl-C: the stack stops (Java included) and the state folder goes, as at the end of a run.
  const onSignal = () => {
    log('interrupted: stopping the local stack');
    void stopStack(child, javaPid, log).finally(() => {
      if (!options.keepState) rmSync(stateDir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  log(
    javaPid === undefined
      ? "DynamoDB Local's Java process was not found among the stack's children: its stop cannot be checked"
      : `DynamoDB Local runs as pid ${javaPid}`,
  );
  const client = new EventBridgeClient({
    endpoint: ready.eventsUrl,
    region: ready.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const bySmsId = new Map<string, Sent>();
  const stopTail = tailJsonl(ready.outboxFile, (record, at) => {
    const event = bySmsId.get(record.id);
    // The SNS stand-in's line (it has SNS's message id); the first one counts.
    if (event === undefined || record.status !== 'SENT' || record.messageId === undefined) return;
    if (event.arrivedAt !== undefined) return;
    event.arrivedAt = at;
    event.segments = record.segments;
  });
  try {
    const plan = new EventPlan({ source: ready.source, busName: ready.busName, seed: options.seed ?? 16 });
    const warmupEvents = Math.round(warmupSeconds * rate);
    /** Sends `count` events at `rate`, paced by the schedule, not by the answers: a slow answer never slows the shop down. */
    const sendAtRate = async (count: number): Promise<Sent[]> => {
      const events: Sent[] = [];
      const sends: Promise<void>[] = [];
      const startAt = performance.now() + 20;
      for (let i = 0; i < count; i++) {
        const wait = startAt + (i * 1000) / rate - performance.now();
        if (wait > 1) await sleep(wait);
        const { entry, smsId } = plan.next(new Date());
        const event: Sent = { smsId, sentAt: performance.now() };
        events.push(event);
        bySmsId.set(smsId, event);
        sends.push(
          client.send(new PutEventsCommand({ Entries: [entry] })).then(
            (answer) => {
              event.acceptedAt = performance.now();
              if ((answer.FailedEntryCount ?? 0) > 0)
                event.failed = answer.Entries?.[0]?.ErrorCode ?? 'failed';
            },
            (error: unknown) => {
              event.acceptedAt = performance.now();
              event.failed = error instanceof Error ? error.name : String(error);
            },
          ),
        );
      }
      await Promise.all(sends);
      return events;
    };
    /** Waits until every accepted event's SMS is in the outbox, or `seconds` pass; the seconds waited. */
    const drain = async (events: readonly Sent[], seconds: number): Promise<number> => {
      const from = performance.now();
      while (
        performance.now() - from < seconds * 1000 &&
        events.some((e) => e.failed === undefined && e.arrivedAt === undefined)
      ) {
        await sleep(50);
      }
      return (performance.now() - from) / 1000;
    };

    // The warm-up (the JIT, DynamoDB Local's JVM, the SDK clients' connections) at the run's rate, then
    // drained, so the measured window starts with empty buffers: a cold start's backlog is not the run's.
    log(`warm-up: ${warmupEvents} events at ${rate}/s to ${ready.eventsUrl}`);
    const warmup = await sendAtRate(warmupEvents);
    const warmupDrainSeconds = await drain(warmup, options.warmupDrainSeconds ?? 90);
    const warmupArrived = warmup.filter((e) => e.arrivedAt !== undefined).length;
    log(`warm-up drained in ${warmupDrainSeconds.toFixed(1)} s (${warmupArrived} of ${warmupEvents} SMS)`);
    const typesBefore = plan.counts;

    log(`measuring: ${Math.round(seconds * rate)} events at ${rate}/s`);
    const measured = await sendAtRate(Math.round(seconds * rate));
    const counts = plan.counts;
    const drainSeconds = options.drainSeconds ?? 30;
    await drain(measured, drainSeconds);
    const loadAfter = loadAverage();

    const accepted = measured.filter((e) => e.failed === undefined);
    const arrived = accepted.filter((e) => e.arrivedAt !== undefined);
    const latencyOf = (e: Sent) => (e.arrivedAt ?? NaN) - (e.acceptedAt ?? NaN);
    const overall = percentiles(arrived.map(latencyOf));
    const windowStart = measured[0]?.sentAt ?? 0;
    const slices = Array.from({ length: Math.ceil(seconds / 10) }, (_, k) => {
      const inSlice = arrived.filter((e) => Math.floor((e.sentAt - windowStart) / 10_000) === k);
      const p = percentiles(inSlice.map(latencyOf));
      return { fromSecond: k * 10, events: inSlice.length, p50Ms: round(p?.p50), p99Ms: round(p?.p99) };
    });
    const lastArrival = Math.max(...arrived.map((e) => e.arrivedAt ?? 0));
    const firstAccepted = Math.min(...accepted.map((e) => e.acceptedAt ?? Infinity));
    const smsPerSecond =
      arrived.length > 1 && lastArrival > firstAccepted
        ? (arrived.length * 1000) / (lastArrival - firstAccepted)
        : 0;
    const put = percentiles(accepted.map((e) => (e.acceptedAt ?? NaN) - e.sentAt));
    const first = measured[0]?.sentAt ?? 0;
    const last = measured[measured.length - 1]?.sentAt ?? 0;
    const segments = arrived.reduce((sum, e) => sum + (e.segments ?? 0), 0);
    return {
      eventsPerSecond: rate,
      achievedEventsPerSecond: Number(
        (last > first ? ((measured.length - 1) * 1000) / (last - first) : 0).toFixed(1),
      ),
      events: measured.length,
      accepted: accepted.length,
      arrived: arrived.length,
      warmupEvents,
      seconds,
      warmupSeconds,
      warmupDrainSeconds: Number(warmupDrainSeconds.toFixed(1)),
      drainSeconds,
      smsPerSecond: Number(smsPerSecond.toFixed(1)),
      p50Ms: round(overall?.p50),
      p99Ms: round(overall?.p99),
      maxMs: round(overall?.max),
      slices,
      putEventsMs: { p50: round(put?.p50), p99: round(put?.p99) },
      byType: {
        orderPlaced: counts.orderPlaced - typesBefore.orderPlaced,
        orderStatusChanged: counts.orderStatusChanged - typesBefore.orderStatusChanged,
      },
      segmentsPerSms: arrived.length === 0 ? null : Number((segments / arrived.length).toFixed(2)),
      quietHours: 'off',
      clock: `virtual clock at ×${ready.speed} from ${ready.startTime}, i.e. real time`,
      settings: {
        stage,
        batchSize: LOCAL_BATCH_SIZE,
        batchingWindowMs: settings.batchingWindowMs,
        bufferConcurrency: settings.bufferConcurrency,
        maxPartsPerSecond,
        smsPartsPerSecond: settings.smsPartsPerSecond,
        database: settings.inMemoryDatabase
          ? 'DynamoDB Local in memory'
          : 'DynamoDB Local with its files on disk in the state folder, as `npm start` runs it',
      },
      loadAverage: { before: loadBefore, after: loadAfter },
      machine: `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
      javaStopped: await stopStack(child, javaPid, log),
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    stopTail();
    client.destroy();
    if (child.exitCode === null && child.signalCode === null) await stopStack(child, javaPid, log);
    if (options.keepState) log(`the run's state is in ${stateDir}`);
    else rmSync(stateDir, { recursive: true, force: true });
  }
};

/** Closes the stack's stdin (it stops itself, Java included) and checks DynamoDB Local's Java is gone. */
const stopStack = async (child: ChildProcess, javaPid: number | undefined, log: (line: string) => void) => {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
  if (javaPid === undefined) return true;
  for (let i = 0; i < 50 && alive(javaPid); i++) await sleep(100);
  if (!alive(javaPid)) return true;
  log(`DynamoDB Local (pid ${javaPid}) outlived the stack: stopping it`);
  process.kill(javaPid, 'SIGKILL');
  return false;
};

/** Writes `bench.endToEnd` and replaces this section of bench/results.md in place. */
export const writeEndToEnd = (result: EndToEndResult) => {
  mergeBenchJson('endToEnd', { ...result });
  const md = (() => {
    try {
      return readFileSync(MD_FILE, 'utf8');
    } catch {
      return '# Benchmark results\n';
    }
  })();
  writeFileSync(MD_FILE, replaceSection(md, E2E_HEADING, endToEndSection(result).join('\n')));
};

const positive = (value: string) => {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a positive number');
  return n;
};

const main = async () => {
  const program = new Command('bench:e2e')
    .description('end to end on the local stack: event accepted by the bus to SMS in the outbox')
    .option('--rate <events/s>', 'events a second', positive, 100)
    .option('--seconds <n>', 'measured seconds', positive, 40)
    .option('--warmup <n>', 'seconds of warm-up, not counted', positive, 10)
    .option('--max-parts-per-second <n>', "the account's SMS rate for the run", positive, 1000)
    .option(
      '--batching-window <ms>',
      "how long a buffer holds a short batch (the CDK app's maxBatchingWindow)",
      (v) => (v === '0' ? 0 : positive(v)),
      DEPLOYED_BATCHING_WINDOW_MS,
    )
    .option('--seed <n>', 'seed of the events', positive, 16)
    .option('--on-disk', 'DynamoDB Local with its files on disk, as npm start runs it (default: in memory)')
    .option('--keep-state', "leave the run's state folder (outbox, logs, database) in bench/.tmp")
    .option('--no-write', 'print only; leave bench/results.* as they are')
    .parse();
  const opts = program.opts<{
    rate: number;
    seconds: number;
    warmup: number;
    maxPartsPerSecond: number;
    seed: number;
    keepState?: boolean;
    onDisk?: boolean;
    batchingWindow: number;
    write: boolean;
  }>();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const result = await runEndToEnd({
    eventsPerSecond: opts.rate,
    seconds: opts.seconds,
    warmupSeconds: opts.warmup,
    maxPartsPerSecond: opts.maxPartsPerSecond,
    seed: opts.seed,
    keepState: opts.keepState === true,
    inMemoryDatabase: opts.onDisk !== true,
    batchingWindowMs: opts.batchingWindow,
  });
  console.log(endToEndSection(result).join('\n'));
  console.log(JSON.stringify(result));
  if (opts.write) {
    writeEndToEnd(result);
    console.log('figures written to bench/results.json (bench.endToEnd) and bench/results.md');
  }
  if (!result.javaStopped) process.exitCode = 1;
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
