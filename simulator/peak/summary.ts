/**
 * The report of a peak simulation over its replications: per row (queue and what waits in it) and in
 * total, the figures ops read, each a mean with its 95% interval when there are two replications or more.
 *
 * Definitions (the same as the ConnectSimulator's counters and Connect's own reports):
 * - service level: answered within the target / (answered + abandoned after 5 s); calls and chats use
 *   the target seconds, e-mails, tasks and queued callbacks their reply target;
 * - abandonment: abandoned / offered; ASA: mean wait of the answered, seconds;
 * - longest wait: the longest any contact waited, seconds (answered, abandoned, or still waiting at the end);
 * - overflow: times the queue left NORMAL, minutes in OVERFLOW and in DEFLECT, from the controller's samples;
 * - SMS cost: deflection SMS parts × the price of one part;
 * - contained by the order status: callers in opening hours who heard their order's status and left
 *   without queueing, and their share of all callers in opening hours (the queues' figures are over the
 *   others, the callers who went on to the router).
 */
import { type RoutingProfileKey, seatTypeOfRoutingProfile } from '#infra/constructs/connect/seat-types.js';
import { type Estimate, estimate, roundEstimate } from '../statistics.js';
import { DEFAULT_ROUTING_POLICY, type PeakInput, type RoutingPolicy } from './input.js';
import {
  emptyRow,
  PEAK_ROWS,
  type PeakReplication,
  type PeakRowKey,
  QUEUE_IDS,
  type RowCounts,
} from './run.js';

export interface RowSummary {
  readonly key: PeakRowKey | 'total';
  readonly label: string;
  readonly offered: Estimate | null;
  readonly answered: Estimate | null;
  readonly serviceLevel: Estimate | null;
  readonly abandonment: Estimate | null;
  readonly asaSeconds: Estimate | null;
  readonly longestWaitSeconds: Estimate | null;
  readonly waitingAtEnd: Estimate | null;
  readonly closed: Estimate | null;
}

export interface PeakSummary {
  readonly replications: number;
  readonly seed: number;
  readonly from: string;
  readonly to: string;
  readonly scenario: number;
  /** How callers were routed (`--policy`). */
  readonly policy: RoutingPolicy;
  /** Agents logged in over the opening hours, per seat type (seats less shrinkage). */
  readonly agents: Readonly<Record<string, number>>;
  readonly rows: readonly RowSummary[];
  readonly overflow: readonly {
    readonly queue: string;
    readonly entries: Estimate | null;
    readonly overflowMinutes: Estimate | null;
    readonly deflectMinutes: Estimate | null;
  }[];
  readonly calls: {
    readonly queued: Estimate | null;
    readonly overflowed: Estimate | null;
    /** Told their order's status and left without queueing. */
    readonly contained: Estimate | null;
    /** contained / every caller in opening hours, 0 to 1. */
    readonly containedShare: Estimate | null;
  };
  /** The share of status-only callers simulated (`--status-only-share`); 0: none. */
  readonly statusOnlyShare: number;
  readonly deflection: {
    readonly offered: Estimate | null;
    readonly keptWaiting: Estimate | null;
    readonly callbacks: Estimate | null;
    readonly smsSent: Estimate | null;
    readonly smsParts: Estimate | null;
    readonly smsOverCap: Estimate | null;
    readonly smsCost: Estimate | null;
  };
  readonly smsPricePerPart: number;
  /** Per slot, averaged over the replications, for the charts. */
  readonly series: {
    readonly slotStarts: readonly string[];
    readonly voiceServiceLevel: readonly (number | null)[];
    readonly chatServiceLevel: readonly (number | null)[];
    readonly primaryOldestWaitSeconds: readonly number[];
    readonly waiting: Readonly<Record<string, readonly number[]>>;
    readonly overflowShare: readonly number[];
    readonly deflectShare: readonly number[];
  };
  /** The first replication's overflow periods per queue (a mean of periods means nothing). */
  readonly periods: Readonly<Record<string, readonly { state: string; from: string; to: string }[]>>;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);

/** Every caller in opening hours: contained by the order status, routed, or deflected by the menu. */
const callersInHours = (r: PeakReplication): number =>
  r.calls.contained + r.calls.queued + r.calls.overflowed + r.deflection.offered;

const rowFigures = (c: RowCounts) => ({
  offered: c.offered,
  answered: c.answered,
  serviceLevel: ratio(c.answeredInTime, c.answered + c.abandonedCounted),
  abandonment: ratio(c.abandoned, c.offered),
  asaSeconds: ratio(c.answeredWaitSeconds, c.answered),
  longestWaitSeconds: c.offered > 0 ? c.longestWaitSeconds : Number.NaN,
  waitingAtEnd: c.waitingAtEnd,
  closed: c.closed,
});

const sumRows = (rows: readonly RowCounts[]): RowCounts =>
  rows.reduce(
    (a, r) => ({
      offered: a.offered + r.offered,
      answered: a.answered + r.answered,
      answeredInTime: a.answeredInTime + r.answeredInTime,
      abandoned: a.abandoned + r.abandoned,
      abandonedCounted: a.abandonedCounted + r.abandonedCounted,
      answeredWaitSeconds: a.answeredWaitSeconds + r.answeredWaitSeconds,
      longestWaitSeconds: Math.max(a.longestWaitSeconds, r.longestWaitSeconds),
      waitingAtEnd: a.waitingAtEnd + r.waitingAtEnd,
      closed: a.closed + r.closed,
    }),
    emptyRow(),
  );

/** Shares (service level, abandonment) are between 0 and 1; everything else is at least 0. */
const SHARE = { min: 0, max: 1 } as const;
const est = (values: readonly number[], digits: number, range: { min: number; max?: number } = { min: 0 }) =>
  roundEstimate(estimate(values, range), digits);

export const summarisePeak = (
  input: PeakInput,
  results: readonly PeakReplication[],
  options: { readonly seed: number; readonly smsPricePerPart: number },
): PeakSummary => {
  const first = results[0];
  if (first === undefined) throw new RangeError('no replication to summarise');
  const rowSummary = (key: PeakRowKey | 'total', label: string, counts: readonly RowCounts[]): RowSummary => {
    const figures = counts.map(rowFigures);
    const pick = (name: keyof ReturnType<typeof rowFigures>, digits: number) =>
      est(
        figures.map((f) => f[name]),
        digits,
        name === 'serviceLevel' || name === 'abandonment' ? SHARE : { min: 0 },
      );
    return {
      key,
      label,
      offered: pick('offered', 1),
      answered: pick('answered', 1),
      serviceLevel: pick('serviceLevel', 4),
      abandonment: pick('abandonment', 4),
      asaSeconds: pick('asaSeconds', 1),
      longestWaitSeconds: pick('longestWaitSeconds', 0),
      waitingAtEnd: pick('waitingAtEnd', 1),
      closed: pick('closed', 1),
    };
  };
  const rows = PEAK_ROWS.filter((row) =>
    results.some((r) => r.rows[row.key].offered + r.rows[row.key].closed > 0),
  ).map((row) =>
    rowSummary(
      row.key,
      row.label,
      results.map((r) => r.rows[row.key]),
    ),
  );
  rows.push(
    rowSummary(
      'total',
      'total',
      results.map((r) => sumRows(Object.values(r.rows))),
    ),
  );
  const slots = first.series.voiceInTime.length;
  const meanOf = (pick: (r: PeakReplication) => readonly number[]) =>
    Array.from({ length: slots }, (_, i) => {
      let sum = 0;
      for (const r of results) sum += pick(r)[i] ?? 0;
      return Number((sum / results.length).toFixed(4));
    });
  const pooled = (
    inTime: (r: PeakReplication) => readonly number[],
    judged: (r: PeakReplication) => readonly number[],
  ) =>
    Array.from({ length: slots }, (_, i) => {
      let a = 0;
      let b = 0;
      for (const r of results) {
        a += inTime(r)[i] ?? 0;
        b += judged(r)[i] ?? 0;
      }
      return b > 0 ? Number((a / b).toFixed(4)) : null;
    });
  const slotMs = first.series.slotMinutes * 60_000;
  const spanStart = Math.min(...input.intervals.map((i) => Date.parse(i.start)));
  const spanEnd = Math.max(...input.intervals.map((i) => Date.parse(i.start) + i.minutes * 60_000));
  const d = results.map((r) => r.deflection);
  return {
    replications: results.length,
    seed: options.seed,
    from: new Date(spanStart).toISOString(),
    to: new Date(spanEnd).toISOString(),
    scenario: input.scenario,
    policy: input.policy ?? DEFAULT_ROUTING_POLICY,
    agents: Object.fromEntries(
      Object.entries(first.agentsLoggedIn).map(([profile, n]) => [
        seatTypeOfRoutingProfile(profile as RoutingProfileKey),
        n,
      ]),
    ),
    rows,
    overflow: Object.keys(first.overflow).map((queue) => ({
      queue,
      entries: est(
        results.map((r) => r.overflow[queue]?.entries ?? 0),
        2,
      ),
      overflowMinutes: est(
        results.map((r) => r.overflow[queue]?.overflowMinutes ?? 0),
        1,
      ),
      deflectMinutes: est(
        results.map((r) => r.overflow[queue]?.deflectMinutes ?? 0),
        1,
      ),
    })),
    calls: {
      queued: est(
        results.map((r) => r.calls.queued),
        1,
      ),
      overflowed: est(
        results.map((r) => r.calls.overflowed),
        1,
      ),
      contained: est(
        results.map((r) => r.calls.contained),
        1,
      ),
      containedShare: est(
        results.map((r) => ratio(r.calls.contained, callersInHours(r))),
        4,
        SHARE,
      ),
    },
    statusOnlyShare: input.statusOnlyShare ?? 0,
    deflection: {
      offered: est(
        d.map((x) => x.offered),
        1,
      ),
      keptWaiting: est(
        d.map((x) => x.keptWaiting),
        1,
      ),
      callbacks: est(
        d.map((x) => x.callbacks),
        1,
      ),
      smsSent: est(
        d.map((x) => x.smsSent),
        1,
      ),
      smsParts: est(
        d.map((x) => x.smsParts),
        1,
      ),
      smsOverCap: est(
        d.map((x) => x.smsOverCap),
        1,
      ),
      smsCost: est(
        d.map((x) => x.smsParts * options.smsPricePerPart),
        2,
      ),
    },
    smsPricePerPart: options.smsPricePerPart,
    series: {
      slotStarts: Array.from({ length: slots }, (_, i) =>
        new Date(first.series.slotStartMs + i * slotMs).toISOString(),
      ),
      voiceServiceLevel: pooled(
        (r) => r.series.voiceInTime,
        (r) => r.series.voiceJudged,
      ),
      chatServiceLevel: pooled(
        (r) => r.series.chatInTime,
        (r) => r.series.chatJudged,
      ),
      primaryOldestWaitSeconds: meanOf((r) => r.series.primaryOldestWait),
      waiting: Object.fromEntries(QUEUE_IDS.map((q) => [q, meanOf((r) => r.series.waiting[q])])),
      overflowShare: meanOf((r) => r.series.overflowShare),
      deflectShare: meanOf((r) => r.series.deflectShare),
    },
    periods: Object.fromEntries(Object.entries(first.overflow).map(([q, o]) => [q, o.periods])),
  };
};

/** One queue's calls in the comparison of policies. */
export interface PolicyQueueFigures {
  readonly serviceLevel: Estimate | null;
  readonly abandonment: Estimate | null;
  readonly asa: Estimate | null;
  readonly longestWaitSeconds: Estimate | null;
}

/**
 * One policy's calls, then per voice queue. Over every caller the flow put somewhere (opening hours):
 * `abandonment` is the share who hung up while waiting, of all callers, those who took the callback or the
 * SMS included (they did not hang up: they were served another way); `serviceLevel`, `asa` and
 * `longestWaitSeconds` are over the callers who queued on the line (the primary queue and the second line),
 * as Connect counts them. `deflected` and `callbacksReturned` say what the other way cost.
 */
export interface PolicyFigures extends PolicyQueueFigures {
  readonly policy: RoutingPolicy;
  /** Callers, on the line or deflected, per replication. */
  readonly callers: Estimate | null;
  /** Share of the callers who took a queued callback or the SMS with the request link instead of waiting. */
  readonly deflected: Estimate | null;
  /** Share of the queued callbacks an agent returned the same day; null when nobody asked for one. */
  readonly callbacksReturned: Estimate | null;
  /** The primary queue's state changes; 0 for the policies without the controller. */
  readonly stateChanges: Estimate | null;
  /**
   * Share of every caller contained by the order status before the router (left out of `callers`): the
   * same under every policy, since the status is told before routing. Absent from comparisons written
   * before issue 15 (the bench's stored runs).
   */
  readonly contained?: Estimate | null;
  readonly queues: Readonly<Partial<Record<(typeof QUEUE_IDS)[number], PolicyQueueFigures>>>;
}

export interface PolicyComparison {
  readonly policies: readonly PolicyFigures[];
}

/** The voice rows, by queue: where a call waits. Queued callbacks wait on their reply target, not on the line. */
const VOICE_ROWS = PEAK_ROWS.filter((r) => r.channel === 'VOICE');
/** The callers who wait on the line: the totals leave queued callbacks (their own row) out. */
const ON_THE_LINE: readonly PeakRowKey[] = ['primary-voice', 'secondLine-voice'];

const queueFigures = (counts: readonly RowCounts[]): PolicyQueueFigures => {
  const figures = counts.map(rowFigures);
  return {
    serviceLevel: est(
      figures.map((f) => f.serviceLevel),
      4,
      SHARE,
    ),
    abandonment: est(
      figures.map((f) => f.abandonment),
      4,
      SHARE,
    ),
    asa: est(
      figures.map((f) => f.asaSeconds),
      1,
    ),
    longestWaitSeconds: est(
      figures.map((f) => f.longestWaitSeconds),
      0,
    ),
  };
};

/**
 * The policies side by side, calls only, each on the same seeds: the yardstick issue 13 asks overflow to
 * beat. A queue nobody called in any replication (the second line under `none`) is left out.
 */
export const comparePolicies = (
  runs: readonly { readonly policy: RoutingPolicy; readonly results: readonly PeakReplication[] }[],
): PolicyComparison => ({
  policies: runs.map(({ policy, results }) => {
    if (results.length === 0) throw new RangeError(`no replication to summarise for ${policy}`);
    const queues: Partial<Record<(typeof QUEUE_IDS)[number], PolicyQueueFigures>> = {};
    for (const row of VOICE_ROWS) {
      if (!results.some((r) => r.rows[row.key].offered > 0)) continue;
      queues[row.queueId] = queueFigures(results.map((r) => r.rows[row.key]));
    }
    const onTheLine = results.map((r) => sumRows(ON_THE_LINE.map((key) => r.rows[key])));
    const callers = results.map(
      (r, i) => (onTheLine[i]?.offered ?? 0) + r.deflection.callbacks + r.deflection.smsSent,
    );
    const callbacks = results.map((r) => r.rows['callback-voice']);
    return {
      policy,
      ...queueFigures(onTheLine),
      abandonment: est(
        onTheLine.map((row, i) => ratio(row.abandoned, callers[i] ?? 0)),
        4,
        SHARE,
      ),
      callers: est(callers, 0),
      deflected: est(
        results.map((r, i) => ratio(r.deflection.callbacks + r.deflection.smsSent, callers[i] ?? 0)),
        4,
        SHARE,
      ),
      callbacksReturned: callbacks.some((c) => c.offered > 0)
        ? est(
            callbacks.map((c) => ratio(c.answered, c.offered)),
            4,
            SHARE,
          )
        : null,
      stateChanges: est(
        results.map((r) => r.overflow.primary?.changes ?? 0),
        2,
      ),
      contained: est(
        results.map((r) => ratio(r.calls.contained, callersInHours(r))),
        4,
        SHARE,
      ),
      queues,
    };
  }),
});
