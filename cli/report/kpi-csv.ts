/**
 * `peakline report --format csv`: the KPI report for spreadsheets. One file of sections, each with its own
 * header row and a blank line after it; the first column of every row names its section, so filtering
 * column A gives one table:
 *
 * - `contacts`: one row per day × queue × channel as Connect reported it, then `total` rows (day `total`)
 *   per queue × channel, per channel (queue `all`) and for everything (queue and channel `all`);
 * - `routing`: minutes in OVERFLOW and DEFLECT per day × queue;
 * - `sms`: per day × kind × order status × outcome × reason: count, parts, cost in US$;
 * - `callbacks`: per day: scheduled, created, cancelled, converted, value, conversion; `callbacks_cancelled`:
 *   per day × reason;
 * - `seats`: seat-days per seat type.
 *
 * Column names are English and numbers plain (a dot for decimals, shares 0-1, seconds), whatever the
 * page's language: a CSV is read by programs as much as by people.
 */
import { stringify } from 'csv-stringify/sync';
import type { ContactKpis, KpiReport } from '#core/reporting/report.js';
import { SEAT_TYPES } from '#core/seats/seat.js';

type Value = string | number | null;

const share = (n: number | null): Value => (n === null ? null : Math.round(n * 10_000) / 10_000);
const seconds = (n: number | null): Value => (n === null ? null : Math.round(n * 10) / 10);

const kpis = (k: ContactKpis): Value[] => [
  k.queued,
  k.handled,
  k.abandoned,
  share(k.abandonmentRate),
  share(k.serviceLevel),
  seconds(k.asaSeconds),
  seconds(k.ahtSeconds),
  seconds(k.maxQueuedSeconds),
];

const section = (header: readonly string[], rows: readonly (readonly Value[])[]): string =>
  stringify([header, ...rows], { cast: { number: (n) => String(n) } });

export const kpiCsv = (report: KpiReport): string => {
  const sl = `service_level_${report.settings.serviceLevelSeconds}s`;
  const contacts = section(
    [
      'section',
      'day',
      'queue',
      'channel',
      'queued',
      'handled',
      'abandoned',
      'abandonment_rate',
      sl,
      'asa_seconds',
      'aht_seconds',
      'max_queued_seconds',
    ],
    [
      ...report.contacts.rows.map((r) => ['contacts', r.day, r.queueKey, r.channel, ...kpis(r)]),
      ...report.contacts.byQueueChannel.map((r) => ['contacts', 'total', r.queueKey, r.channel, ...kpis(r)]),
      ...report.contacts.byChannel.map((r) => ['contacts', 'total', 'all', r.channel, ...kpis(r)]),
      ['contacts', 'total', 'all', 'all', ...kpis(report.contacts.total)],
    ],
  );
  const routing = section(
    ['section', 'day', 'queue', 'overflow_minutes', 'deflect_minutes'],
    report.routing.daily.map((d) => ['routing', d.day, d.queueKey, d.overflowMinutes, d.deflectMinutes]),
  );
  const sms = section(
    ['section', 'day', 'kind', 'status', 'outcome', 'reason', 'count', 'parts', 'cost_usd'],
    report.sms.rows.map((r) => [
      'sms',
      r.day,
      r.kind,
      r.status ?? '',
      r.outcome,
      r.reason ?? '',
      r.count,
      r.parts,
      r.costUSD,
    ]),
  );
  // A value column per currency the converted carts were in (`converted_value_PLN`): amounts in different
  // currencies are never added up, and a spreadsheet wants plain numbers.
  const currencies = Object.keys(report.callbacks.total.convertedValues).sort();
  const callbacks = section(
    [
      'section',
      'day',
      'scheduled',
      'created',
      'cancelled',
      'converted',
      ...currencies.map((c) => `converted_value_${c}`),
      'conversion_rate',
    ],
    report.callbacks.byDay.map((d) => [
      'callbacks',
      d.day,
      d.scheduled,
      d.created,
      Object.values(d.cancelled).reduce((n, c) => n + c, 0),
      d.converted,
      ...currencies.map((c) => d.convertedValues[c] ?? 0),
      share(d.conversionRate),
    ]),
  );
  const cancelled = section(
    ['section', 'day', 'reason', 'count'],
    report.callbacks.byDay.flatMap((d) =>
      Object.entries(d.cancelled).map(([reason, n]) => ['callbacks_cancelled', d.day, reason, n]),
    ),
  );
  const seats = section(
    ['section', 'seat_type', 'seat_days'],
    SEAT_TYPES.map((type) => ['seats', type, report.seatDays.byType[type]]),
  );
  return [contacts, routing, sms, callbacks, cancelled, seats].join('\n');
};
