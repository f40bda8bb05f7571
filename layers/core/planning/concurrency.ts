/**
 * Chat with agent concurrency: an agent at concurrency n is n servers of a queue, but each chat takes
 * longer than it would alone, as the agent switches between conversations: AHT_n = AHT_1 × f(n).
 *
 * No published table of f(n) fits every contact centre; field studies find that chats last longer the
 * more an agent handles at once (Goes, Ilk, Lin & Zhao, "When More Is Less: Field Evidence on Unintended
 * Consequences of Multitasking", Management Science 64(7), 2018) without giving a rule to plan with. The
 * default below is therefore peakline's assumption, chosen so that each extra chat adds less throughput
 * than the one before (an agent at 2 handles 1.6 times a solo agent's chats, at 4 2.5 times, at 6 3
 * times). Ops override it with their own measurements (`peakline plan --chat-aht-factor 2=1.3,4=1.7`).
 */

/** Concurrency n -> f(n) = AHT_n / AHT_1. */
export type ConcurrencyFactors = ReadonlyMap<number, number>;

export const DEFAULT_CHAT_AHT_FACTORS: ConcurrencyFactors = new Map([
  [1, 1],
  [2, 1.25],
  [4, 1.6],
  [6, 2],
]);

/** Connect's limit on chats per agent. */
export const MAX_CHAT_CONCURRENCY = 10;

/**
 * f(n): the listed factor, or a straight line between the nearest listed tiers (f(1) = 1 always, as a
 * solo chat takes the solo AHT); beyond the highest listed tier the last step's slope continues.
 */
export const chatAhtFactor = (n: number, factors: ConcurrencyFactors = DEFAULT_CHAT_AHT_FACTORS): number => {
  if (!Number.isInteger(n) || n < 1 || n > MAX_CHAT_CONCURRENCY) {
    throw new RangeError(`chat concurrency ${n} is not a whole number from 1 to ${MAX_CHAT_CONCURRENCY}`);
  }
  const listed = factors.get(n);
  if (listed !== undefined) return listed;
  const points = [...new Map([[1, 1], ...factors]).entries()].sort(([a], [b]) => a - b);
  let lower = points[0] ?? [1, 1];
  let upper: readonly [number, number] | undefined;
  for (const point of points) {
    if (point[0] < n) lower = point;
    else {
      upper = point;
      break;
    }
  }
  if (upper === undefined) {
    const before = points.length > 1 ? points[points.length - 2] : undefined;
    if (before === undefined) return lower[1];
    const slope = (lower[1] - before[1]) / (lower[0] - before[0]);
    return lower[1] + slope * (n - lower[0]);
  }
  return lower[1] + ((upper[1] - lower[1]) * (n - lower[0])) / (upper[0] - lower[0]);
};

/** A chat's handling time at concurrency n, from its solo handling time. */
export const chatAhtAt = (
  soloAhtSeconds: number,
  n: number,
  factors: ConcurrencyFactors = DEFAULT_CHAT_AHT_FACTORS,
): number => soloAhtSeconds * chatAhtFactor(n, factors);

/**
 * How many solo agents' worth of chats an agent at concurrency n handles: n chats at a time, each f(n)
 * times as long. Used to compare agents of different chat tiers.
 */
export const chatThroughput = (n: number, factors: ConcurrencyFactors = DEFAULT_CHAT_AHT_FACTORS): number =>
  n / chatAhtFactor(n, factors);

/**
 * Reads `2=1.25,4=1.6,6=2.0` (concurrency=factor pairs). The factors of the tiers given replace the
 * defaults of those tiers; the others keep theirs. Throws a RangeError saying what is wrong.
 */
export const parseChatAhtFactors = (
  text: string,
  base: ConcurrencyFactors = DEFAULT_CHAT_AHT_FACTORS,
): ConcurrencyFactors => {
  const factors = new Map(base);
  for (const part of text.split(',')) {
    const match = /^\s*(\d+)\s*=\s*([0-9]*\.?[0-9]+)\s*$/.exec(part);
    if (match === null) {
      throw new RangeError(
        `${JSON.stringify(part.trim())} is not concurrency=factor (for example 2=1.25,4=1.6,6=2.0)`,
      );
    }
    const n = Number(match[1]);
    const factor = Number(match[2]);
    if (n < 1 || n > MAX_CHAT_CONCURRENCY) {
      throw new RangeError(`chat concurrency ${n} is not from 1 to ${MAX_CHAT_CONCURRENCY}`);
    }
    if (n === 1 && factor !== 1) {
      throw new RangeError(`the factor at concurrency 1 is 1 by definition (a solo chat takes the solo AHT)`);
    }
    if (!(factor >= 1)) {
      throw new RangeError(
        `factor ${factor} at concurrency ${n} is below 1: a chat never goes faster for sharing the agent`,
      );
    }
    factors.set(n, factor);
  }
  const sorted = [...factors.entries()].sort(([a], [b]) => a - b);
  for (let i = 1; i < sorted.length; i += 1) {
    const [n, f] = sorted[i] ?? [0, 0];
    const [m, g] = sorted[i - 1] ?? [0, 0];
    if (f < g) {
      throw new RangeError(
        `factor ${f} at concurrency ${n} is below ${g} at concurrency ${m}: a chat cannot get faster as an agent takes on more`,
      );
    }
  }
  return factors;
};

/** The factors as `parseChatAhtFactors` reads them. */
export const chatAhtFactorsText = (factors: ConcurrencyFactors): string =>
  [...factors.entries()]
    .sort(([a], [b]) => a - b)
    .map(([n, f]) => `${n}=${f}`)
    .join(',');
