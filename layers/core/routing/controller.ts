/**
 * The overflow controller (DESIGN.md, part 3): samples every watched queue a fixed number of times a
 * minute and keeps each queue's routing state with hysteresis (see `hysteresis.ts`).
 *
 * Each sample is ONE metrics call for all queues (GetCurrentMetricData takes 100 queues; more make one call
 * per hundred), so the Connect calls a minute are `samplesPerMinute` whatever the number of calls waiting:
 * 4 at 10 callers in queue and 4 at 10,000. Per queue the sample is applied to the stored memory and
 * written back only over the version it was read at. When another run wrote in between (two runs
 * overlapping: a late one, a retried one, the local stack beside a test), the memory is read again and the
 * sample applied to what that run left, so both runs' samples count; a sample older than the one the
 * stored memory last took is skipped (reason `stale`): counting it after a newer one would put the run of
 * samples out of order. A change is written together with its audit entry, then announced on the bus
 * (`OverflowStateChanged`) and to ops, by the run whose write made it and only by that run.
 *
 * What a queue is judged on: the expected wait of a contact joining it now, on the channel it routes (the
 * primary queue: calls; a chat backlog must not move callers whose own wait is short), from its queue
 * length, its agents on that channel and the handling time and patience of `waitModel` (expected-wait.ts);
 * the callback queue, which nobody joins by choice, on its oldest contact's age. The second line is in the
 * same metrics call: its own expected wait sets, at every sample, the share of callers the router sends
 * there (`secondLineShare`): none unless they will wait less there by a margin, and never all of them.
 *
 * A metrics call that fails (throttled past the adapter's retries, or refused) is a missing sample: the
 * states and the counts stand, and the next sample carries on.
 */
import type {
  Channel,
  ChannelMetrics,
  Clock,
  ContactCentre,
  EventPublisher,
  QueueMetrics,
  RoutingState,
} from '../ports.js';
import {
  checkWaitModel,
  EXPECTED_WAIT_CAP_SECONDS,
  expectedWaitSeconds,
  type SecondLineSettings,
  secondLineShare,
  type WaitModel,
} from './expected-wait.js';
import {
  checkThresholds,
  deflectShare,
  initialMemory,
  next,
  type QueueMemory,
  type StateChange,
  type Thresholds,
} from './hysteresis.js';
import type { OpsNotifier, RoutingStateStore, StateChangeRecord } from './store.js';

/** GetCurrentMetricData's limit on queues in one call. */
export const QUEUES_PER_METRICS_CALL = 100;

/** A queue the controller watches. */
export interface WatchedQueue {
  /** How peakline knows it (`primary`, `callback`): the key of its state in the routing table. */
  readonly key: string;
  /** What the metrics call is asked for: Connect's queue ARN (or id) on AWS, the simulator's id locally. */
  readonly metricsId: string;
  /** The queue's id in the contact centre, for the announcement. */
  readonly queueId: string;
  /**
   * The channel the queue is judged on (the primary queue: VOICE, the callers it routes).
   * @default all channels together
   */
  readonly channel?: Channel;
  /**
   * What is judged: the expected wait of a contact joining now (needs the settings' `waitModel`), or the
   * oldest waiting contact's age (the callback queue: a backlog nobody joins by choice).
   * @default 'expected-wait' when the settings have a `waitModel`, else 'oldest-contact'
   */
  readonly signal?: 'expected-wait' | 'oldest-contact';
  /**
   * Whether its state routes callers (the router's share, the menu). The callback queue's routes nobody:
   * it postpones cart callbacks, so it carries no share and its ops messages say so.
   * @default true
   */
  readonly routesCallers?: boolean;
}

/** The second line, sampled in the same metrics call as the watched queues. */
export interface SecondLine extends SecondLineSettings {
  /** What the metrics call is asked for (Connect's queue ARN on AWS). */
  readonly metricsId: string;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface ControllerDeps {
  readonly contactCentre: Pick<ContactCentre, 'getCurrentMetrics'>;
  readonly store: RoutingStateStore;
  readonly events: EventPublisher;
  readonly ops: OpsNotifier;
  readonly clock: Clock;
  /** @default no log */
  readonly log?: (level: LogLevel, message: string, fields: Record<string, unknown>) => void;
}

export interface ControllerSettings {
  readonly queues: readonly WatchedQueue[];
  readonly thresholds: Thresholds;
  /**
   * How long readers believe a state after the sample that confirmed it, seconds (config
   * `overflow.stateMaxAgeSeconds`), stamped on every state the controller writes; see freshness.ts.
   * @default none stamped: readers assume FALLBACK_STATE_MAX_AGE_SECONDS
   */
  readonly stateMaxAgeSeconds?: number;
  /**
   * Handling time and patience the expected waits are reckoned with (config `overflow.handlingSeconds`,
   * `overflow.patienceSeconds`).
   * @default none: every queue is judged on its oldest contact's age
   */
  readonly waitModel?: WaitModel;
  /**
   * The second line and how callers are shared with it (config `overflow.secondLine*`).
   * @default none: no share is set, and the router sends every overflowing caller there (a forced state)
   */
  readonly secondLine?: SecondLine;
}

/** What happened to one queue in one sample. */
export type QueueOutcome =
  | 'applied'
  | 'changed'
  /** The metrics call for this queue's hundred failed: nothing changed. */
  | 'missing'
  /** The stored memory had already taken a later sample (another run's). */
  | 'stale'
  /** Other runs kept writing in between, try after try; the sample is dropped, nothing is lost but it. */
  | 'conflict'
  /** Reading or writing the state failed; the run goes on with the other queues. */
  | 'failed';

export interface AnnouncedChange extends StateChangeRecord {
  /** False when the bus or the ops topic refused the announcement (the audit entry is written). */
  readonly announced: boolean;
}

/**
 * What one queue looked like in a sample that was applied: what the run's metrics (`RoutingState`,
 * `ExpectedWaitSeconds`, `OldestContactAgeSeconds` per queue) and the public status document are made of.
 * Only a sample the stored memory took has one: a missing, stale or failed sample says nothing new.
 */
export interface QueueReading {
  /** The state after this sample, as written. */
  readonly state: RoutingState;
  /** The wait judged, seconds (the expected wait of a new contact, or the oldest contact's age). */
  readonly waitSeconds: number;
  /** Whether `waitSeconds` is an expected wait (else the oldest contact's age). */
  readonly expected: boolean;
  /** Whether anyone was logged in on the channel judged: a closed channel's wait of 0 promises nothing. */
  readonly staffed: boolean;
  readonly oldestContactAgeSeconds: number;
  readonly contactsInQueue: number;
  /** The sample's time, ISO-8601. */
  readonly at: string;
  /** How long readers believe the state after `at`, seconds, when the controller stamps it. */
  readonly maxAgeSeconds?: number;
}

export interface SampleResult {
  readonly at: string;
  /** Metrics calls made for this sample: one per hundred queues. */
  readonly metricsCalls: number;
  /** Metrics calls that failed (their queues' samples are missing). */
  readonly failedMetricsCalls: number;
  readonly outcomes: Readonly<Record<string, QueueOutcome>>;
  /** Per queue key, the queues whose sample was applied (outcome `applied` or `changed`). */
  readonly readings: Readonly<Record<string, QueueReading>>;
  readonly changes: readonly AnnouncedChange[];
}

/** Tries to apply one sample over other runs' writes before giving up on it. */
const MAX_WRITE_ATTEMPTS = 5;

/** The queues in hundreds, one metrics call each. */
export const metricsBatches = <T>(queues: readonly T[]): T[][] => {
  const batches: T[][] = [];
  for (let i = 0; i < queues.length; i += QUEUES_PER_METRICS_CALL) {
    batches.push(queues.slice(i, i + QUEUES_PER_METRICS_CALL));
  }
  return batches;
};

const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** One sample: one metrics call per hundred queues, then each queue's memory advanced and stored. */
export const takeSample = async (
  deps: ControllerDeps,
  settings: ControllerSettings,
): Promise<SampleResult> => {
  const log = deps.log ?? (() => undefined);
  const at = deps.clock.now();
  // The second line rides in the same call(s): its figures set the share, at no extra Connect call.
  const asked: { readonly key: string; readonly metricsId: string }[] = [
    ...settings.queues,
    ...(settings.secondLine === undefined
      ? []
      : [{ key: SECOND_LINE_KEY, metricsId: settings.secondLine.metricsId }]),
  ];
  const batches = metricsBatches(asked);
  const metrics = new Map<string, QueueMetrics>();
  let failedMetricsCalls = 0;
  for (const batch of batches) {
    try {
      const figures = await deps.contactCentre.getCurrentMetrics(batch.map((q) => q.metricsId));
      batch.forEach((queue, i) => {
        const found = figures[i];
        if (found !== undefined) metrics.set(queue.key, found);
      });
    } catch (error) {
      failedMetricsCalls += 1;
      log('warn', 'queue metrics missing for this sample; the states stand', {
        queues: batch.map((q) => q.key),
        error: errorText(error),
      });
    }
  }

  const outcomes: Record<string, QueueOutcome> = {};
  const readings: Record<string, QueueReading> = {};
  const changes: AnnouncedChange[] = [];
  const sampled = settings.queues.filter((q) => metrics.has(q.key));
  for (const queue of settings.queues) if (!metrics.has(queue.key)) outcomes[queue.key] = 'missing';
  if (sampled.length === 0)
    return {
      at: at.toISOString(),
      metricsCalls: batches.length,
      failedMetricsCalls,
      outcomes,
      readings,
      changes,
    };

  let stored: Map<string, QueueMemory>;
  try {
    stored = await deps.store.read(sampled.map((q) => q.key));
  } catch (error) {
    log('error', 'routing states could not be read; this sample is dropped', { error: errorText(error) });
    for (const queue of sampled) outcomes[queue.key] = 'failed';
    return {
      at: at.toISOString(),
      metricsCalls: batches.length,
      failedMetricsCalls,
      outcomes,
      readings,
      changes,
    };
  }

  await Promise.all(
    sampled.map(async (queue) => {
      const figures = metrics.get(queue.key);
      if (figures === undefined) return;
      try {
        const judged = judge(settings, queue, figures, metrics.get(SECOND_LINE_KEY));
        const applied = await applySample(deps, settings, queue, judged, at, stored.get(queue.key));
        outcomes[queue.key] = applied.outcome;
        if (applied.reading) readings[queue.key] = applied.reading;
        if (applied.change) changes.push(await announce(deps, applied.change));
      } catch (error) {
        outcomes[queue.key] = 'failed';
        log('error', 'routing state could not be updated; this sample is dropped for the queue', {
          queue: queue.key,
          error: errorText(error),
        });
      }
    }),
  );
  for (const [queue, outcome] of Object.entries(outcomes)) {
    if (outcome === 'stale' || outcome === 'conflict') {
      log('warn', 'sample skipped for a queue another controller run wrote meanwhile', {
        queue,
        reason: outcome,
      });
    }
  }
  return {
    at: at.toISOString(),
    metricsCalls: batches.length,
    failedMetricsCalls,
    outcomes,
    readings,
    changes,
  };
};

/** The second line's key among the sampled queues (it has no state of its own). */
const SECOND_LINE_KEY = 'secondLine';

const NOBODY: ChannelMetrics = {
  contactsInQueue: 0,
  oldestContactAgeSeconds: 0,
  agentsOnline: 0,
  agentsAvailable: 0,
  agentsOnContact: 0,
};

/** One queue's sample as judged: the wait the state follows, and the share for the second line. */
export interface JudgedSample {
  /** The figures of the channel judged (the queue's totals when it has none). */
  readonly figures: ChannelMetrics;
  /** The wait judged, seconds: the expected wait of a new contact, or the oldest contact's age. */
  readonly waitSeconds: number;
  /** Whether `waitSeconds` is an expected wait (else the oldest contact's age). */
  readonly expected: boolean;
  /** The share of callers for the second line; absent when no second line is configured. */
  readonly secondLineShare?: number;
}

const channelFigures = (metrics: QueueMetrics, channel: Channel | undefined): ChannelMetrics =>
  // A channel Connect returned no row for has nobody waiting and nobody serving it.
  channel === undefined ? metrics : (metrics.channels?.[channel] ?? NOBODY);

/** The wait a queue's state follows, and the second line's share, from one sample's figures. */
export const judge = (
  settings: Pick<ControllerSettings, 'waitModel' | 'secondLine'>,
  queue: WatchedQueue,
  metrics: QueueMetrics,
  secondLineMetrics: QueueMetrics | undefined,
): JudgedSample => {
  const figures = channelFigures(metrics, queue.channel);
  const model = settings.waitModel;
  const signal = queue.signal ?? (model === undefined ? 'oldest-contact' : 'expected-wait');
  // A channel with nobody logged in is closed to it (after hours, the last agents gone while a few callers
  // still wait): no state can help those callers and the flow's hours keep new ones out, so it is judged empty.
  // Logged in counts, not on contact: an agent gone offline at closing may still finish a call.
  const staffed = figures.agentsOnline > 0;
  const expected = signal === 'expected-wait' && model !== undefined;
  const waitSeconds = expected
    ? staffed
      ? expectedWaitSeconds(figures, model)
      : 0
    : figures.oldestContactAgeSeconds;
  // A state that routes nobody (the callback queue's) carries no share, nor tells ops of one.
  if (settings.secondLine === undefined || queue.routesCallers === false) {
    return { figures, waitSeconds, expected };
  }
  // Without the second line's figures (its row missing) nobody is sent there: the primary queue on doubt.
  if (secondLineMetrics === undefined || model === undefined) {
    return { figures, waitSeconds, expected, secondLineShare: 0 };
  }
  const secondFigures = channelFigures(secondLineMetrics, queue.channel);
  const secondAgents = secondFigures.agentsAvailable + secondFigures.agentsOnContact;
  // A second line with nobody on is no place to send anyone, however empty its queue.
  const secondLineWaitSeconds =
    secondAgents > 0 ? expectedWaitSeconds(secondFigures, model) : EXPECTED_WAIT_CAP_SECONDS;
  // Its share of the agents on the channel: Connect counts the second line's agents on the primary queue
  // too (their routing profile serves it after the assist delay), so this is second line / everyone.
  const primaryAgents = figures.agentsAvailable + figures.agentsOnContact;
  const capacityShare = secondAgents / Math.max(primaryAgents, secondAgents);
  return {
    figures,
    waitSeconds,
    expected,
    secondLineShare: secondLineShare(waitSeconds, secondLineWaitSeconds, settings.secondLine, capacityShare),
  };
};

const applySample = async (
  deps: ControllerDeps,
  { thresholds, stateMaxAgeSeconds }: ControllerSettings,
  queue: WatchedQueue,
  judged: JudgedSample,
  at: Date,
  first: QueueMemory | undefined,
): Promise<{ outcome: QueueOutcome; change?: StateChangeRecord; reading?: QueueReading }> => {
  let memory = first ?? initialMemory();
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
    if (memory.updatedAt !== undefined && memory.updatedAt >= at.toISOString()) return { outcome: 'stale' };
    const result = next(memory, { waitSeconds: judged.waitSeconds, at }, thresholds);
    // A wait that is no number leaves the memory as it was: nothing to write.
    if (result.memory === memory) return { outcome: 'missing' };
    const change = result.change && changeRecord(queue, result.change, judged, at, thresholds);
    // The shares are the sample's, never carried from an earlier one (`next` drops them): a controller
    // without a second line stores none, so its state sends everyone, as its settings say.
    // Every applied sample is written, changed state or not: the write's `updatedAt` is what keeps the
    // state believed by its readers (freshness.ts), so a controller that stops sampling lets it expire.
    const written: QueueMemory = {
      ...result.memory,
      ...(stateMaxAgeSeconds === undefined ? {} : { maxAgeSeconds: stateMaxAgeSeconds }),
      ...(judged.secondLineShare === undefined ? {} : { secondLineShare: judged.secondLineShare }),
      deflectShare: round3(deflectShare(judged.waitSeconds, thresholds)),
    };
    if (await deps.store.write(queue.key, memory.version, written, change)) {
      const reading: QueueReading = {
        state: written.state,
        waitSeconds: judged.waitSeconds,
        expected: judged.expected,
        staffed: judged.figures.agentsOnline > 0,
        oldestContactAgeSeconds: judged.figures.oldestContactAgeSeconds,
        contactsInQueue: judged.figures.contactsInQueue,
        at: at.toISOString(),
        ...(stateMaxAgeSeconds === undefined ? {} : { maxAgeSeconds: stateMaxAgeSeconds }),
      };
      return change ? { outcome: 'changed', change, reading } : { outcome: 'applied', reading };
    }
    memory = (await deps.store.read([queue.key])).get(queue.key) ?? initialMemory();
  }
  return { outcome: 'conflict' };
};

const changeRecord = (
  queue: WatchedQueue,
  change: StateChange,
  judged: JudgedSample,
  at: Date,
  thresholds: Thresholds,
): StateChangeRecord => ({
  queueKey: queue.key,
  queueId: queue.queueId,
  from: change.from,
  to: change.to,
  at: at.toISOString(),
  oldestContactAgeSeconds: judged.figures.oldestContactAgeSeconds,
  contactsInQueue: judged.figures.contactsInQueue,
  ...(judged.expected ? { expectedWaitSeconds: round1(judged.waitSeconds) } : {}),
  ...(judged.secondLineShare === undefined ? {} : { secondLineShare: round3(judged.secondLineShare) }),
  ...(queue.channel === undefined ? {} : { channel: queue.channel }),
  ...(queue.routesCallers === false ? { routesCallers: false } : {}),
  thresholds,
});

const round1 = (n: number) => Math.round(n * 10) / 10;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** What each state means for the callers of a queue whose state routes them (the primary queue). */
const MEANING: Readonly<Record<RoutingState, string>> = {
  NORMAL: 'Callers wait in their own queue again.',
  OVERFLOW:
    'As the wait grows, a share of the callers is offered a callback or an SMS with a link instead of waiting, and a share goes to the second line while they would wait less there.',
  DEFLECT:
    'Every caller is offered a callback or an SMS with a link to leave a request instead of waiting (those who wait go where they wait less).',
};

/** What it means for a queue whose state routes nobody (the callback queue, by its backlog's age). */
const BACKLOG_MEANING: Readonly<Record<RoutingState, string>> = {
  NORMAL: 'Cart callbacks become tasks again when due.',
  OVERFLOW:
    'Its backlog is old: due cart callbacks are postponed, or replaced by an SMS with the saved cart where the stage allows it.',
  DEFLECT:
    'Its backlog is very old: due cart callbacks are postponed, or replaced by an SMS with the saved cart where the stage allows it.',
};

/** The ops topic's message for a change: who, what, how long the wait was, and by which thresholds. */
export const opsMessage = (change: StateChangeRecord): { subject: string; message: string } => {
  const t = change.thresholds;
  return {
    subject: `peakline: ${change.queueKey} queue ${change.from} -> ${change.to}`,
    message: [
      `The ${change.queueKey} queue went from ${change.from} to ${change.to} at ${change.at}.`,
      `${change.expectedWaitSeconds === undefined ? '' : `A new ${change.channel === 'VOICE' ? 'caller' : 'contact'} would wait ${Math.round(change.expectedWaitSeconds)} s; `}its oldest ${change.channel === 'VOICE' ? 'caller' : 'contact'} had waited ${Math.round(change.oldestContactAgeSeconds)} s, with ${change.contactsInQueue} in queue.`,
      (change.routesCallers === false ? BACKLOG_MEANING : MEANING)[change.to],
      ...(change.secondLineShare === undefined || change.to === 'NORMAL'
        ? []
        : [
            `Share of callers sent to the second line now: ${Math.round(change.secondLineShare * 100)}%${change.secondLineShare === 0 ? ' (its agents would not answer them sooner; they work the primary queue after the routing profile delay)' : ''}.`,
          ]),
      `Thresholds: OVERFLOW above ${t.enterWaitSeconds} s and DEFLECT above ${t.deflectWaitSeconds} s for ${t.enterSamples} samples in a row; back below ${t.exitWaitSeconds} s (from DEFLECT to OVERFLOW below ${t.enterWaitSeconds} s) for ${t.exitSamples} samples in a row${t.minDwellSeconds ? `; each state held at least ${t.minDwellSeconds} s` : ''}.`,
    ].join('\n'),
  };
};

/**
 * OverflowStateChanged on the bus and the ops message. Either may fail without the other: the change is
 * written (with its audit entry) already, so a failure is reported, not retried into a second write.
 */
const announce = async (deps: ControllerDeps, change: StateChangeRecord): Promise<AnnouncedChange> => {
  const log = deps.log ?? (() => undefined);
  const results = await Promise.allSettled([
    deps.events.publish('OverflowStateChanged', {
      queueId: change.queueId,
      queueKey: change.queueKey,
      from: change.from,
      to: change.to,
      oldestContactAgeSeconds: change.oldestContactAgeSeconds,
      ...(change.expectedWaitSeconds === undefined
        ? {}
        : { expectedWaitSeconds: change.expectedWaitSeconds }),
      ...(change.secondLineShare === undefined ? {} : { secondLineShare: change.secondLineShare }),
      at: change.at,
    }),
    (async () => {
      const { subject, message } = opsMessage(change);
      await deps.ops.notify(subject, message);
    })(),
  ]);
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [errorText(r.reason)] : []));
  log(failures.length > 0 ? 'error' : 'info', 'overflow state changed', {
    queue: change.queueKey,
    from: change.from,
    to: change.to,
    oldestContactAgeSeconds: change.oldestContactAgeSeconds,
    ...(failures.length > 0 ? { announcementFailed: failures } : {}),
  });
  return { ...change, announced: failures.length === 0 };
};

/** How a run spreads its samples over the minute its schedule gives it. */
export interface RunTiming {
  readonly samplesPerMinute: number;
  /** Milliseconds left before the function is stopped; Infinity where nothing stops it. */
  readonly remainingMs: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * The most one sample may take: the metrics call (two tries under a 3 s request timeout and a backoff),
 * the reads and conditional writes, the announcements. A run takes no sample it might not finish.
 */
export const SAMPLE_BUDGET_MS = 10_000;

/** The spacing of the samples: evenly over the minute, and so evenly across runs too. */
export const sampleIntervalMs = (samplesPerMinute: number): number => 60_000 / samplesPerMinute;

/**
 * The controller's timeout: the last sample starts at (samplesPerMinute - 1) intervals into the run and
 * may take SAMPLE_BUDGET_MS. At 4 samples a minute: 45 s + 10 s = 55 s, inside the minute, so a run has
 * ended when the next one starts. At 12 a minute the bound is 65 s, but a sample takes well under a second
 * unless Connect throttles it: the next run then starts a few seconds late (reserved concurrency 1 has
 * Lambda hold and retry it), it is never doubled.
 */
export const controllerTimeoutSeconds = (samplesPerMinute: number): number =>
  Math.ceil(((samplesPerMinute - 1) * sampleIntervalMs(samplesPerMinute) + SAMPLE_BUDGET_MS) / 1000);

export interface RunResult {
  readonly samples: readonly SampleResult[];
  /** Samples the run left out because the time left could not hold them. */
  readonly skippedSamples: number;
}

/** One run: `samplesPerMinute` samples spaced evenly, stopping early rather than being stopped. */
export const runController = async (
  deps: ControllerDeps,
  settings: ControllerSettings,
  timing: RunTiming,
): Promise<RunResult> => {
  checkThresholds(settings.thresholds);
  if (settings.waitModel !== undefined) checkWaitModel(settings.waitModel);
  const interval = sampleIntervalMs(timing.samplesPerMinute);
  const start = deps.clock.now().getTime();
  const samples: SampleResult[] = [];
  for (let i = 0; i < timing.samplesPerMinute; i += 1) {
    const wait = Math.max(0, start + i * interval - deps.clock.now().getTime());
    if (timing.remainingMs() - wait < SAMPLE_BUDGET_MS) {
      return { samples, skippedSamples: timing.samplesPerMinute - i };
    }
    if (wait > 0) await timing.sleep(wait);
    samples.push(await takeSample(deps, settings));
  }
  return { samples, skippedSamples: 0 };
};
