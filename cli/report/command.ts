/**
 * `peakline report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format html|csv|json] [--out F] [--local] [--lang pl|en]`:
 * the KPI report of a range of days in the shop's time zone, from a deployed stage or the local stack. The
 * range is checked before any source is asked; a range the sources refuse (Connect keeps three months) is
 * said in words. Exit code 1 when nothing was written.
 */
import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { checkRange, monthSoFar } from '#core/reporting/days.js';
import { buildKpiReport, type KpiReport } from '#core/reporting/report.js';
import type { CliIo } from '../seats/commands.js';
import { CliError } from '../seats/context.js';
import { openReportContext, type OpenReportContext, type ReportContext } from './context.js';
import { kpiCsv } from './kpi-csv.js';
import { kpiHtml } from './kpi-html.js';
import { REPORT_LANGUAGES, type ReportLanguage } from './kpi-i18n.js';
import { kpiSummary } from './kpi-text.js';

export const REPORT_FORMATS = ['html', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

interface ReportOptions {
  readonly from?: string;
  readonly to?: string;
  readonly format: ReportFormat;
  readonly out?: string;
  readonly lang?: ReportLanguage;
  readonly local: boolean;
  readonly dashboardUrl: string;
  readonly stage: string;
  readonly region?: string;
  readonly profile?: string;
}

/** The report in the format asked. */
export const renderReport = (report: KpiReport, format: ReportFormat, lang: ReportLanguage): string =>
  format === 'html'
    ? kpiHtml(report, { lang })
    : format === 'csv'
      ? kpiCsv(report)
      : `${JSON.stringify(report, null, 2)}\n`;

export const addReportCommand = (
  program: Command,
  io: CliIo,
  open: OpenReportContext = openReportContext,
): Command =>
  program
    .command('report')
    .description(
      'The KPI report of a range of days: contacts per queue and channel (Amazon Connect), SMS, callbacks, seat-days and overflow minutes, in the shop’s time zone. HTML (printable, Polish or English), CSV or JSON.',
    )
    .option(
      '--from <day>',
      'first day, YYYY-MM-DD, in the contact centre’s zone (default: the 1st of this month)',
    )
    .option('--to <day>', 'last day, included, YYYY-MM-DD (default: today)')
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('html'))
    .option('--out <file>', 'write the report here instead of stdout')
    .addOption(
      new Option(
        '--lang <lang>',
        'language of the HTML report (default: the stage’s reports.locale)',
      ).choices(REPORT_LANGUAGES),
    )
    .option('--local', 'read the running local stack (npm start) instead of AWS', false)
    .option('--dashboard-url <url>', 'the local stack’s dashboard, with --local', 'http://127.0.0.1:4000')
    .addOption(
      new Option(
        '--stage <stage>',
        'the stage whose settings and stacks to read (infra/config/stages/<stage>.json)',
      )
        .env('PEAKLINE_STAGE')
        .default('dev'),
    )
    .option('--region <region>', 'AWS region (default: the stage’s)')
    .option('--profile <profile>', 'AWS named profile (default: the normal credential chain)')
    .showHelpAfterError()
    .exitOverride()
    .action(async (options: ReportOptions) => {
      let ctx: ReportContext;
      try {
        ctx = await open({
          local: options.local,
          dashboardUrl: options.dashboardUrl,
          stage: options.stage,
          ...(options.region === undefined ? {} : { region: options.region }),
          ...(options.profile === undefined ? {} : { profile: options.profile }),
        });
      } catch (error) {
        io.err(error instanceof Error ? error.message : String(error));
        io.exitCode(1);
        return;
      }
      try {
        const now = ctx.clock.now();
        // No range: the month so far, by the clock of the world asked (the local stack's virtual day).
        const month = monthSoFar(now, ctx.timeZone);
        const checked = checkRange(options.from ?? month.from, options.to ?? month.to, now, ctx.timeZone);
        if (!checked.ok) {
          for (const problem of checked.problems) io.err(problem);
          io.exitCode(1);
          return;
        }
        let report: KpiReport;
        try {
          report = await buildKpiReport(ctx.sources, {
            range: checked.range,
            queues: ctx.queues,
            settings: ctx.settings,
            now,
          });
        } catch (error) {
          // Connect's own refusals (a range its retention no longer covers) are the user's to fix.
          if (error instanceof RangeError || error instanceof CliError) {
            io.err(error.message);
            io.exitCode(1);
            return;
          }
          throw error;
        }
        const lang = options.lang ?? ctx.language;
        const output = renderReport(report, options.format, lang);
        if (options.out === undefined) {
          io.out(output.replace(/\n$/, ''));
          return;
        }
        await writeFile(options.out, output, 'utf8');
        io.err(`Wrote ${options.out} (${options.format}) from ${ctx.where}.`);
        for (const line of kpiSummary(report)) io.err(line);
      } finally {
        ctx.close();
      }
    });
