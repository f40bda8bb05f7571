/**
 * `peakline simulate --html`: the simulated day as a printable page: the headline figures, the table per
 * queue, the waits and queue lengths over the day, the service level per interval, and when the primary
 * queue was in OVERFLOW or DEFLECT (shaded bands: the first replication's periods).
 */
import { DateTime } from 'luxon';
import { chartSvg } from '#cli/report/charts.js';
import { escapeHtml, htmlFacts, htmlFigure, htmlPage, htmlTable } from '#cli/report/html.js';
import type { PeakSummary } from '#simulator/peak/summary.js';
import {
  containedSentence,
  money,
  num,
  OVERFLOW_HEAD,
  overflowCells,
  pct,
  QUEUE_HEAD,
  queueCells,
  secs,
  shown,
} from './format.js';

export interface SimulateHtmlOptions {
  readonly timeZone: string;
  readonly targetSeconds: number;
  readonly generatedAt: Date;
}

export const simulateHtml = (summary: PeakSummary, options: SimulateHtmlOptions): string => {
  const local = (iso: string, format: string) =>
    DateTime.fromISO(iso, { zone: options.timeZone }).toFormat(format);
  const days = new Set(summary.series.slotStarts.map((s) => local(s, 'yyyy-MM-dd'))).size;
  const label = (iso: string) => local(iso, days > 1 ? 'MM-dd HH:mm' : 'HH:mm');
  const categories = summary.series.slotStarts.map(label);
  const total = summary.rows.find((r) => r.key === 'total');
  const voice = summary.rows.find((r) => r.key === 'primary-voice');
  const d = summary.deflection;
  const contained = containedSentence(summary);
  const primaryPeriods = summary.periods.primary ?? [];
  // A band covers the slots a period touches, named by their labels.
  const slotMs =
    summary.series.slotStarts.length > 1
      ? Date.parse(summary.series.slotStarts[1] ?? '') - Date.parse(summary.series.slotStarts[0] ?? '')
      : 900_000;
  const startMs = Date.parse(summary.series.slotStarts[0] ?? summary.from);
  const slotLabel = (ms: number) =>
    categories[Math.min(categories.length - 1, Math.max(0, Math.floor((ms - startMs) / slotMs)))] ?? '';
  const bands = primaryPeriods
    .filter((p) => p.state !== 'NORMAL')
    .map((p) => ({
      from: slotLabel(Date.parse(p.from)),
      to: slotLabel(Date.parse(p.to) - 1),
      label: p.state,
    }));

  const facts = htmlFacts([
    {
      label: 'Service level, calls',
      value: shown(voice?.serviceLevel ?? null, pct),
      note: `answered within ${options.targetSeconds} s`,
    },
    { label: 'Abandoned, all', value: shown(total?.abandonment ?? null, pct) },
    { label: 'Longest wait, calls', value: shown(voice?.longestWaitSeconds ?? null, secs) },
    {
      label: 'Minutes of overflow',
      value: shown(summary.overflow.find((o) => o.queue === 'primary')?.overflowMinutes ?? null, num),
      note: 'primary queue in OVERFLOW',
    },
    {
      label: 'Deflected callers',
      value: shown(d.offered, num),
      note: `${shown(d.callbacks, num)} callbacks, ${shown(d.smsSent, num)} SMS`,
    },
    {
      label: 'SMS cost',
      value: shown(d.smsCost, money),
      note: `${summary.smsPricePerPart} per part`,
    },
  ]);
  const rows = htmlTable(QUEUE_HEAD, summary.rows.map(queueCells), {
    caption:
      summary.replications > 1
        ? `Mean and 95% interval over ${summary.replications} replications`
        : 'One replication',
  });
  const overflow = htmlTable(OVERFLOW_HEAD, summary.overflow.map(overflowCells));
  const waits = chartSvg({
    title: 'Oldest wait in the primary queue and contacts waiting',
    categories,
    yName: 'seconds',
    y2Name: 'waiting',
    series: [
      { name: 'oldest wait, primary (s)', data: summary.series.primaryOldestWaitSeconds },
      ...Object.entries(summary.series.waiting).map(([queue, data]) => ({
        name: `waiting, ${queue}`,
        data,
        yAxis: 1 as const,
      })),
    ],
    bands,
  });
  const serviceLevel = chartSvg({
    title: 'Service level per interval',
    categories,
    percent: true,
    target: { value: 0.8, label: '80%' },
    series: [
      { name: 'calls', data: summary.series.voiceServiceLevel },
      { name: 'chats', data: summary.series.chatServiceLevel },
    ],
    bands,
  });
  const states = chartSvg({
    title: 'Primary queue: share of the interval in OVERFLOW and DEFLECT',
    categories,
    percent: true,
    series: [
      { name: 'OVERFLOW', data: summary.series.overflowShare, kind: 'bar', stack: 'state' },
      { name: 'DEFLECT', data: summary.series.deflectShare, kind: 'bar', stack: 'state' },
    ],
  });
  const periods = primaryPeriods.map((p) => [
    p.state,
    local(p.from, 'yyyy-MM-dd HH:mm'),
    local(p.to, 'yyyy-MM-dd HH:mm'),
  ]);
  return htmlPage({
    title: `Simulated peak: ${local(summary.from, 'yyyy-MM-dd')}${days > 1 ? ` to ${local(summary.to, 'yyyy-MM-dd')}` : ''}, arrivals x${summary.scenario}`,
    subtitle: `${summary.replications} replication${summary.replications === 1 ? '' : 's'}, seed ${summary.seed}; agents ${Object.entries(
      summary.agents,
    )
      .filter(([, n]) => n > 0)
      .map(([p, n]) => `${p} ${n}`)
      .join(', ')}; times in ${options.timeZone}.`,
    generatedAt: options.generatedAt.toISOString(),
    sections: [
      { heading: 'Headline', html: facts },
      { heading: 'Per queue and in total', html: rows },
      {
        heading: 'Overflow and deflection',
        html: `${overflow}<p>${escapeHtml(
          `Calls routed to their queue: ${shown(summary.calls.queued, num)}; to the second line: ${shown(summary.calls.overflowed, num)}. The deflection menu was heard by ${shown(d.offered, num)} callers: ${shown(d.keptWaiting, num)} kept waiting, ${shown(d.callbacks, num)} asked for a callback, ${shown(d.smsSent, num)} got the SMS (${shown(d.smsParts, num)} parts; ${shown(d.smsOverCap, num)} over the daily cap).${contained === undefined ? '' : ` ${contained}`}`,
        )}</p>`,
      },
      {
        heading: 'Waits and queues over the day',
        html: htmlFigure(waits, 'Shaded: the primary queue in OVERFLOW or DEFLECT (first replication).'),
      },
      {
        heading: 'Service level per interval',
        html: htmlFigure(serviceLevel, 'By the interval the contact arrived in, pooled over replications.'),
      },
      {
        heading: 'Overflow state periods',
        html: `${htmlFigure(states, 'Averaged over replications.')}${htmlTable(['state', 'from', 'to'], periods, { caption: 'Primary queue, first replication' })}`,
      },
    ],
  });
};
