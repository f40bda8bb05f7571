/**
 * `npm start`: runs the whole pipeline on this machine (see local/stack.ts) until Ctrl-C.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig } from '#infra/config/load.js';
import { PortInUseError } from './http/listen.js';
import { JAVA_HINT } from './dynamodb-local.js';
import { FaultInjector, type FaultRates, faultSpecArgument, formatFaultRates } from './faults/fault-plan.js';
import { startLocalStack } from './stack.js';

/** The demo's evening: Black Friday 2026, 17:00 in Warsaw. */
export const DEMO_START = '2026-11-27T17:00:00+01:00';

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65_535) throw new InvalidArgumentError('expected a port, 1-65535');
  return n;
};
const positive = (value: string): number => {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a positive number');
  return n;
};
const seed = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) {
    throw new InvalidArgumentError('expected a whole number, 0-4294967295');
  }
  return n;
};
const isoTime = (value: string): Date => {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('expected an ISO-8601 time such as 2026-11-27T17:00:00+01:00');
  }
  return date;
};

const program = new Command('npm start --')
  .description(
    'Run peakline on this machine: DynamoDB Local, a local EventBridge endpoint, the Connect simulator and a dashboard.',
  )
  .option(
    '--start-time <iso>',
    `virtual time to start at (default: ${DEMO_START} with the demo, now without)`,
    isoTime,
  )
  .option('--speed <n>', 'virtual seconds per real second (default: 60 with the demo, 1 without)', positive)
  .option('--no-demo', 'start empty, without the Black Friday demo')
  .option('--keep', "keep the previous run's state in the state folder instead of starting clean", false)
  .addOption(
    new Option('--events-port <port>', 'port of the EventBridge endpoint').default(4010).argParser(port),
  )
  .addOption(new Option('--dashboard-port <port>', 'port of the dashboard').default(4000).argParser(port))
  .option('--stage <stage>', 'whose settings to use (infra/config/stages/<stage>.json)', 'dev')
  .option('--state-dir <dir>', 'where the outbox, dead letters, logs and database live', '.peakline')
  .option(
    '--faults <service=share,...>',
    'make that share of calls fail the way AWS does (throttling, 5xx, a timeout after the call took effect); services: sns, events, connect, dynamodb; e.g. sns=0.3,events=0.3,connect=0.3,dynamodb=0.05',
    faultSpecArgument,
  )
  .addOption(
    new Option('--fault-seed <n>', 'seed of the fault draws, to replay a run').default(1).argParser(seed),
  )
  .showHelpAfterError();

const main = async () => {
  program.parse();
  // The SDK warns that it will need Node 22 from 2027; the local stack is no place for that notice.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const opts = program.opts<{
    startTime?: Date;
    speed?: number;
    demo: boolean;
    keep: boolean;
    eventsPort: number;
    dashboardPort: number;
    stage: string;
    stateDir: string;
    faults?: FaultRates;
    faultSeed: number;
  }>();
  const faults = new FaultInjector(opts.faults ?? {}, opts.faultSeed);
  const config = loadConfig(opts.stage);
  const stack = await startLocalStack({
    config,
    stateDir: opts.stateDir,
    keep: opts.keep,
    startTime: opts.startTime ?? (opts.demo ? new Date(DEMO_START) : new Date()),
    speed: opts.speed ?? (opts.demo ? 60 : 1),
    demo: opts.demo,
    eventsPort: opts.eventsPort,
    dashboardPort: opts.dashboardPort,
    log: (line) => console.error(line),
    faults,
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping (DynamoDB Local included)…`);
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('Ctrl-C'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  console.log(`
peakline is running on this machine (stage settings: ${config.stage}; state in ${opts.stateDir}/)

  dashboard            ${stack.dashboardUrl}
  EventBridge endpoint ${stack.eventsUrl}   bus "${config.bus.name}", source "${config.shop.source}"
  virtual time         ${stack.clock.now().toISOString()} at ×${stack.clock.speed}${opts.demo ? '  (Black Friday demo playing; --no-demo to start empty)' : ''}
  injected faults      ${faults.enabled ? `${formatFaultRates(faults.rates)} (seed ${faults.seed}; ${stack.dashboardUrl}/api/faults)` : 'none (--faults sns=0.3,… to try the pipeline under failure)'}

Send an event the way the shop backend does:
  aws events put-events --no-sign-request --endpoint-url ${stack.eventsUrl} --region ${config.region} \\
    --entries file://events/samples/customer-opted-out.json

Ctrl-C stops everything.`);
};

main().catch((error: unknown) => {
  if (error instanceof PortInUseError || error instanceof ConfigError) {
    console.error(error.message);
  } else if (error instanceof Error && error.message.includes('Java')) {
    console.error(`${error.message}\n${JAVA_HINT}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
