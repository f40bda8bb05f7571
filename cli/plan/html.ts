/**
 * `peakline plan --html`: the plan as a printable report (cli/report): the headline figures, the seats per
 * type with the reserve, positions per channel over the season and the peak week, the peak day's
 * intraday curve, and fractional beside whole positions. Charts are SVG rendered here, no script.
 */
import { type Plan, type PlanRow } from '#core/planning/plan.js';
import { PLANNING_CHANNELS, type PlanningChannel } from '#core/planning/types.js';
import { chartSvg } from '../report/charts.js';
import { escapeHtml, htmlFacts, htmlFigure, htmlPage, htmlTable } from '../report/html.js';
import { shownStart, targetsText } from './text.js';

const whole = (value: number): string => Math.round(value).toLocaleString('en-GB');
const decimal = (value: number, digits = 1): string =>
  value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The local date of a start (it is written on the contact centre's wall clock). */
const dateOf = (start: string): string => start.slice(0, 10);
const timeOf = (start: string): string => start.slice(11, 16);

const DAY_MS = 86_400_000;
const plusDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** Per local date, each channel's most whole agents in any interval. */
const dailyPeaks = (rows: readonly PlanRow[]) => {
  const days = new Map<string, Record<PlanningChannel, number>>();
  for (const row of rows) {
    const date = dateOf(row.start);
    let day = days.get(date);
    if (day === undefined) {
      day = { voice: 0, chat: 0, email: 0, task: 0 };
      days.set(date, day);
    }
    day[row.channel] = Math.max(day[row.channel], row.agents);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b));
};

/** Per start in `rows`, each channel's fractional positions and all channels' whole agents. */
const perInterval = (rows: readonly PlanRow[]) => {
  const starts = new Map<string, { positions: Record<PlanningChannel, number | null>; agents: number }>();
  for (const row of rows) {
    const key = `${dateOf(row.start)} ${timeOf(row.start)}`;
    let entry = starts.get(key);
    if (entry === undefined) {
      entry = { positions: { voice: null, chat: null, email: null, task: null }, agents: 0 };
      starts.set(key, entry);
    }
    entry.positions[row.channel] = row.positions;
    entry.agents += row.agents;
  }
  return [...starts.entries()].sort(([a], [b]) => a.localeCompare(b));
};

export interface PlanHtmlOptions {
  /** The forecast file the plan was made from. */
  readonly source: string;
  readonly generatedAt: Date;
}

export const planHtml = (plan: Plan, options: PlanHtmlOptions): string => {
  const channels = PLANNING_CHANNELS.filter((c) => plan.channels.some((s) => s.channel === c));
  const seasonal = plan.seats.reduce((n, s) => n + s.seasonal, 0);
  const permanent = plan.seats.reduce((n, s) => n + s.permanent, 0);

  const facts = htmlFacts([
    {
      label: 'Peak',
      value: `${whole(plan.peak?.scheduledWhole ?? 0)} seats`,
      note: `at ${shownStart(plan.peak?.start)}, all groups at once`,
    },
    { label: 'Seasonal seats to add', value: whole(seasonal), note: `over ${whole(permanent)} permanent` },
    ...plan.reserves.map((r) => ({
      label: `Reserve for x${r.factor} demand`,
      value: `+${whole(r.extra)} seats`,
      note: 'beyond the seasonal seats',
    })),
    {
      label: 'Fractional beside whole',
      value: `${whole(plan.totals.positionHours)} h / ${whole(plan.totals.agentHours)} h`,
      note: `rounding per interval and channel adds ${decimal(100 * plan.totals.roundingShare)}%`,
    },
  ]);

  const reserveHeads = plan.settings.scenarios.map((f) => `reserve x${f}`);
  const seatsTable = htmlTable(
    ['seat type', 'answers', 'needed at peak', 'permanent', 'seasonal to add', ...reserveHeads],
    [
      ...plan.seats.map((s) => [
        s.type,
        s.group === 'light' ? 'e-mail, tasks' : s.group,
        s.neededAtPeak,
        s.permanent,
        s.seasonal,
        ...s.reserve.map((r) => `+${r.extra}`),
      ]),
      [
        'total',
        '',
        plan.seats.reduce((n, s) => n + s.neededAtPeak, 0),
        permanent,
        seasonal,
        ...plan.reserves.map((r) => `+${r.extra}`),
      ],
    ],
    {
      caption: 'Seats per type: logged in at the same time at each group’s busiest interval',
      emphasise: (row) => row[0] === 'total',
    },
  );
  const seatsChart = chartSvg({
    title: 'Seats per type: permanent, seasonal and the reserve',
    categories: plan.seats.map((s) => s.type),
    yName: 'seats',
    series: [
      {
        name: 'permanent',
        kind: 'bar',
        stack: 'seats',
        data: plan.seats.map((s) => Math.min(s.permanent, s.neededAtPeak)),
      },
      { name: 'seasonal', kind: 'bar', stack: 'seats', data: plan.seats.map((s) => s.seasonal) },
      ...plan.settings.scenarios.map((factor, i) => ({
        name: `reserve x${factor}`,
        kind: 'bar' as const,
        stack: 'seats',
        // Stacked: each multiplier shows what it adds beyond the one before.
        data: plan.seats.map(
          (s) => (s.reserve[i]?.extra ?? 0) - (i > 0 ? (s.reserve[i - 1]?.extra ?? 0) : 0),
        ),
      })),
    ],
  });

  const days = dailyPeaks(plan.rows);
  const seasonChart = chartSvg({
    title: 'The season: each day’s most agents in any interval, per channel',
    categories: days.map(([date]) => date),
    yName: 'agents',
    series: channels.map((c) => ({ name: c, data: days.map(([, day]) => day[c]) })),
  });

  const peakDate = plan.peak === undefined ? undefined : dateOf(plan.peak.start);
  const figures: string[] = [htmlFigure(seasonChart)];
  if (peakDate !== undefined) {
    const weekday = (new Date(`${peakDate}T00:00:00Z`).getUTCDay() + 6) % 7;
    const monday = plusDays(peakDate, -weekday);
    const sunday = plusDays(monday, 6);
    const weekRows = plan.rows.filter((r) => dateOf(r.start) >= monday && dateOf(r.start) <= sunday);
    const week = perInterval(weekRows);
    figures.push(
      htmlFigure(
        chartSvg({
          title: `The peak week ${monday} to ${sunday}: positions per interval and channel`,
          categories: week.map(([key]) => key),
          yName: 'positions',
          series: channels.map((c) => ({ name: c, data: week.map(([, e]) => e.positions[c]) })),
        }),
      ),
    );
    const day = perInterval(plan.rows.filter((r) => dateOf(r.start) === peakDate));
    figures.push(
      htmlFigure(
        chartSvg({
          title: `The peak day ${peakDate}: positions per interval (fractional, stacked) and whole agents`,
          categories: day.map(([key]) => key.slice(11)),
          yName: 'agents',
          series: [
            ...channels.map((c) => ({
              name: c,
              stack: 'positions',
              area: true,
              data: day.map(([, e]) => e.positions[c]),
            })),
            { name: 'whole agents, all channels', step: true, data: day.map(([, e]) => e.agents) },
          ],
        }),
        'Fractional positions summed before rounding, beside the whole agents each channel needs rounded up per interval.',
      ),
    );
  }

  const channelTable = htmlTable(
    [
      'channel',
      'method',
      'peak interval',
      'agents at peak',
      'seats at peak',
      'sum of fractional positions',
      'sum of whole positions',
      'agent-hours fractional',
      'agent-hours whole',
      'rounding adds',
    ],
    [
      ...plan.channels.map((c) => [
        c.channel,
        c.method,
        shownStart(c.peak?.start),
        c.peak?.agents ?? 0,
        c.peak?.scheduledWhole ?? 0,
        decimal(c.positions),
        c.agents,
        decimal(c.positionHours),
        decimal(c.agentHours),
        `${decimal(100 * c.roundingShare)}%`,
      ]),
      [
        'total',
        '',
        shownStart(plan.peak?.start),
        '',
        plan.peak?.scheduledWhole ?? 0,
        decimal(plan.totals.positions),
        plan.totals.agents,
        decimal(plan.totals.positionHours),
        decimal(plan.totals.agentHours),
        `${decimal(100 * plan.totals.roundingShare)}%`,
      ],
    ],
    { caption: 'Per channel: fractional beside whole positions', emphasise: (row) => row[0] === 'total' },
  );

  const sections = [
    { heading: 'Headline', html: facts },
    { heading: 'Seats', html: `${htmlFigure(seatsChart)}\n${seatsTable}` },
    { heading: 'Positions over the season', html: figures.join('\n') },
    { heading: 'Channels', html: channelTable },
    { heading: 'Targets and method', html: `<p>${escapeHtml(targetsText(plan.settings))}</p>` },
  ];
  if (plan.problems.length > 0) {
    sections.push({
      heading: 'Intervals not planned',
      html: htmlTable(
        ['interval', 'channel', 'why'],
        plan.problems.slice(0, 200).map((p) => [shownStart(p.start), p.channel, p.message]),
      ),
    });
  }
  return htmlPage({
    title: 'Peak plan',
    subtitle: `${options.source}: ${plan.from?.slice(0, 10) ?? '-'} to ${plan.to?.slice(0, 10) ?? '-'}`,
    generatedAt: options.generatedAt.toISOString(),
    sections,
  });
};
