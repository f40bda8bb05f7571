/**
 * `peakline plan erlang`: one queue, one interval. Without --agents, the fewest agents meeting the service
 * level (and the occupancy cap); with --agents, what those agents give. Erlang C, or Erlang A when callers'
 * patience is given. The figures come from layers/core/planning/erlang.ts, the same code `plan` staffs a
 * whole forecast with.
 */
import Table from 'cli-table3';
import { type Command, InvalidArgumentError } from 'commander';
import { type QueueFigures, type QueueLoad, queueFigures, staff } from '#core/planning/erlang.js';
import { scheduledSeats } from '#core/planning/settings.js';
import type { CliIo } from '../seats/commands.js';

const number = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
};

const positive = (value: string): number => {
  const n = number(value);
  if (!(n > 0)) throw new InvalidArgumentError('expected a number above 0');
  return n;
};

const notNegative = (value: string): number => {
  const n = number(value);
  if (n < 0) throw new InvalidArgumentError('expected a number of 0 or more');
  return n;
};

const wholeAgents = (value: string): number => {
  const n = number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a whole number of agents, 1 or more');
  return n;
};

/** A share such as 0.8; 1 is let through for --target-sl so that the answer can say why it cannot be met. */
const share =
  (low: 'open' | 'closed', high: 'open' | 'closed') =>
  (value: string): number => {
    const n = number(value);
    const aboveLow = low === 'open' ? n > 0 : n >= 0;
    const belowHigh = high === 'open' ? n < 1 : n <= 1;
    if (!aboveLow || !belowHigh) {
      throw new InvalidArgumentError(
        `expected a share ${low === 'open' ? 'above 0' : 'of 0 or more'} and ${high === 'open' ? 'below 1' : 'at most 1'}, such as 0.8`,
      );
    }
    return n;
  };

interface ErlangOptions {
  readonly calls: number;
  readonly intervalSeconds: number;
  readonly aht: number;
  readonly targetSl?: number;
  readonly targetSeconds: number;
  readonly maxOccupancy?: number;
  readonly shrinkage: number;
  readonly patience?: number;
  readonly agents?: number;
  readonly json: boolean;
}

const percent = (value: number, digits = 1): string => `${(100 * value).toFixed(digits)}%`;
const seconds = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)} s` : 'endless');
const erlangs = (value: number): string => `${Number(value.toFixed(2)).toLocaleString('en-GB')} Erlangs`;

const table = (): Table.Table =>
  new Table({
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });

/** What the given agents miss of the target, in words; empty when they meet it. */
const misses = (figures: QueueFigures, options: ErlangOptions): string[] => [
  ...(options.targetSl !== undefined && figures.serviceLevel < options.targetSl
    ? [
        `${figures.agents} agents miss the service level target: ${percent(figures.serviceLevel)} answered within ${options.targetSeconds} s, ${percent(options.targetSl, 0)} wanted.`,
      ]
    : []),
  ...(options.maxOccupancy !== undefined && figures.occupancy > options.maxOccupancy
    ? [
        `${figures.agents} agents are busier than the occupancy cap: ${percent(figures.occupancy)} busy, at most ${percent(options.maxOccupancy, 0)} allowed.`,
      ]
    : []),
];

const report = (
  io: CliIo,
  options: ErlangOptions,
  load: QueueLoad,
  figures: QueueFigures,
  fractionalAgents: number | undefined,
): void => {
  const scheduled = scheduledSeats(figures.agents, options.shrinkage);
  const model = options.patience === undefined ? 'erlang-c' : 'erlang-a';
  const missed = misses(figures, options);
  if (options.json) {
    io.out(
      JSON.stringify(
        {
          model,
          trafficErlangs: figures.trafficErlangs,
          agents: figures.agents,
          ...(fractionalAgents === undefined ? {} : { fractionalAgents }),
          scheduled,
          serviceLevel: figures.serviceLevel,
          waitProbability: figures.waitProbability,
          asa: figures.asa,
          occupancy: figures.occupancy,
          ...(figures.abandonment === undefined ? {} : { abandonment: figures.abandonment }),
          meetsTarget: missed.length === 0,
        },
        null,
        2,
      ),
    );
  } else {
    io.out(
      `${model === 'erlang-c' ? 'Erlang C' : `Erlang A (mean patience ${options.patience} s)`}: ${load.calls} calls in ${load.intervalSeconds} s, AHT ${load.ahtSeconds} s = ${erlangs(figures.trafficErlangs)}`,
    );
    const t = table();
    t.push(
      [
        fractionalAgents === undefined ? 'agents' : 'agents needed',
        `${figures.agents}${fractionalAgents === undefined ? '' : ` (${fractionalAgents.toFixed(2)} as a fractional position)`}`,
      ],
      [`scheduled (${percent(options.shrinkage, 0)} shrinkage)`, String(scheduled)],
      [
        `service level (within ${options.targetSeconds} s)`,
        `${percent(figures.serviceLevel, 2)}${options.targetSl === undefined ? '' : ` (target ${percent(options.targetSl, 0)})`}`,
      ],
      ['probability of waiting', percent(figures.waitProbability, 2)],
      ['ASA (answered calls)', seconds(figures.asa)],
      [
        'occupancy',
        `${percent(figures.occupancy)}${options.maxOccupancy === undefined ? '' : ` (cap ${percent(options.maxOccupancy, 0)})`}`,
      ],
      ...(figures.abandonment === undefined ? [] : [['abandonment', percent(figures.abandonment, 2)]]),
    );
    io.out(t.toString());
  }
  for (const line of missed) io.err(line);
  if (missed.length > 0) io.exitCode(1);
};

export const addErlangCommand = (plan: Command, io: CliIo): void => {
  plan
    .command('erlang')
    .description(
      'Agents for one queue and interval by Erlang C (Erlang A with --patience): the fewest that meet the service level and occupancy cap, or with --agents what those agents give.',
    )
    .requiredOption('--calls <n>', 'calls arriving in the interval', positive)
    .requiredOption(
      '--interval-seconds <s>',
      'the interval’s length, seconds (1800 for half an hour)',
      positive,
    )
    .requiredOption('--aht <s>', 'average handling time, seconds (talk, hold and after-call work)', positive)
    .option(
      '--target-sl <share>',
      'service level target: share of calls answered within --target-seconds, e.g. 0.8',
      share('open', 'closed'),
    )
    .requiredOption('--target-seconds <s>', 'the service level’s answer time, seconds', notNegative)
    .option('--max-occupancy <share>', 'the busiest agents may be, e.g. 0.85', share('open', 'closed'))
    .option(
      '--shrinkage <share>',
      'share of paid time off the phones (breaks, training, absence), e.g. 0.3',
      share('closed', 'open'),
      0,
    )
    .option(
      '--patience <s>',
      'callers’ mean patience, seconds: Erlang A (callers hang up) instead of Erlang C',
      positive,
    )
    .option(
      '--agents <n>',
      'the agents on the phones: give their figures instead of finding the fewest',
      wholeAgents,
    )
    .option('--json', 'JSON instead of a table', false)
    .action((options: ErlangOptions) => {
      const load: QueueLoad = {
        calls: options.calls,
        intervalSeconds: options.intervalSeconds,
        ahtSeconds: options.aht,
      };
      if (options.agents !== undefined) {
        const figures = queueFigures(load, options.agents, options.targetSeconds, options.patience);
        if (!figures.stable) {
          io.err(
            `${options.agents} agents cannot carry ${erlangs(figures.trafficErlangs)}: the queue grows without end. Add agents, or give --patience for callers who hang up (Erlang A).`,
          );
          io.exitCode(1);
          return;
        }
        report(io, options, load, figures, undefined);
        return;
      }
      if (options.targetSl === undefined) {
        io.err(
          'Give --target-sl (the share to answer within --target-seconds), or --agents for their figures.',
        );
        io.exitCode(1);
        return;
      }
      const result = staff(load, {
        serviceLevel: options.targetSl,
        targetSeconds: options.targetSeconds,
        ...(options.maxOccupancy === undefined ? {} : { maxOccupancy: options.maxOccupancy }),
        ...(options.patience === undefined ? {} : { patienceSeconds: options.patience }),
      });
      if (!result.ok) {
        io.err(`${result.reason.charAt(0).toUpperCase()}${result.reason.slice(1)}.`);
        io.exitCode(1);
        return;
      }
      report(io, options, load, result.figures, result.fractionalAgents);
    });
};
