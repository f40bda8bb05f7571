/**
 * The monthly report's work, apart from the Lambda's wiring so a test runs it on its own sources and bucket:
 * last month on the shop's wall clock, built by the same core as `peakline report`, written as
 * report-YYYY-MM.html and report-YYYY-MM.csv.
 */
import type { PutObject } from '#adapters/s3/put-object.js';
import { kpiCsv } from '#cli/report/kpi-csv.js';
import { kpiHtml } from '#cli/report/kpi-html.js';
import type { ReportLanguage } from '#cli/report/kpi-i18n.js';
import { checkRange, lastMonth } from '#core/reporting/days.js';
import { buildKpiReport, type KpiReportSettings, type KpiReportSources } from '#core/reporting/report.js';
import type { ReportQueue } from '#core/reporting/types.js';

export interface MonthlyReportDeps {
  readonly sources: KpiReportSources;
  readonly queues: readonly ReportQueue[];
  readonly settings: KpiReportSettings;
  readonly timeZone: string;
  readonly language: ReportLanguage;
  readonly putObject: PutObject;
  readonly bucket: string;
}

export interface MonthlyReportResult {
  readonly month: string;
  readonly keys: readonly string[];
}

export const writeMonthlyReport = async (
  deps: MonthlyReportDeps,
  now: Date,
): Promise<MonthlyReportResult> => {
  const { from, to } = lastMonth(now, deps.timeZone);
  const checked = checkRange(from, to, now, deps.timeZone);
  // Last month is always a real, finished range within Connect's three months; anything else is a bug.
  if (!checked.ok) throw new Error(`Last month's range was refused: ${checked.problems.join(' ')}`);
  const report = await buildKpiReport(deps.sources, {
    range: checked.range,
    queues: deps.queues,
    settings: deps.settings,
    now,
  });
  const month = from.slice(0, 7);
  const files = [
    {
      key: `report-${month}.html`,
      body: kpiHtml(report, { lang: deps.language }),
      type: 'text/html; charset=utf-8',
    },
    { key: `report-${month}.csv`, body: kpiCsv(report), type: 'text/csv; charset=utf-8' },
  ];
  // Both uploads at once: the run waits for one PutObject round trip, not two in a row (3-4 ms of the
  // monthly report's first invoke in the bench, about one round trip to S3 on AWS). A failed upload fails
  // the run either way, and a retry writes both again.
  await Promise.all(
    files.map((file) =>
      deps.putObject({
        Bucket: deps.bucket,
        Key: file.key,
        Body: file.body,
        ContentType: file.type,
        // A run again for the same month (a retry) writes the same name: the newer report replaces it.
        ContentDisposition: `attachment; filename="${file.key}"`,
      }),
    ),
  );
  return { month, keys: files.map((f) => f.key) };
};
