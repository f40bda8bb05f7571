/**
 * `npx peakline …`: runs the ops CLI in this process and exits with its code.
 */
import { CommanderError } from 'commander';
import { CliError } from './seats/context.js';
import { buildProgram } from './program.js';

// The SDK warns that it will need Node 22 from 2027; ops cannot act on that notice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `peakline plan … | head` closes the pipe early: that is the reader's choice, not an error to crash on.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const program = buildProgram({
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  interactive: process.stderr.isTTY === true,
  exitCode: (code) => {
    process.exitCode = code;
  },
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; usage errors were already printed by commander.
    process.exitCode = error.exitCode;
  } else if (error instanceof CliError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`peakline: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
