/**
 * The SMS path's figures: the section of bench/results.md (written by `npm run bench`, or replaced in place
 * by `npm run bench:sms`) and `bench.smsPath` in bench/results.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mergeBenchJson } from './results-json.js';
import type { SmsThroughput } from './sms-throughput.js';

const MD_FILE = new URL('./results.md', import.meta.url);
export const SMS_HEADING = '## SMS path throughput on DynamoDB Local';

/** The SMS path's budget (docs/architecture.md, "Budgets"). */
export const SMS_BUDGET = { maxCallsPerEvent: 2.5, minRatio: 0.45 } as const;

const ratioOf = (sms: SmsThroughput) => sms.ratio;

/** Raw put's CPU per event over the SMS event's, both processes together: the ratio the machine's CPU allows. */
const cpuRatioOf = (sms: SmsThroughput): number | undefined => {
  const cpu = sms.cpuMsPerEvent;
  if (!cpu) return undefined;
  return (cpu.raw.bench + cpu.raw.dynamoDbLocal) / (cpu.sms.bench + cpu.sms.dynamoDbLocal);
};
const ms = (n: number) => `${n.toFixed(2)} ms`;

export const smsSection = (sms: SmsThroughput): string[] => {
  const ratio = ratioOf(sms);
  const byOperation = Object.entries(sms.callsByOperation)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, n]) => `${operation} ${n.toFixed(2)}`)
    .join(', ');
  return [
    SMS_HEADING,
    '',
    `${sms.events} OrderPlaced events, each for its own order and its own customer's phone, through the order-SMS batch consumer in batches of ${sms.batchSize}, as the buffer hands them to the function (parse, the ledger's claim, the batch's opt-out read, the daily allowance, the batch's outcomes announced and then recorded; SNS and the bus stubbed), ${sms.inFlight} batches in flight, beside DynamoDB Local's raw conditional-put rate with ${sms.inFlight} puts in flight, the two alternating in ${sms.roundRatios.length} rounds (the ratio is the median of the rounds': ${sms.roundRatios.map((r) => r.toFixed(2)).join(', ')}), after ${sms.warmupEvents} events of each not counted, while DynamoDB Local's JIT settles. A batch decides its records one after another, so ${sms.inFlight} claims are in flight as ${sms.inFlight} raw puts are (a batch's opt-out read runs beside its first claim). Budget: at most ${SMS_BUDGET.maxCallsPerEvent} DynamoDB calls per event and at least ${SMS_BUDGET.minRatio} of the raw rate. Both rates share the machine with whatever else runs on it: the ratio is the figure to read, the rates are noisy; the CPU each event cost this process and DynamoDB Local's JVM (from /proc) is beside them, less moved by other work on the machine.`,
    '',
    '| raw conditional puts/s | SMS events/s | ratio | DynamoDB calls per event | budget | calls per event by operation |',
    '| --- | --- | --- | --- | --- | --- |',
    `| ${sms.rawConditionalPutsPerSecond.toFixed(0)} | ${sms.smsEventsPerSecond.toFixed(0)} | ${ratio.toFixed(2)} | ${sms.dynamoCallsPerEvent.toFixed(2)} | ${smsWithinBudget(sms) ? 'within' : '**outside**'} | ${byOperation} |`,
    '',
    ...cpuTable(sms),
    'Per SMS sent: one UpdateItem claims it and moves the order forward (the one write per event the path cannot avoid, the raw put’s counterpart); the batch reads the opt-out list of all its phones in one BatchGetItem (again, for the SMS still to decide, when that read is more than a second old, so an opt-out that arrives mid-batch is honoured as before); the batch’s facts go to the bus in one PutEvents call, and one BatchWriteItem then records their outcomes: settled, a small item with the SNS messageId, where the bus took the fact; pending, with the fact, in the release sweeper’s index, where it did not; one UpdateItem reserves the day’s parts per block (a thousandth of the cap, 20 to 100 parts: about one per four batches at the default cap). Until issue 16 each SMS read the opt-out list with its own GetItem: 2.33 calls per event (UpdateItem 1.10, GetItem 1.01, BatchWriteItem 0.22) and a ratio of 0.22; and every outcome was written twice, pending before its announcement and settled after it, both whole facts, the first into the index and the second out of it: 0.23 BatchWriteItem per event, a ratio of 0.33-0.37 (measured with one round of warm-up). Issue 16 also took most of this process’s own CPU per event away (1.0-1.45 ms down to about 0.13 ms, in memory, without DynamoDB): the SMS parts counted in one pass instead of sms-segments-calculator’s quadratic walk, the customer’s zone checked once per name instead of building an Intl formatter per event, a mobile number recognised with one parse. Both phases go through LeanDocumentClient, the signed JSON request the deployed function sends (on the SDK’s document client, the same loaded machine measured a ratio of 0.35, on the lean client 0.33: the client’s cost per request was never what held the ratio down).',
    '',
  ];
};

const cpuTable = (sms: SmsThroughput): string[] => {
  const cpu = sms.cpuMsPerEvent;
  const cpuRatio = cpuRatioOf(sms);
  if (!cpu || cpuRatio === undefined) return [];
  return [
    '| CPU per event | this process | DynamoDB Local (JVM) | both |',
    '| --- | --- | --- | --- |',
    `| raw conditional put | ${ms(cpu.raw.bench)} | ${ms(cpu.raw.dynamoDbLocal)} | ${ms(cpu.raw.bench + cpu.raw.dynamoDbLocal)} |`,
    `| SMS event | ${ms(cpu.sms.bench)} | ${ms(cpu.sms.dynamoDbLocal)} | ${ms(cpu.sms.bench + cpu.sms.dynamoDbLocal)} |`,
    '',
    `Raw put’s CPU over the SMS event’s, both processes together: ${cpuRatio.toFixed(2)} (on 2 cores both phases keep the CPU busy, so this is about the ratio of the rates a quiet machine would measure).`,
    '',
  ];
};

/** Whether both figures are within the SMS path's budget. */
export const smsWithinBudget = (sms: SmsThroughput): boolean =>
  ratioOf(sms) >= SMS_BUDGET.minRatio && sms.dynamoCallsPerEvent <= SMS_BUDGET.maxCallsPerEvent;

/** The SMS figures under `bench.smsPath` of bench/results.json (the other sections kept). */
export const writeSmsJson = (sms: SmsThroughput) => {
  mergeBenchJson('smsPath', {
    events: sms.events,
    batchSize: sms.batchSize,
    inFlight: sms.inFlight,
    rawConditionalPutsPerSecond: Number(sms.rawConditionalPutsPerSecond.toFixed(1)),
    smsEventsPerSecond: Number(sms.smsEventsPerSecond.toFixed(1)),
    /** The median over the rounds of SMS events/s over raw puts/s. */
    ratioToRawPuts: Number(ratioOf(sms).toFixed(3)),
    /** The same figure under its name before issue 16, for readers of older files. */
    ratio: Number(ratioOf(sms).toFixed(3)),
    roundRatios: sms.roundRatios.map((r) => Number(r.toFixed(3))),
    warmupEvents: sms.warmupEvents,
    ...(sms.cpuMsPerEvent
      ? {
          /** CPU ms per event of the bench process and DynamoDB Local's JVM, by phase. */
          cpuMsPerEvent: {
            raw: {
              bench: Number(sms.cpuMsPerEvent.raw.bench.toFixed(3)),
              dynamoDbLocal: Number(sms.cpuMsPerEvent.raw.dynamoDbLocal.toFixed(3)),
            },
            sms: {
              bench: Number(sms.cpuMsPerEvent.sms.bench.toFixed(3)),
              dynamoDbLocal: Number(sms.cpuMsPerEvent.sms.dynamoDbLocal.toFixed(3)),
            },
          },
          cpuRatio: Number((cpuRatioOf(sms) ?? 0).toFixed(3)),
        }
      : {}),
    dynamoCallsPerEvent: Number(sms.dynamoCallsPerEvent.toFixed(3)),
    callsByOperation: Object.fromEntries(
      Object.entries(sms.callsByOperation).map(([operation, n]) => [operation, Number(n.toFixed(3))]),
    ),
    budget: SMS_BUDGET,
    withinBudget: smsWithinBudget(sms),
  });
};

/** Replaces the SMS section of bench/results.md in place (the other sections untouched). */
export const replaceSmsSection = (sms: SmsThroughput) => {
  const md = existsSync(MD_FILE) ? readFileSync(MD_FILE, 'utf8') : '# Benchmark results\n';
  const section = smsSection(sms).join('\n');
  const start = md.indexOf(SMS_HEADING);
  if (start < 0) {
    writeFileSync(MD_FILE, `${md.trimEnd()}\n\n${section}`);
    return;
  }
  const next = md.indexOf('\n## ', start + SMS_HEADING.length);
  writeFileSync(MD_FILE, `${md.slice(0, start)}${section}${next < 0 ? '' : `\n${md.slice(next + 1)}`}`);
};
