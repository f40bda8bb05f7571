/**
 * The KPI report of a range of days (`peakline report`, the monthly report function): Connect's contact
 * figures per queue, channel and day, peakline's own SMS and callback figures, seat-days per type and the
 * minutes each queue overflowed or deflected, put together with their totals. Pure: every figure comes in
 * through a port, and `now` is the caller's clock.
 */
import type { Channel } from '../ports.js';
import { type Seat, type SeatReadOptions, SEAT_TYPES, type SeatType, seatDays } from '../seats/seat.js';
import { CHANNEL_ORDER, type ContactKpis, contactKpis, groupKpis } from './contact-kpis.js';
import type { DayRange } from './days.js';
import {
  type DailyRoutingMinutes,
  type QueueRoutingSummary,
  type RoutingAuditSource,
  routingMinutes,
} from './routing-minutes.js';
import type {
  ContactMetricsSource,
  DailyCallbackFigures,
  DailyQueueFigures,
  DailySmsFigures,
  Day,
  OwnFiguresSource,
  ReportQueue,
} from './types.js';

export type { ContactKpis } from './contact-kpis.js';

export interface KpiReportSettings {
  readonly serviceLevelSeconds: number;
  readonly serviceLevelTarget: number;
  readonly smsPricePerPartUSD: number;
}

export interface KpiReportSources {
  readonly contactMetrics: ContactMetricsSource;
  readonly ownFigures: OwnFiguresSource;
  /** The seat store; the report reads every seat, revoked and ended ones included. */
  readonly seats: { list(now: Date, options?: SeatReadOptions): Promise<Seat[]> };
  readonly routingAudit: RoutingAuditSource;
}

export type ContactRow = ContactKpis & {
  readonly day: Day;
  readonly queueKey: string;
  readonly channel: Channel;
};

export interface SmsKindTotals {
  readonly kind: string;
  readonly sent: number;
  readonly suppressed: number;
  readonly parts: number;
  readonly costUSD: number;
}

export interface SmsDayTotals {
  readonly day: Day;
  readonly sent: number;
  readonly suppressed: number;
  readonly parts: number;
  readonly costUSD: number;
}

export interface CallbackTotals {
  readonly scheduled: number;
  readonly created: number;
  readonly cancelled: Readonly<Record<string, number>>;
  readonly cancelledTotal: number;
  readonly converted: number;
  /** The converted carts' value by currency (never added across currencies). */
  readonly convertedValues: Readonly<Record<string, number>>;
  /** converted / created; null when no task was created. */
  readonly conversionRate: number | null;
}

export interface KpiReport {
  readonly from: Day;
  /** The last day, included. */
  readonly to: Day;
  readonly timeZone: string;
  /** When the report was made (ISO-8601), by the caller's clock. */
  readonly generatedAt: string;
  readonly days: readonly Day[];
  readonly queues: readonly ReportQueue[];
  readonly settings: KpiReportSettings;
  readonly contacts: {
    /** One row per day, queue and channel that had contacts, as Connect reported them. */
    readonly rows: readonly ContactRow[];
    readonly byQueueChannel: readonly (ContactKpis & {
      readonly queueKey: string;
      readonly channel: Channel;
    })[];
    /** All queues together, per day and channel: the charts. */
    readonly byDayChannel: readonly (ContactKpis & { readonly day: Day; readonly channel: Channel })[];
    readonly byChannel: readonly (ContactKpis & { readonly channel: Channel })[];
    readonly total: ContactKpis;
    /**
     * Calls and chats only: the contacts whose customers wait on the line, for the headline figures. Tasks
     * (callbacks to make, payment issues) wait in their queues by design, for hours at a peak, and would
     * drown the customers' waits in an average with them.
     */
    readonly customers: ContactKpis;
  };
  readonly sms: {
    /** As recorded, with the cost of each row's parts. */
    readonly rows: readonly (DailySmsFigures & { readonly costUSD: number })[];
    readonly byKind: readonly SmsKindTotals[];
    /** Sent order-status SMS per status told. */
    readonly byStatus: readonly { readonly status: string; readonly sent: number; readonly parts: number }[];
    readonly suppressedByReason: readonly { readonly reason: string; readonly count: number }[];
    readonly byDay: readonly SmsDayTotals[];
    readonly total: Omit<SmsDayTotals, 'day'>;
  };
  readonly callbacks: {
    readonly byDay: readonly (DailyCallbackFigures & { readonly conversionRate: number | null })[];
    readonly total: CallbackTotals;
  };
  readonly seatDays: {
    readonly byType: Readonly<Record<SeatType, number>>;
    readonly total: number;
    /** Seat-days count up to this instant: the end of the range, or now when the range runs into today. */
    readonly until: string;
  };
  readonly routing: {
    readonly daily: readonly DailyRoutingMinutes[];
    readonly queues: readonly QueueRoutingSummary[];
  };
}

const cents = (value: number): number => Math.round(value * 100) / 100;

const byChannelOrder = (a: Channel, b: Channel): number =>
  CHANNEL_ORDER.indexOf(a) - CHANNEL_ORDER.indexOf(b);

const smsSection = (
  rows: readonly DailySmsFigures[],
  days: readonly Day[],
  price: number,
): KpiReport['sms'] => {
  const priced = rows.map((r) => ({ ...r, costUSD: cents(r.parts * price) }));
  const kinds = new Map<string, { sent: number; suppressed: number; parts: number }>();
  const statuses = new Map<string, { sent: number; parts: number }>();
  const reasons = new Map<string, number>();
  const perDay = new Map<Day, { sent: number; suppressed: number; parts: number }>(
    days.map((d) => [d, { sent: 0, suppressed: 0, parts: 0 }]),
  );
  for (const r of rows) {
    const kind = kinds.get(r.kind) ?? { sent: 0, suppressed: 0, parts: 0 };
    const day = perDay.get(r.day) ?? { sent: 0, suppressed: 0, parts: 0 };
    kind.parts += r.parts;
    day.parts += r.parts;
    if (r.outcome === 'SENT') {
      kind.sent += r.count;
      day.sent += r.count;
      if (r.status !== undefined) {
        const status = statuses.get(r.status) ?? { sent: 0, parts: 0 };
        status.sent += r.count;
        status.parts += r.parts;
        statuses.set(r.status, status);
      }
    } else {
      kind.suppressed += r.count;
      day.suppressed += r.count;
      const reason = r.reason ?? 'unknown';
      reasons.set(reason, (reasons.get(reason) ?? 0) + r.count);
    }
    kinds.set(r.kind, kind);
    perDay.set(r.day, day);
  }
  const priceOf = (parts: number) => cents(parts * price);
  const byDay = [...perDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, t]) => ({ day, ...t, costUSD: priceOf(t.parts) }));
  const sent = byDay.reduce((n, d) => n + d.sent, 0);
  const suppressed = byDay.reduce((n, d) => n + d.suppressed, 0);
  const parts = byDay.reduce((n, d) => n + d.parts, 0);
  return {
    rows: priced,
    byKind: [...kinds.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, t]) => ({ kind, ...t, costUSD: priceOf(t.parts) })),
    byStatus: [...statuses.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([status, t]) => ({ status, ...t })),
    suppressedByReason: [...reasons.entries()]
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([reason, count]) => ({ reason, count })),
    byDay,
    // The total's cost is priced from the summed parts, not summed from rounded daily costs.
    total: { sent, suppressed, parts, costUSD: priceOf(parts) },
  };
};

const callbackSection = (
  rows: readonly DailyCallbackFigures[],
  days: readonly Day[],
): KpiReport['callbacks'] => {
  const rate = (converted: number, created: number) => (created > 0 ? converted / created : null);
  const given = new Map(rows.map((r) => [r.day, r]));
  const byDay = days.map((day) => {
    const r = given.get(day) ?? {
      day,
      scheduled: 0,
      created: 0,
      cancelled: {},
      converted: 0,
      convertedValues: {},
    };
    return { ...r, conversionRate: rate(r.converted, r.created) };
  });
  const cancelled: Record<string, number> = {};
  for (const r of rows) {
    for (const [reason, n] of Object.entries(r.cancelled)) cancelled[reason] = (cancelled[reason] ?? 0) + n;
  }
  const convertedValues: Record<string, number> = {};
  for (const r of rows) {
    for (const [currency, value] of Object.entries(r.convertedValues)) {
      convertedValues[currency] = cents((convertedValues[currency] ?? 0) + value);
    }
  }
  const created = rows.reduce((n, r) => n + r.created, 0);
  const converted = rows.reduce((n, r) => n + r.converted, 0);
  return {
    byDay,
    total: {
      scheduled: rows.reduce((n, r) => n + r.scheduled, 0),
      created,
      cancelled,
      cancelledTotal: Object.values(cancelled).reduce((n, c) => n + c, 0),
      converted,
      convertedValues,
      conversionRate: rate(converted, created),
    },
  };
};

const contactSection = (
  figures: readonly DailyQueueFigures[],
  queueOrder: readonly string[],
): KpiReport['contacts'] => {
  // Queues in the order the report lists them (primary first); one it does not list goes last.
  const queueRank = (key: string) => {
    const at = queueOrder.indexOf(key);
    return at === -1 ? queueOrder.length : at;
  };
  const byQueue = (a: string, b: string) => queueRank(a) - queueRank(b) || a.localeCompare(b);
  const sorted = [...figures].sort(
    (a, b) =>
      a.day.localeCompare(b.day) || byQueue(a.queueKey, b.queueKey) || byChannelOrder(a.channel, b.channel),
  );
  const byQueueChannel = [...groupKpis(sorted, (r) => `${r.queueKey}|${r.channel}`).entries()]
    .map(([k, kpis]) => {
      const [queueKey = '', channel = 'VOICE'] = k.split('|');
      return { queueKey, channel: channel as Channel, ...kpis };
    })
    .sort((a, b) => byQueue(a.queueKey, b.queueKey) || byChannelOrder(a.channel, b.channel));
  const byDayChannel = [...groupKpis(sorted, (r) => `${r.day}|${r.channel}`).entries()]
    .map(([k, kpis]) => {
      const [day = '', channel = 'VOICE'] = k.split('|');
      return { day, channel: channel as Channel, ...kpis };
    })
    .sort((a, b) => a.day.localeCompare(b.day) || byChannelOrder(a.channel, b.channel));
  const byChannel = [...groupKpis(sorted, (r) => r.channel).entries()]
    .map(([channel, kpis]) => ({ channel, ...kpis }))
    .sort((a, b) => byChannelOrder(a.channel, b.channel));
  return {
    rows: sorted.map((r) => ({ day: r.day, queueKey: r.queueKey, channel: r.channel, ...contactKpis([r]) })),
    byQueueChannel,
    byDayChannel,
    byChannel,
    total: contactKpis(sorted),
    customers: contactKpis(sorted.filter((r) => r.channel !== 'TASK')),
  };
};

export interface BuildKpiReport {
  readonly range: DayRange;
  readonly queues: readonly ReportQueue[];
  readonly settings: KpiReportSettings;
  /** The world's clock: what is after it is not counted yet. */
  readonly now: Date;
}

/** Reads every source for the range and puts the report together. */
export const buildKpiReport = async (
  sources: KpiReportSources,
  request: BuildKpiReport,
): Promise<KpiReport> => {
  const { range, queues, settings, now } = request;
  const window = { from: range.start, to: range.end, timeZone: range.timeZone };
  const [figures, sms, callbacks, seats, routing] = await Promise.all([
    sources.contactMetrics.dailyQueueFigures({
      ...window,
      queues,
      serviceLevelSeconds: settings.serviceLevelSeconds,
    }),
    sources.ownFigures.smsFigures(window),
    sources.ownFigures.callbackFigures(window),
    sources.seats.list(now, { includeRevoked: true, includeExpired: true }),
    routingMinutes(
      sources.routingAudit,
      queues.map((q) => q.key),
      range,
      now,
    ),
  ]);
  const inRange = (day: Day) => day >= range.from && day <= range.to;
  const seatsUntil = new Date(
    Math.min(range.end.getTime(), Math.max(now.getTime(), range.start.getTime() + 1)),
  );
  const byType = seatDays(seats, range.start, seatsUntil);
  return {
    from: range.from,
    to: range.to,
    timeZone: range.timeZone,
    generatedAt: now.toISOString(),
    days: range.days,
    queues,
    settings,
    contacts: contactSection(
      figures.filter((f) => inRange(f.day)),
      queues.map((q) => q.key),
    ),
    sms: smsSection(
      sms.filter((r) => inRange(r.day)),
      range.days,
      settings.smsPricePerPartUSD,
    ),
    callbacks: callbackSection(
      callbacks.filter((r) => inRange(r.day)),
      range.days,
    ),
    seatDays: {
      byType,
      total: cents(SEAT_TYPES.reduce((n, type) => n + byType[type], 0)),
      until: seatsUntil.toISOString(),
    },
    routing,
  };
};
