import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReportCommand } from '#cli/report/command.js';
import type { OpenReportContext, ReportContext } from '#cli/report/context.js';
import type { CliIo } from '#cli/seats/commands.js';
import type { KpiReport } from '#core/reporting/report.js';
import type { DailyCallbackFigures, DailyQueueFigures } from '#core/reporting/types.js';
import { runPeakline } from '#test/support/cli.js';

// 7 Dec 2026, 10:00 in Warsaw.
const NOW = new Date('2026-12-07T09:00:00Z');

const figures: DailyQueueFigures[] = [
  {
    day: '2026-12-01',
    queueKey: 'primary',
    channel: 'VOICE',
    contactsQueued: 110,
    contactsHandled: 100,
    contactsAbandoned: 10,
    serviceLevel: 0.8,
    avgQueueAnswerTimeSeconds: 20,
    avgHandleTimeSeconds: 240,
    maxQueuedTimeSeconds: 300,
  },
  {
    day: '2026-12-02',
    queueKey: 'primary',
    channel: 'VOICE',
    contactsQueued: 330,
    contactsHandled: 300,
    contactsAbandoned: 30,
    serviceLevel: 0.6,
    avgQueueAnswerTimeSeconds: 40,
    avgHandleTimeSeconds: 200,
    maxQueuedTimeSeconds: 600,
  },
];

/** A context over in-memory sources, recording what it was asked. */
const fakeContext =
  (
    asked: { from?: Date; to?: Date; target?: unknown; closed?: boolean },
    callbacks: readonly DailyCallbackFigures[] = [],
  ): OpenReportContext =>
  async (target) => {
    asked.target = target;
    const ctx: ReportContext = {
      sources: {
        contactMetrics: {
          dailyQueueFigures: async (query) => {
            asked.from = query.from;
            asked.to = query.to;
            return figures;
          },
        },
        ownFigures: { smsFigures: async () => [], callbackFigures: async () => [...callbacks] },
        seats: { list: async () => [] },
        routingAudit: { changesBetween: async () => [], lastChangeBefore: async () => undefined },
      },
      queues: [{ key: 'primary', id: 'q-primary', name: 'primary' }],
      settings: { serviceLevelSeconds: 20, serviceLevelTarget: 0.8, smsPricePerPartUSD: 0.04 },
      timeZone: 'Europe/Warsaw',
      language: 'pl',
      clock: { now: () => NOW },
      where: 'the test',
      close: () => {
        asked.closed = true;
      },
    };
    return ctx;
  };

const programWith = (open: OpenReportContext) => (io: CliIo) => {
  const program = new Command('peakline')
    .configureOutput({ writeOut: (t) => io.out(t.trimEnd()), writeErr: (t) => io.err(t.trimEnd()) })
    .exitOverride();
  addReportCommand(program, io, open);
  return program;
};

describe('peakline report', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peakline-report-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('asks the sources for the shop’s days and writes the JSON report with weighted totals', async () => {
    // Prepare
    const asked: { from?: Date; to?: Date; closed?: boolean } = {};

    // Act
    const run = await runPeakline(
      ['report', '--from', '2026-12-01', '--to', '2026-12-02', '--format', 'json'],
      {
        program: programWith(fakeContext(asked)),
      },
    );

    // Assess: 1 Dec 00:00 CET = 30 Nov 23:00 Z to 3 Dec 00:00 CET; ASA (100*20 + 300*40)/400 = 35 s;
    // SL weighted by contacts queued: (110*0.8 + 330*0.6)/440 = 0.65.
    expect(run.exitCode).toBe(0);
    expect(asked.from?.toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(asked.to?.toISOString()).toBe('2026-12-02T23:00:00.000Z');
    expect(asked.closed).toBe(true);
    const report = JSON.parse(run.out) as KpiReport;
    expect(report.contacts.total.asaSeconds).toBe(35);
    expect(report.contacts.total.serviceLevel).toBeCloseTo(0.65, 10);
    expect(report.contacts.total.maxQueuedSeconds).toBe(600);
  });

  it('keeps the converted carts’ value per currency, in the CSV and on the page, never added across', async () => {
    // Prepare: a cart bought in złoty on the 1st, one in euros on the 2nd.
    const day = (d: string, convertedValues: Record<string, number>): DailyCallbackFigures => ({
      day: d,
      scheduled: 1,
      created: 1,
      cancelled: {},
      converted: 1,
      convertedValues,
    });
    const callbacks = [day('2026-12-01', { PLN: 249.99 }), day('2026-12-02', { EUR: 59.9 })];
    const file = join(dir, 'currencies.csv');

    // Act
    const csvRun = await runPeakline(
      ['report', '--from', '2026-12-01', '--to', '2026-12-02', '--format', 'csv', '--out', file],
      { program: programWith(fakeContext({}, callbacks)) },
    );
    const htmlRun = await runPeakline(
      ['report', '--from', '2026-12-01', '--to', '2026-12-02', '--lang', 'en'],
      {
        program: programWith(fakeContext({}, callbacks)),
      },
    );

    // Assess: a column per currency, each day its own; the page names each amount with its currency.
    expect(csvRun.exitCode).toBe(0);
    const csv = await readFile(file, 'utf8');
    expect(csv).toContain(
      'section,day,scheduled,created,cancelled,converted,converted_value_EUR,converted_value_PLN,',
    );
    expect(csv).toContain('callbacks,2026-12-01,1,1,0,1,0,249.99,');
    expect(csv).toContain('callbacks,2026-12-02,1,1,0,1,59.9,0,');
    expect(htmlRun.out).toContain('59.90 EUR + 249.99 PLN');
    expect(htmlRun.out).not.toContain('309.89');
  });

  it('reports the month so far when no range is given, by the clock of the world it reads', async () => {
    // Prepare: the context's clock says 7 Dec 2026, 10:00 in Warsaw.
    const asked: { from?: Date; to?: Date } = {};

    // Act
    const run = await runPeakline(['report', '--format', 'json'], {
      program: programWith(fakeContext(asked)),
    });

    // Assess: 1 Dec 00:00 CET (30 Nov 23:00 Z) to the end of 7 Dec (7 Dec 23:00 Z), seven days.
    expect(run.exitCode).toBe(0);
    expect(asked.from?.toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(asked.to?.toISOString()).toBe('2026-12-07T23:00:00.000Z');
    const report = JSON.parse(run.out) as KpiReport;
    expect(report.from).toBe('2026-12-01');
    expect(report.to).toBe('2026-12-07');
  });

  it('writes the CSV with one contacts row per day, queue and channel, then the totals', async () => {
    // Prepare
    const file = join(dir, 'report.csv');

    // Act
    const run = await runPeakline(
      ['report', '--from', '2026-12-01', '--to', '2026-12-02', '--format', 'csv', '--out', file],
      { program: programWith(fakeContext({})) },
    );

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.err).toMatch(/Wrote .*report\.csv \(csv\) from the test\./);
    expect(run.err).toMatch(
      /calls and chats: 440 queued, 400 handled, 9\.1% abandoned; service level 65\.0% within 20 s/,
    );
    const rows = parse(await readFile(file, 'utf8'), {
      relaxColumnCount: true,
      skipEmptyLines: true,
    }) as string[][];
    const contacts = rows.filter((r) => r[0] === 'contacts');
    expect(contacts.map((r) => r.slice(1, 4))).toEqual([
      ['2026-12-01', 'primary', 'VOICE'],
      ['2026-12-02', 'primary', 'VOICE'],
      ['total', 'primary', 'VOICE'],
      ['total', 'all', 'VOICE'],
      ['total', 'all', 'all'],
    ]);
    // abandonment 40/440 to 4 decimals; ASA 35 s; AHT (100*240 + 300*200)/400 = 210 s.
    expect(contacts.at(-1)?.slice(4)).toEqual(['440', '400', '40', '0.0909', '0.65', '35', '210', '600']);
  });

  it.each([
    [['--from', '2026-12-05', '--to', '2026-12-01'], /--from 2026-12-05 is after --to 2026-12-01/],
    [['--from', '2026-02-30', '--to', '2026-12-01'], /--from 2026-02-30 is not a day/],
    [['--from', '2026-08-01', '--to', '2026-08-31'], /more than 3 months back.*earliest day is 2026-09-07/],
  ])('refuses %j in words, asks no source and exits 1', async (args, message) => {
    // Prepare
    const asked: { from?: Date } = {};

    // Act
    const run = await runPeakline(['report', ...args], { program: programWith(fakeContext(asked)) });

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.err).toMatch(message);
    expect(asked.from).toBeUndefined();
  });

  it('says a refusal of Connect’s in words', async () => {
    // Prepare: the source refuses as the Connect adapter does for a range past its retention.
    const open: OpenReportContext = async (target) => {
      const ctx = await fakeContext({})(target);
      return {
        ...ctx,
        sources: {
          ...ctx.sources,
          contactMetrics: {
            dailyQueueFigures: async () => {
              throw new RangeError('Amazon Connect keeps 3 months of metrics; ask from 2026-09-07.');
            },
          },
        },
      };
    };

    // Act
    const run = await runPeakline(['report', '--from', '2026-12-01', '--to', '2026-12-02'], {
      program: programWith(open),
    });

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.err).toBe('Amazon Connect keeps 3 months of metrics; ask from 2026-09-07.');
  });

  it('writes the HTML in the stage’s language unless --lang says otherwise', async () => {
    // Act
    const polish = await runPeakline(['report', '--from', '2026-12-01', '--to', '2026-12-02'], {
      program: programWith(fakeContext({})),
    });
    const english = await runPeakline(
      ['report', '--from', '2026-12-01', '--to', '2026-12-02', '--lang', 'en'],
      {
        program: programWith(fakeContext({})),
      },
    );

    // Assess
    expect(polish.out).toContain('<html lang="pl">');
    expect(polish.out).toContain('Raport KPI obsługi klienta');
    expect(english.out).toContain('<html lang="en">');
    expect(english.out).toContain('Customer service KPI report');
  });

  it('is part of the peakline program, and says so when no local stack answers', async () => {
    // Act: the real program and context, pointed at a port nothing listens on.
    const run = await runPeakline([
      'report',
      '--from',
      '2026-12-01',
      '--to',
      '2026-12-02',
      '--local',
      '--dashboard-url',
      'http://127.0.0.1:9',
    ]);

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.err).toMatch(/^No local stack answers at http:\/\/127\.0\.0\.1:9 .*Start it with `npm start`/);
  });

  it('passes --local and the dashboard to the context', async () => {
    // Prepare
    const asked: { target?: unknown } = {};

    // Act
    await runPeakline(
      [
        'report',
        '--from',
        '2026-12-01',
        '--to',
        '2026-12-01',
        '--local',
        '--dashboard-url',
        'http://127.0.0.1:4999',
      ],
      { program: programWith(fakeContext(asked)) },
    );

    // Assess
    expect(asked.target).toMatchObject({ local: true, dashboardUrl: 'http://127.0.0.1:4999' });
  });
});
