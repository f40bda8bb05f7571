/**
 * `npm run cost`: what a million order events cost the infrastructure at eu-central-1 list prices, from the
 * calls bench/pipeline-calls.ts counted (bench.pipeline of bench/results.json, measured again when missing or
 * with `--measure`), the fixed monthly costs apart, and the SMS per destination country apart. Writes
 * `bench.cost` and its section of bench/results.md (in place, the other sections untouched).
 *
 *   npm run cost                       # from the figures in bench/results.json
 *   npm run cost -- --measure          # count the pipeline again first (DynamoDB Local, about a minute)
 *   npm run cost -- --measure --orders 200
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TABLES, type TableDefinition } from '#adapters/dynamodb/tables.js';
import { loadConfig } from '#infra/config/load.js';
import {
  costPerMillionOrderEvents,
  type CostInputs,
  type CostRow,
  fixedMonthly,
  type FixedInputs,
  type PriceList,
  smsPerMillion,
} from './cost-model.js';
import { type PipelineFigures, type ScenarioFigures, measurePipelineCalls } from './pipeline-calls.js';
import { benchSection, mergeBenchJson } from './results-json.js';

export const COST_HEADING = '## Cost per million order events (eu-central-1 list prices)';
export const COST_BUDGET_USD = 3;

/**
 * Cold starts as a share of invocations. Busy (100 events/s): each buffer's few execution environments
 * live for hours, so a new one starts about once per thousand invocations at most (an upper bound: AWS
 * recycles environments every few hours). A quiet hour (a few events): every invocation may start cold.
 */
export const COLD_START_RATE = { busy: 0.001, quiet: 1 } as const;

/**
 * Requests Lambda's pollers make on an idle queue a month: an SQS event source long-polls (20 s) with 5
 * pollers at least, about 15 ReceiveMessage a minute. An estimate from AWS's description of the pollers,
 * not a measurement.
 */
export const IDLE_POLL_REQUESTS_PER_QUEUE_MONTH = 5 * 3 * 60 * 24 * (365.25 / 12);

/** A destination country's SMS are written in its customers' language: the parts a text costs follow it. */
const LANGUAGE_OF_COUNTRY: Record<string, string> = { PL: 'pl', FI: 'fi', DE: 'en', RU: 'ru' };

export const PRICES_FILE = new URL('./prices-eu-central-1.json', import.meta.url);
const MD_FILE = new URL('./results.md', import.meta.url);

export interface PipelineSection extends PipelineFigures {
  readonly counted: string;
}

export interface CostResult {
  readonly pricesAsOf: string;
  readonly region: string;
  readonly perMillionOrderEvents: {
    readonly total: number;
    readonly byService: Record<string, number>;
    readonly rows: CostRow[];
  };
  readonly quietHour: { readonly total: number; readonly byService: Record<string, number> };
  readonly fixedMonthly: { readonly total: number; readonly rows: CostRow[]; readonly counted: string };
  readonly smsPerCountry: {
    readonly country: string;
    readonly name: string;
    readonly partsPerSms: number;
    readonly pricePerPart: number;
    readonly perMillionSmsEvents: number;
    readonly source: string;
  }[];
  readonly smsPerOrderEvent: number;
  readonly budget: number;
  readonly withinBudget: boolean;
  readonly assumptions: readonly string[];
  readonly initMs: Record<string, { readonly ms: number; readonly from: string }>;
}

interface ColdStartFunction {
  readonly name: string;
  readonly deployed?: boolean;
  readonly loadMs?: number;
  readonly overBaselineMs?: number;
}

/**
 * The INIT phase billed for a cold start of each function: the load time bench.coldStarts measured (the
 * variant deployed); a function it has not measured takes the median of those it has.
 */
export const initMsByFunction = (
  functions: readonly ColdStartFunction[],
  names: readonly string[],
): Record<string, { ms: number; from: string }> => {
  const measured = new Map<string, number>();
  for (const f of functions) {
    const ms = f.loadMs ?? f.overBaselineMs;
    if (ms === undefined || !Number.isFinite(ms)) continue;
    if (f.deployed === false && measured.has(f.name)) continue;
    if (f.deployed !== false || !measured.has(f.name)) measured.set(f.name, ms);
  }
  const sorted = [...measured.values()].sort((a, b) => a - b);
  const fallback = sorted.length > 0 ? (sorted[Math.floor(sorted.length / 2)] ?? 0) : 150;
  return Object.fromEntries(
    names.map((name) => {
      const ms = measured.get(name);
      return [
        name,
        ms === undefined
          ? {
              ms: fallback,
              from:
                sorted.length > 0
                  ? 'not in bench.coldStarts: the median load time of the functions it measured'
                  : 'bench.coldStarts is missing: 150 ms assumed',
            }
          : { ms, from: 'bench.coldStarts, load time of the deployed variant' },
      ];
    }),
  );
};

const infrequentAccess = (table: string): boolean =>
  (TABLES as Record<string, TableDefinition | undefined>)[table]?.tableClass === 'STANDARD_INFREQUENT_ACCESS';

export const costInputsOf = (
  pipeline: PipelineFigures,
  scenario: ScenarioFigures,
  options: {
    readonly initMs: Readonly<Record<string, number>>;
    readonly coldStartRate: number;
    readonly archiveRetentionDays: number;
    readonly logRetentionDays: number;
  },
): CostInputs => {
  const e = scenario.perOrderEvent;
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  // Each table at its class's prices, as the table definition (the DataStack's) names it.
  const pick = (r: Record<string, number>, ia: boolean) =>
    Object.fromEntries(Object.entries(r).filter(([table]) => infrequentAccess(table) === ia));
  return {
    // A section written before the shop's chunks were counted apart: one chunk per entry, as every sample is.
    eventBridgeShopEvents: e.eventBridgeEvents.shopBillable ?? e.eventBridgeEvents.shopEntries,
    eventBridgeBillableEvents: e.eventBridgeEvents.billable,
    archivedBytes: e.archivedBytes,
    archiveRetentionDays: options.archiveRetentionDays,
    sqsRequests: e.sqsRequests.total,
    invocations: e.lambdaInvocations.byFunction,
    warmGbSeconds: e.lambdaGbSeconds.warm,
    initMs: options.initMs,
    coldStartRate: options.coldStartRate,
    memoryMb: pipeline.memoryMb,
    smsParts: e.smsParts,
    smsPartsPerSecondPerSender: pipeline.smsPartsPerSecondPerSender,
    readUnits: sum(pick(e.dynamo.readUnits, false)),
    writeUnits: sum(pick(e.dynamo.writeUnits, false)),
    infrequentAccessReadUnits: sum(pick(e.dynamo.readUnits, true)),
    infrequentAccessWriteUnits: sum(pick(e.dynamo.writeUnits, true)),
    storage: Object.entries(pipeline.storage).map(([table, s]) => ({
      table,
      ...s,
      infrequentAccess: infrequentAccess(table),
    })),
    logBytes: e.logBytes.total,
    logRetentionDays: options.logRetentionDays,
  };
};

const byService = (rows: readonly CostRow[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.service] = (out[r.service] ?? 0) + r.dollars;
  return out;
};

/** Alarms, dashboards and polled queues as the synthesized PipelineStack has them (cdk.out), if synthesized. */
export const countTemplate = (
  template:
    { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> } | undefined,
): Omit<FixedInputs, 'idlePollRequestsPerQueueMonth' | 'customMetrics'> => {
  const resources = Object.values(template?.Resources ?? {});
  let alarmMetrics = 0;
  for (const r of resources) {
    if (r.Type !== 'AWS::CloudWatch::Alarm') continue;
    const metrics = r.Properties?.Metrics as { MetricStat?: unknown }[] | undefined;
    // An alarm on metric math is billed per metric in its expression.
    alarmMetrics += metrics ? Math.max(1, metrics.filter((m) => m.MetricStat !== undefined).length) : 1;
  }
  const count = (type: string) => resources.filter((r) => r.Type === type).length;
  return {
    standardAlarmMetrics: alarmMetrics,
    compositeAlarms: count('AWS::CloudWatch::CompositeAlarm'),
    dashboards: count('AWS::CloudWatch::Dashboard'),
    // A stream's mapping has a starting position; a queue's has none.
    polledQueues: resources.filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties?.StartingPosition === undefined,
    ).length,
  };
};

const readTemplate = (): { template: Parameters<typeof countTemplate>[0]; from: string } => {
  const dir = fileURLToPath(new URL('../cdk.out/', import.meta.url));
  if (!existsSync(dir))
    return { template: undefined, from: 'cdk.out is missing (npm run synth): not counted' };
  const file = readdirSync(dir).find((f) => /Pipeline.*\.template\.json$/.test(f));
  if (!file)
    return { template: undefined, from: 'no PipelineStack template in cdk.out (npm run synth): not counted' };
  return {
    template: JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as Parameters<typeof countTemplate>[0],
    from: `cdk.out/${file} as last synthesized`,
  };
};

export const computeCost = (
  pipeline: PipelineFigures,
  prices: PriceList,
  options: {
    readonly coldStarts: readonly ColdStartFunction[];
    readonly archiveRetentionDays: number;
    readonly logRetentionDays: number;
    readonly template: Parameters<typeof countTemplate>[0];
    readonly templateFrom: string;
  },
): CostResult => {
  const initMs = initMsByFunction(
    options.coldStarts,
    Object.keys(pipeline.busy.perOrderEvent.lambdaInvocations.byFunction),
  );
  const ms = Object.fromEntries(Object.entries(initMs).map(([k, v]) => [k, v.ms]));
  const common = {
    initMs: ms,
    archiveRetentionDays: options.archiveRetentionDays,
    logRetentionDays: options.logRetentionDays,
  };
  const busy = costPerMillionOrderEvents(
    costInputsOf(pipeline, pipeline.busy, { ...common, coldStartRate: COLD_START_RATE.busy }),
    prices,
  );
  const quiet = costPerMillionOrderEvents(
    costInputsOf(pipeline, pipeline.quiet, { ...common, coldStartRate: COLD_START_RATE.quiet }),
    prices,
  );
  const counted = countTemplate(options.template);
  const fixed = fixedMonthly(
    {
      ...counted,
      idlePollRequestsPerQueueMonth: IDLE_POLL_REQUESTS_PER_QUEUE_MONTH,
      customMetrics: pipeline.distinctMetrics.length,
    },
    prices,
  );
  const smsPerCountry = Object.entries(prices.smsPerPart.countries).map(([country, price]) => {
    const language = LANGUAGE_OF_COUNTRY[country] ?? 'en';
    const tally = pipeline.smsByLanguage[language];
    const partsPerSms = tally && tally.sms > 0 ? tally.parts / tally.sms : 0;
    return {
      country,
      name: price.name,
      language,
      partsPerSms,
      pricePerPart: price.price,
      perMillionSmsEvents: smsPerMillion(partsPerSms, price.price),
      source: price.source,
    };
  });
  return {
    pricesAsOf: prices.asOf,
    region: prices.region,
    perMillionOrderEvents: { total: busy.total, byService: byService(busy.rows), rows: busy.rows },
    quietHour: { total: quiet.total, byService: byService(quiet.rows) },
    fixedMonthly: { total: fixed.total, rows: fixed.rows, counted: options.templateFrom },
    smsPerCountry,
    smsPerOrderEvent: pipeline.smsPerOrderEvent,
    budget: COST_BUDGET_USD,
    withinBudget: busy.total < COST_BUDGET_USD,
    initMs,
    assumptions: [
      `busy: 100 order events/s, SQS batches of ${pipeline.busy.batchSize} (each buffer takes 100 events/s and Lambda's 1 s batching window fills its 10 records); quiet hour: batches of ${pipeline.quiet.batchSize}`,
      `cold starts: ${COLD_START_RATE.busy * 100}% of invocations busy, ${COLD_START_RATE.quiet * 100}% in a quiet hour; INIT billed at the load time bench.coldStarts measured`,
      `${pipeline.memoryMb} MiB arm64 (PeaklineFunction's default; none of these functions sets another)`,
      `idle polling: ${Math.round(IDLE_POLL_REQUESTS_PER_QUEUE_MONTH)} ReceiveMessage per polled queue a month (5 pollers, 20 s long polls)`,
      "free tiers left out; logs stored uncompressed (an upper bound); DynamoDB streams read by Lambda are free; the archive takes the shop's events only",
    ],
  };
};

const money = (d: number) => (d >= 0.01 ? d.toFixed(2) : d === 0 ? '0' : d.toFixed(4));
const qty = (n: number) =>
  n === 0
    ? '0'
    : n >= 100
      ? n.toFixed(0)
      : n >= 1
        ? n.toFixed(2)
        : n >= 0.001
          ? n.toFixed(4)
          : n.toExponential(2);

export const costSection = (cost: CostResult, pipeline: PipelineSection): string[] => {
  const services = Object.entries(cost.perMillionOrderEvents.byService);
  const busy = pipeline.busy.perOrderEvent;
  const warm = Object.entries(pipeline.busy.warmMsPerBatch)
    .map(([fn, w]) => `${fn} ${w.median.toFixed(0)} ms (${w.batches} batches)`)
    .join(', ');
  return [
    COST_HEADING,
    '',
    `Infrastructure for a million order events at ${cost.region} list prices of ${cost.pricesAsOf} (bench/prices-eu-central-1.json, each price with its source; free tiers left out), from the calls \`npm run cost -- --measure\` counted: ${pipeline.counted}. Goal: under US$${cost.budget} without SMS.`,
    '',
    '| service | per million order events (US$) |',
    '| --- | --- |',
    ...services.map(([service, d]) => `| ${service} | ${money(d)} |`),
    `| **total** | **${money(cost.perMillionOrderEvents.total)}** (goal < ${cost.budget}: ${cost.withinBudget ? 'within' : '**over**'}) |`,
    `| the same in a quiet hour (batches of 1, every start cold) | ${money(cost.quietHour.total)} |`,
    '',
    '| service | what | per order event | unit | unit price (US$) | US$ per million |',
    '| --- | --- | --- | --- | --- | --- |',
    ...cost.perMillionOrderEvents.rows.map(
      (r) =>
        `| ${r.service} | ${r.item} | ${qty(r.perEvent)} | ${r.unit} | ${r.unitPrice} | ${money(r.dollars)} |`,
    ),
    '',
    `Counted per order event: ${qty(busy.eventBridgeEvents.published)} events published back (SMS facts), ${qty(busy.sqsRequests.sendMessage)} SendMessage, ${qty(busy.lambdaInvocations.total)} invocations, ${qty(busy.dynamo.calls)} DynamoDB calls (${Object.entries(
      busy.dynamo.callsByTable,
    )
      .map(
        ([t, ops]) =>
          `${t}: ${Object.entries(ops)
            .map(([op, n]) => `${op} ${qty(n)}`)
            .join(', ')}`,
      )
      .join(
        '; ',
      )}), ${qty(busy.logBytes.total)} log bytes, ${qty(busy.metricValues)} metric values, ${qty(busy.smsSent)} SMS of ${qty(busy.smsParts)} parts. Warm handler time per batch of ${pipeline.busy.batchSize} (median): ${warm}.`,
    '',
    `Write request units per order event by table, each with its global indexes' writes: ${Object.entries(
      busy.dynamo.writeUnits,
    )
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${t} ${qty(n)}`)
      .join(', ')}; read units: ${Object.entries(busy.dynamo.readUnits)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${t} ${qty(n)}`)
      .join(', ')}. Log bytes per order event by function: ${Object.entries(busy.logBytes.byFunction)
      .map(([fn, n]) => `${fn} ${n.toFixed(0)}`)
      .join(', ')}. The largest lines: ${[...cost.perMillionOrderEvents.rows]
      .sort((a, b) => b.dollars - a.dollars)
      .slice(0, 4)
      .map((r) => `${r.service} ${r.item.split(' (')[0]} US$${money(r.dollars)}`)
      .join('; ')}.`,
    '',
    `Fixed a month, whatever the traffic (${cost.fixedMonthly.counted}): US$${money(cost.fixedMonthly.total)}.`,
    '',
    '| service | what | count | unit price (US$) | US$ a month |',
    '| --- | --- | --- | --- | --- |',
    ...cost.fixedMonthly.rows.map(
      (r) => `| ${r.service} | ${r.item} | ${qty(r.perEvent)} | ${r.unitPrice} | ${money(r.dollars)} |`,
    ),
    '',
    `SMS apart, per million SMS-carrying order events (parts per SMS from the texts the run sent in the country's language; ${qty(cost.smsPerOrderEvent)} SMS per order event in this mix):`,
    '',
    '| country | language | parts per SMS | US$ per part | US$ per million SMS events | price from |',
    '| --- | --- | --- | --- | --- | --- |',
    ...cost.smsPerCountry.map(
      (c) =>
        `| ${c.name} | ${LANGUAGE_OF_COUNTRY[c.country] ?? ''} | ${c.partsPerSms.toFixed(2)} | ${c.pricePerPart} | ${money(c.perMillionSmsEvents)} | ${c.source} |`,
    ),
    '',
    `Assumptions: ${cost.assumptions.join('; ')}.`,
    '',
  ];
};

/** `md` with its cost section replaced by `lines` in place, or added at its end when it has none. */
export const withCostSection = (md: string, lines: readonly string[]): string => {
  const section = lines.join('\n');
  const start = md.indexOf(COST_HEADING);
  if (start < 0) return `${md.trimEnd()}\n\n${section}`;
  const next = md.indexOf('\n## ', start + COST_HEADING.length);
  return `${md.slice(0, start)}${section}${next < 0 ? '' : `\n${md.slice(next + 1)}`}`;
};

/** Replaces the cost section of bench/results.md in place (the other sections untouched). */
export const replaceCostSection = (lines: readonly string[]): void => {
  const md = existsSync(MD_FILE) ? readFileSync(MD_FILE, 'utf8') : '# Benchmark results\n';
  writeFileSync(MD_FILE, withCostSection(md, lines));
};

export const readPrices = (): PriceList => JSON.parse(readFileSync(PRICES_FILE, 'utf8')) as PriceList;

/** Counts the pipeline (bench.pipeline) and returns it as written. */
export const measureAndWritePipeline = async (orders: number): Promise<PipelineSection> => {
  const figures = await measurePipelineCalls({ orders, log: (line) => console.error(line) });
  const counted = `${figures.busy.orderEvents} order events of ${figures.orders} orders (seed ${figures.seed}; each order placed, ${Math.round(figures.mix.cartShare * 100)}% with a cart id, then PACKED, SHIPPED, OUT_FOR_DELIVERY, DELIVERED, ${Math.round(figures.mix.delayedShare * 100)}% delayed once, ${Math.round(figures.mix.cancelledShare * 100)}% cancelled instead; customers ${figures.mix.customers.map((c) => `${Math.round(c.share * 100)}% ${c.country}/${c.locale}`).join(', ')}) through the deployed handlers in process on DynamoDB Local, batches of ${figures.busy.batchSize}, and ${figures.quiet.orderEvents} more in batches of ${figures.quiet.batchSize}; Node ${process.version}, ${cpus().length} CPUs, load ${loadavg()[0]?.toFixed(1)}`;
  const section: PipelineSection = { ...figures, counted };
  mergeBenchJson('pipeline', section as unknown as Record<string, unknown>);
  return section;
};

/**
 * Prices the last counts (or counts again with `measure`), writes `bench.cost` and the results.md section, and
 * returns the section's lines: what `npm run cost` does, for `npm run bench` to call too.
 */
export const runCost = async (options: { readonly measure?: boolean; readonly orders?: number } = {}) => {
  let pipeline = benchSection<PipelineSection>('pipeline');
  if (options.measure === true || pipeline?.busy === undefined) {
    pipeline = await measureAndWritePipeline(options.orders ?? 120);
  }
  const config = loadConfig('prod');
  const { template, from } = readTemplate();
  const coldStarts = benchSection<{ functions?: ColdStartFunction[] }>('coldStarts')?.functions ?? [];
  const cost = computeCost(pipeline, readPrices(), {
    coldStarts,
    archiveRetentionDays: config.bus.archiveRetentionDays,
    logRetentionDays: config.logs.retentionDays,
    template,
    templateFrom: from,
  });
  mergeBenchJson('cost', cost as unknown as Record<string, unknown>);
  const lines = costSection(cost, pipeline);
  replaceCostSection(lines);
  return lines;
};

const main = async () => {
  const { values } = parseArgs({
    options: { measure: { type: 'boolean', default: false }, orders: { type: 'string', default: '120' } },
  });
  const orders = Number(values.orders);
  if (!Number.isInteger(orders) || orders < 5) {
    console.error(`--orders must be a whole number of at least 5, not ${values.orders}`);
    process.exitCode = 1;
    return;
  }
  console.log((await runCost({ measure: values.measure, orders })).join('\n'));
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
