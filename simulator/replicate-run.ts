/**
 * What a replication worker runs (and `replicate` itself, in its own thread, with one worker): a job is
 * plain data, so it crosses to a worker thread by structured clone, and so do its results.
 */
import { type ConstantRateCounts, type ConstantRateInput, runConstantRate } from './constant-rate.js';
import { type PeakInput, type PeakReplication, runPeak } from './peak/run.js';

export type ReplicationJob =
  | { readonly kind: 'constant-rate'; readonly input: ConstantRateInput }
  | { readonly kind: 'peak'; readonly input: PeakInput };

export type ReplicationResult<J extends ReplicationJob> = J extends { readonly kind: 'constant-rate' }
  ? ConstantRateCounts
  : PeakReplication;

export const runReplications = async <J extends ReplicationJob>(
  job: J,
  seed: number,
  indices: readonly number[],
): Promise<ReplicationResult<J>[]> => {
  const results: ReplicationResult<J>[] = [];
  for (const index of indices) {
    results.push(
      (job.kind === 'constant-rate'
        ? runConstantRate(job.input, seed, index)
        : await runPeak(job.input, seed, index)) as ReplicationResult<J>,
    );
  }
  return results;
};
