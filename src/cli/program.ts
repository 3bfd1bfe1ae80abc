import { Command, CommanderError } from 'commander';
import { formatNetworkError, loadNetwork } from '../core/network/load-network.ts';
import {
  CliExit,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  type CliIo,
  type CommandContext,
} from './context.ts';
import { registerNetworkCommands } from './network.command.ts';
import { registerPlanCommand } from './plan.command.ts';
import { registerServeCommand } from './serve.command.ts';
import { registerAdminCommands } from './admin.command.ts';
import { registerClientCommands } from './client.command.ts';
import { registerTrackingCommands } from './tracking.command.ts';
import { registerCustomsCommands } from './customs.command.ts';
import { registerDocumentCommands } from './documents.command.ts';
import { registerDirectoryCommands } from './directory.command.ts';
import { registerSimulateCommand } from './simulate.command.ts';
import { AppError } from '../app/errors.ts';
import { registerTimetableCommand } from './timetable.command.ts';
import { registerOperationsCommands } from './operations.command.ts';

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx: CommandContext = {
    io,
    network: async (dir) => {
      const result = loadNetwork(await io.readNetworkFiles(dir ?? io.defaultNetworkDir));
      if (result.ok) return result.network;
      for (const e of result.errors) io.err(formatNetworkError(e));
      throw new CliExit(EXIT_FAILED);
    },
    usage: (message) => {
      io.err(`error: ${message}`);
      throw new CliExit(EXIT_USAGE);
    },
  };
  const program = new Command('corridor')
    .description(
      'Corridor: plan, book and track freight on the Trans-Caspian (Middle Corridor) route.',
    )
    .version('0.1.0')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      // One line per error: the "Did you mean" hint joins the message.
      writeErr: (s) => io.err(s.replace(/\n$/, '').replace(/\n\(Did you mean/g, ' (Did you mean')),
    })
    .addHelpText(
      'after',
      '\nExamples:\n  corridor network validate\n  corridor timetable --days 14\n  corridor plan --from Qingdao --to Baku --containers 2x40HC',
    );
  registerNetworkCommands(program, ctx);
  registerTimetableCommand(program, ctx);
  registerPlanCommand(program, ctx);
  registerServeCommand(program, ctx);
  registerAdminCommands(program, ctx);
  registerOperationsCommands(program, ctx);
  registerClientCommands(program, ctx);
  registerTrackingCommands(program, ctx);
  registerCustomsCommands(program, ctx);
  registerDocumentCommands(program, ctx);
  registerDirectoryCommands(program, ctx);
  registerSimulateCommand(program, ctx);
  for (const cmd of program.commands) applyErrorHandling(cmd);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CliExit) return e.code;
    // Application errors: bad input is a usage error, the rest a failure; one line either way.
    if (e instanceof AppError) {
      io.err(
        `error: ${e.errors[0] ? `${e.errors[0].path.replace(/^body\./, '--')}: ` : ''}${e.message}`,
      );
      return e.type === 'invalid_data' || e.type === 'not_found' ? EXIT_USAGE : EXIT_FAILED;
    }
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT_OK;
      if (e.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    throw e;
  }
}

function applyErrorHandling(cmd: Command): void {
  cmd.exitOverride().showSuggestionAfterError(true);
  for (const sub of cmd.commands) applyErrorHandling(sub);
}
