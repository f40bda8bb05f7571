/**
 * The KPI report in two lines for the terminal, after `peakline report --out` has written the file: enough
 * to see at once whether the month went well, in the CLI's language (English), the file holding the rest.
 */
import type { KpiReport } from '#core/reporting/report.js';
import { formatsFor } from './kpi-i18n.js';

export const kpiSummary = (report: KpiReport): string[] => {
  const f = formatsFor('en');
  const t = report.contacts.customers;
  const s = report.settings;
  const overflow = report.routing.queues.reduce((n, q) => n + q.overflowMinutes, 0);
  const deflect = report.routing.queues.reduce((n, q) => n + q.deflectMinutes, 0);
  return [
    `${report.from} to ${report.to} (${report.timeZone}), calls and chats: ${f.integer(t.queued)} queued, ${f.integer(t.handled)} handled, ${f.percent(t.abandonmentRate)} abandoned; service level ${f.percent(t.serviceLevel)} within ${s.serviceLevelSeconds} s (target ${f.percent(s.serviceLevelTarget)}), ASA ${f.seconds(t.asaSeconds)}, AHT ${f.seconds(t.ahtSeconds)}.`,
    `SMS ${f.integer(report.sms.total.sent)} sent (${f.integer(report.sms.total.parts)} parts, US$ ${f.money(report.sms.total.costUSD)}), ${f.integer(report.sms.total.suppressed)} suppressed; callbacks ${f.integer(report.callbacks.total.created)} tasks, ${f.integer(report.callbacks.total.converted)} ended in an order (${f.percent(report.callbacks.total.conversionRate)}); ${f.decimal(report.seatDays.total)} seat-days; overflow ${f.minutes(overflow)}, deflect ${f.minutes(deflect)}.`,
  ];
};
