/**
 * `peakline seats add | import | list | extend | promote | revoke | report`: the ops side of seasonal
 * seats. Each command parses its arguments, opens a context (AWS or the local stack), runs the core and
 * prints what happened in words ops can act on. Exit code 1 when anything was refused or failed, even if
 * the rest went through; the output says which rows.
 */
import { readFile } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DateTime } from 'luxon';
import { checkSeatValues, parseSeatsCsv, parseSeatTime } from '#core/seats/csv-import.js';
import { extendSeat, promoteSeat, provisionSeat, provisionSeats } from '#core/seats/provisioning.js';
import { revokeSeat } from '#core/seats/revocation.js';
import { type Seat, SEAT_TYPES, seatDays, seatStatusAt, seatView } from '#core/seats/seat.js';
import type { SeatsContext } from './context.js';

/** Where a command acts, as given on its command line. */
export interface Target {
  readonly local: boolean;
  readonly dashboardUrl: string;
  readonly stage: string;
  readonly region?: string;
  readonly profile?: string;
  readonly rate?: number;
}

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** stderr is a terminal: a progress bar is drawn there. */
  readonly interactive: boolean;
  /** Sets the exit code (the last non-zero one wins). */
  readonly exitCode: (code: number) => void;
}

export type OpenContext = (target: Target) => Promise<SeatsContext>;

const positive = (value: string): number => {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a positive number');
  return n;
};

/** The options every seats command takes: where to act. */
const withTarget = (command: Command): Command =>
  command
    .option('--local', 'act on the running local stack (npm start) instead of AWS', false)
    .option('--dashboard-url <url>', 'the local stack’s dashboard, with --local', 'http://127.0.0.1:4000')
    .addOption(
      new Option('--stage <stage>', 'the deployed stage to act on (infra/config/stages/<stage>.json)')
        .env('PEAKLINE_STAGE')
        .default('dev'),
    )
    .option('--region <region>', 'AWS region (default: the stage’s)')
    .option('--profile <profile>', 'AWS named profile (default: the normal credential chain)')
    .option(
      '--rate <n>',
      'Connect API calls per second (default: the CLI’s share of the stage’s connect.apiCallsPerSecond, 2/6)',
      positive,
    );

const targetOf = (options: Record<string, unknown>): Target => ({
  local: options.local === true,
  dashboardUrl: String(options.dashboardUrl),
  stage: String(options.stage),
  ...(typeof options.region === 'string' ? { region: options.region } : {}),
  ...(typeof options.profile === 'string' ? { profile: options.profile } : {}),
  ...(typeof options.rate === 'number' ? { rate: options.rate } : {}),
});

/** Times as ops read them: in the contact centre's zone, to the minute. */
const shown = (iso: string, timeZone: string): string =>
  DateTime.fromISO(iso, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm');

const table = (head: string[]): Table.Table =>
  // No colours: the output is read in terminals, CI logs and pasted into tickets alike.
  new Table({
    head,
    style: { head: [], border: [] },
    // One rule under the header and none between rows: hundreds of seats stay readable.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });

const summaryLine = (seat: Seat, ctx: SeatsContext): string =>
  `${seat.username}: ${seat.type} seat, ${shown(seat.validFrom, ctx.timeZone)} to ${shown(seat.expiresAt, ctx.timeZone)} (${ctx.timeZone})`;

/** Runs `work` with a context that is closed afterwards, whatever happens. */
const using = async (
  open: OpenContext,
  options: Record<string, unknown>,
  work: (ctx: SeatsContext) => Promise<void>,
) => {
  const ctx = await open(targetOf(options));
  try {
    await work(ctx);
  } finally {
    ctx.close();
  }
};

export const addSeatsCommands = (seats: Command, io: CliIo, open: OpenContext): Command => {
  withTarget(
    seats
      .command('add')
      .description(
        'Give one seasonal agent a seat: a Connect user that is switched off when the contract ends.',
      )
      .argument(
        '<username>',
        'Connect username (letters, digits, . _ - @; at most 20 characters on a CONNECT_MANAGED instance)',
      )
      .requiredOption('--first-name <name>', 'first name')
      .requiredOption('--last-name <name>', 'last name')
      .requiredOption('--email <email>', 'e-mail address')
      .requiredOption('--type <type>', `seat type: ${SEAT_TYPES.join(', ')}`)
      .requiredOption(
        '--from <date>',
        'contract start: a date (that day in the contact centre’s zone) or a date-time with offset',
      )
      .requiredOption(
        '--until <date>',
        'contract end: a date (access ends at the midnight after it) or a date-time with offset',
      ),
  ).action(async (username: string, options: Record<string, string>) =>
    using(open, options, async (ctx) => {
      const checked = checkSeatValues(
        {
          username,
          firstName: options.firstName ?? '',
          lastName: options.lastName ?? '',
          email: options.email ?? '',
          type: options.type ?? '',
          validFrom: options.from ?? '',
          validUntil: options.until ?? '',
        },
        { now: ctx.clock.now(), timeZone: ctx.timeZone, usernameMaxLength: ctx.usernameMaxLength },
      );
      if (!checked.ok) {
        for (const problem of checked.problems) io.err(`${username}: ${problem}`);
        io.exitCode(1);
        return;
      }
      const outcome = await provisionSeat(ctx, checked.seat);
      if (outcome.status === 'refused') {
        io.err(outcome.reason);
        io.exitCode(1);
        return;
      }
      const verb = { created: 'added', resumed: 'finished adding', unchanged: 'already has' }[outcome.status];
      io.out(`${verb} ${summaryLine(outcome.seat, ctx)}; Connect user ${outcome.seat.userId ?? '?'}`);
    }),
  );

  withTarget(
    seats
      .command('import')
      .description(
        'Add the seats of a CSV file (header username,firstName,lastName,email,type,validFrom,validUntil). Every row is checked first; bad rows are reported with their line numbers and the good ones are added. Safe to run again after an interruption.',
      )
      .argument('<file>', 'the CSV file')
      .option('--dry-run', 'check the file and stop; create nothing', false),
  ).action(async (file: string, options: Record<string, unknown>) => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      io.err(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
      io.exitCode(1);
      return;
    }
    await using(open, options, async (ctx) => {
      const parsed = parseSeatsCsv(text, {
        now: ctx.clock.now(),
        timeZone: ctx.timeZone,
        usernameMaxLength: ctx.usernameMaxLength,
      });
      for (const error of parsed.errors) io.err(`${file}:${error.line}: ${error.message}`);
      const bad = new Set(parsed.errors.map((e) => e.line)).size;
      io.out(
        `${file}: ${parsed.seats.length} good row${parsed.seats.length === 1 ? '' : 's'}${bad > 0 ? `, ${bad} refused (listed above; fix them and import the file again, the good rows will not be added twice)` : ''}.`,
      );
      if (bad > 0) io.exitCode(1);
      if (options.dryRun === true || parsed.seats.length === 0) return;

      io.out(
        `Adding ${parsed.seats.length} seat${parsed.seats.length === 1 ? '' : 's'} on ${ctx.where}, at most ${ctx.callsPerSecond} Connect calls a second…`,
      );
      const bar = io.interactive
        ? new SingleBar({
            format: 'seats [{bar}] {value}/{total} | {eta_formatted} left | {username}',
            hideCursor: true,
            clearOnComplete: false,
          })
        : undefined;
      bar?.start(parsed.seats.length, 0, { username: '' });
      // Ctrl-C finishes the seat in hand and stops: every seat is then either done or safely resumable.
      let cancelled = false;
      const onSignal = () => {
        cancelled = true;
      };
      process.once('SIGINT', onSignal);
      try {
        const summary = await provisionSeats(ctx, parsed.seats, {
          cancelled: () => cancelled,
          onProgress: ({ index, seat }) => bar?.update(index, { username: seat.username }),
        });
        bar?.stop();
        for (const problem of summary.problems) {
          io.err(`${file}:${parsed.lines[problem.index - 1] ?? '?'}: ${problem.reason}`);
        }
        const parts = [
          `${summary.created} added`,
          ...(summary.resumed > 0 ? [`${summary.resumed} finished from an earlier run`] : []),
          ...(summary.unchanged > 0 ? [`${summary.unchanged} already there`] : []),
          ...(summary.problems.length > 0 ? [`${summary.problems.length} not added`] : []),
        ];
        io.out(`${parts.join(', ')}.`);
        if (summary.stopped) {
          io.err(
            cancelled
              ? 'Stopped on request. Run the same command again to add the rest; nothing will be added twice.'
              : 'Stopped after several failures in a row (see above). Run the same command again once fixed; nothing will be added twice.',
          );
        }
        if (summary.problems.length > 0 || summary.stopped) io.exitCode(1);
      } finally {
        bar?.stop();
        process.off('SIGINT', onSignal);
      }
    });
  });

  withTarget(
    seats
      .command('list')
      .description('The current seats; with --all also ended and revoked ones (kept for the report).')
      .option('--all', 'include ended and revoked seats', false)
      .option('--json', 'JSON instead of a table', false),
  ).action(async (options: Record<string, unknown>) =>
    using(open, options, async (ctx) => {
      const all = options.all === true;
      const list = await ctx.store.list(ctx.clock.now(), { includeRevoked: all, includeExpired: all });
      if (options.json === true) {
        io.out(
          JSON.stringify(
            list.map((seat) => seatView(seat, ctx.clock.now())),
            null,
            2,
          ),
        );
        return;
      }
      if (list.length === 0) {
        io.out(`No ${all ? '' : 'current '}seats on ${ctx.where}.`);
        return;
      }
      const t = table(['username', 'type', 'state', `from (${ctx.timeZone})`, 'until', 'Connect user']);
      for (const seat of list) {
        t.push([
          seat.username,
          seat.type,
          seatStatusAt(seat, ctx.clock.now()),
          shown(seat.validFrom, ctx.timeZone),
          shown(seat.expiresAt, ctx.timeZone),
          seat.userId ?? '',
        ]);
      }
      io.out(t.toString());
    }),
  );

  withTarget(
    seats
      .command('extend')
      .description('Move the end of a current seat (before it ends; an ended seat must be added again).')
      .argument('<username>')
      .requiredOption(
        '--until <date>',
        'the new end: a date (access ends at the midnight after it) or a date-time with offset',
      ),
  ).action(async (username: string, options: Record<string, string>) =>
    using(open, options, async (ctx) => {
      let until: Date;
      try {
        until = parseSeatTime('--until', options.until ?? '', ctx.timeZone, 'end');
      } catch (error) {
        io.err(error instanceof Error ? error.message : String(error));
        io.exitCode(1);
        return;
      }
      const result = await extendSeat(ctx, username, until);
      if (!result.ok) {
        io.err(result.reason);
        io.exitCode(1);
        return;
      }
      io.out(`extended ${summaryLine(result.seat, ctx)}`);
    }),
  );

  withTarget(
    seats
      .command('promote')
      .description('Move a chat agent up one tier (chat-2 -> chat-4 -> chat-6): more chats at once.')
      .argument('<username>'),
  ).action(async (username: string, options: Record<string, unknown>) =>
    using(open, options, async (ctx) => {
      const result = await promoteSeat(ctx, username);
      if (!result.ok) {
        io.err(result.reason);
        io.exitCode(1);
        return;
      }
      io.out(`promoted ${username} to ${result.seat.type} (${result.seat.tier ?? '?'} chats at once)`);
    }),
  );

  withTarget(
    seats
      .command('revoke')
      .description('Take a seat’s access away now: the Connect user is deleted and SeatRevoked is announced.')
      .argument('<username>'),
  ).action(async (username: string, options: Record<string, unknown>) =>
    using(open, options, async (ctx) => {
      const result = await revokeSeat(ctx, username);
      if (!result.ok) {
        io.err(result.reason);
        io.exitCode(1);
        return;
      }
      io.out(`revoked ${username}'s ${result.seat.type} seat; its Connect user is deleted`);
      if (!result.announcement.announced) {
        // The revocation stands; only the bus has not heard of it yet, and the sweeper sees to that.
        io.err(
          `SeatRevoked was not announced (${result.announcement.reason}); the seat sweeper announces it on its next run.`,
        );
      }
    }),
  );

  withTarget(
    seats
      .command('report')
      .description('Seat-days used per seat type over a period: what the season’s extra staff cost.')
      .requiredOption('--from <date>', 'first day (or a date-time with offset)')
      .requiredOption('--to <date>', 'last day, included (or a date-time with offset, excluded)')
      .option('--json', 'JSON instead of a table', false),
  ).action(async (options: Record<string, unknown>) =>
    using(open, options, async (ctx) => {
      let from: Date;
      let to: Date;
      try {
        from = parseSeatTime('--from', String(options.from), ctx.timeZone, 'start');
        to = parseSeatTime('--to', String(options.to), ctx.timeZone, 'end');
        if (to.getTime() <= from.getTime()) throw new RangeError('--to must not be before --from.');
      } catch (error) {
        io.err(error instanceof Error ? error.message : String(error));
        io.exitCode(1);
        return;
      }
      const list = await ctx.store.list(ctx.clock.now(), { includeRevoked: true, includeExpired: true });
      const days = seatDays(list, from, to);
      const total = Math.round(SEAT_TYPES.reduce((sum, type) => sum + days[type], 0) * 100) / 100;
      if (options.json === true) {
        io.out(
          JSON.stringify({ from: from.toISOString(), to: to.toISOString(), seatDays: days, total }, null, 2),
        );
        return;
      }
      const t = table(['seat type', 'seat-days']);
      for (const type of SEAT_TYPES) t.push([type, days[type].toFixed(2)]);
      t.push(['total', total.toFixed(2)]);
      io.out(
        `Seat-days from ${shown(from.toISOString(), ctx.timeZone)} to ${shown(to.toISOString(), ctx.timeZone)} (${ctx.timeZone}), ${ctx.where}:`,
      );
      io.out(t.toString());
    }),
  );
  return seats;
};
