/**
 * The `peakline` ops CLI (commander): `peakline seats …` on AWS or the local stack, and the planning
 * commands `forecast`, `plan` (and `plan erlang`) and `simulate`, which need neither. Built by a function
 * so that tests run the very program ops run, with their own output and context.
 */
import { Command } from 'commander';
import { awsContext, localContext } from './seats/context.js';
import { addSeatsCommands, type CliIo, type OpenContext } from './seats/commands.js';
import { addForecastCommand } from './forecast/command.js';
import { addPlanCommand } from './plan/command.js';
import { addSimulateCommand } from './simulate/command.js';
import { addReportCommand } from './report/command.js';

/** Opens the context a command's target asks for: the running local stack, or a deployed stage. */
export const openContext: OpenContext = (target) =>
  target.local
    ? localContext(target.dashboardUrl, target.rate === undefined ? {} : { rate: target.rate })
    : awsContext({
        stage: target.stage,
        ...(target.region === undefined ? {} : { region: target.region }),
        ...(target.profile === undefined ? {} : { profile: target.profile }),
        ...(target.rate === undefined ? {} : { rate: target.rate }),
      });

export const buildProgram = (io: CliIo, open: OpenContext = openContext): Command => {
  const program = new Command('peakline')
    .description(
      'peakline ops CLI: seasonal seats on Amazon Connect (on AWS, or on the local stack with --local), and peak planning: forecast, plan, simulate.',
    )
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
    })
    .showHelpAfterError()
    .exitOverride();
  const seats = program
    .command('seats')
    .description('Seasonal seats: Connect accounts that switch themselves off when the contract ends.')
    .showHelpAfterError()
    .exitOverride();
  addSeatsCommands(seats, io, open);
  addForecastCommand(program, io);
  addPlanCommand(program, io);
  addSimulateCommand(program, io);
  addReportCommand(program, io);
  return program;
};
