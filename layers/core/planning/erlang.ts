/**
 * Queueing math for voice staffing: Erlang C (M/M/n, callers wait for ever) and Erlang A (M/M/n+M, callers
 * hang up after an exponential patience), and the fewest agents that meet a service-level target.
 *
 * Everything is computed from sums of positive terms, in log space where a term could overflow, so the
 * figures stay exact to double precision from a fraction of an Erlang to tens of thousands: no factorial
 * is ever formed, no difference of two large numbers decides a result, and an overloaded Erlang C queue
 * is reported as unstable rather than as a NaN or a negative wait.
 *
 * Definitions (the simulator measures the same things, so its figures can be compared with these):
 * - traffic (Erlangs) = calls × AHT / interval length;
 * - serviceLevel = calls answered within the target time / calls arrived (a caller who hangs up counts as
 *   not answered in time, however early they hung up); with Erlang C every call is answered;
 * - waitProbability = P(an arriving call finds every agent busy), i.e. waits more than zero;
 * - asa = mean wait of the answered calls, seconds;
 * - abandonment = calls that hang up before an answer / calls arrived (Erlang A only);
 * - occupancy = busy agent time / (agents × time) = traffic × P(answered) / agents.
 *
 * Erlang A follows the M/M/n+M model of Garnett, Mandelbaum & Reiman (2002), "Designing a call center with
 * impatient customers", and Mandelbaum & Zeltyn, "The Palm/Erlang-A queue, with applications to call
 * centers" (teaching note, 2004-2009): with c = nμ/θ and y = λ/θ, the stationary probabilities and every
 * figure above are series Φ(c, y) = Σ_j y^j / ((c+1)…(c+j)) (the "A(x, y)" of that note, a scaled lower
 * incomplete gamma function), evaluated term by term with rescaling.
 */

/** An interval's offered calls. */
export interface QueueLoad {
  /** Calls arriving in the interval (a forecast mean; fractional is fine). */
  readonly calls: number;
  readonly intervalSeconds: number;
  /** Average handling time, seconds. */
  readonly ahtSeconds: number;
}

/** What a number of agents gives under a load. Every figure is a finite number in [0, 1] except asa. */
export interface QueueFigures {
  readonly agents: number;
  readonly trafficErlangs: number;
  /** Calls answered within the target time / calls arrived. */
  readonly serviceLevel: number;
  /** P(an arrival waits at all). */
  readonly waitProbability: number;
  /** Mean wait of answered calls, seconds; Infinity when the Erlang C queue is unstable. */
  readonly asa: number;
  /** Busy agent time / available agent time. */
  readonly occupancy: number;
  /** Calls that hang up before an answer / calls arrived; Erlang A only. */
  readonly abandonment?: number;
  /**
   * False when Erlang C's agents cannot carry the traffic (agents <= traffic): the queue grows without end,
   * serviceLevel is 0, waitProbability 1, asa Infinity and occupancy 1. Erlang A is always stable.
   */
  readonly stable: boolean;
}

export interface StaffingTarget {
  /** Share of calls answered within targetSeconds, in (0, 1). */
  readonly serviceLevel: number;
  readonly targetSeconds: number;
  /** Highest acceptable occupancy, in (0, 1]; none when absent. */
  readonly maxOccupancy?: number;
  /** Mean patience in seconds: Erlang A when given, Erlang C otherwise. */
  readonly patienceSeconds?: number;
}

export type Staffing =
  | {
      readonly ok: true;
      /** The fewest whole agents meeting the target (figures.agents). */
      readonly figures: QueueFigures;
      /**
       * Agents as a real number, for adding up positions across intervals and queues before rounding:
       * the target interpolated linearly between agents - 1 and agents (for Erlang C the lower point is
       * never below the traffic, where the service level is 0). agents - 1 < fractionalAgents <= agents.
       */
      readonly fractionalAgents: number;
    }
  | { readonly ok: false; readonly reason: string };

/** Offered traffic in Erlangs: the mean number of calls in progress if every call were answered at once. */
export const trafficErlangs = (load: QueueLoad): number =>
  (load.calls * load.ahtSeconds) / load.intervalSeconds;

// Terms below this share of their sum (times the tail's geometric factor) change nothing in a double.
const EPSILON = 1e-18;
// Running sums are divided by this when they grow past it, and the division is kept as a log scale.
const RESCALE = 1e250;
const LOG_RESCALE = Math.log(RESCALE);

const logAddExp = (a: number, b: number): number => {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const high = Math.max(a, b);
  return high + Math.log1p(Math.exp(-Math.abs(a - b)));
};

const checkLoad = (load: QueueLoad): number => {
  const { calls, intervalSeconds, ahtSeconds } = load;
  if (!(calls >= 0) || !Number.isFinite(calls)) throw new RangeError(`calls must be >= 0, got ${calls}`);
  if (!(intervalSeconds > 0) || !Number.isFinite(intervalSeconds)) {
    throw new RangeError(`intervalSeconds must be > 0, got ${intervalSeconds}`);
  }
  if (!(ahtSeconds > 0) || !Number.isFinite(ahtSeconds)) {
    throw new RangeError(`ahtSeconds must be > 0, got ${ahtSeconds}`);
  }
  return trafficErlangs(load);
};

const checkAgents = (agents: number): void => {
  if (!Number.isSafeInteger(agents) || agents < 0) {
    throw new RangeError(`agents must be a whole number >= 0, got ${agents}`);
  }
};

const checkSeconds = (name: string, value: number, positive: boolean): void => {
  if (!Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new RangeError(`${name} must be ${positive ? '> 0' : '>= 0'}, got ${value}`);
  }
};

/**
 * log Σ_{i=0..last} t_i with t_0 = 1 and t_i = t_(i-1) · (top - i·topStep) / (bottom + i·bottomStep):
 * positive terms whose ratio falls as i grows. Rescaled as it goes, so a sum beyond a double's range
 * still has its logarithm. Past the peak the terms fall at least geometrically by the ratio, so the tail
 * is below term/(1-ratio): the sum stops once that is negligible, which makes the cost the terms that
 * matter rather than `last`. The ratio is given by its coefficients rather than as a function: this is
 * the planner's innermost loop, and a call per term doubles its time.
 */
const logRatioSeries = (
  top: number,
  topStep: number,
  bottom: number,
  bottomStep: number,
  last: number,
): number => {
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let i = 1; i <= last; i++) {
    const ratio = (top - i * topStep) / (bottom + i * bottomStep);
    term *= ratio;
    sum += term;
    if (sum > RESCALE) {
      term /= RESCALE;
      sum /= RESCALE;
      logScale += LOG_RESCALE;
    }
    if (ratio < 1 && term < EPSILON * sum * (1 - ratio)) break;
  }
  return logScale + Math.log(sum);
};

/**
 * log(1 / B(n, a)), B the Erlang B blocking probability. 1/B = Σ_{i=0..n} n!/((n-i)! a^i): positive
 * terms, summed from the largest (i = 0 when n <= a) until the rest cannot matter, so the cost is about
 * √a + (n - a) terms rather than n.
 */
export const logInverseErlangB = (agents: number, traffic: number): number => {
  if (traffic === 0) return agents === 0 ? 0 : Infinity;
  // n!/((n-i)! a^i) grows from the previous term by (n - i + 1)/a.
  return logRatioSeries(agents + 1, 1, traffic, 0, agents);
};

/** Erlang B: the share of calls lost when n agents carry a Erlangs and nobody may wait. */
export const erlangB = (agents: number, traffic: number): number => {
  checkAgents(agents);
  if (!(traffic >= 0) || !Number.isFinite(traffic))
    throw new RangeError(`traffic must be >= 0, got ${traffic}`);
  return Math.exp(-logInverseErlangB(agents, traffic));
};

const unstable = (agents: number, traffic: number): QueueFigures => ({
  agents,
  trafficErlangs: traffic,
  serviceLevel: 0,
  waitProbability: 1,
  asa: Infinity,
  occupancy: 1,
  stable: false,
});

/** No traffic: nobody waits, nobody is busy, and every call (there are none) is answered in time. */
const idle = (agents: number): QueueFigures => ({
  agents,
  trafficErlangs: 0,
  serviceLevel: 1,
  waitProbability: 0,
  asa: 0,
  occupancy: 0,
  stable: true,
});

/** Erlang C figures from Erlang B (B recurses cheaply in n, so a staffing search reuses it). */
const erlangCFromB = (
  agents: number,
  traffic: number,
  blocking: number,
  targetSeconds: number,
  ahtSeconds: number,
): QueueFigures => {
  if (traffic === 0) return idle(agents);
  if (agents <= traffic) return unstable(agents, traffic);
  const rho = traffic / agents;
  // C = nB / (n - a(1 - B)), divided through by n: no cancellation, as 1 - rho > 0.
  const wait = blocking / (1 - rho + rho * blocking);
  const spare = agents - traffic;
  return {
    agents,
    trafficErlangs: traffic,
    serviceLevel: 1 - wait * Math.exp((-spare * targetSeconds) / ahtSeconds),
    waitProbability: wait,
    asa: (wait * ahtSeconds) / spare,
    occupancy: rho,
    stable: true,
  };
};

/** Erlang C (M/M/n): callers wait as long as it takes. */
export const erlangC = (load: QueueLoad, agents: number, targetSeconds: number): QueueFigures => {
  const traffic = checkLoad(load);
  checkAgents(agents);
  checkSeconds('targetSeconds', targetSeconds, false);
  if (traffic > 0 && agents <= traffic) return unstable(agents, traffic);
  return erlangCFromB(
    agents,
    traffic,
    Math.exp(-logInverseErlangB(agents, traffic)),
    targetSeconds,
    load.ahtSeconds,
  );
};

/** A series Σ_j w_j with w_0 = 1, w_j = w_{j-1}·y/(c+j), as log Φ(c, y), plus the sums Erlang A needs. */
interface WaitingSums {
  /** log Σ w_j: the waiting states' mass relative to the all-busy state. */
  readonly logTotal: number;
  /** log Σ w_j (j+1)/(c+j+1): callers who hang up (a caller behind j others is answered w.p. c/(c+j+1)). */
  readonly logAbandoned: number;
  /** log Σ w_j c/(c+j+1): callers answered after a wait. */
  readonly logAnswered: number;
  /** log Σ w_j c/(c+j+1) H_j, H_j = Σ_{i=0..j} 1/(c+1+i): θ × the answered callers' total wait. */
  readonly logAnsweredWait: number;
}

const waitingSums = (c: number, y: number): WaitingSums => {
  let term = 1;
  let total = 1;
  let abandoned = 1 / (c + 1);
  let answered = c / (c + 1);
  let harmonic = 1 / (c + 1);
  let answeredWait = (c / (c + 1)) * harmonic;
  let logScale = 0;
  for (let j = 1; ; j++) {
    const ratio = y / (c + j);
    term *= ratio;
    const share = 1 / (c + j + 1);
    harmonic += share;
    total += term;
    abandoned += term * (j + 1) * share;
    answered += term * c * share;
    answeredWait += term * c * share * harmonic;
    if (total > RESCALE) {
      term /= RESCALE;
      total /= RESCALE;
      abandoned /= RESCALE;
      answered /= RESCALE;
      answeredWait /= RESCALE;
      logScale += LOG_RESCALE;
    }
    // The harmonic weight grows like a logarithm; the extra factor 1e-3 covers it.
    if (ratio < 1 && term < EPSILON * 1e-3 * total * (1 - ratio)) break;
  }
  return {
    logTotal: logScale + Math.log(total),
    logAbandoned: logScale + Math.log(abandoned),
    logAnswered: logScale + Math.log(answered),
    logAnsweredWait: logScale + Math.log(answeredWait),
  };
};

/** log Φ(c, y) = log Σ_j y^j / ((c+1)…(c+j)). */
const logPhi = (c: number, y: number): number => logRatioSeries(y, 0, c, 1, Infinity);

/**
 * Erlang A (M/M/n+M): callers hang up after an exponential patience with the given mean.
 *
 * With λ the arrival rate, μ = 1/AHT, θ = 1/patience, c = nμ/θ, y = λ/θ, u = e^(-θt), and p_n the
 * probability that all n agents are busy and nobody waits, p_n = 1 / (1/B(n, a) - 1 + Φ(c, y)):
 * - P(wait) = p_n Φ(c, y);
 * - a caller finding j others waiting is answered with probability c/(c+j+1), so P(abandon) and the
 *   answered mass are series over j; the answered callers' mean wait adds 1/(θ(c+1+i)) per caller ahead;
 * - answered after more than t = p_n c/(c+1) u^(c+1) e^(y(1-u)) Φ(c+1, yu) (the waiting time's density
 *   is p_n nμ exp(-nμτ + y(1 - e^(-θτ))), integrated against the patience's survival e^(-θτ) beyond t).
 */
export const erlangA = (
  load: QueueLoad,
  agents: number,
  targetSeconds: number,
  patienceSeconds: number,
): QueueFigures => {
  const traffic = checkLoad(load);
  checkAgents(agents);
  checkSeconds('targetSeconds', targetSeconds, false);
  checkSeconds('patienceSeconds', patienceSeconds, true);
  if (traffic === 0) return { ...idle(agents), abandonment: 0 };
  const c = (agents * patienceSeconds) / load.ahtSeconds;
  const y = (load.calls / load.intervalSeconds) * patienceSeconds;
  const logInverseB = logInverseErlangB(agents, traffic);
  // log((1 - B)/B): the states with a free agent, relative to the all-busy state.
  const logFree = Math.log1p(-Math.exp(-logInverseB)) + logInverseB;
  const sums = waitingSums(c, y);
  const logAllBusy = -logAddExp(logFree, sums.logTotal);
  const noWait = Math.exp(logAllBusy + logFree);
  const answeredAfterWait = Math.exp(logAllBusy + sums.logAnswered);
  const logU = -targetSeconds / patienceSeconds;
  const answeredLate =
    c === 0
      ? 0
      : Math.exp(
          logAllBusy +
            Math.log(c / (c + 1)) +
            (c + 1) * logU -
            y * Math.expm1(logU) +
            logPhi(c + 1, y * Math.exp(logU)),
        );
  const answered = noWait + answeredAfterWait;
  return {
    agents,
    trafficErlangs: traffic,
    serviceLevel: Math.min(1, noWait + Math.max(0, answeredAfterWait - answeredLate)),
    waitProbability: Math.min(1, Math.exp(logAllBusy + sums.logTotal)),
    asa: answered > 0 ? (Math.exp(logAllBusy + sums.logAnsweredWait) * patienceSeconds) / answered : 0,
    occupancy: agents === 0 ? 1 : Math.min(1, (traffic * answered) / agents),
    abandonment: Math.min(1, Math.exp(logAllBusy + sums.logAbandoned)),
    stable: true,
  };
};

/** Erlang A when a patience is given, Erlang C otherwise. */
export const queueFigures = (
  load: QueueLoad,
  agents: number,
  targetSeconds: number,
  patienceSeconds?: number,
): QueueFigures =>
  patienceSeconds === undefined
    ? erlangC(load, agents, targetSeconds)
    : erlangA(load, agents, targetSeconds, patienceSeconds);

const meets = (figures: QueueFigures, target: StaffingTarget): boolean =>
  figures.stable &&
  figures.serviceLevel >= target.serviceLevel &&
  (target.maxOccupancy === undefined || figures.occupancy <= target.maxOccupancy);

/**
 * Agents as a real number between two whole counts: the service level is interpolated linearly; for the
 * occupancy cap the carried traffic (occupancy × agents) is, and the cap is met where carried = cap × x,
 * which for Erlang C (carried = traffic) is exactly traffic / cap.
 */
const fractionalBetween = (
  below: QueueFigures | undefined,
  belowAt: number,
  above: QueueFigures,
  target: StaffingTarget,
): number => {
  const span = above.agents - belowAt;
  const slBelow = below?.serviceLevel ?? 0;
  let at = belowAt;
  if (slBelow < target.serviceLevel && above.serviceLevel > slBelow) {
    at = Math.max(at, belowAt + (span * (target.serviceLevel - slBelow)) / (above.serviceLevel - slBelow));
  }
  const cap = target.maxOccupancy;
  const occBelow = below?.occupancy ?? 1;
  if (cap !== undefined && occBelow > cap && span > 0) {
    const carriedBelow = occBelow * belowAt;
    const slope = (above.occupancy * above.agents - carriedBelow) / span;
    if (cap > slope) at = Math.max(at, (carriedBelow - slope * belowAt) / (cap - slope));
  }
  return Math.min(above.agents, at);
};

const checkTarget = (target: StaffingTarget): string | undefined => {
  const { serviceLevel, targetSeconds, maxOccupancy, patienceSeconds } = target;
  if (!(serviceLevel > 0) || !(serviceLevel <= 1))
    return `the service level target must be in (0, 1), got ${serviceLevel}`;
  if (serviceLevel >= 1) {
    return 'a service level of 100% is never reached: with calls arriving at random, some callers always find every agent busy';
  }
  if (!Number.isFinite(targetSeconds) || targetSeconds < 0)
    return `the target time must be >= 0 seconds, got ${targetSeconds}`;
  if (maxOccupancy !== undefined && (!(maxOccupancy > 0) || !(maxOccupancy <= 1))) {
    return `the occupancy cap must be in (0, 1], got ${maxOccupancy}`;
  }
  if (patienceSeconds !== undefined && (!(patienceSeconds > 0) || !Number.isFinite(patienceSeconds))) {
    return `the patience must be > 0 seconds, got ${patienceSeconds}`;
  }
  return undefined;
};

/** Erlang C: step up from the fewest agents that can carry the traffic, updating Erlang B in O(1) a step. */
const staffErlangC = (load: QueueLoad, traffic: number, target: StaffingTarget): Staffing => {
  const cap = target.maxOccupancy;
  let agents = Math.max(Math.floor(traffic) + 1, cap === undefined ? 0 : Math.ceil(traffic / cap - 1e-9));
  let blocking = Math.exp(-logInverseErlangB(agents, traffic));
  let previous: QueueFigures | undefined;
  for (;;) {
    const figures = erlangCFromB(agents, traffic, blocking, target.targetSeconds, load.ahtSeconds);
    if (meets(figures, target)) {
      const belowAt = Math.max(agents - 1, traffic);
      const below =
        previous ?? (agents - 1 > traffic ? erlangC(load, agents - 1, target.targetSeconds) : undefined);
      return { ok: true, figures, fractionalAgents: fractionalBetween(below, belowAt, figures, target) };
    }
    previous = figures;
    agents += 1;
    // Erlang B's recursion in n: stable, as every step divides by a number above n.
    blocking = (traffic * blocking) / (agents + traffic * blocking);
  }
};

/**
 * Erlang A: start at Erlang C's answer (cheap, and usually within a few agents, as callers who hang up
 * shorten the queue), gallop down or up until the answer is bracketed, then bisect. The service level
 * cannot exceed agents/traffic, so fewer than serviceLevel × traffic agents never need evaluating.
 */
const staffErlangA = (
  load: QueueLoad,
  traffic: number,
  target: StaffingTarget,
  patience: number,
): Staffing => {
  const evaluate = (n: number) => erlangA(load, n, target.targetSeconds, patience);
  const neverEnough = Math.max(0, Math.ceil(target.serviceLevel * traffic) - 1);
  const guess = staffErlangC(load, traffic, { ...target, patienceSeconds: undefined });
  const start = Math.max(neverEnough + 1, guess.ok ? guess.figures.agents : neverEnough + 1);
  const startFigures = evaluate(start);
  let low = neverEnough;
  let lowFigures: QueueFigures | undefined;
  let high = start;
  let highFigures = startFigures;
  if (meets(startFigures, target)) {
    for (let step = 1; high - step > neverEnough; step *= 2) {
      const figures = evaluate(high - step);
      if (!meets(figures, target)) {
        low = high - step;
        lowFigures = figures;
        break;
      }
      high -= step;
      highFigures = figures;
    }
  } else {
    low = start;
    lowFigures = startFigures;
    for (let step = 1; ; step *= 2) {
      const figures = evaluate(low + step);
      if (meets(figures, target)) {
        high = low + step;
        highFigures = figures;
        break;
      }
      low += step;
      lowFigures = figures;
    }
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const figures = evaluate(middle);
    if (meets(figures, target)) {
      high = middle;
      highFigures = figures;
    } else {
      low = middle;
      lowFigures = figures;
    }
  }
  const below =
    high === 0 ? undefined : low === high - 1 && lowFigures !== undefined ? lowFigures : evaluate(high - 1);
  return {
    ok: true,
    figures: highFigures,
    fractionalAgents: fractionalBetween(below, high - 1, highFigures, target),
  };
};

/**
 * The fewest agents meeting the service level (and the occupancy cap, when given): Erlang A when the
 * target has a patience, Erlang C otherwise. About √traffic cheap steps for Erlang C, a few dozen
 * evaluations for Erlang A. No calls need no agents.
 */
export const staff = (load: QueueLoad, target: StaffingTarget): Staffing => {
  const traffic = checkLoad(load);
  const problem = checkTarget(target);
  if (problem !== undefined) return { ok: false, reason: problem };
  if (traffic === 0) {
    return {
      ok: true,
      figures: queueFigures(load, 0, target.targetSeconds, target.patienceSeconds),
      fractionalAgents: 0,
    };
  }
  return target.patienceSeconds === undefined
    ? staffErlangC(load, traffic, target)
    : staffErlangA(load, traffic, target, target.patienceSeconds);
};
