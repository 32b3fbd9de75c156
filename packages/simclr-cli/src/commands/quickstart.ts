import { join } from 'node:path';
import { Command } from 'commander';
import { EXIT_INTERRUPTED } from '../exit-codes';
import { createResNetEncoder } from '@simclr-ts/models';
import { loadData } from '../data';
import { evaluateEncoder, type EvaluationResult } from '../evaluate';
import { formatDuration, formatPercent } from '../format';
import { CIFAR10_CPU } from '../presets';
import { defaultRunDir, runPretraining } from '../pretrain-run';
import { writeFileAtomic } from '../run-files';
import { initBackend } from '../runtime';
import {
  addCommonOptions,
  addEvalOptions,
  addPretrainOptions,
  resolvePretrainConfig,
  resolveWorkers,
  type EvalFlags,
  type PretrainFlags,
} from './common';

/**
 * `simclr quickstart`: pretrains with the `cifar10-cpu` preset, then scores
 * the pretrained encoder and, as a baseline, an untrained encoder of the same
 * architecture and initial weights.
 */
export function quickstartCommand(): Command {
  const command = new Command('quickstart').description(
    'pretrain with the CPU preset, then compare linear-probe and kNN accuracy with an untrained encoder',
  );
  addCommonOptions(command);
  addPretrainOptions(command, CIFAR10_CPU);
  addEvalOptions(command);
  return command.action(async (flags: PretrainFlags & EvalFlags) => {
    const started = performance.now();
    const config = resolvePretrainConfig(flags, CIFAR10_CPU);
    const report = await initBackend(flags.backend);
    process.stderr.write(`backend: ${report.backend}\n`);
    const dataset = await loadData(flags);

    const run = await runPretraining(config, dataset, flags.out ?? defaultRunDir(), {
      workers: resolveWorkers(flags.workers, report.backend),
      backend: report.backend,
      maxSteps: flags.maxSteps,
    });
    // After --max-steps the shortened pretraining is evaluated as usual; Ctrl-C ends the run.
    if (run.stoppedBy === 'interrupt') {
      run.encoder.dispose();
      process.exitCode = EXIT_INTERRUPTED;
      return;
    }
    const evalOptions = {
      trainImages: flags.trainImages,
      testImages: flags.testImages,
      k: flags.k,
      probeEpochs: flags.probeEpochs,
      probeLr: flags.probeLr,
      probeWeightDecay: flags.probeWeightDecay,
      probeBatchSize: flags.probeBatchSize,
    };
    const pretrained = await evaluateEncoder(run.encoder, dataset, {
      ...evalOptions,
      label: 'pretrained',
    });
    run.encoder.dispose();
    const untrainedEncoder = createResNetEncoder(config.encoder, { seed: config.seed });
    const untrained = await evaluateEncoder(untrainedEncoder, dataset, {
      ...evalOptions,
      label: 'untrained',
    });
    untrainedEncoder.dispose();

    const seconds = (performance.now() - started) / 1000;
    const summary = {
      config,
      backend: report.backend,
      pretrained,
      untrained,
      wallSeconds: seconds,
      pretrainSeconds: run.seconds,
      trainingImagesPerSecond: run.imagesPerSecond,
    };
    writeFileAtomic(join(run.runDir, 'quickstart.json'), `${JSON.stringify(summary, null, 2)}\n`);
    process.stdout.write(formatSummary(pretrained, untrained, flags.k));
    process.stdout.write(
      `wall time ${formatDuration(seconds)} (pretraining ${formatDuration(run.seconds)} at ${run.imagesPerSecond.toFixed(0)} images/s)\n` +
        `results in ${join(run.runDir, 'quickstart.json')}\n`,
    );
  });
}

function formatSummary(
  pretrained: EvaluationResult,
  untrained: EvaluationResult,
  k: number,
): string {
  const row = (name: string, result: EvaluationResult) =>
    `${name.padEnd(12)} ${formatPercent(result.linearProbe).padStart(12)} ${formatPercent(result.knn).padStart(12)}`;
  return [
    `test accuracy on ${pretrained.testImages} images (probe and kNN bank: ${pretrained.trainImages} training images)`,
    `${'encoder'.padEnd(12)} ${'linear probe'.padStart(12)} ${`kNN k=${k}`.padStart(12)}`,
    row('pretrained', pretrained),
    row('untrained', untrained),
    '',
  ].join('\n');
}
