/**
 * Every property test runs on one seed, so a run is the same run on every machine and every day: a failure
 * CI sees, a developer sees again. A property test that wants its own seed still passes one. To explore
 * other inputs on purpose: `PEAKLINE_FAST_CHECK_SEED=<n> npx vitest run <file>`; a failure prints its seed and
 * path to replay.
 */
import fc from 'fast-check';

const seed = Number(process.env.PEAKLINE_FAST_CHECK_SEED ?? 16);
fc.configureGlobal({ seed: Number.isInteger(seed) ? seed : 16 });
