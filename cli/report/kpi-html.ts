/**
 * `peakline report --format html`: the KPI report as one self-contained, printable page in Polish or
 * English. Charts are SVG rendered here by charts.ts (no browser, no script in the page). Each chapter starts
 * on a new A4 page and nothing is cut across pages: a figure or a short table moves whole to the next page,
 * and the long daily table repeats its header on every page it spans.
 */
import type { Channel } from '#core/ports.js';
import type { ContactKpis, KpiReport } from '#core/reporting/report.js';
import { SEAT_TYPES } from '#core/seats/seat.js';
import { type ChartBand, chartSvg } from './charts.js';
import { type Cell, escapeHtml, htmlFacts, htmlFigure, htmlPage, htmlTable } from './html.js';
import {
  formatsFor,
  type KpiFormats,
  type KpiWords,
  nameOf,
  type ReportLanguage,
  WORDS,
} from './kpi-i18n.js';

/** A4 upright; one chapter a page; figures and short tables never split; long tables repeat their header. */
const PRINT_STYLE = `
section + section { break-before: page; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; break-after: avoid; }
table { font-size: .8rem; width: 100%; }
th, td { padding: .15rem .4rem; }
td.num, th.num, tbody td:first-child { white-space: nowrap; }
thead th { vertical-align: bottom; }
table.keep { break-inside: avoid; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
p.note { color: #555; font-size: .85rem; margin: .25rem 0 .75rem; }
dl.definitions dt { font-weight: 600; color: #1a1a1a; font-size: .9rem; margin-top: .6rem; }
dl.definitions dd { font-size: .85rem; font-weight: 400; margin: .1rem 0 0; }
dl.facts { grid-template-columns: repeat(4, 1fr); gap: .5rem; }
@page { size: A4 portrait; margin: 14mm 12mm; }
@media print {
  body { font-size: 11px; }
  dl.facts div { padding: .35rem .5rem; }
  dd { font-size: 1.1rem; }
  figure svg { max-height: 78mm; }
}
`;

/** Consecutive days on which any queue overflowed or deflected, as chart bands. */
const overloadBands = (report: KpiReport, f: KpiFormats, label: string): ChartBand[] => {
  const overloaded = new Set(
    report.routing.daily.filter((d) => d.overflowMinutes + d.deflectMinutes > 0).map((d) => d.day),
  );
  const bands: ChartBand[] = [];
  let start: string | undefined;
  let previous: string | undefined;
  for (const day of [...report.days, '']) {
    if (overloaded.has(day)) {
      start ??= day;
    } else if (start !== undefined && previous !== undefined) {
      // A band from a day to the next one's start, so a single day is a stripe, not a line.
      const end = report.days[report.days.indexOf(previous) + 1] ?? previous;
      bands.push({ from: f.shortDay(start), to: f.shortDay(end), label });
      start = undefined;
    }
    previous = day;
  }
  return bands;
};

const kpiCells = (k: ContactKpis): Cell[] => [
  k.queued,
  k.handled,
  k.abandoned,
  k.abandonmentRate,
  k.serviceLevel,
  k.asaSeconds,
  k.ahtSeconds,
  k.maxQueuedSeconds,
];

type Format = (value: number) => string;

/** The formats of kpiCells' columns. */
const kpiFormats = (f: KpiFormats): Format[] => [
  f.integer,
  f.integer,
  f.integer,
  f.percent,
  f.percent,
  f.seconds,
  f.seconds,
  f.seconds,
];

/**
 * A table whose numbers stay numbers (right-aligned, lined up) and are written by their column's format;
 * `skip` leading text columns have none.
 */
const table = (
  head: readonly string[],
  rows: readonly (readonly Cell[])[],
  formats: readonly Format[],
  options: {
    caption?: string;
    emphasise?: (row: readonly Cell[], index: number) => boolean;
    split?: boolean;
  } = {},
): string => {
  const skip = head.length - formats.length;
  const html = htmlTable(head, rows, {
    ...(options.caption === undefined ? {} : { caption: options.caption }),
    ...(options.emphasise === undefined ? {} : { emphasise: options.emphasise }),
    format: (value, column) => (formats[column - skip] ?? String)(value),
  });
  // Short tables move whole to the next page; only a long one (the appendix) may run over pages.
  return options.split === true ? html : html.replace('<table>', '<table class="keep">');
};

const kpiHead = (w: KpiWords, seconds: number): string[] => [
  w.columns.queued,
  w.columns.handled,
  w.columns.abandoned,
  w.columns.abandonmentRate,
  w.columns.serviceLevel(seconds),
  w.columns.asa,
  w.columns.aht,
  w.columns.maxWait,
];

const queueName = (w: KpiWords, report: KpiReport, key: string): string =>
  w.queue[key] ?? report.queues.find((q) => q.key === key)?.name ?? key;

const channelsOf = (report: KpiReport): Channel[] => report.contacts.byChannel.map((c) => c.channel);

const summary = (report: KpiReport, w: KpiWords, f: KpiFormats): string => {
  const t = report.contacts.customers;
  const s = report.settings;
  const overflow = report.routing.queues.reduce((n, q) => n + q.overflowMinutes, 0);
  const deflect = report.routing.queues.reduce((n, q) => n + q.deflectMinutes, 0);
  const facts = `<p class="note">${escapeHtml(w.facts.customersOnly)}</p>\n${htmlFacts([
    { label: w.facts.queued, value: f.integer(t.queued) },
    { label: w.facts.handled, value: f.integer(t.handled) },
    {
      label: w.facts.abandoned,
      value: f.percent(t.abandonmentRate),
      note: w.facts.ofQueued(f.integer(t.abandoned), f.integer(t.queued)),
    },
    {
      label: w.facts.serviceLevel,
      value: f.percent(t.serviceLevel),
      note: w.facts.target(f.percent(s.serviceLevelTarget), s.serviceLevelSeconds),
    },
    { label: w.facts.asa, value: f.seconds(t.asaSeconds) },
    { label: w.facts.aht, value: f.seconds(t.ahtSeconds) },
    { label: w.facts.maxWait, value: f.seconds(t.maxQueuedSeconds) },
    {
      label: w.facts.smsSent,
      value: f.integer(report.sms.total.sent),
      note: `${w.facts.smsCost(f.integer(report.sms.total.parts))}, US$ ${f.money(report.sms.total.costUSD)}`,
    },
    {
      label: w.facts.callbacksConverted,
      value: `${f.integer(report.callbacks.total.converted)} (${f.percent(report.callbacks.total.conversionRate)})`,
      note: w.facts.convertedValue(f.amounts(report.callbacks.total.convertedValues)),
    },
    { label: w.facts.seatDays, value: f.decimal(report.seatDays.total) },
    { label: w.facts.overflow, value: f.minutes(overflow), note: w.facts.overflowNote(f.minutes(deflect)) },
  ])}`;
  const rows: Cell[][] = [
    ...report.contacts.byQueueChannel.map((r) => [
      queueName(w, report, r.queueKey),
      w.channel[r.channel],
      ...kpiCells(r),
    ]),
    ...report.contacts.byChannel.map((r) => [w.total, w.channel[r.channel], ...kpiCells(r)]),
    [w.total, w.allChannels, ...kpiCells(report.contacts.total)],
  ];
  const totalsFrom = report.contacts.byQueueChannel.length;
  const perQueue = table(
    [w.columns.queue, w.columns.channel, ...kpiHead(w, s.serviceLevelSeconds)],
    rows,
    kpiFormats(f),
    { emphasise: (_row, i) => i >= totalsFrom },
  );
  return `${facts}\n<h3>${escapeHtml(w.captions.perQueue)}</h3>\n${perQueue}`;
};

const daily = (report: KpiReport, w: KpiWords, f: KpiFormats): string => {
  const categories = report.days.map(f.shortDay);
  const channels = channelsOf(report);
  const perDay = (channel: Channel, pick: (k: ContactKpis) => number | null) =>
    report.days.map((day) => {
      const row = report.contacts.byDayChannel.find((r) => r.day === day && r.channel === channel);
      return row === undefined ? null : pick(row);
    });
  const allChannels = (day: string) => report.contacts.byDayChannel.filter((r) => r.day === day);
  const s = report.settings;
  const serviceLevel = chartSvg({
    numberFormat: f.axisNumber,
    title: w.charts.serviceLevel(s.serviceLevelSeconds),
    categories,
    series: channels.map((c) => ({ name: w.channel[c], data: perDay(c, (k) => k.serviceLevel) })),
    percent: true,
    target: { value: s.serviceLevelTarget, label: `${w.charts.target} ${f.percent(s.serviceLevelTarget)}` },
    bands: overloadBands(report, f, w.charts.overflowBand),
  });
  const volume = chartSvg({
    numberFormat: f.axisNumber,
    title: w.charts.volume,
    categories,
    yName: w.charts.contacts,
    series: [
      {
        name: w.columns.handled,
        kind: 'bar',
        stack: 'contacts',
        data: report.days.map((d) => allChannels(d).reduce((n, r) => n + r.handled, 0)),
      },
      {
        name: w.columns.abandoned,
        kind: 'bar',
        stack: 'contacts',
        data: report.days.map((d) => allChannels(d).reduce((n, r) => n + r.abandoned, 0)),
      },
    ],
  });
  const asa = chartSvg({
    numberFormat: f.axisNumber,
    title: w.charts.asa,
    categories,
    yName: w.charts.seconds,
    series: channels.map((c) => ({ name: w.channel[c], data: perDay(c, (k) => k.asaSeconds) })),
  });
  return [
    htmlFigure(serviceLevel, w.captions.serviceLevel),
    htmlFigure(volume, w.captions.volume),
    htmlFigure(asa, w.captions.asa),
  ].join('\n');
};

const routing = (report: KpiReport, w: KpiWords, f: KpiFormats): string => {
  const active = report.routing.queues.filter((q) => q.changes > 0 || q.stateAtStart !== 'NORMAL');
  const shown = active.length > 0 ? active : report.routing.queues;
  const perQueue = table(
    [
      w.columns.queue,
      w.columns.stateAtStart,
      w.columns.changes,
      w.columns.overflowTime,
      w.columns.deflectTime,
    ],
    shown.map((q) => [
      queueName(w, report, q.queueKey),
      w.state[q.stateAtStart] ?? q.stateAtStart,
      q.changes,
      q.overflowMinutes,
      q.deflectMinutes,
    ]),
    [f.integer, f.minutes, f.minutes],
    { caption: w.captions.routing },
  );
  const minutesOf = (day: string, queueKey: string) =>
    report.routing.daily.find((d) => d.day === day && d.queueKey === queueKey);
  const chart = chartSvg({
    numberFormat: f.axisNumber,
    title: w.charts.overflowPerDay,
    categories: report.days.map(f.shortDay),
    yName: w.charts.minutes,
    series: shown.flatMap((q) => [
      {
        name: `${queueName(w, report, q.queueKey)}: ${w.state.OVERFLOW}`,
        kind: 'bar' as const,
        stack: q.queueKey,
        data: report.days.map((day) => minutesOf(day, q.queueKey)?.overflowMinutes ?? 0),
      },
      {
        name: `${queueName(w, report, q.queueKey)}: ${w.state.DEFLECT}`,
        kind: 'bar' as const,
        stack: q.queueKey,
        data: report.days.map((day) => minutesOf(day, q.queueKey)?.deflectMinutes ?? 0),
      },
    ]),
  });
  return `${htmlFigure(chart)}\n${perQueue}`;
};

const sms = (report: KpiReport, w: KpiWords, f: KpiFormats): string => {
  const { sms: s } = report;
  const byKind = table(
    [w.columns.kind, w.columns.sent, w.columns.suppressed, w.columns.parts, w.columns.cost],
    [
      ...s.byKind.map((k) => [nameOf(w, k.kind), k.sent, k.suppressed, k.parts, k.costUSD]),
      [w.total, s.total.sent, s.total.suppressed, s.total.parts, s.total.costUSD],
    ],
    [f.integer, f.integer, f.integer, f.money],
    { caption: w.captions.smsByKind, emphasise: (_r, i) => i === s.byKind.length },
  );
  const byStatus =
    s.byStatus.length === 0
      ? ''
      : table(
          [w.columns.status, w.columns.sent, w.columns.parts],
          s.byStatus.map((r) => [nameOf(w, r.status), r.sent, r.parts]),
          [f.integer, f.integer],
          { caption: w.captions.smsByStatus },
        );
  const byReason =
    s.suppressedByReason.length === 0
      ? ''
      : table(
          [w.columns.reason, w.columns.count],
          s.suppressedByReason.map((r) => [nameOf(w, r.reason), r.count]),
          [f.integer],
          { caption: w.captions.smsByReason },
        );
  const chart = chartSvg({
    numberFormat: f.axisNumber,
    title: w.charts.smsPerDay,
    categories: report.days.map(f.shortDay),
    series: [
      { name: w.columns.sent, kind: 'bar', stack: 'sms', data: s.byDay.map((d) => d.sent) },
      { name: w.columns.suppressed, kind: 'bar', stack: 'sms', data: s.byDay.map((d) => d.suppressed) },
    ],
    height: 280,
  });
  return [htmlFigure(chart), byKind, byStatus, byReason].filter((part) => part !== '').join('\n');
};

const callbacks = (report: KpiReport, w: KpiWords, f: KpiFormats): string => {
  const t = report.callbacks.total;
  const totals = table(
    [
      w.columns.scheduled,
      w.columns.created,
      w.columns.cancelled,
      w.columns.converted,
      w.columns.conversionRate,
      w.columns.convertedValue,
    ],
    [[t.scheduled, t.created, t.cancelledTotal, t.converted, t.conversionRate, f.amounts(t.convertedValues)]],
    // The value is text (an amount per currency), which the table writes as it is.
    [f.integer, f.integer, f.integer, f.integer, f.percent],
    { caption: w.captions.callbacks },
  );
  const reasons = Object.entries(t.cancelled).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const cancelled =
    reasons.length === 0
      ? ''
      : table(
          [w.columns.reason, w.columns.count],
          reasons.map(([reason, n]) => [w.cancelReasons[reason] ?? reason, n]),
          [f.integer],
          { caption: w.captions.callbacksCancelled },
        );
  const byDay = report.callbacks.byDay;
  const chart = chartSvg({
    numberFormat: f.axisNumber,
    title: w.charts.callbacksPerDay,
    categories: report.days.map(f.shortDay),
    series: [
      { name: w.columns.scheduled, kind: 'bar', data: byDay.map((d) => d.scheduled) },
      { name: w.columns.created, kind: 'bar', data: byDay.map((d) => d.created) },
      { name: w.columns.converted, kind: 'bar', data: byDay.map((d) => d.converted) },
    ],
    height: 280,
  });
  return [htmlFigure(chart), totals, cancelled].filter((part) => part !== '').join('\n');
};

const seats = (report: KpiReport, w: KpiWords, f: KpiFormats): string => {
  const types = SEAT_TYPES.filter((type) => report.seatDays.byType[type] > 0);
  const shown = types.length > 0 ? types : SEAT_TYPES;
  const perType = table(
    [w.columns.seatType, w.columns.seatDays],
    [
      ...shown.map((type) => [w.seatType[type], report.seatDays.byType[type]]),
      [w.total, report.seatDays.total],
    ],
    [f.decimal],
    { emphasise: (_r, i) => i === shown.length },
  );
  const chart = chartSvg({
    numberFormat: f.axisNumber,
    title: w.charts.seatDays,
    categories: shown.map((type) => w.seatType[type]),
    yName: w.charts.days,
    series: [
      { name: w.columns.seatDays, kind: 'bar', data: shown.map((type) => report.seatDays.byType[type]) },
    ],
    height: 260,
  });
  const note = `<p class="note">${escapeHtml(w.captions.seats(f.instant(report.seatDays.until, report.timeZone)))}</p>`;
  return `${htmlFigure(chart)}\n${perType}\n${note}`;
};

const definitions = (report: KpiReport, w: KpiWords, f: KpiFormats): string =>
  `<dl class="definitions">${w
    .definitions({
      serviceLevelSeconds: report.settings.serviceLevelSeconds,
      serviceLevelTarget: f.percent(report.settings.serviceLevelTarget),
      smsPrice: String(report.settings.smsPricePerPartUSD),
      timeZone: report.timeZone,
    })
    .map((d) => `<dt>${escapeHtml(d.term)}</dt><dd>${escapeHtml(d.text)}</dd>`)
    .join('')}</dl>`;

const appendix = (report: KpiReport, w: KpiWords, f: KpiFormats): string =>
  report.contacts.rows.length === 0
    ? `<p>${escapeHtml(w.none)}</p>`
    : table(
        [
          w.columns.day,
          w.columns.queue,
          w.columns.channel,
          ...kpiHead(w, report.settings.serviceLevelSeconds),
        ],
        report.contacts.rows.map((r) => [
          f.tableDay(r.day),
          queueName(w, report, r.queueKey),
          w.channel[r.channel],
          ...kpiCells(r),
        ]),
        kpiFormats(f),
        { caption: w.captions.appendix, split: true },
      );

export interface KpiHtmlOptions {
  readonly lang: ReportLanguage;
}

/**
 * The day formats written once per day: the same month's days label six charts and the daily tables, and
 * each luxon parse and format of a day costs the monthly report's first invoke about 0.1 ms (a month's 186
 * chart labels alone were ~15 ms of its cold start). Same strings, from the same functions.
 */
const withDaysOnce = (f: KpiFormats): KpiFormats => {
  const once = (format: (day: string) => string) => {
    const written = new Map<string, string>();
    return (day: string): string => {
      let text = written.get(day);
      if (text === undefined) {
        text = format(day);
        written.set(day, text);
      }
      return text;
    };
  };
  return { ...f, shortDay: once(f.shortDay), tableDay: once(f.tableDay) };
};

/** The whole report as an HTML document. */
export const kpiHtml = (report: KpiReport, options: KpiHtmlOptions): string => {
  const w = WORDS[options.lang];
  const f = withDaysOnce(formatsFor(options.lang));
  const period = w.period(
    f.longDay(report.from),
    report.to === report.from ? undefined : f.longDay(report.to),
    report.timeZone,
  );
  return htmlPage({
    title: w.title,
    subtitle: `${period}. ${w.sources}`,
    generatedAt: report.generatedAt,
    footer: w.footer(f.instant(report.generatedAt, report.timeZone)),
    lang: options.lang,
    style: PRINT_STYLE,
    sections: [
      { heading: w.chapters.summary, html: summary(report, w, f) },
      { heading: w.chapters.daily, html: daily(report, w, f) },
      { heading: w.chapters.routing, html: routing(report, w, f) },
      { heading: w.chapters.sms, html: sms(report, w, f) },
      { heading: w.chapters.callbacks, html: callbacks(report, w, f) },
      { heading: w.chapters.seats, html: seats(report, w, f) },
      { heading: w.chapters.definitions, html: definitions(report, w, f) },
      { heading: w.chapters.appendix, html: appendix(report, w, f) },
    ],
  });
};
