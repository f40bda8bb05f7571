/**
 * `peakline plan --forecast forecast.csv [--permanent seats.csv] [--json|--csv|--html] [--out F]`: the
 * seats a forecast needs, per interval and channel, the peak, the seasonal seats to add over the
 * permanent staff per seat type, and a reserve pool for heavier demand (layers/core/planning/plan.ts).
 * `peakline plan erlang` (cli/plan/erlang-command.ts) is the same math for one queue and interval.
 *
 * A refused forecast or seats row is reported with its line and the good rows are planned; the exit code
 * is then 1. Impossible targets are said in words and nothing is planned.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, parse } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  chatAhtFactorsText,
  DEFAULT_CHAT_AHT_FACTORS,
  parseChatAhtFactors,
} from '#core/planning/concurrency.js';
import { parseForecastCsv } from '#core/planning/forecast-file.js';
import { planFromForecast, planJson, plannedSeatCounts } from '#core/planning/plan.js';
import {
  NO_SEATS,
  parseSeatCountsCsv,
  type SeatCounts,
  seatCountsCsv,
} from '#core/planning/seat-counts-file.js';
import { SEAT_TYPES } from '#infra/constructs/connect/seat-types.js';
import {
  CHAT_TIERS,
  DEFAULT_PLAN_SETTINGS,
  type PlanSettings,
  settingsProblems,
} from '#core/planning/settings.js';
import type { CliIo } from '../seats/commands.js';
import { addErlangCommand } from './erlang-command.js';
import { planHtml } from './html.js';
import { planCsv, planText } from './text.js';

const number = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
};

/** Shares are checked by the plan's settings, so an impossible one (a target of 1) is said in words there. */
const share = number;

const hours = (value: string): number => number(value) * 3600;

const staffedHours = (value: string): { from: number; to: number } => {
  const match = /^\s*(\d{1,2}(?:\.\d+)?)\s*-\s*(\d{1,2}(?:\.\d+)?)\s*$/.exec(value);
  if (match === null)
    throw new InvalidArgumentError('expected hours from-to, such as 8-20 (0-24: round the clock)');
  return { from: Number(match[1]), to: Number(match[2]) };
};

const factors = (value: string) => {
  try {
    return parseChatAhtFactors(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

const tier = (value: string): number => {
  const n = Number(value);
  if (!(CHAT_TIERS as readonly number[]).includes(n))
    throw new InvalidArgumentError(`expected a chat tier: ${CHAT_TIERS.join(', ')}`);
  return n;
};

const concurrency = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10)
    throw new InvalidArgumentError('expected a whole number of chats at once, 1 to 10');
  return n;
};

const multipliers = (value: string): number[] =>
  value.split(',').map((part) => {
    const n = Number(part.trim());
    if (!(n > 0) || !Number.isFinite(n))
      throw new InvalidArgumentError('expected demand multipliers such as 1.5,3');
    return n;
  });

/** seats.csv with x3 -> seats-x3.csv: the scenario's file beside the forecast's. */
const withFactor = (file: string, factor: number): string => {
  const { dir, name, ext } = parse(file);
  return join(dir, `${name}-x${factor}${ext}`);
};

interface PlanOptions {
  readonly forecast?: string;
  readonly seatsOut?: string;
  readonly permanent?: string;
  readonly json?: boolean;
  readonly csv?: boolean;
  readonly html?: boolean;
  readonly out?: string;
  readonly targetSl?: number;
  readonly targetSeconds?: number;
  readonly maxOccupancy?: number;
  readonly patience?: number;
  readonly chatTargetSl?: number;
  readonly chatTargetSeconds?: number;
  readonly chatMaxOccupancy?: number;
  readonly chatPatience?: number;
  readonly chatAhtFactor?: ReadonlyMap<number, number>;
  readonly chatTier?: number;
  readonly chatAhtMeasuredAt?: number;
  readonly emailReplyHours?: number;
  readonly taskReplyHours?: number;
  readonly backlogHours?: { from: number; to: number };
  readonly shrinkage?: number;
  readonly reserve?: number[];
}

const defined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The defaults with the command line's overrides. */
export const settingsOf = (options: PlanOptions): PlanSettings => {
  const d = DEFAULT_PLAN_SETTINGS;
  return {
    voice: {
      ...d.voice,
      ...defined({
        serviceLevel: options.targetSl,
        targetSeconds: options.targetSeconds,
        maxOccupancy: options.maxOccupancy,
        patienceSeconds: options.patience,
      }),
    },
    chat: {
      ...d.chat,
      ...defined({
        serviceLevel: options.chatTargetSl,
        targetSeconds: options.chatTargetSeconds,
        maxOccupancy: options.chatMaxOccupancy,
        patienceSeconds: options.chatPatience,
        ahtFactors: options.chatAhtFactor,
        seasonalTier: options.chatTier,
        ahtMeasuredAt: options.chatAhtMeasuredAt,
      }),
    },
    email: {
      ...d.email,
      ...defined({ replySeconds: options.emailReplyHours, staffedHours: options.backlogHours }),
    },
    task: {
      ...d.task,
      ...defined({ replySeconds: options.taskReplyHours, staffedHours: options.backlogHours }),
    },
    shrinkage: options.shrinkage ?? d.shrinkage,
    scenarios: options.reserve ?? d.scenarios,
  };
};

const readText = async (file: string, io: CliIo): Promise<string | undefined> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    io.err(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    io.exitCode(1);
    return undefined;
  }
};

export const addPlanCommand = (program: Command, io: CliIo, now: () => Date = () => new Date()): Command => {
  // `plan erlang --target-seconds 20` must reach erlang's own options, not plan's options of the same
  // name: each level then reads only the options before its subcommand. The root has no options of its
  // own that this could move.
  program.enablePositionalOptions();
  const plan = program
    .command('plan')
    .description(
      'Seats a forecast needs: per interval and channel, the peak, seasonal seats to add over the permanent staff per seat type, and a reserve for x1.5 and x3 demand.',
    )
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride()
    // Not a requiredOption: commander checks a parent's required options before `plan erlang` too.
    .option('--forecast <file>', 'the forecast CSV (intervalStart,minutes,channel,contacts,ahtSeconds)')
    .option('--permanent <file>', 'the permanent staff per seat type (CSV type,count)')
    .addOption(new Option('--json', 'the plan as a JSON document').conflicts(['csv', 'html']))
    .addOption(new Option('--csv', 'one row per interval and channel').conflicts(['json', 'html']))
    .addOption(new Option('--html', 'a printable HTML report with charts').conflicts(['json', 'csv']))
    .option('--out <file>', 'write the output here instead of stdout')
    .option(
      '--seats-out <file>',
      'also write the seats under each demand as type,count files for `peakline simulate --seats`: <file> (permanent + seasonal), and <file> with -x1.5, -x3 … before its extension (plus the reserve)',
    )
    .option(
      '--target-sl <share>',
      `voice service level target (default ${DEFAULT_PLAN_SETTINGS.voice.serviceLevel})`,
      share,
    )
    .option(
      '--target-seconds <s>',
      `voice answer time target (default ${DEFAULT_PLAN_SETTINGS.voice.targetSeconds})`,
      number,
    )
    .option(
      '--max-occupancy <share>',
      `voice occupancy cap (default ${DEFAULT_PLAN_SETTINGS.voice.maxOccupancy})`,
      share,
    )
    .option('--patience <s>', 'callers’ mean patience: voice by Erlang A instead of Erlang C', number)
    .option(
      '--chat-target-sl <share>',
      `chat service level target (default ${DEFAULT_PLAN_SETTINGS.chat.serviceLevel})`,
      share,
    )
    .option(
      '--chat-target-seconds <s>',
      `chat answer time target (default ${DEFAULT_PLAN_SETTINGS.chat.targetSeconds})`,
      number,
    )
    .option(
      '--chat-max-occupancy <share>',
      `chat slot occupancy cap (default ${DEFAULT_PLAN_SETTINGS.chat.maxOccupancy})`,
      share,
    )
    .option('--chat-patience <s>', 'chat customers’ mean patience: chat by Erlang A', number)
    .option(
      '--chat-aht-factor <list>',
      `chat AHT at concurrency n over the solo AHT, n=f pairs (peakline's assumption: ${chatAhtFactorsText(DEFAULT_CHAT_AHT_FACTORS)})`,
      factors,
    )
    .option(
      '--chat-tier <n>',
      `the chat tier seasonal agents start at (default ${DEFAULT_PLAN_SETTINGS.chat.seasonalTier})`,
      tier,
    )
    .option(
      '--chat-aht-measured-at <n>',
      'the concurrency the forecast’s chat AHT was measured at (default 1: read as the solo AHT)',
      concurrency,
    )
    .option(
      '--email-reply-hours <h>',
      `e-mail reply target in staffed hours (default ${DEFAULT_PLAN_SETTINGS.email.replySeconds / 3600})`,
      hours,
    )
    .option(
      '--task-reply-hours <h>',
      `task reply target in staffed hours (default ${DEFAULT_PLAN_SETTINGS.task.replySeconds / 3600})`,
      hours,
    )
    .option(
      '--backlog-hours <from-to>',
      `the hours e-mail and tasks are worked each day (default ${DEFAULT_PLAN_SETTINGS.email.staffedHours.from}-${DEFAULT_PLAN_SETTINGS.email.staffedHours.to})`,
      staffedHours,
    )
    .option(
      '--shrinkage <share>',
      `share of paid time off contacts (default ${DEFAULT_PLAN_SETTINGS.shrinkage})`,
      share,
    )
    .option('--reserve <list>', 'demand multipliers for the reserve pool (default 1.5,3)', multipliers)
    .action(async (options: PlanOptions) => {
      const forecastFile = options.forecast;
      if (forecastFile === undefined) {
        return plan.error(
          'error: required option --forecast <file> not specified (or a command: plan erlang)',
        );
      }
      const settings = settingsOf(options);
      const wrong = settingsProblems(settings);
      if (wrong.length > 0) {
        for (const problem of wrong) io.err(`Cannot plan: ${problem}.`);
        io.exitCode(1);
        return;
      }
      const text = await readText(forecastFile, io);
      if (text === undefined) return;
      const parsed = parseForecastCsv(text);
      for (const error of parsed.errors) io.err(`${forecastFile}:${error.line}: ${error.message}`);

      let permanent: SeatCounts = NO_SEATS;
      let seatRowsRefused = 0;
      if (options.permanent !== undefined) {
        const seatsText = await readText(options.permanent, io);
        if (seatsText === undefined) return;
        const seats = parseSeatCountsCsv(seatsText);
        for (const error of seats.errors) io.err(`${options.permanent}:${error.line}: ${error.message}`);
        seatRowsRefused = new Set(seats.errors.map((e) => e.line)).size;
        permanent = seats.counts;
      }
      if (parsed.intervals.length === 0) {
        io.err(`${forecastFile}: no usable rows; nothing to plan.`);
        io.exitCode(1);
        return;
      }

      const result = planFromForecast(parsed.intervals, settings, permanent);
      for (const problem of result.problems) {
        io.err(`${forecastFile}: ${problem.channel} ${problem.start}: ${problem.message}`);
      }
      const forecastRowsRefused = parsed.errors.length + result.problems.length;
      const refused = forecastRowsRefused + seatRowsRefused > 0;
      if (refused) {
        const what = [
          forecastRowsRefused > 0 ? `${forecastRowsRefused} forecast row(s)` : '',
          seatRowsRefused > 0 ? `${seatRowsRefused} permanent seats row(s)` : '',
        ].filter((w) => w !== '');
        io.err(`Planned the good rows; refused ${what.join(' and ')} (listed above).`);
      }

      const output =
        options.json === true
          ? `${JSON.stringify(planJson(result), null, 2)}\n`
          : options.csv === true
            ? planCsv(result)
            : options.html === true
              ? planHtml(result, { source: forecastFile, generatedAt: now() })
              : `${planText(result, forecastFile)}\n`;
      if (options.out !== undefined) {
        await writeFile(options.out, output, 'utf8');
        io.err(`Wrote ${options.out}.`);
      } else io.out(output.replace(/\n$/, ''));
      if (options.seatsOut !== undefined) {
        for (const { factor, counts } of plannedSeatCounts(result)) {
          const file = factor === 1 ? options.seatsOut : withFactor(options.seatsOut, factor);
          await writeFile(file, seatCountsCsv(counts), 'utf8');
          io.err(
            `Wrote ${file}: the seats ${factor === 1 ? 'the forecast needs' : `x${factor} demand needs`} (${SEAT_TYPES.map((t) => `${t} ${counts[t]}`).join(', ')}).`,
          );
        }
      }
      if (refused) io.exitCode(1);
    });
  addErlangCommand(plan, io);
  return plan;
};
