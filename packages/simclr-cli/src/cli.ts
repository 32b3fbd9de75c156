import { Command, CommanderError } from 'commander';
import { EXIT_INTERRUPTED } from './exit-codes';
import { UsageError } from './usage-error';
import { benchmarkCommand } from './commands/benchmark';
import { evalCommand } from './commands/eval';
import { infoCommand } from './commands/info';
import { pretrainCommand } from './commands/pretrain';
import { previewCommand } from './commands/preview';
import { reportCommand } from './commands/report';
import { quickstartCommand } from './commands/quickstart';

declare const PACKAGE_VERSION: string;

/** Exit codes of the `simclr` command. */
export const EXIT_CODES = {
  /** A command failed: bad data, a non-finite loss, an unreadable checkpoint. */
  failure: 1,
  /** Invalid or unknown options or arguments. */
  usage: 2,
  /** Interrupted with Ctrl-C; a checkpoint was written. */
  interrupted: EXIT_INTERRUPTED,
} as const;

/** Builds the `simclr` program with all its commands. */
export function buildProgram(): Command {
  const program = new Command('simclr')
    .description('SimCLR contrastive pretraining and evaluation on CIFAR-10 with TensorFlow.js')
    .version(PACKAGE_VERSION)
    .showHelpAfterError('(run with --help for the options)')
    .addHelpText(
      'after',
      `\nExit codes: 0 success, ${EXIT_CODES.failure} failure, ${EXIT_CODES.usage} invalid options, ${EXIT_CODES.interrupted} interrupted.`,
    );
  for (const command of [
    quickstartCommand(),
    pretrainCommand(),
    evalCommand(),
    infoCommand(PACKAGE_VERSION),
    benchmarkCommand(),
    previewCommand(),
    reportCommand(),
  ]) {
    program.addCommand(command.showHelpAfterError('(run with --help for the options)'));
  }
  program.exitOverride();
  for (const command of program.commands) {
    command.exitOverride();
  }
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      const success = error.exitCode === 0;
      process.exitCode = success ? 0 : EXIT_CODES.usage;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message}\n`);
    // tfjs's wasm backend reports a full heap (at most 4 GB) only by this trap message.
    if (/memory access out of bounds/.test(message)) {
      process.stderr.write(
        'hint: the wasm heap is probably full; lower --batch-size, use a smaller --encoder, or add --workers to split each batch\n',
      );
    }
    if (error instanceof UsageError) {
      process.exitCode = EXIT_CODES.usage;
      return;
    }
    // SIMCLR_DEBUG=1 adds the stack trace, for bug reports.
    if (process.env.SIMCLR_DEBUG && error instanceof Error) {
      process.stderr.write(`${error.stack}\n`);
    }
    process.exitCode = EXIT_CODES.failure;
  }
}

void main();
