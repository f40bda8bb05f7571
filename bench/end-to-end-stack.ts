/**
 * The local stack for `npm run bench:e2e`, in a process of its own, as `npm start -- --no-demo` runs it: the
 * bench drives it from outside like a shop backend (PutEvents over HTTP) and watches the outbox file like a
 * user (`tail -f .peakline/outbox.jsonl`), so neither the sender nor the observer takes the stack's event
 * loop. It differs from `npm start` only in the settings the run needs, each stated in the bench's output:
 * the dev stage with quiet hours off and the account's SMS rate raised (see end-to-end.ts), on the real
 * clock (×1, starting now), no demo, free ports.
 *
 * Protocol: the settings come as one JSON argument; once the stack is up, one JSON line on stdout
 * (`StackReady`); the stack stops (DynamoDB Local's Java included) when stdin closes, so it also stops if
 * the bench dies.
 */
import { loadConfig } from '#infra/config/load.js';
import { startLocalStack } from '#local/stack.js';
import { benchConfig } from './end-to-end-events.js';

export interface StackSettings {
  readonly stage: string;
  readonly stateDir: string;
  /** SMS parts per second the SNS stand-in paces to. */
  readonly smsPartsPerSecond: number;
  /** The account's SMS rate the run's configuration says (sms.maxPartsPerSecond). */
  readonly maxPartsPerSecond: number;
  /** Batches each buffer's function consumes at once (the event source's maxConcurrency). */
  readonly bufferConcurrency: number;
  /** Virtual ms a buffer holds a short batch for more (the event source's maxBatchingWindow). */
  readonly batchingWindowMs: number;
  /** DynamoDB Local in memory instead of on disk in the state folder (as `npm start` keeps it). */
  readonly inMemoryDatabase: boolean;
}

export interface StackReady {
  readonly eventsUrl: string;
  readonly dashboardUrl: string;
  readonly outboxFile: string;
  readonly busName: string;
  readonly source: string;
  readonly region: string;
  readonly startTime: string;
  readonly speed: number;
}

const main = async () => {
  const settings = JSON.parse(process.argv[2] ?? '{}') as StackSettings;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = benchConfig(loadConfig(settings.stage), settings.maxPartsPerSecond);
  const startTime = new Date();
  const stack = await startLocalStack({
    config,
    stateDir: settings.stateDir,
    startTime,
    speed: 1,
    demo: false,
    eventsPort: 0,
    dashboardPort: 0,
    smsPartsPerSecond: settings.smsPartsPerSecond,
    bufferConcurrency: settings.bufferConcurrency,
    inMemoryDatabase: settings.inMemoryDatabase,
    bufferBatchingWindowMs: settings.batchingWindowMs,
    log: (line) => process.stderr.write(`[stack] ${line}\n`),
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  };
  process.stdin.on('end', () => void stop());
  process.stdin.on('close', () => void stop());
  process.stdin.resume();
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  const ready: StackReady = {
    eventsUrl: stack.eventsUrl,
    dashboardUrl: stack.dashboardUrl,
    outboxFile: stack.outbox.file,
    busName: config.bus.name,
    source: config.shop.source,
    region: config.region,
    startTime: startTime.toISOString(),
    speed: stack.clock.speed,
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
