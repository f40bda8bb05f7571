/**
 * `peakline simulate`: what a day (or a season) of the forecast does to the contact centre with these
 * seats, replayed on the simulator with the core code the Lambdas run; or one queue at a constant rate,
 * the form that checks the planner's Erlang C and Erlang A. See /work/notes/readme-simulate.md.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Table from 'cli-table3';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DateTime } from 'luxon';
import { parseForecastCsv } from '#core/planning/forecast-file.js';
import { NO_SEATS, parseSeatCountsCsv, type SeatCounts } from '#core/planning/seat-counts-file.js';
import type { ForecastInterval } from '#core/planning/types.js';
import { ConfigError, loadConfig } from '#infra/config/load.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { SEAT_TYPES, type SeatType } from '#infra/constructs/connect/seat-types.js';
import { parseSeatsCsv } from '#core/seats/csv-import.js';
import {
  type ConstantRateInput,
  constantRateProblems,
  summariseConstantRate,
} from '#simulator/constant-rate.js';
import {
  DEFAULT_MENU_CHOICES,
  DEFAULT_ROUTING_POLICY,
  type MenuChoices,
  peakInput,
  peakInputProblems,
  ROUTING_POLICIES,
  type RoutingPolicy,
  stageStatusOnlyShare,
} from '#simulator/peak/input.js';
import {
  comparePolicies,
  type PeakSummary,
  type PolicyComparison,
  summarisePeak,
} from '#simulator/peak/summary.js';
import type { PeakReplication } from '#simulator/peak/run.js';
import { replicate } from '#simulator/replicate.js';
import type { CliIo } from '../seats/commands.js';
import {
  containedSentence,
  money,
  num,
  OVERFLOW_HEAD,
  overflowCells,
  POLICY_FIGURES_HEAD,
  pct,
  QUEUE_HEAD,
  queueCells,
  secs,
  shown,
} from './format.js';
import { simulateHtml } from './html.js';

/** What one deflection SMS part costs unless told: a placeholder to replace with your SNS price. */
export const DEFAULT_SMS_PRICE = 0.05;
/** Below this many simulated contacts, starting worker threads costs more than it saves. */
const WORKER_THRESHOLD_CONTACTS = 300_000;

const positive = (value: string): number => {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a positive number');
  return n;
};
const nonNegative = (value: string): number => {
  const n = Number(value);
  if (!(n >= 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected zero or a positive number');
  return n;
};
const share = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1))
    throw new InvalidArgumentError('expected a share from 0 to 1');
  return n;
};
const whole =
  (min: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`expected a whole number from ${min}`);
    return n;
  };
/** `x3`, `x1.5`, `3` or `1.5`: the arrivals' multiplier. */
export const parseScenario = (value: string): number => {
  const n = Number(value.replace(/^[x×]/i, ''));
  if (!(n > 0) || !Number.isFinite(n))
    throw new InvalidArgumentError('expected a multiplier such as x1.5 or x3');
  return n;
};
const isoDate = (value: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !DateTime.fromISO(value).isValid) {
    throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  }
  return value;
};
const parseMenu = (value: string): MenuChoices => {
  const parts = value.split(',').map(Number);
  const [wait, callback, sms] = parts;
  if (parts.length !== 3 || wait === undefined || callback === undefined || sms === undefined) {
    throw new InvalidArgumentError('expected three shares: wait,callback,sms (e.g. 0.5,0.3,0.2)');
  }
  if (![wait, callback, sms].every((s) => s >= 0) || Math.abs(wait + callback + sms - 1) > 1e-9) {
    throw new InvalidArgumentError('the three shares must be from 0 and add up to 1');
  }
  return { wait, callback, sms };
};
const parsePolicy = (value: string): RoutingPolicy => {
  const policy = ROUTING_POLICIES.find((p) => p === value);
  if (policy === undefined) throw new InvalidArgumentError(`expected ${ROUTING_POLICIES.join(', ')}`);
  return policy;
};
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The local date of each interval, in the centre's zone. */
const localDate = (iso: string, timeZone: string): string =>
  DateTime.fromISO(iso, { zone: timeZone }).toISODate() ?? iso.slice(0, 10);

/** The date with the most contacts (all channels): the default day to simulate. */
export const busiestDay = (intervals: readonly ForecastInterval[], timeZone: string): string | undefined => {
  const totals = new Map<string, number>();
  for (const i of intervals) {
    const date = localDate(i.start, timeZone);
    totals.set(date, (totals.get(date) ?? 0) + i.contacts);
  }
  let best: string | undefined;
  for (const [date, total] of [...totals].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (best === undefined || total > (totals.get(best) ?? 0)) best = date;
  }
  return best;
};

const readText = async (file: string, what: string): Promise<string | undefined> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    return Promise.reject(
      new Error(`Cannot read the ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
};

const table = (head: readonly string[]): Table.Table =>
  new Table({
    head: [...head],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });

export const peakText = (summary: PeakSummary, timeZone = 'UTC'): string => {
  const local = (iso: string) => DateTime.fromISO(iso, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm ZZ');
  const lines: string[] = [];
  const ci =
    summary.replications > 1 ? ` (mean, 95% interval over ${summary.replications} replications)` : '';
  lines.push(
    `Simulated ${local(summary.from)} to ${local(summary.to)}, arrivals x${summary.scenario}, seed ${summary.seed}, policy ${summary.policy}${ci}.`,
    `Agents logged in over the opening hours: ${Object.entries(summary.agents)
      .filter(([, n]) => n > 0)
      .map(([type, n]) => `${type} ${n}`)
      .join(', ')}.`,
    '',
  );
  const rows = table(QUEUE_HEAD);
  rows.push(...summary.rows.map(queueCells));
  lines.push(rows.toString(), '');
  const overflow = table(OVERFLOW_HEAD);
  overflow.push(...summary.overflow.map(overflowCells));
  lines.push(overflow.toString(), '');
  const d = summary.deflection;
  lines.push(
    `Calls routed: ${shown(summary.calls.queued, num)} to their queue, ${shown(summary.calls.overflowed, num)} to the second line (OVERFLOW).`,
    `Deflection menu heard by ${shown(d.offered, num)} callers: ${shown(d.keptWaiting, num)} kept waiting, ${shown(d.callbacks, num)} queued callbacks, ${shown(d.smsSent, num)} SMS sent (${shown(d.smsParts, num)} parts, ${shown(d.smsOverCap, num)} over the daily cap).`,
    `SMS cost: ${shown(d.smsCost, money)} at ${summary.smsPricePerPart} per part.`,
  );
  const contained = containedSentence(summary);
  if (contained !== undefined) lines.push(contained);
  const closed = summary.rows.find((r) => r.key === 'total')?.closed;
  if (closed && closed.mean > 0) {
    lines.push(
      `${shown(closed, num)} calls and chats came while the centre was closed (connect.hours) and were not queued.`,
    );
  }
  return lines.join('\n');
};

/** The policies side by side: callers on the line per policy, then each of its voice queues. */
export const comparisonText = (
  comparison: PolicyComparison,
  summary: PeakSummary,
  timeZone = 'UTC',
): string => {
  const local = (iso: string) => DateTime.fromISO(iso, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm ZZ');
  const ci =
    summary.replications > 1 ? ` (mean, 95% interval over ${summary.replications} replications)` : '';
  const t = table(['policy · calls', ...POLICY_FIGURES_HEAD]);
  const queueLabel: Readonly<Record<string, string>> = {
    primary: 'primary',
    secondLine: 'second line',
    callback: 'queued callbacks',
  };
  for (const p of comparison.policies) {
    t.push([
      `${p.policy} · all callers`,
      shown(p.serviceLevel, pct),
      shown(p.abandonment, pct),
      shown(p.asa, secs),
      shown(p.longestWaitSeconds, secs),
      shown(p.deflected, pct),
      p.callbacksReturned === null ? '' : shown(p.callbacksReturned, pct),
      shown(p.stateChanges, num),
    ]);
    for (const [queue, q] of Object.entries(p.queues)) {
      t.push([
        `  ${queueLabel[queue] ?? queue}`,
        shown(q.serviceLevel, pct),
        shown(q.abandonment, pct),
        shown(q.asa, secs),
        shown(q.longestWaitSeconds, secs),
        '',
        '',
        '',
      ]);
    }
  }
  const contained = comparison.policies[0]?.contained;
  const statusLine =
    summary.statusOnlyShare > 0 && contained
      ? [
          `Contained by order status before routing, under every policy alike: ${shown(contained, pct)} of all callers (status-only share ${summary.statusOnlyShare}); the figures above are over the others.`,
        ]
      : [];
  return [
    `Compared ${comparison.policies.map((p) => p.policy).join(', ')} on ${local(summary.from)} to ${local(summary.to)}, arrivals x${summary.scenario}, seed ${summary.seed}${ci}.`,
    'Abandoned: callers who hung up while waiting, of all callers (those who took a callback or the SMS did not hang up). Service level, ASA and longest wait: the callers who queued (primary queue and second line). Deflected: took a queued callback or the SMS instead of waiting; callbacks returned: of those callbacks, answered the same day.',
    t.toString(),
    ...statusLine,
  ].join('\n');
};

/** `now` stamps the HTML report; a test passes its own. */
export const addSimulateCommand = (
  program: Command,
  io: CliIo,
  now: () => Date = () => new Date(),
): Command =>
  program
    .command('simulate')
    .description(
      'Replay a forecast day (or season) on the contact-centre simulator with these seats, the overflow controller, router, deflection menu and SMS; or one queue at a constant rate (--calls), to compare with Erlang C/A.',
    )
    .option('--forecast <file>', 'forecast CSV (intervalStart,minutes,channel,contacts,ahtSeconds)')
    .option(
      '--seats <file>',
      'seats: a counts CSV (type,count) or a seats-import CSV (username,…,type,validFrom,validUntil: the seats whose contract covers the first simulated day count); repeat to add files (permanent + seasonal)',
      collect,
    )
    .option('--day <date>', 'the local date to simulate (default: the forecast’s busiest day)', isoDate)
    .option('--from <date>', 'first local date of a season to simulate', isoDate)
    .option('--to <date>', 'last local date of a season to simulate (inclusive)', isoDate)
    .option('--scenario <factor>', 'multiply arrivals: x1.5, x3', parseScenario, 1)
    .option(
      '--shrinkage <share>',
      'share of seats not on the phones (breaks, training, absence)',
      nonNegative,
      0.3,
    )
    .option(
      '--handling-cv <cv>',
      'lognormal handling times with this coefficient of variation (default exponential)',
      positive,
    )
    .option(
      '--patience <seconds>',
      'callers’ mean patience (exponential); constant form: Erlang A when given',
      positive,
    )
    .option('--chat-patience <seconds>', 'chat customers’ mean patience', positive, 600)
    .option('--target-seconds <seconds>', 'answered within this counts as in time', nonNegative, 20)
    .option(
      '--sms-price <amount>',
      `price of one SMS part (SNS bills per part); default ${DEFAULT_SMS_PRICE}`,
      nonNegative,
      DEFAULT_SMS_PRICE,
    )
    .option('--menu <shares>', 'how deflected callers answer: wait,callback,sms', parseMenu)
    .option(
      '--policy <policy>',
      `how callers are routed: ${ROUTING_POLICIES.join(', ')} (default ${DEFAULT_ROUTING_POLICY})`,
      parsePolicy,
    )
    .option('--compare', 'run every policy on the same seeds and print one comparison', false)
    .option(
      '--status-only-share <share>',
      'share of callers who only want their order status and leave after hearing it, never queueing (default: the stage’s orderStatus.statusOnlyCallerShare, 0 when orderStatus.enabled is false)',
      share,
    )
    .addOption(
      new Option('--stage <stage>', 'stage whose overflow, SMS and hours settings to use')
        .env('PEAKLINE_STAGE')
        .default('dev'),
    )
    .option('--calls <n>', 'constant form: calls per interval', positive)
    .option('--interval-seconds <s>', 'constant form: interval length, seconds', positive)
    .option('--aht <s>', 'constant form: mean handling time, seconds', positive)
    .option('--agents <n>', 'constant form: agents', Number)
    .option('--hours <h>', 'constant form: hours counted per replication', positive, 8)
    .option('--warmup-hours <h>', 'constant form: hours run first and not counted', nonNegative, 1)
    .option('--seed <n>', 'seed of every random draw: the same seed gives the same figures', whole(0), 1)
    .option('--replications <n>', 'independent runs; 2 or more give 95% intervals', whole(1), 1)
    .option('--workers <n>', 'worker threads (default: one per core for large runs)', whole(0))
    .option('--json', 'print JSON', false)
    .option('--html', 'write an HTML report (to --out, or stdout)', false)
    .option('--out <file>', 'write the output here instead of stdout')
    .action(async (options: Record<string, unknown>) => {
      try {
        const output =
          options.calls !== undefined || options.agents !== undefined
            ? await constantForm(options)
            : await peakForm(options, io, now);
        if (output === undefined) return;
        if (typeof options.out === 'string') {
          await writeFile(options.out, output);
          io.out(`Wrote ${options.out}`);
        } else {
          io.out(output);
        }
      } catch (error) {
        io.err(error instanceof Error ? error.message : String(error));
        io.exitCode(1);
      }
    });

const workersFor = (
  options: Record<string, unknown>,
  contactsPerReplication: number,
  replications: number,
) =>
  typeof options.workers === 'number'
    ? options.workers
    : contactsPerReplication * replications >= WORKER_THRESHOLD_CONTACTS
      ? undefined
      : 1;

const constantForm = async (options: Record<string, unknown>): Promise<string> => {
  for (const name of ['calls', 'intervalSeconds', 'aht', 'agents'] as const) {
    if (options[name] === undefined) {
      const flag = name === 'intervalSeconds' ? 'interval-seconds' : name;
      throw new Error(
        `The constant-rate form needs --calls, --interval-seconds, --aht and --agents (missing --${flag}).`,
      );
    }
  }
  if (options.forecast !== undefined)
    throw new Error('Give either --forecast (a day) or --calls (a constant rate), not both.');
  // The constant form checks the queue against Erlang C/A: every call of it queues.
  if (options.statusOnlyShare !== undefined)
    throw new Error('--status-only-share applies to a forecast day (--forecast), not to the constant rate.');
  const input: ConstantRateInput = {
    calls: Number(options.calls),
    intervalSeconds: Number(options.intervalSeconds),
    ahtSeconds: Number(options.aht),
    agents: Number(options.agents),
    ...(typeof options.patience === 'number' ? { patienceSeconds: options.patience } : {}),
    hours: Number(options.hours),
    warmupHours: Number(options.warmupHours),
    targetSeconds: Number(options.targetSeconds),
    ...(typeof options.handlingCv === 'number' ? { handlingCv: options.handlingCv } : {}),
  };
  const problems = constantRateProblems(input);
  if (problems.length > 0) throw new Error(`Cannot simulate: ${problems.join('; ')}.`);
  const seed = Number(options.seed);
  const replications = Number(options.replications);
  const perReplication =
    (input.calls / input.intervalSeconds) * 3600 * ((input.hours ?? 8) + (input.warmupHours ?? 1));
  const workers = workersFor(options, perReplication, replications);
  const results = await replicate(
    { kind: 'constant-rate', input },
    { seed, replications, ...(workers === undefined ? {} : { workers }) },
  );
  const report = summariseConstantRate(input, results, seed);
  if (options.json === true) return `${JSON.stringify(report, null, 2)}`;
  const t = table(['figure', replications > 1 ? 'mean (95% interval)' : 'value']);
  t.push(
    ['service level', shown(report.serviceLevel, pct)],
    ['probability of waiting', shown(report.waitProbability, pct)],
    ['ASA (answered)', shown(report.asa, (n) => `${n.toFixed(2)} s`)],
    ['abandonment', shown(report.abandonment, pct)],
    ['occupancy', shown(report.occupancy, pct)],
  );
  return [
    `${report.model} queue simulated: ${input.calls} calls per ${input.intervalSeconds} s, AHT ${input.ahtSeconds} s, ${input.agents} agents, ${report.contacts} calls counted per replication, ${replications} replication${replications === 1 ? '' : 's'}, seed ${seed}.`,
    t.toString(),
  ].join('\n');
};

/** A seats-import file (the one `peakline seats import` takes) rather than a counts file. */
const isSeatsImportCsv = (text: string): boolean => /^\uFEFF?\s*"?username"?\s*,/i.test(text.slice(0, 200));

/**
 * The seats of a seats-import file whose contract covers the day, per type: what `peakline seats import`
 * would give the contact centre that day. Rows the import would refuse are refused here too.
 */
const seatsOnDay = (
  text: string,
  day: string,
  timeZone: string,
): { counts: SeatCounts; errors: readonly { line: number; message: string }[] } => {
  const dayStart = DateTime.fromISO(day, { zone: timeZone }).startOf('day');
  const dayEnd = dayStart.plus({ days: 1 });
  // The import refuses contracts that ended before its `now`; a replay looks at any day, so none is "past".
  const { seats, errors } = parseSeatsCsv(text, { now: new Date(0), timeZone });
  const counts = { ...NO_SEATS } as Record<SeatType, number>;
  for (const seat of seats) {
    if (Date.parse(seat.validFrom) < dayEnd.toMillis() && Date.parse(seat.expiresAt) > dayStart.toMillis()) {
      counts[seat.type] += 1;
    }
  }
  return { counts, errors };
};

const peakForm = async (
  options: Record<string, unknown>,
  io: CliIo,
  now: () => Date,
): Promise<string | undefined> => {
  if (typeof options.forecast !== 'string') {
    throw new Error(
      'Give --forecast <file> and --seats <file> (a day), or --calls … --agents … (a constant rate).',
    );
  }
  const seatFiles = Array.isArray(options.seats) ? (options.seats as string[]) : [];
  if (seatFiles.length === 0) throw new Error('Give --seats <file> (type,count): the agents to simulate.');
  if (options.day !== undefined && (options.from !== undefined || options.to !== undefined)) {
    throw new Error('Give --day or --from/--to, not both.');
  }
  let config: PeaklineConfig;
  try {
    config = loadConfig(String(options.stage));
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(error.message);
    throw error;
  }
  const timeZone = config.connect.timeZone;

  const forecastFile = options.forecast;
  const parsed = parseForecastCsv((await readText(forecastFile, 'forecast')) ?? '');
  for (const e of parsed.errors) io.err(`${forecastFile}:${e.line}: ${e.message}`);
  let refused = parsed.errors.length > 0;
  if (refused) {
    io.err(
      `${forecastFile}: ${parsed.errors.length} row${parsed.errors.length === 1 ? '' : 's'} refused (listed above); simulating the ${parsed.intervals.length} good rows.`,
    );
  }

  const from = (options.from as string | undefined) ?? (options.day as string | undefined);
  const to = (options.to as string | undefined) ?? from;
  const first = from ?? busiestDay(parsed.intervals, timeZone);
  const last = to ?? first;
  if (first === undefined || last === undefined)
    throw new Error(`${forecastFile}: the forecast has no usable rows.`);
  if (last < first) throw new Error(`--to ${last} is before --from ${first}.`);
  const intervals = parsed.intervals.filter((i) => {
    const date = localDate(i.start, timeZone);
    return date >= first && date <= last;
  });
  if (intervals.length === 0) {
    throw new Error(`${forecastFile} has no interval from ${first} to ${last} (dates in ${timeZone}).`);
  }
  let seats: SeatCounts = NO_SEATS;
  for (const file of seatFiles) {
    const text = (await readText(file, 'seats file')) ?? '';
    const result = isSeatsImportCsv(text) ? seatsOnDay(text, first, timeZone) : parseSeatCountsCsv(text);
    for (const e of result.errors) io.err(`${file}:${e.line}: ${e.message}`);
    if (result.errors.length > 0) {
      refused = true;
      io.err(
        `${file}: ${result.errors.length} row${result.errors.length === 1 ? '' : 's'} refused (listed above); the good rows count.`,
      );
    }
    seats = Object.fromEntries(SEAT_TYPES.map((t) => [t, seats[t] + result.counts[t]])) as SeatCounts;
  }
  if (refused) io.exitCode(1);
  const compare = options.compare === true;
  if (compare && options.policy !== undefined) throw new Error('Give --policy or --compare, not both.');
  if (compare && options.html === true) throw new Error('--compare prints text or --json, not --html.');
  const input = peakInput(intervals, seats, config, {
    scenario: Number(options.scenario),
    shrinkage: Number(options.shrinkage),
    ...(typeof options.handlingCv === 'number' ? { handlingCv: options.handlingCv } : {}),
    patienceSeconds: {
      ...(typeof options.patience === 'number' ? { voice: options.patience } : {}),
      chat: Number(options.chatPatience),
    },
    targetSeconds: Number(options.targetSeconds),
    menu: (options.menu as MenuChoices | undefined) ?? DEFAULT_MENU_CHOICES,
    policy: (options.policy as RoutingPolicy | undefined) ?? DEFAULT_ROUTING_POLICY,
    statusOnlyShare:
      typeof options.statusOnlyShare === 'number' ? options.statusOnlyShare : stageStatusOnlyShare(config),
  });
  const problems = peakInputProblems(input);
  if (problems.length > 0) throw new Error(`Cannot simulate: ${problems.join('; ')}.`);
  const seed = Number(options.seed);
  const replications = Number(options.replications);
  const contacts = intervals.reduce((sum, i) => sum + i.contacts, 0) * input.scenario;
  const workers = workersFor(options, contacts, replications);
  const smsPricePerPart = Number(options.smsPrice);
  if (compare) {
    // Each policy on the same seeds: the same arrivals, handling times and patience, only the routing differs.
    const runs: { policy: RoutingPolicy; results: readonly PeakReplication[] }[] = [];
    for (const policy of ROUTING_POLICIES) {
      const results = await replicate(
        { kind: 'peak', input: { ...input, policy } },
        { seed, replications, ...(workers === undefined ? {} : { workers }) },
      );
      runs.push({ policy, results });
    }
    const comparison = comparePolicies(runs);
    if (options.json === true) return JSON.stringify(comparison, null, 2);
    const first = runs[0];
    if (first === undefined) throw new Error('no policy to compare');
    const header = summarisePeak({ ...input, policy: first.policy }, first.results, {
      seed,
      smsPricePerPart,
    });
    return comparisonText(comparison, header, timeZone);
  }
  const results = await replicate(
    { kind: 'peak', input },
    { seed, replications, ...(workers === undefined ? {} : { workers }) },
  );
  const summary = summarisePeak(input, results, { seed, smsPricePerPart });
  if (options.json === true) return JSON.stringify(summary, null, 2);
  if (options.html === true)
    return simulateHtml(summary, { timeZone, targetSeconds: input.targetSeconds, generatedAt: now() });
  return peakText(summary, timeZone);
};
