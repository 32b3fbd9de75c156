import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ENCODER_PRESETS, type EncoderPreset } from '@simclr-ts/models';
import * as tf from '@tensorflow/tfjs-core';
import { timeAugmentation, timeCifarParse, timeNtXent } from '../benchmark/micro';
import { timePoolStep } from '../benchmark/pool-step';
import { runTorchReference } from '../benchmark/torch-reference';
import { timeTrainingStep, type StepTiming } from '../benchmark/training-step';
import { integerIn } from '../options';
import { writeFileAtomic } from '../run-files';
import { initBackend } from '../runtime';
import { addCommonOptions, resolveWorkers, type CommonOptions } from './common';

interface BenchmarkFlags extends CommonOptions {
  runs: number;
  out: string;
  steps: Array<{ encoder: EncoderPreset; batchSize: number }>;
  torch: boolean;
  workers?: number;
}

// resnet18 keeps about 1 GB of activations per 64 views on a 32×32 input, so
// batch 64 (128 views) already ran out of the wasm heap ("memory access out of
// bounds") on tfjs 4.22; batch 16 fits.
const DEFAULT_STEPS = 'small:64,small:256,resnet18:16';

/** Parses `--steps`: comma-separated `encoder:batch` pairs. */
function parseSteps(value: string): Array<{ encoder: EncoderPreset; batchSize: number }> {
  const presets = Object.keys(ENCODER_PRESETS);
  return value.split(',').map((entry) => {
    const [encoder, batch] = entry.split(':');
    const batchSize = Number(batch);
    if (
      encoder === undefined ||
      !presets.includes(encoder) ||
      !Number.isInteger(batchSize) ||
      batchSize < 2
    ) {
      throw new InvalidArgumentError(
        `'${entry}' is not ENCODER:BATCH with an encoder of ${presets.join(', ')} and a batch of at least 2.`,
      );
    }
    return { encoder: encoder as EncoderPreset, batchSize };
  });
}

/** `simclr benchmark`: timings of the training step and its parts, with a PyTorch ratio when available. */
export function benchmarkCommand(): Command {
  const command = new Command('benchmark')
    .description(
      'time the SimCLR training step, augmentation, NT-Xent and CIFAR-10 parsing; print a table and write JSON',
    )
    .addOption(
      new Option('--runs <count>', 'timed runs per case, after one warm-up; medians are reported')
        .default(3)
        .argParser(integerIn(1)),
    )
    .addOption(
      new Option('--steps <list>', 'training-step cases as ENCODER:BATCH pairs, comma-separated')
        .default(parseSteps(DEFAULT_STEPS), DEFAULT_STEPS)
        .argParser(parseSteps),
    )
    .addOption(new Option('--out <file>', 'JSON file for the results').default('benchmarks.json'))
    .addOption(
      new Option('--no-torch', 'skip the PyTorch reference even when python3 can import torch'),
    )
    .addOption(
      new Option(
        '--workers <count>',
        'worker threads of the data-parallel step, compared with PyTorch on as many threads; 1 skips it (default: one per CPU core, at most 8)',
      ).argParser(integerIn(1, 64)),
    );
  addCommonOptions(command);
  return command.action(async (flags: BenchmarkFlags) => {
    const report = await initBackend(flags.backend);
    const log = (line: string) => process.stdout.write(`${line}\n`);
    log(
      `backend ${report.backend}, ${cpus().length} cores, node ${process.versions.node}, tfjs ${tf.version_core}`,
    );

    // Parsing runs first, so its peak memory is not the training cases' wasm heap.
    let parse;
    if (flags.data !== undefined && flags.data !== '') {
      const cacheDir = mkdtempSync(join(tmpdir(), 'simclr-bench-'));
      try {
        parse = await timeCifarParse(flags.data, cacheDir);
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
      const megabytes =
        parse.peakResidentBytes === undefined
          ? '?'
          : (parse.peakResidentBytes / 2 ** 20).toFixed(0);
      log(
        `CIFAR-10 extract and parse: ${parse.seconds.toFixed(1)} s, peak resident memory ${megabytes} MiB`,
      );
    } else {
      log('CIFAR-10 parse: skipped (pass --data)');
    }

    const workers = resolveWorkers(flags.workers, report.backend);
    const steps: Array<StepTiming & { torch1?: unknown; pool?: unknown; torchPool?: unknown }> = [];
    log(
      `\ntraining step (median ms)    augment  forward backward  update    step  images/s  vs torch 1t` +
        (workers > 1 ? `  ${workers} workers: step  images/s  vs torch ${workers}t` : ''),
    );
    for (const { encoder, batchSize } of flags.steps) {
      const timing = await timeTrainingStep(encoder, batchSize, flags.runs);
      const modelMs = timing.forwardMs + timing.backwardMs + timing.updateMs;
      const torch1 = flags.torch ? runTorchReference(encoder, batchSize, 1, flags.runs) : undefined;
      const pool =
        workers > 1 && batchSize >= workers
          ? await timePoolStep(encoder, batchSize, workers, report.backend, flags.runs)
          : undefined;
      const torchPool =
        flags.torch && pool !== undefined
          ? runTorchReference(encoder, batchSize, workers, flags.runs)
          : undefined;
      steps.push({ ...timing, torch1, pool, torchPool });

      const ratio = (torch: typeof torch1, ms: number | undefined) =>
        torch?.available === true && ms !== undefined ? `${(torch.stepMs / ms).toFixed(2)}x` : '-';
      const cells = [
        timing.augmentMs,
        timing.forwardMs,
        timing.backwardMs,
        timing.updateMs,
        timing.stepMs,
      ].map((ms) => ms.toFixed(0).padStart(8));
      const poolCells =
        pool === undefined
          ? ''
          : `${pool.stepMs.toFixed(0).padStart(19)} ${pool.imagesPerSecond.toFixed(1).padStart(9)} ${ratio(torchPool, pool.stepMs).padStart(12)}`;
      log(
        `${`${encoder} batch ${batchSize}`.padEnd(26)} ${cells.join('')} ${timing.imagesPerSecond.toFixed(1).padStart(9)} ${ratio(torch1, modelMs).padStart(12)}${poolCells}`,
      );
    }
    log(
      'vs torch 1t: tfjs on one thread as a fraction of PyTorch on one, for forward, backward and update (augmentation excluded)',
    );
    if (workers > 1) {
      log(
        `vs torch ${workers}t: the whole step on ${workers} tfjs workers, augmentation included, as a fraction of PyTorch's step without augmentation on ${workers} threads`,
      );
    }

    const augmentation = await timeAugmentation(256, flags.runs);
    log(
      `\naugmentation, one view of 256 images: ${augmentation.msPerView.toFixed(1)} ms (${augmentation.viewsPerSecond.toFixed(0)} views/s)`,
    );

    const ntXent = [];
    for (const n of [256, 1024]) {
      const timing = await timeNtXent(n, 128, flags.runs);
      ntXent.push(timing);
      log(
        `NT-Xent N=${n} D=128: forward ${timing.forwardMs.toFixed(1)} ms, forward and backward ${timing.forwardBackwardMs.toFixed(1)} ms`,
      );
    }

    const results = {
      date: new Date().toISOString(),
      backend: report.backend,
      cores: cpus().length,
      workers,
      node: process.versions.node,
      tfjs: tf.version_core,
      steps,
      augmentation,
      ntXent,
      parse,
    };
    writeFileAtomic(flags.out, `${JSON.stringify(results, null, 2)}\n`);
    log(`\nresults written to ${flags.out}`);
  });
}
