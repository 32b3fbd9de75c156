import { Command } from 'commander';
import { EXIT_INTERRUPTED } from '../exit-codes';
import { loadData } from '../data';
import { CIFAR10_CPU } from '../presets';
import { defaultRunDir, runPretraining } from '../pretrain-run';
import { initBackend } from '../runtime';
import {
  addCommonOptions,
  addPretrainOptions,
  resolvePretrainConfig,
  resolveWorkers,
  type PretrainFlags,
} from './common';

/** `simclr pretrain`: SimCLR pretraining on the CIFAR-10 training split. */
export function pretrainCommand(): Command {
  const command = new Command('pretrain').description(
    'pretrain an encoder with SimCLR on the CIFAR-10 training images (labels unused)',
  );
  addCommonOptions(command);
  addPretrainOptions(command, CIFAR10_CPU);
  return command.action(async (flags: PretrainFlags) => {
    const config = resolvePretrainConfig(flags, CIFAR10_CPU);
    const report = await initBackend(flags.backend);
    process.stderr.write(`backend: ${report.backend}\n`);
    const dataset = await loadData(flags);
    const result = await runPretraining(config, dataset, flags.out ?? defaultRunDir(), {
      workers: resolveWorkers(flags.workers, report.backend),
      backend: report.backend,
    });
    result.encoder.dispose();
    process.stdout.write(
      `${JSON.stringify({ runDir: result.runDir, epochs: result.epochs }, null, 2)}\n`,
    );
    if (result.aborted) {
      process.exitCode = EXIT_INTERRUPTED;
    }
  });
}
