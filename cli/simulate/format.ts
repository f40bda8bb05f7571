/**
 * How `simulate` writes its figures, in the terminal and in the HTML report alike, so that the two show
 * the same number for the same run.
 */
import type { PeakSummary, RowSummary } from '#simulator/peak/summary.js';
import type { Estimate } from '#simulator/statistics.js';

/** `0.812 (0.801–0.823)`: the mean and, when there is one, its 95% interval. */
export const shown = (value: Estimate | null, format: (n: number) => string): string => {
  if (value === null) return '–';
  return value.ci95 === undefined
    ? format(value.mean)
    : `${format(value.mean)} (${format(value.ci95[0])}–${format(value.ci95[1])})`;
};
export const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
export const secs = (n: number) => `${Math.round(n)} s`;
export const num = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 1 });
export const money = (n: number) => n.toFixed(2);

/** The table per queue: its head, then a row per queue and the total. */
export const QUEUE_HEAD = [
  'queue',
  'offered',
  'service level',
  'abandoned',
  'ASA',
  'longest wait',
  'waiting at end',
] as const;
export const queueCells = (r: RowSummary): string[] => [
  r.label,
  shown(r.offered, num),
  shown(r.serviceLevel, pct),
  shown(r.abandonment, pct),
  shown(r.asaSeconds, secs),
  shown(r.longestWaitSeconds, secs),
  shown(r.waitingAtEnd, num),
];

/** The table of the overflow controller's states: its head, then a row per watched queue. */
export const OVERFLOW_HEAD = ['queue', 'left NORMAL', 'minutes in OVERFLOW', 'minutes in DEFLECT'] as const;
export const overflowCells = (o: PeakSummary['overflow'][number]): string[] => [
  o.queue,
  shown(o.entries, num),
  shown(o.overflowMinutes, num),
  shown(o.deflectMinutes, num),
];

/** The figures of a policy comparison, in the order the CLI's table and the bench's markdown show them. */
export const POLICY_FIGURES_HEAD = [
  'service level',
  'abandoned',
  'ASA',
  'longest wait',
  'deflected',
  'callbacks returned',
  'state changes',
] as const;

/**
 * The callers the order status contained (issue 15), in words; undefined when no status-only share was
 * simulated, so a run without one reads as before.
 */
export const containedSentence = (summary: PeakSummary): string | undefined =>
  summary.statusOnlyShare > 0
    ? `Contained by order status: ${shown(summary.calls.contained, num)} callers (${shown(summary.calls.containedShare, pct)} of the calls in opening hours) heard their order's status and left without queueing (status-only share ${summary.statusOnlyShare}); the queues above had the others.`
    : undefined;
