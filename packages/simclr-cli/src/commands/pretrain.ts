import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { validateConfigFields } from '../config-file';
import { loadData } from '../data';
import { EXIT_INTERRUPTED } from '../exit-codes';
import { CIFAR10_CPU, type PretrainConfig } from '../presets';
import { defaultRunDir, runPretraining } from '../pretrain-run';
import { RUN_FILES, readCheckpoint } from '../run-files';
import { initBackend } from '../runtime';
import { UsageError } from '../usage-error';
import {
  CONFIG_FLAGS,
  addCommonOptions,
  addPretrainOptions,
  resolvePretrainConfig,
  resolveWorkers,
  type PretrainFlags,
} from './common';

interface PretrainCommandFlags extends PretrainFlags {
  resume?: string;
}

/** `simclr pretrain`: SimCLR pretraining on the CIFAR-10 training split. */
export function pretrainCommand(): Command {
  const command = new Command('pretrain').description(
    'pretrain an encoder with SimCLR on the CIFAR-10 training images (labels unused)',
  );
  addCommonOptions(command);
  addPretrainOptions(command, CIFAR10_CPU);
  command.addOption(
    new Option(
      '--resume <run-dir>',
      'continue the run in this folder from its checkpoint, with its saved configuration',
    ),
  );
  return command.action(async (flags: PretrainCommandFlags) => {
    const resume = flags.resume === undefined ? undefined : readResume(flags);
    const config = resume?.config ?? resolvePretrainConfig(flags, CIFAR10_CPU);
    const report = await initBackend(flags.backend);
    process.stderr.write(`backend: ${report.backend}\n`);
    const dataset = await loadData(flags);
    const result = await runPretraining(
      config,
      dataset,
      flags.resume ?? flags.out ?? defaultRunDir(),
      {
        workers: resolveWorkers(flags.workers, report.backend),
        backend: report.backend,
        maxSteps: flags.maxSteps,
        resume: resume?.state,
      },
    );
    result.encoder.dispose();
    process.stdout.write(
      `${JSON.stringify(
        {
          runDir: result.runDir,
          epochs: result.epochs.map((summary) => ({ ...summary, epoch: summary.epoch + 1 })),
        },
        null,
        2,
      )}\n`,
    );
    // A stop at --max-steps is what the user requested, so only Ctrl-C exits with 130.
    if (result.stoppedBy === 'interrupt') {
      process.exitCode = EXIT_INTERRUPTED;
    }
  });
}

/** Reads the configuration and checkpoint of the run folder that `--resume` names. */
function readResume(flags: PretrainCommandFlags) {
  const runDir = flags.resume!;
  const conflicting = CONFIG_FLAGS.filter(([flag]) => flags[flag] !== undefined).map(
    ([, , name]) => name,
  );
  for (const [name, value] of [
    ['--preset', flags.preset],
    ['--config', flags.config],
    ['--out', flags.out],
  ] as const) {
    if (value !== undefined) {
      conflicting.push(name);
    }
  }
  if (conflicting.length > 0) {
    throw new UsageError(
      `--resume takes the configuration from ${join(runDir, RUN_FILES.config)}; drop ${conflicting.join(', ')}.`,
    );
  }
  let fields: Record<string, unknown>;
  const path = join(runDir, RUN_FILES.config);
  try {
    fields = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(
      `Cannot resume from ${runDir}: reading ${path} failed (${(error as Error).message}). Pass a folder written by 'simclr pretrain'.`,
    );
  }
  const config = { ...CIFAR10_CPU, ...fields } as PretrainConfig;
  validateConfigFields(config as unknown as Record<string, unknown>, path);
  return { config, state: readCheckpoint(runDir) };
}
