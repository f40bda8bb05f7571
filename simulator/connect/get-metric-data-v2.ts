/**
 * GetMetricDataV2 over the simulator's quarter-hour history (historical-metrics.ts): the request and the
 * answer as Connect's REST-JSON API has them (timestamps in epoch seconds), so the local endpoint passes
 * them through, and Connect's limits hold locally too:
 * - StartTime before EndTime, EndTime not after now;
 * - less than 35 days between StartTime and EndTime (IntervalPeriod DAY);
 * - StartTime not more than 3 months before now;
 * - a QUEUE filter (Connect requires a resource filter), at most 100 filter values besides channels;
 * - MaxResults 1-100, and NextToken for the rest.
 *
 * The local instance answers what the KPI report asks and refuses the rest in words rather than inventing
 * figures: IntervalPeriod DAY only; filters and groupings by QUEUE and CHANNEL; the metrics CONTACTS_QUEUED,
 * CONTACTS_HANDLED, CONTACTS_ABANDONED, SERVICE_LEVEL, AVG_QUEUE_ANSWER_TIME, AVG_HANDLE_TIME and
 * MAX_QUEUED_TIME, without metric filters. Quarter hours are whole: a StartTime inside one counts it from
 * its start (the report always starts at a midnight).
 */
import { DateTime } from 'luxon';
import type { Channel } from '#core/ports.js';
import { ConnectSimulatorError } from './errors.js';
import { type LaneHistory, QUARTER_HOUR_MS, Totals } from './historical-metrics.js';

export interface MetricV2Input {
  readonly Name?: string | undefined;
  readonly Threshold?:
    | readonly { readonly Comparison?: string | undefined; readonly ThresholdValue?: number | undefined }[]
    | undefined;
  readonly MetricFilters?: readonly unknown[] | undefined;
}

/** GetMetricDataV2's request body, less ResourceArn (the endpoint checks which instance is asked). */
export interface GetMetricDataV2Input {
  /** Epoch seconds. */
  readonly StartTime: number;
  /** Epoch seconds. */
  readonly EndTime: number;
  readonly Interval?:
    { readonly TimeZone?: string | undefined; readonly IntervalPeriod?: string | undefined } | undefined;
  readonly Filters: readonly {
    readonly FilterKey?: string | undefined;
    readonly FilterValues?: readonly string[] | undefined;
  }[];
  readonly Groupings?: readonly string[] | undefined;
  readonly Metrics: readonly MetricV2Input[];
  readonly NextToken?: string | undefined;
  readonly MaxResults?: number | undefined;
}

export interface MetricResultV2Output {
  readonly Dimensions: Readonly<Record<string, string>>;
  readonly MetricInterval: {
    readonly Interval: string;
    readonly StartTime: number;
    readonly EndTime: number;
  };
  readonly Collections: readonly { readonly Metric: MetricV2Input; readonly Value?: number }[];
}

export interface GetMetricDataV2Output {
  readonly MetricResults: readonly MetricResultV2Output[];
  readonly NextToken?: string;
}

const DAY_LIMIT_MS = 35 * 24 * 60 * 60 * 1000;
const RETENTION_MONTHS = 3;
const MAX_FILTER_VALUES = 100;
const MAX_THRESHOLD_SECONDS = 604_800;
const CHANNEL_ORDER: readonly Channel[] = ['VOICE', 'CHAT', 'TASK'];
/** Channels Connect accepts in a CHANNEL filter; the simulator has no e-mail, so EMAIL finds nothing. */
const FILTER_CHANNELS = new Set(['VOICE', 'CHAT', 'TASK', 'EMAIL']);
const GROUPINGS = new Set(['QUEUE', 'CHANNEL']);

type MetricName =
  | 'CONTACTS_QUEUED'
  | 'CONTACTS_HANDLED'
  | 'CONTACTS_ABANDONED'
  | 'SERVICE_LEVEL'
  | 'AVG_QUEUE_ANSWER_TIME'
  | 'AVG_HANDLE_TIME'
  | 'MAX_QUEUED_TIME';

/** Each metric's value from a row's totals; undefined when there is nothing to compute it from. */
const METRICS: Readonly<Record<MetricName, (totals: Totals, metric: MetricV2Input) => number | undefined>> = {
  CONTACTS_QUEUED: (t) => t.queued,
  CONTACTS_HANDLED: (t) => t.handled,
  CONTACTS_ABANDONED: (t) => t.abandoned,
  SERVICE_LEVEL: (t, metric) => {
    if (t.queued === 0) return undefined;
    const threshold = metric.Threshold?.[0];
    const within = t.removedWithin(
      threshold?.ThresholdValue ?? 0,
      threshold?.Comparison === 'LTE' ? 'LTE' : 'LT',
    );
    return (100 * within) / t.queued;
  },
  AVG_QUEUE_ANSWER_TIME: (t) => (t.answered === 0 ? undefined : t.answerWaitMsSum / t.answered / 1000),
  AVG_HANDLE_TIME: (t) => (t.handled === 0 ? undefined : t.handleMsSum / t.handled / 1000),
  MAX_QUEUED_TIME: (t) => (t.queued === 0 ? undefined : t.maxQueuedMs / 1000),
};

function fail(message: string): never {
  throw new ConnectSimulatorError('InvalidParameterException', message);
}

const encodeToken = (offset: number): string => Buffer.from(JSON.stringify({ offset })).toString('base64url');

const decodeToken = (token: string): number => {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Falls through to the same answer as a token of the wrong shape.
  }
  return fail('NextToken is not one this instance returned');
};

/** A queue filter value (an id, or a queue ARN ending in /queue/<id>) as the queue's id. */
const queueIdOf = (value: string): string => {
  const at = value.lastIndexOf('/queue/');
  return at < 0 ? value : value.slice(at + '/queue/'.length);
};

/**
 * The answer to one GetMetricDataV2 request over `lanes` (every queue's three channels), judged at `nowMs`.
 * `queueIds` lists the instance's queues, in configuration order.
 */
export const answerGetMetricDataV2 = (
  request: GetMetricDataV2Input,
  lanes: ReadonlyMap<string, Readonly<Record<Channel, LaneHistory>>>,
  nowMs: number,
): GetMetricDataV2Output => {
  // ---- the request, checked as Connect checks it -------------------------------------------------------
  const startMs = request.StartTime * 1000;
  const endMs = request.EndTime * 1000;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) fail('StartTime and EndTime are required');
  if (!(startMs < endMs)) fail('StartTime must be before EndTime');
  if (endMs > nowMs) {
    fail(
      `EndTime (${new Date(endMs).toISOString()}) cannot be later than the current time (${new Date(nowMs).toISOString()})`,
    );
  }
  const period = request.Interval?.IntervalPeriod;
  if (period !== 'DAY') {
    fail(
      `The local Connect instance answers IntervalPeriod DAY only, not ${period ?? 'TOTAL (the default)'}`,
    );
  }
  if (!(endMs - startMs < DAY_LIMIT_MS)) {
    fail('With IntervalPeriod DAY, the difference between StartTime and EndTime must be less than 35 days');
  }
  const timeZone = request.Interval?.TimeZone ?? 'UTC';
  const start = DateTime.fromMillis(startMs, { zone: timeZone });
  if (!start.isValid) fail(`TimeZone "${timeZone}" is not a time zone`);
  const earliest = DateTime.fromMillis(nowMs, { zone: timeZone }).minus({ months: RETENTION_MONTHS });
  if (startMs < earliest.toMillis()) {
    fail(
      `Historical metrics are available for ${RETENTION_MONTHS} months: StartTime (${new Date(startMs).toISOString()}) is before ${earliest.toUTC().toISO()}`,
    );
  }

  let queueFilter: string[] | undefined;
  let channelFilter: Set<string> | undefined;
  if (request.Filters.length > 5) fail('A request takes at most 5 filter keys');
  for (const filter of request.Filters) {
    const values = filter.FilterValues ?? [];
    if (filter.FilterKey === 'QUEUE') {
      if (values.length === 0) fail('The QUEUE filter needs at least one queue');
      if (values.length > MAX_FILTER_VALUES) {
        fail(
          `A request takes up to ${MAX_FILTER_VALUES} filter values (channels aside); got ${values.length} queues`,
        );
      }
      queueFilter = values.map(queueIdOf);
    } else if (filter.FilterKey === 'CHANNEL') {
      const unknown = values.filter((value) => !FILTER_CHANNELS.has(value));
      if (unknown.length > 0) fail(`CHANNEL takes VOICE, CHAT, TASK or EMAIL, not ${unknown.join(', ')}`);
      channelFilter = new Set(values);
    } else {
      fail(
        `The local Connect instance filters by QUEUE and CHANNEL only, not ${filter.FilterKey ?? '(no key)'}`,
      );
    }
  }
  // Connect authorizes the request by its resource filter, so one is required.
  if (queueFilter === undefined) fail('A request needs a QUEUE filter (the resources it is authorized on)');
  const groupings = request.Groupings ?? [];
  for (const grouping of groupings) {
    if (!GROUPINGS.has(grouping))
      fail(`The local Connect instance groups by QUEUE and CHANNEL only, not ${grouping}`);
  }
  const byQueue = groupings.includes('QUEUE');
  const byChannel = groupings.includes('CHANNEL');

  if (request.Metrics.length === 0) fail('Metrics must name at least one metric');
  const metrics = request.Metrics.map((metric) => {
    const name = metric.Name ?? '';
    if (!(name in METRICS)) {
      fail(
        `The local Connect instance does not compute ${name || '(no name)'}; it answers ${Object.keys(METRICS).join(', ')}`,
      );
    }
    if (metric.MetricFilters !== undefined && metric.MetricFilters.length > 0) {
      fail('The local Connect instance takes no metric-level filters');
    }
    if (name === 'SERVICE_LEVEL') {
      const threshold = metric.Threshold;
      const only = threshold?.[0];
      if (threshold?.length !== 1 || only === undefined) fail('SERVICE_LEVEL needs exactly one Threshold');
      else {
        if (only.Comparison !== 'LT' && only.Comparison !== 'LTE')
          fail('SERVICE_LEVEL compares with LT or LTE');
        const value = only.ThresholdValue;
        if (value === undefined || !Number.isInteger(value) || value < 1 || value > MAX_THRESHOLD_SECONDS) {
          fail(
            `SERVICE_LEVEL's ThresholdValue is a whole number of seconds from 1 to ${MAX_THRESHOLD_SECONDS}`,
          );
        }
      }
    }
    return { name: name as MetricName, metric };
  });
  const maxResults = request.MaxResults ?? 100;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) fail('MaxResults is 1 to 100');
  const offset = request.NextToken === undefined ? 0 : decodeToken(request.NextToken);

  // ---- the days: [start, end) cut at the zone's midnights ----------------------------------------------
  const bounds: number[] = [startMs];
  for (
    let day = start.startOf('day').plus({ days: 1 });
    day.toMillis() < endMs;
    day = day.plus({ days: 1 })
  ) {
    bounds.push(day.toMillis());
  }
  bounds.push(endMs);
  /** The day a quarter hour starting at `ms` falls in, or -1 outside the request. */
  const firstQuarter = Math.floor(startMs / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const dayOf = (ms: number): number => {
    if (ms < firstQuarter || ms >= endMs) return -1;
    let low = 0;
    let high = bounds.length - 2;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((bounds[mid] ?? 0) <= ms) low = mid;
      else high = mid - 1;
    }
    return low;
  };

  // ---- the rows: per day and group, the sum of its quarter hours ---------------------------------------
  const queueOrder = [...new Set(queueFilter)];
  const rows = new Map<
    string,
    { day: number; queue: number; channel: number; queueId: string; lane: Channel; totals: Totals }
  >();
  for (const [queueIndex, queueId] of queueOrder.entries()) {
    const queueLanes = lanes.get(queueId);
    if (queueLanes === undefined) {
      throw new ConnectSimulatorError('ResourceNotFoundException', `Queue "${queueId}" not found`);
    }
    for (const [channelIndex, channel] of CHANNEL_ORDER.entries()) {
      if (channelFilter !== undefined && !channelFilter.has(channel)) continue;
      for (const quarter of queueLanes[channel].quarters.values()) {
        const day = dayOf(quarter.index * QUARTER_HOUR_MS);
        if (day < 0) continue;
        const group = { queue: byQueue ? queueIndex : -1, channel: byChannel ? channelIndex : -1 };
        const key = `${day}/${group.queue}/${group.channel}`;
        let row = rows.get(key);
        if (row === undefined) {
          row = { day, ...group, queueId, lane: channel, totals: new Totals() };
          rows.set(key, row);
        }
        row.totals.add(quarter);
      }
    }
  }
  const ordered = [...rows.values()].sort(
    (a, b) => a.day - b.day || a.queue - b.queue || a.channel - b.channel,
  );
  const page = ordered.slice(offset, offset + maxResults);
  return {
    MetricResults: page.map((row) => ({
      Dimensions: {
        ...(byQueue ? { QUEUE: row.queueId } : {}),
        ...(byChannel ? { CHANNEL: row.lane } : {}),
      },
      MetricInterval: {
        Interval: 'DAY',
        StartTime: (bounds[row.day] ?? startMs) / 1000,
        EndTime: (bounds[row.day + 1] ?? endMs) / 1000,
      },
      Collections: metrics.map(({ name, metric }) => {
        const value = METRICS[name](row.totals, metric);
        return { Metric: structuredClone(metric), ...(value === undefined ? {} : { Value: value }) };
      }),
    })),
    ...(offset + maxResults < ordered.length ? { NextToken: encodeToken(offset + maxResults) } : {}),
  };
};
