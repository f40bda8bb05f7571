/**
 * The plan as text for a terminal (`peakline plan`) and as CSV (`--csv`): what ops read and what they
 * paste into a spreadsheet.
 */
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { chatAhtFactor, chatAhtFactorsText } from '#core/planning/concurrency.js';
import type { Plan } from '#core/planning/plan.js';
import type { PlanSettings } from '#core/planning/settings.js';

const table = (head: string[]): Table.Table =>
  new Table({
    head,
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });

const whole = (value: number): string => Math.round(value).toLocaleString('en-GB');
const decimal = (value: number, digits = 1): string =>
  value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const percent = (value: number): string => `${decimal(100 * value, 1)}%`;
/** A start as ops read it: date, time and offset, without the seconds. */
export const shownStart = (start: string | undefined): string =>
  start === undefined
    ? '-'
    : `${start.slice(0, 10)} ${start.slice(11, 16)}${start.length > 19 ? ` ${start.slice(19)}` : ''}`;

/** The targets in one paragraph, so a printed plan says what it planned for. */
export const targetsText = (settings: PlanSettings): string => {
  const queue = (name: string, t: PlanSettings['voice']) =>
    `${name} ${percent(t.serviceLevel)} in ${t.targetSeconds} s, occupancy at most ${percent(t.maxOccupancy)} (${t.patienceSeconds === undefined ? 'Erlang C' : `Erlang A, patience ${t.patienceSeconds} s`})`;
  const { chat } = settings;
  const factor =
    chatAhtFactor(chat.seasonalTier, chat.ahtFactors) / chatAhtFactor(chat.ahtMeasuredAt, chat.ahtFactors);
  const backlog = (name: string, t: PlanSettings['email']) =>
    `${name} within ${decimal(t.replySeconds / 3600, t.replySeconds % 3600 === 0 ? 0 : 1)} staffed hours`;
  return [
    `${queue('voice', settings.voice)};`,
    `${queue('chat', chat)}, seasonal agents at chat-${chat.seasonalTier} (chat AHT x${decimal(factor, 2)}; factors ${chatAhtFactorsText(chat.ahtFactors)}${chat.ahtMeasuredAt === 1 ? ', forecast AHT read as solo' : `, forecast AHT measured at ${chat.ahtMeasuredAt} chats`});`,
    `${backlog('e-mail', settings.email)}, ${backlog('tasks', settings.task)} (worked ${settings.task.staffedHours.from}-${settings.task.staffedHours.to} h);`,
    `shrinkage ${percent(settings.shrinkage)}.`,
  ].join(' ');
};

/** The readable summary: channels, seats per type, the peak, fractional beside whole. */
export const planText = (plan: Plan, source: string): string => {
  const lines: string[] = [];
  lines.push(
    `Plan for ${source}: ${plan.from?.slice(0, 10) ?? '-'} to ${plan.to?.slice(0, 10) ?? '-'}, ${whole(plan.rows.length)} interval-channel rows.`,
  );
  lines.push(`Targets: ${targetsText(plan.settings)}`);
  lines.push('');
  const channels = table([
    'channel',
    'method',
    'peak interval',
    'positions',
    'agents',
    'seats',
    'sum fractional',
    'sum whole',
    'rounding',
  ]);
  for (const c of plan.channels) {
    channels.push([
      c.channel,
      c.method,
      shownStart(c.peak?.start),
      decimal(c.peak?.positions ?? 0, 2),
      whole(c.peak?.agents ?? 0),
      whole(c.peak?.scheduledWhole ?? 0),
      decimal(c.positions, 1),
      whole(c.agents),
      `+${percent(c.roundingShare)}`,
    ]);
  }
  channels.push([
    'total',
    '',
    '',
    '',
    '',
    '',
    decimal(plan.totals.positions, 1),
    whole(plan.totals.agents),
    `+${percent(plan.totals.roundingShare)}`,
  ]);
  lines.push(
    'Per channel (positions = agents taking contacts; seats = scheduled, grossed up for shrinkage):',
  );
  lines.push(channels.toString());
  lines.push(
    `Fractional beside whole: summed before rounding the intervals need ${decimal(plan.totals.positionHours, 0)} agent-hours; rounded up per interval and channel ${decimal(plan.totals.agentHours, 0)} (+${percent(plan.totals.roundingShare)}).`,
  );
  lines.push('');
  const reserveHeads = plan.settings.scenarios.map((f) => `reserve x${f}`);
  const seats = table(['seat type', 'needed at peak', 'permanent', 'seasonal to add', ...reserveHeads]);
  for (const s of plan.seats) {
    seats.push([
      s.type,
      whole(s.neededAtPeak),
      whole(s.permanent),
      whole(s.seasonal),
      ...s.reserve.map((r) => `+${whole(r.extra)}`),
    ]);
  }
  const sum = (pick: (s: Plan['seats'][number]) => number) => plan.seats.reduce((n, s) => n + pick(s), 0);
  seats.push([
    'total',
    whole(sum((s) => s.neededAtPeak)),
    whole(sum((s) => s.permanent)),
    whole(sum((s) => s.seasonal)),
    ...plan.reserves.map((r) => `+${whole(r.extra)}`),
  ]);
  lines.push('Seats per type (seats logged in at the same time, at each group’s busiest interval):');
  lines.push(seats.toString());
  for (const g of plan.groupPeaks) {
    lines.push(
      `  ${g.group} seats peak at ${shownStart(g.start)}: ${whole(g.scheduledWhole)}${g.group === 'chat' ? ` chat-${plan.settings.chat.seasonalTier} agents` : ''}`,
    );
  }
  if (plan.peak !== undefined) {
    lines.push(
      `Peak: ${shownStart(plan.peak.start)}, ${whole(plan.peak.scheduledWhole)} seats of all groups at once.`,
    );
  }
  lines.push(
    `Reserve pool: ${plan.reserves.map((r) => `x${r.factor} demand needs ${whole(r.extra)} more seasonal seats`).join('; ')}.`,
  );
  return lines.join('\n');
};

const round = (value: number | undefined, digits = 4): number | string =>
  value === undefined ? '' : Number.isFinite(value) ? Number(value.toFixed(digits)) : '';

export const PLAN_CSV_COLUMNS = [
  'intervalStart',
  'minutes',
  'channel',
  'method',
  'contacts',
  'ahtSeconds',
  'workload',
  'positions',
  'agents',
  'scheduled',
  'scheduledWhole',
  'servers',
  'serviceLevel',
  'asa',
  'occupancy',
  'abandonment',
  'backlogContacts',
] as const;

/** One row per interval and channel; empty cells where a figure does not apply to the method. */
export const planCsv = (plan: Plan): string =>
  stringify([
    [...PLAN_CSV_COLUMNS],
    ...plan.rows.map((r) => [
      r.start,
      r.minutes,
      r.channel,
      r.method,
      round(r.contacts),
      round(r.ahtSeconds, 1),
      round(r.workload),
      round(r.positions),
      r.agents,
      round(r.scheduled),
      r.scheduledWhole,
      r.servers ?? '',
      round(r.serviceLevel),
      round(r.asa, 2),
      round(r.occupancy),
      round(r.abandonment),
      round(r.backlogContacts, 2),
    ]),
  ]);
