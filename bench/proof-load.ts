/**
 * `npm run proof:load`: the load proof (see bench/proof/load.ts), by default 50,000 events without
 * faults and then with `sns=0.3,events=0.3,connect=0.3,dynamodb=0.05`. Prints the accounting, writes the
 * figures to bench/results.json (`proof.load`) and the "Proof: load" section of bench/results.md, and
 * exits non-zero if any promise is broken.
 */
import { cpus } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { type FaultRates, faultSpecArgument, parseFaultSpec } from '#local/faults/fault-plan.js';
import { type LoadProofResult, runLoadProof } from './proof/load.js';
import { writeProofResults } from './proof/results.js';

const DEFAULT_FAULTS = 'sns=0.3,events=0.3,connect=0.3,dynamodb=0.05';

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number above 0');
  return n;
};

const program = new Command('npm run proof:load --')
  .description('Send shop events through the local stack, with and without faults, and check every promise.')
  .addOption(new Option('--events <n>', 'events per run').default(50_000).argParser(positiveInt))
  .addOption(
    new Option('--faults <service=share,...>', 'faults of the faulty run')
      .default(parseFaultSpec(DEFAULT_FAULTS), DEFAULT_FAULTS)
      .argParser(faultSpecArgument),
  )
  .addOption(new Option('--fault-seed <n>', 'seed of the fault draws').default(1).argParser(positiveInt))
  .addOption(new Option('--seed <n>', 'seed of the load').default(2026).argParser(positiveInt))
  .addOption(new Option('--only <run>', 'run only one of the two').choices(['clean', 'faults']))
  // ×30: a 50,000-event run (about 10 real minutes on 2 cores) stays within one Warsaw working day, so
  // the customers' quiet hours (21:00) do not hold the whole load overnight.
  .addOption(new Option('--speed <n>', 'virtual seconds per real second').default(30).argParser(positiveInt))
  .addOption(
    new Option(
      '--sms-parts-per-second <n>',
      "SMS parts per virtual second the SNS stand-in paces to; the order-SMS function's share of sms.maxPartsPerSecond on AWS is 4, which at ×30 would make SNS's pace the only thing measured",
    )
      .default(20)
      .argParser(positiveInt),
  )
  .addOption(
    new Option(
      '--settle-minutes <n>',
      'real minutes to wait, after the last event is sent, for the pipeline to settle',
    )
      .default(15)
      .argParser(positiveInt),
  )
  .option('--no-write', 'print the figures without writing bench/results.*')
  .showHelpAfterError();

const table = (r: LoadProofResult): string => {
  const a = r.accounting;
  const rows: [string, string | number][] = [
    ['events sent', r.events],
    [
      '  duplicates (same event / same fact, new event)',
      `${r.load.duplicates.sameEvent} / ${r.load.duplicates.sameFactNewEvent}`,
    ],
    ['  malformed (dead-lettered)', `${r.load.malformed} (${r.malformedDeadLettered})`],
    ['SMS-bearing facts emitted (order, status)', a.emitted],
    ['  sent', `${a.sent} (${a.sentAfterDeferral} after quiet hours)`],
    [
      '  suppressed',
      `${a.suppressed} (${
        Object.entries(a.suppressedBy)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '-'
      })`,
    ],
    ['  deferred, still waiting', a.deferred],
    ['  dead-lettered', a['dead-lettered']],
    ['  outcome unknown', a['outcome-unknown']],
    ['  lost', a.lost],
    ['SMS in the outbox', r.smsInOutbox],
    ['duplicate SMS per (order, status)', r.duplicateSms],
    ['SMS to opted-out phones', r.smsToOptedOut],
    [
      'callbacks for ordered carts',
      `${r.callbacksForOrderedCarts} (${r.callbacksMadeBeforeTheirOrder} made before their order arrived)`,
    ],
    ['faults injected', r.injected.injected],
    ['time', `${r.seconds.toFixed(1)} s (events on the bus in ${r.sendSeconds.toFixed(1)} s)`],
    ['events/s', r.eventsPerSecond.toFixed(0)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
};

const main = async () => {
  program.parse();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const opts = program.opts<{
    events: number;
    faults: FaultRates;
    faultSeed: number;
    seed: number;
    only?: 'clean' | 'faults';
    speed: number;
    smsPartsPerSecond: number;
    settleMinutes: number;
    write: boolean;
  }>();
  const runs: { faults?: FaultRates }[] = [
    ...(opts.only === 'faults' ? [] : [{}]),
    ...(opts.only === 'clean' ? [] : [{ faults: opts.faults }]),
  ];
  const results: LoadProofResult[] = [];
  for (const run of runs) {
    const result = await runLoadProof({
      events: opts.events,
      ...(run.faults ? { faults: run.faults } : {}),
      faultSeed: opts.faultSeed,
      seed: opts.seed,
      speed: opts.speed,
      smsPartsPerSecond: opts.smsPartsPerSecond,
      settleTimeoutMs: opts.settleMinutes * 60_000,
      log: (line) => console.error(line),
      stopOnSignal: true,
    });
    results.push(result);
    console.log(`\n${result.label} (${result.settled ? 'settled' : 'NOT settled'})\n${table(result)}`);
    for (const b of result.broken) {
      console.log(`  BROKEN: ${b.promise}: ${b.count}, e.g.\n    ${b.examples.join('\n    ')}`);
    }
  }
  if (opts.write) {
    await writeProofResults(results, {
      machine: `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
      seed: opts.seed,
    });
    console.log('\nfigures written to bench/results.json (proof.load) and bench/results.md');
  }
  const broken = results.flatMap((r) => r.broken);
  if (broken.length > 0) {
    console.log(`\n${broken.length} promise(s) broken`);
    process.exitCode = 1;
  } else {
    console.log('\nevery promise held');
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
