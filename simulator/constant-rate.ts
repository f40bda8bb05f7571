/**
 * `peakline simulate --calls N --interval-seconds S --aht S --agents N`: one queue at a constant arrival
 * rate, no overflow, on the same ConnectSimulator the local stack and the peak simulation run. It is the
 * form that can be checked against Erlang C (nobody hangs up) and Erlang A (exponential patience): the
 * figures it measures are defined exactly as the analytic ones (see `ConstantRateFigures`).
 *
 * A replication starts empty, runs `warmupHours` whose contacts are not counted (an empty centre at 09:00
 * is not the steady state the formulas describe), then counts every contact that arrives in the next
 * `hours`, following each to its end after arrivals stop. Occupancy counts the agents' busy time inside the
 * counted window only.
 */
import { ConnectSimulator } from './connect/index.js';
import { Random } from './connect/random.js';
import { type Estimate, estimate, roundEstimate } from './statistics.js';

export interface ConstantRateInput {
  /** Calls arriving per interval, on average (Poisson). */
  readonly calls: number;
  readonly intervalSeconds: number;
  /** Mean handling time, seconds (exponential, or lognormal with `handlingCv`). */
  readonly ahtSeconds: number;
  readonly agents: number;
  /** Mean patience, seconds (exponential: Erlang A); absent, nobody hangs up (Erlang C). */
  readonly patienceSeconds?: number;
  /** Hours of arrivals counted. @default 8 */
  readonly hours?: number;
  /** Hours run first and not counted. @default 1 */
  readonly warmupHours?: number;
  /** Service level's threshold, seconds. @default 20 */
  readonly targetSeconds?: number;
  /** Lognormal handling times with this coefficient of variation; absent: exponential. */
  readonly handlingCv?: number;
}

/** What one replication counted, over the contacts that arrived in the counted window. */
export interface ConstantRateCounts {
  readonly offered: number;
  readonly answered: number;
  /** Answered with a wait of at most the threshold. */
  readonly answeredInTime: number;
  readonly abandoned: number;
  /** Waited at all (found every agent busy): answered after a wait, or abandoned. */
  readonly waited: number;
  /** Sum of the answered contacts' waits, seconds. */
  readonly answeredWaitSeconds: number;
  /** Agents' busy seconds inside the counted window. */
  readonly busySeconds: number;
  /** Agents × the counted window's seconds. */
  readonly capacitySeconds: number;
}

/**
 * The figures, as the analytic formulas define them (layers/core/planning/erlang.ts):
 * - serviceLevel: answered within the threshold / offered (Erlang C: P(W <= t); Erlang A: P(answered
 *   within t), an abandoned caller never counts as served);
 * - waitProbability: offered who found every agent busy / offered;
 * - asa: mean wait of the answered, seconds;
 * - abandonment: abandoned / offered;
 * - occupancy: agents' busy time / their time (Erlang C: load / agents; Erlang A: the load actually
 *   served / agents).
 */
export interface ConstantRateFigures {
  readonly serviceLevel: number;
  readonly waitProbability: number;
  readonly asa: number;
  readonly abandonment: number;
  readonly occupancy: number;
}

export const CONSTANT_RATE_FIGURES = [
  'serviceLevel',
  'waitProbability',
  'asa',
  'abandonment',
  'occupancy',
] as const satisfies readonly (keyof ConstantRateFigures)[];

const QUEUE = 'queue';
const PROFILE = 'agents';
const HOUR_MS = 3_600_000;
/** A fixed, arbitrary start: the clock's date means nothing to a constant rate. */
const START = Date.UTC(2027, 0, 4, 8);

/** Checks the input in words; returns the problems, [] when it can run. */
export const constantRateProblems = (input: ConstantRateInput): string[] => {
  const problems: string[] = [];
  const positive = (value: number | undefined, what: string) => {
    if (value !== undefined && !(value > 0 && Number.isFinite(value))) {
      problems.push(`${what} must be a positive number (got ${value})`);
    }
  };
  positive(input.calls, 'calls');
  positive(input.intervalSeconds, 'interval seconds');
  positive(input.ahtSeconds, 'AHT');
  positive(input.patienceSeconds, 'patience');
  positive(input.hours, 'hours');
  positive(input.handlingCv, 'handling CV');
  if (!(Number.isInteger(input.agents) && input.agents > 0)) {
    problems.push(`agents must be a whole number above 0 (got ${input.agents})`);
  }
  if (input.warmupHours !== undefined && !(input.warmupHours >= 0 && Number.isFinite(input.warmupHours))) {
    problems.push(`warm-up hours must be zero or more (got ${input.warmupHours})`);
  }
  if (input.targetSeconds !== undefined && !(input.targetSeconds >= 0)) {
    problems.push(`target seconds must be zero or more (got ${input.targetSeconds})`);
  }
  return problems;
};

/** Two independent streams per replication from one seed: arrivals, and the simulator's own draws. */
export const streamSeed = (seed: number, replication: number, stream: number): number => {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ Math.imul(replication + 1, 0xc2b2ae35), 0x27d4eb2d);
  h = Math.imul(h ^ (h >>> 15) ^ Math.imul(stream + 1, 0x165667b1), 0x85ebca6b);
  return (h ^ (h >>> 16)) >>> 0;
};

/** One replication of the constant-rate queue. */
export const runConstantRate = (
  input: ConstantRateInput,
  seed: number,
  replication: number,
): ConstantRateCounts => {
  const problems = constantRateProblems(input);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const targetMs = (input.targetSeconds ?? 20) * 1000;
  const windowStart = START + (input.warmupHours ?? 1) * HOUR_MS;
  const windowEnd = windowStart + (input.hours ?? 8) * HOUR_MS;
  const simulator = new ConnectSimulator({
    startTime: START,
    seed: streamSeed(seed, replication, 1),
    queues: [{ id: QUEUE, name: QUEUE }],
    routingProfiles: [
      {
        id: PROFILE,
        name: PROFILE,
        concurrency: { VOICE: 1 },
        queues: [{ queueId: QUEUE, channel: 'VOICE', priority: 1 }],
      },
    ],
    handlingSeconds: { VOICE: input.ahtSeconds },
    ...(input.handlingCv === undefined ? {} : { handlingCv: input.handlingCv }),
    patienceSeconds: { VOICE: input.patienceSeconds ?? Number.POSITIVE_INFINITY },
    recentContacts: 0,
  });
  simulator.setAgentsOnline(PROFILE, input.agents);

  let offered = 0;
  let answered = 0;
  let answeredInTime = 0;
  let abandoned = 0;
  let waited = 0;
  let answeredWaitMs = 0;
  let busyMs = 0;
  simulator.onContactEvent((event) => {
    const waitMs = event.waitSeconds * 1000;
    if (event.type === 'completed') {
      const end = event.time;
      const start = end - (event.handlingSeconds ?? 0) * 1000;
      const overlap = Math.min(end, windowEnd) - Math.max(start, windowStart);
      if (overlap > 0) busyMs += overlap;
      return;
    }
    // The wait is measured from the arrival, so the arrival is known without keeping every contact.
    const arrivedAt = event.time - waitMs;
    if (arrivedAt < windowStart || arrivedAt >= windowEnd) return;
    offered += 1;
    if (waitMs > 0) waited += 1;
    if (event.type === 'answered') {
      answered += 1;
      answeredWaitMs += waitMs;
      if (waitMs <= targetMs) answeredInTime += 1;
    } else {
      abandoned += 1;
    }
  });

  const arrivals = new Random(streamSeed(seed, replication, 2));
  const meanGapMs = (input.intervalSeconds * 1000) / input.calls;
  for (
    let at = START + arrivals.exponential(meanGapMs);
    at < windowEnd;
    at += arrivals.exponential(meanGapMs)
  ) {
    simulator.advanceTo(at);
    simulator.arrive({ channel: 'VOICE', queueId: QUEUE });
  }
  // Every counted contact is followed to its end: answered or abandoned, then completed.
  for (let next = simulator.nextEventAt(); next !== undefined; next = simulator.nextEventAt()) {
    simulator.advanceTo(next);
  }
  if (offered !== answered + abandoned) {
    throw new Error(`constant-rate run lost contacts: ${offered} offered, ${answered + abandoned} ended`);
  }
  return {
    offered,
    answered,
    answeredInTime,
    abandoned,
    waited,
    answeredWaitSeconds: answeredWaitMs / 1000,
    busySeconds: busyMs / 1000,
    capacitySeconds: (input.agents * (windowEnd - windowStart)) / 1000,
  };
};

/** The figures of one replication's counts (NaN where nothing was counted to divide by). */
export const constantRateFigures = (counts: ConstantRateCounts): ConstantRateFigures => ({
  serviceLevel: counts.answeredInTime / counts.offered,
  waitProbability: counts.waited / counts.offered,
  asa: counts.answeredWaitSeconds / counts.answered,
  abandonment: counts.abandoned / counts.offered,
  occupancy: counts.busySeconds / counts.capacitySeconds,
});

/** The `--json` document of the constant-rate form. */
export interface ConstantRateReport {
  readonly input: ConstantRateInput & {
    readonly hours: number;
    readonly warmupHours: number;
    readonly targetSeconds: number;
  };
  readonly model: 'Erlang C' | 'Erlang A';
  readonly replications: number;
  readonly seed: number;
  /** Contacts counted per replication, on average. */
  readonly contacts: number;
  readonly serviceLevel: Estimate | null;
  readonly waitProbability: Estimate | null;
  readonly asa: Estimate | null;
  readonly abandonment: Estimate | null;
  readonly occupancy: Estimate | null;
}

const DIGITS: Readonly<Record<keyof ConstantRateFigures, number>> = {
  serviceLevel: 4,
  waitProbability: 4,
  asa: 2,
  abandonment: 4,
  occupancy: 4,
};

export const summariseConstantRate = (
  input: ConstantRateInput,
  results: readonly ConstantRateCounts[],
  seed: number,
  round = true,
): ConstantRateReport => {
  const figures = results.map(constantRateFigures);
  const pick = (name: keyof ConstantRateFigures) => {
    // asa is in seconds; the other four are shares of calls or of agents' time.
    const value = estimate(
      figures.map((f) => f[name]),
      name === 'asa' ? { min: 0 } : { min: 0, max: 1 },
    );
    return round ? roundEstimate(value, DIGITS[name]) : value;
  };
  return {
    input: {
      ...input,
      hours: input.hours ?? 8,
      warmupHours: input.warmupHours ?? 1,
      targetSeconds: input.targetSeconds ?? 20,
    },
    model: input.patienceSeconds === undefined ? 'Erlang C' : 'Erlang A',
    replications: results.length,
    seed,
    contacts: Math.round(results.reduce((sum, r) => sum + r.offered, 0) / Math.max(1, results.length)),
    serviceLevel: pick('serviceLevel'),
    waitProbability: pick('waitProbability'),
    asa: pick('asa'),
    abandonment: pick('abandonment'),
    occupancy: pick('occupancy'),
  };
};
