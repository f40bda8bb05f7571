/**
 * Amazon Connect's historical metrics for the KPI report: GetMetricDataV2 per queue, channel and DAY in the
 * shop's time zone, read into `DailyQueueFigures`.
 *
 * GetMetricDataV2's limits (Amazon Connect API Reference, GetMetricDataV2 and IntervalDetails), and what is
 * done about each:
 * - with IntervalPeriod DAY "the difference between StartTime and EndTime must be less than 35 days": a
 *   longer range is cut into windows of whole days in the zone, at most {@link MAX_DAYS_PER_CALL} each
 *   (35 days between midnights is not less than 35 days, and is an hour more across the autumn clock change);
 * - "historical metrics are available for 3 months": a range starting earlier is refused before any call,
 *   with the earliest day that can still be asked;
 * - EndTime "cannot be later than the current timestamp": a range reaching past now is asked up to five
 *   minutes ago ({@link END_TIME_MARGIN_MS});
 * - "up to 100 filter values across all filter keys" (channels not counted): queues go 100 to a call;
 * - results come a page at a time: NextToken is followed;
 * - throttling (HTTP 429) is waited out with the same backoff as every other Connect call (retry.ts).
 */
import type { GetMetricDataV2Request, MetricResultV2, MetricV2 } from '@aws-sdk/client-connect';
import { DateTime } from 'luxon';
import type { Channel } from '#core/ports.js';
import type {
  ContactMetricsQuery,
  ContactMetricsSource,
  DailyQueueFigures,
  ReportQueue,
} from '#core/reporting/types.js';
import { type ConnectSender, GetMetricDataV2Command } from './connect-commands.js';
import { CallPacer, type ThrottlingRetryPolicy, retryThrottled } from './retry.js';

/** The most days one DAY query asks for (Connect: less than 35 days between StartTime and EndTime). */
export const MAX_DAYS_PER_CALL = 34;
/** Queues per call: GetMetricDataV2 takes at most 100 filter values, channels aside. */
export const MAX_QUEUES_PER_CALL = 100;
/** How far back Connect keeps historical metrics, in calendar months. */
export const RETENTION_MONTHS = 3;
/**
 * How far before now a range reaching into today ends. Connect refuses an EndTime after its own now, and
 * the caller's clock is never exactly Connect's (nor, with `--local`, is the CLI's reading of the virtual
 * clock exactly the simulator's); the last minutes of today are not worth a refused report.
 */
export const END_TIME_MARGIN_MS = 5 * 60_000;
/** The largest page GetMetricDataV2 returns. */
const PAGE_SIZE = 100;
/** SERVICE_LEVEL's ThresholdValue: a whole number of seconds from 1 to 604800 (7 days). */
const MAX_THRESHOLD_SECONDS = 604_800;

const CHANNELS: readonly Channel[] = ['VOICE', 'CHAT', 'TASK'];

/** The metrics asked, in the order asked; SERVICE_LEVEL's threshold is the query's. */
export const metricsFor = (serviceLevelSeconds: number): MetricV2[] => [
  { Name: 'CONTACTS_QUEUED' },
  { Name: 'CONTACTS_HANDLED' },
  { Name: 'CONTACTS_ABANDONED' },
  { Name: 'SERVICE_LEVEL', Threshold: [{ Comparison: 'LT', ThresholdValue: serviceLevelSeconds }] },
  { Name: 'AVG_QUEUE_ANSWER_TIME' },
  { Name: 'AVG_HANDLE_TIME' },
  { Name: 'MAX_QUEUED_TIME' },
];

export interface ConnectMetricDataOptions {
  /** GetMetricDataV2's ResourceArn: the Connect instance's ARN (the id alone is refused). */
  readonly instanceArn: string;
  /**
   * The clock the retention and "not after now" are judged by: the CLI's or the function's, a fixed one in
   * tests, the local stack's virtual clock with `--local`. @default Date.now
   */
  readonly nowMs?: () => number;
  /** GetMetricDataV2 calls per second. A month's report is one call a page. @default 1 */
  readonly callsPerSecond?: number;
  /** Tries on throttling, the first included. @default 6 */
  readonly maxAttempts?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
}

/** One GetMetricDataV2 window: [start, end), start a midnight in the zone. */
export interface MetricWindow {
  readonly start: Date;
  readonly end: Date;
}

/**
 * The first midnight in `timeZone` that is not before `nowMs` minus {@link RETENTION_MONTHS}: the earliest
 * day Connect still has whole.
 */
export const earliestAvailableDay = (nowMs: number, timeZone: string): DateTime => {
  const limit = DateTime.fromMillis(nowMs, { zone: timeZone }).minus({ months: RETENTION_MONTHS });
  const midnight = limit.startOf('day');
  return midnight.toMillis() < limit.toMillis() ? midnight.plus({ days: 1 }) : midnight;
};

/**
 * [from, end) cut at midnights in `timeZone` into windows of at most `maxDays` days; the last one ends at
 * `end`, which need not be a midnight (now, for a range reaching into today).
 */
export const dayWindows = (
  from: Date,
  end: Date,
  timeZone: string,
  maxDays = MAX_DAYS_PER_CALL,
): MetricWindow[] => {
  const windows: MetricWindow[] = [];
  let start = DateTime.fromJSDate(from, { zone: timeZone });
  while (start.toMillis() < end.getTime()) {
    const next = start.plus({ days: maxDays });
    const stop = Math.min(next.toMillis(), end.getTime());
    windows.push({ start: start.toJSDate(), end: new Date(stop) });
    start = next;
  }
  return windows;
};

/**
 * The contact centre's daily figures per queue and channel from Amazon Connect. The client makes one
 * attempt per call (LeanConnectClient does; an SDK ConnectClient under BridgedConnectSender is built with
 * `maxAttempts: 1`): throttling is retried here, paced, and a client's own retries would multiply it.
 */
export class ConnectMetricDataSource implements ContactMetricsSource {
  private readonly pacer: CallPacer;
  private readonly retry: ThrottlingRetryPolicy;
  private readonly nowMs: () => number;

  constructor(
    private readonly client: ConnectSender,
    private readonly options: ConnectMetricDataOptions,
  ) {
    if (!/^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[\w-]+$/.test(options.instanceArn)) {
      throw new RangeError(
        `instanceArn must be a Connect instance ARN (arn:aws:connect:<region>:<account>:instance/<id>), got "${options.instanceArn}"`,
      );
    }
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.nowMs = options.nowMs ?? Date.now;
    // Paced on the wall clock: `nowMs` may be the local stack's virtual clock, which runs faster.
    this.pacer = new CallPacer(options.callsPerSecond ?? 1, Date.now, sleep);
    const maxAttempts = options.maxAttempts ?? 6;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be a whole number of at least 1, got ${maxAttempts}`);
    }
    this.retry = {
      maxAttempts,
      baseDelayMs: 500,
      maxDelayMs: 20_000,
      sleep,
      random: options.random ?? Math.random,
    };
  }

  async dailyQueueFigures(query: ContactMetricsQuery): Promise<DailyQueueFigures[]> {
    const { timeZone, serviceLevelSeconds } = query;
    checkQuery(query);
    if (query.queues.length === 0) return [];
    const now = this.nowMs();
    const earliest = earliestAvailableDay(now, timeZone);
    if (query.from.getTime() < earliest.toMillis()) {
      const asked = DateTime.fromJSDate(query.from, { zone: timeZone }).toISODate();
      throw new RangeError(
        `Amazon Connect keeps historical metrics for ${RETENTION_MONTHS} months: on ${DateTime.fromMillis(now, { zone: timeZone }).toISODate()} the earliest day it can report is ${earliest.toISODate()}, and the range starts on ${asked}. Ask from ${earliest.toISODate()} or later; older months are in the monthly reports already written.`,
      );
    }
    const end = new Date(Math.min(query.to.getTime(), now - END_TIME_MARGIN_MS));
    if (end.getTime() <= query.from.getTime()) return [];

    const byId = queueIndex(query.queues);
    const queueIds = [...new Set(query.queues.map((queue) => queue.id))];
    const figures: DailyQueueFigures[] = [];
    for (const window of dayWindows(query.from, end, timeZone)) {
      for (let i = 0; i < queueIds.length; i += MAX_QUEUES_PER_CALL) {
        const chunk = queueIds.slice(i, i + MAX_QUEUES_PER_CALL);
        for (const result of await this.allPages(window, chunk, timeZone, serviceLevelSeconds)) {
          figures.push(toFigures(result, byId, timeZone));
        }
      }
    }
    return figures;
  }

  /** Every MetricResult of one window and one chunk of queues, page after page. */
  private async allPages(
    window: MetricWindow,
    queueIds: readonly string[],
    timeZone: string,
    serviceLevelSeconds: number,
  ): Promise<MetricResultV2[]> {
    const results: MetricResultV2[] = [];
    let nextToken: string | undefined;
    do {
      const input: GetMetricDataV2Request = {
        ResourceArn: this.options.instanceArn,
        StartTime: window.start,
        EndTime: window.end,
        Interval: { TimeZone: timeZone, IntervalPeriod: 'DAY' },
        Filters: [
          { FilterKey: 'QUEUE', FilterValues: [...queueIds] },
          { FilterKey: 'CHANNEL', FilterValues: [...CHANNELS] },
        ],
        Groupings: ['QUEUE', 'CHANNEL'],
        Metrics: metricsFor(serviceLevelSeconds),
        MaxResults: PAGE_SIZE,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      };
      const page = await retryThrottled(async () => {
        await this.pacer.take();
        return this.client.send(new GetMetricDataV2Command(input));
      }, this.retry);
      results.push(...(page.MetricResults ?? []));
      nextToken = page.NextToken || undefined;
    } while (nextToken !== undefined);
    return results;
  }
}

/** Refuses a query Connect would refuse, or that would be read wrongly, saying what is wrong. */
const checkQuery = (query: ContactMetricsQuery): void => {
  const { from, to, timeZone, serviceLevelSeconds } = query;
  if (!DateTime.local().setZone(timeZone).isValid) {
    throw new RangeError(`"${timeZone}" is not an IANA time zone`);
  }
  if (!(from.getTime() < to.getTime())) {
    throw new RangeError(
      `The range must end after it starts (from ${from.toISOString()}, to ${to.toISOString()})`,
    );
  }
  for (const [name, at] of [
    ['from', from],
    ['to', to],
  ] as const) {
    const local = DateTime.fromJSDate(at, { zone: timeZone });
    if (!local.equals(local.startOf('day'))) {
      throw new RangeError(
        `${name} must be a midnight in ${timeZone}, got ${local.toISO() ?? at.toISOString()}`,
      );
    }
  }
  if (
    !Number.isInteger(serviceLevelSeconds) ||
    serviceLevelSeconds < 1 ||
    serviceLevelSeconds > MAX_THRESHOLD_SECONDS
  ) {
    throw new RangeError(
      `The service level's threshold must be a whole number of seconds from 1 to ${MAX_THRESHOLD_SECONDS} (Connect's limit), got ${serviceLevelSeconds}`,
    );
  }
};

/** The part of a Connect ARN after its last "/": a queue ARN's id. */
const lastSegment = (value: string): string => value.slice(value.lastIndexOf('/') + 1);

/** Each report queue under its id as given and under the bare id, since Connect answers with both. */
const queueIndex = (queues: readonly ReportQueue[]): ReadonlyMap<string, ReportQueue> => {
  const index = new Map<string, ReportQueue>();
  for (const queue of queues) {
    index.set(queue.id, queue);
    index.set(lastSegment(queue.id), queue);
  }
  return index;
};

/**
 * One MetricResult as the report's figures. Grouped by QUEUE, Connect names the queue's id under `QUEUE` and its ARN
 * under `QUEUE_ARN`; either is enough.
 */
const toFigures = (
  result: MetricResultV2,
  byId: ReadonlyMap<string, ReportQueue>,
  timeZone: string,
): DailyQueueFigures => {
  const dimensions = result.Dimensions ?? {};
  const channel = CHANNELS.find((c) => c === dimensions['CHANNEL']);
  const queueId = dimensions['QUEUE'];
  const queueArn = dimensions['QUEUE_ARN'];
  const queue =
    (queueId === undefined ? undefined : (byId.get(queueId) ?? byId.get(lastSegment(queueId)))) ??
    (queueArn === undefined ? undefined : (byId.get(queueArn) ?? byId.get(lastSegment(queueArn))));
  const start = result.MetricInterval?.StartTime;
  if (channel === undefined || queue === undefined || start === undefined) {
    // Never dropped quietly: a report short of a queue's contacts would read as a quiet day.
    throw new Error(
      `GetMetricDataV2 answered a row the report cannot place (dimensions ${JSON.stringify(dimensions)}, interval start ${start?.toISOString() ?? 'missing'}): expected QUEUE or QUEUE_ARN of a queue asked for, CHANNEL VOICE, CHAT or TASK, and MetricInterval.StartTime`,
    );
  }

  const value = (name: string): number | null => {
    const v = result.Collections?.find((c) => c.Metric?.Name === name)?.Value;
    // Connect leaves a value out when it has nothing to compute it from (no answered contact, say).
    return v === undefined || v === null || !Number.isFinite(v) ? null : v;
  };
  const serviceLevel = value('SERVICE_LEVEL');
  return {
    day: DateTime.fromJSDate(start, { zone: timeZone }).toISODate() ?? '',
    queueKey: queue.key,
    channel,
    contactsQueued: value('CONTACTS_QUEUED') ?? 0,
    contactsHandled: value('CONTACTS_HANDLED') ?? 0,
    contactsAbandoned: value('CONTACTS_ABANDONED') ?? 0,
    // Connect answers a percentage; the report's figures are shares.
    serviceLevel: serviceLevel === null ? null : serviceLevel / 100,
    avgQueueAnswerTimeSeconds: value('AVG_QUEUE_ANSWER_TIME'),
    avgHandleTimeSeconds: value('AVG_HANDLE_TIME'),
    maxQueuedTimeSeconds: value('MAX_QUEUED_TIME'),
  };
};
