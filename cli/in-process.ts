/**
 * Runs the `peakline` program in the caller's own process, with what it printed and its exit code, as a
 * user running `npx peakline` would see them, without spawning and without the real process.exit: for the
 * tests, and for the benches that must produce exactly what a user gets (`npm run bench:overflow`).
 */
import { type Command, CommanderError } from 'commander';
import { buildProgram } from './program.js';
import type { CliIo } from './seats/commands.js';

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
    // io already; anything else is the caller's failure, not the user's.
    if (!(error instanceof CommanderError)) throw error;
    exitCode = error.exitCode;
  }
  return { out: out.join('\n'), err: err.join('\n'), exitCode };
};
