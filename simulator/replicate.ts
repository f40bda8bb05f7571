/**
 * Replications: the same simulation run R times with independent random streams, spread over worker
 * threads (one per core by default), and their mean with a 95% confidence interval.
 *
 * Replication r always gets the streams of (seed, r), whichever worker runs it, and the results are put
 * back in replication order before anything is summed: the same seed gives the same figures, to the last
 * bit, with one worker or several.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type ReplicationJob, type ReplicationResult, runReplications } from './replicate-run.js';

export type { ReplicationJob, ReplicationResult } from './replicate-run.js';

export interface ReplicateOptions {
  readonly seed: number;
  readonly replications: number;
  /** Worker threads; 0 or 1 runs in this thread. @default one per core, at most one per replication */
  readonly workers?: number;
}

const WORKER_URL = new URL('./replicate-worker.mjs', import.meta.url);

/** The replications' results, in replication order. */
export const replicate = async <J extends ReplicationJob>(
  job: J,
  options: ReplicateOptions,
): Promise<ReplicationResult<J>[]> => {
  const { seed, replications } = options;
  if (!(Number.isInteger(replications) && replications >= 1)) {
    throw new RangeError(`replications must be a whole number from 1 (got ${replications})`);
  }
  const workers = Math.min(options.workers ?? availableParallelism(), replications);
  const indices = Array.from({ length: replications }, (_, i) => i);
  if (workers <= 1) return runReplications(job, seed, indices);
  // Every worker takes every workers-th replication, so a slow stretch of seeds is shared between them.
  const shares = Array.from({ length: workers }, (_, w) => indices.filter((i) => i % workers === w));
  const parts = await Promise.all(shares.map((share) => inWorker(job, seed, share)));
  const results = new Array<ReplicationResult<J>>(replications);
  shares.forEach((share, w) => {
    share.forEach((index, k) => {
      results[index] = parts[w]?.[k] as ReplicationResult<J>;
    });
  });
  return results;
};

const inWorker = <J extends ReplicationJob>(
  job: J,
  seed: number,
  indices: readonly number[],
): Promise<ReplicationResult<J>[]> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: { job, seed, indices } });
    let settled = false;
    worker.once(
      'message',
      (message: { ok: true; results: ReplicationResult<J>[] } | { ok: false; error: string }) => {
        settled = true;
        if (message.ok) resolve(message.results);
        else reject(new Error(message.error));
      },
    );
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`a simulation worker stopped (exit code ${code}) before answering`));
    });
  });
