/**
 * Runs the `peakline` CLI in the test's own process, so a test sees what a user would see (output, errors,
 * exit code) without spawning `npx peakline` and without the real process.exit.
 */
import { type Command, CommanderError } from 'commander';
import { buildProgram } from '#cli/program.js';
import type { CliIo } from '#cli/seats/commands.js';

export interface CliRun {
  readonly out: string;
  readonly err: string;
  readonly exitCode: number;
}

export interface RunOptions {
  /**
   * The program to run instead of the real one, for a test that needs what `buildProgram` does not let
   * it set, such as a fixed clock: a fresh Command with the one add…Command under test.
   */
  readonly program?: (io: CliIo) => Command;
}

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

/** `peakline <args>`, as `npx peakline` would run it, with what it printed and its exit code. */
export const runPeakline = async (args: readonly string[], options: RunOptions = {}): Promise<CliRun> => {
  const out: string[] = [];
  const err: string[] = [];
  let exitCode = 0;
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    interactive: false,
    exitCode: (code) => {
      exitCode = code;
    },
  };
  const program = (options.program ?? buildProgram)(io);
  try {
    await program.parseAsync(['node', 'peakline', ...args]);
  } catch (error) {
    // With exitOverride, commander throws where it would exit, having printed its message through the
    // io already; anything else is the test's failure, not the user's.
    if (!(error instanceof CommanderError)) throw error;
    exitCode = error.exitCode;
  }
  return { out: out.join('\n'), err: err.join('\n'), exitCode };
};
