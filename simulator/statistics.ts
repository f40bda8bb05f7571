/**
 * Figures over replications: each replication is one independent observation of a figure, so their mean
 * is the estimate and Student's t gives its 95% confidence interval (the replications' values are close
 * to normal for the sample means a replication reports).
 */
import jstat from 'jstat';

/** A figure over the replications: their mean, and with two or more a 95% confidence interval. */
export interface Estimate {
  readonly mean: number;
  /** Student t over the replications' values: mean ± t(0.975, R - 1) · s / √R. */
  readonly ci95?: readonly [number, number];
}

/**
 * The mean and 95% interval of one figure's values, one per replication. A replication where the figure
 * is undefined (no answered call for an ASA) is left out; with no value at all the mean is null.
 */
export const estimate = (
  values: readonly number[],
  /**
   * What the figure can be: the interval is cut to it, as a t interval around a mean near a bound would
   * otherwise reach past it (an abandonment of -0.2%). Every figure peakline estimates is a count, a time
   * or a share. @default { min: 0 }
   */
  range: { readonly min: number; readonly max?: number } = { min: 0 },
): Estimate | null => {
  const defined = values.filter((v) => Number.isFinite(v));
  const n = defined.length;
  if (n === 0) return null;
  let sum = 0;
  for (const v of defined) sum += v;
  const mean = sum / n;
  if (n < 2) return { mean };
  let squares = 0;
  for (const v of defined) squares += (v - mean) ** 2;
  const halfWidth = (jstat.jStat.studentt.inv(0.975, n - 1) * Math.sqrt(squares / (n - 1))) / Math.sqrt(n);
  const low = Math.max(range.min, mean - halfWidth);
  const high = Math.min(range.max ?? Number.POSITIVE_INFINITY, mean + halfWidth);
  return { mean, ci95: [low, high] };
};

/** An estimate rounded for people and for JSON (the same seed still gives the same text). */
export const roundEstimate = (value: Estimate | null, digits: number): Estimate | null => {
  if (value === null) return null;
  const round = (v: number) => Number(v.toFixed(digits));
  return value.ci95 === undefined
    ? { mean: round(value.mean) }
    : { mean: round(value.mean), ci95: [round(value.ci95[0]), round(value.ci95[1])] };
};
