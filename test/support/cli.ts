/**
 * Runs the `peakline` CLI in the test's own process, so a test sees what a user would see (output, errors,
 * exit code) without spawning `npx peakline` and without the real process.exit.
 */
export { type CliRun, type RunOptions, runPeakline } from '#cli/in-process.js';

/**
 * Call Centre Helper's worked example queue ("Erlang C Formula - Made Simple With an Easy Worked Example"),
 * as `plan erlang` and `simulate --calls` take it: 100 calls per half hour, AHT 3 minutes; 14 agents
 * answer 80% within 20 s.
 */
export const WORKED_EXAMPLE_QUEUE: readonly string[] = [
  '--calls',
  '100',
  '--interval-seconds',
  '1800',
  '--aht',
  '180',
];
