// A replication worker. Workers start without the parent's loaders, so tsx is registered here before the
// TypeScript is imported, as bin/peakline.mjs does for the CLI.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
try {
  const { runReplications } = await import('./replicate-run.ts');
  const results = await runReplications(workerData.job, workerData.seed, workerData.indices);
  parentPort?.postMessage({ ok: true, results });
} catch (error) {
  parentPort?.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
}
